package dev.mmx.explore;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * How to explore: the search order and the limits. A limit reached makes the
 * result incomplete, never a pass.
 */
public record Options(Search search, long maxStates, long maxMemoryBytes, double timeLimitSeconds,
                      Consumer<Progress> progress, AtomicBoolean stop, boolean por, int workers,
                      boolean fingerprint) {

    /** BFS (shortest counterexample), DFS, or BFS on every core with the same answer as BFS. */
    public enum Search { BFS, DFS, PARALLEL }

    /** A progress report for long runs. */
    public record Progress(long states, long transitions, int depth, long frontier, double seconds,
                           long heapBytes) {}

    public static Options defaults() {
        return new Options(Search.BFS, Long.MAX_VALUE, safeMemory(), 0, null, new AtomicBoolean(), true,
                Runtime.getRuntime().availableProcessors(), false);
    }

    public Options withSearch(Search s) {
        return new Options(s, maxStates, maxMemoryBytes, timeLimitSeconds, progress, stop, por, workers, fingerprint);
    }

    public Options withMaxStates(long n) {
        return new Options(search, n, maxMemoryBytes, timeLimitSeconds, progress, stop, por, workers, fingerprint);
    }

    public Options withMaxMemory(long bytes) {
        return new Options(search, maxStates, bytes, timeLimitSeconds, progress, stop, por, workers, fingerprint);
    }

    public Options withTimeLimit(double seconds) {
        return new Options(search, maxStates, maxMemoryBytes, seconds, progress, stop, por, workers, fingerprint);
    }

    public Options withProgress(Consumer<Progress> p) {
        return new Options(search, maxStates, maxMemoryBytes, timeLimitSeconds, p, stop, por, workers, fingerprint);
    }

    /** With or without partial-order reduction (on by default; it never changes a verdict). */
    public Options withPor(boolean on) {
        return new Options(search, maxStates, maxMemoryBytes, timeLimitSeconds, progress, stop, on, workers, fingerprint);
    }

    public Options withWorkers(int n) {
        return new Options(search, maxStates, maxMemoryBytes, timeLimitSeconds, progress, stop, por, n, fingerprint);
    }

    /** Hash compaction: keep 64-bit fingerprints instead of states (depth-first; may miss a state). */
    public Options withFingerprint(boolean on) {
        return new Options(search, maxStates, maxMemoryBytes, timeLimitSeconds, progress, stop, por, workers, on);
    }

    /**
     * The state limit, one rule for every search: a run may store {@code maxStates}
     * states; one that had to store more is incomplete, never a pass (a model with
     * exactly that many states passes under each search alike).
     */
    public boolean pastStateLimit(long stored) {
        return stored > maxStates;
    }

    /** Why a run past the state limit is incomplete. */
    public String stateLimitReason() {
        return "the state limit (" + maxStates + (maxStates == 1 ? " state" : " states") + ") was reached";
    }

    /** 85% of the maximum heap: enough headroom to stop cleanly and write a summary. */
    public static long safeMemory() {
        return (long) (Runtime.getRuntime().maxMemory() * 0.85);
    }
}
