package dev.mmx.explore;

import dev.mmx.system.Violation;

/**
 * The outcome of an exploration: the verdict, the violation and the path of
 * transitions to it (empty on a pass), and statistics.
 */
public record Result(Verdict verdict, Violation violation, int[] path, Stats stats, String incompleteReason,
                     String boundNote) {

    public enum Verdict {
        PASS, VIOLATION, DEADLOCK, INCOMPLETE;

        public String word() {
            return name().toLowerCase();
        }
    }

    /** Counts and costs of a run. */
    public record Stats(long states, long transitions, int maxDepth, double seconds, long peakHeapBytes,
                        long storeBytes) {
        public long statesPerSecond() {
            return seconds <= 0 ? states : Math.round(states / seconds);
        }
    }
}
