package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;

/**
 * What every search order shares besides its frontier: the limits, the
 * statistics and the rules that turn a run into a result. Each limit is
 * written once here, so BFS, DFS, parallel BFS and the reachable-set walk
 * stop for the same reasons with the same words, and no search can call a
 * run a pass when a limit or a memory-model bound cut part of it off.
 */
final class Search {
    private final TransitionSystem ts;
    private final Options opts;
    private final long started = System.nanoTime();
    private long lastReport = started;
    private long peakHeap;
    /** Transitions taken (discarded executions, a failed assume, are not transitions). */
    long transitions;
    /** The deepest BFS level or DFS depth reached. */
    int maxDepth;

    Search(TransitionSystem ts, Options opts) {
        this.ts = ts;
        this.opts = opts;
    }

    /**
     * Whether one more new state would take a store of {@code stored} states past
     * the state limit. The rule is the same for every search (Options.pastStateLimit),
     * and each search asks at every new state, so none overshoots.
     */
    boolean full(long stored) {
        return opts.pastStateLimit(stored + 1);
    }

    String stateLimitReason() {
        return opts.stateLimitReason();
    }

    /**
     * The limits that are checked now and then rather than at every state
     * (stop request, time, memory), and a progress report every two seconds;
     * null while the run may go on. Over the memory limit it collects garbage
     * once before giving up, since the heap figure counts garbage too.
     */
    String periodic(long stored, int depth, long frontier) {
        long now = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        peakHeap = Math.max(peakHeap, heap);
        if (opts.progress() != null && now - lastReport > 2_000_000_000L) {
            lastReport = now;
            opts.progress().accept(new Options.Progress(stored, transitions, depth, frontier,
                    (now - started) / 1e9, heap));
        }
        if (opts.stop() != null && opts.stop().get()) {
            return "interrupted";
        }
        if (opts.timeLimitSeconds() > 0 && (now - started) / 1e9 >= opts.timeLimitSeconds()) {
            return "the time limit (" + opts.timeLimitSeconds() + " s) was reached";
        }
        if (heap > opts.maxMemoryBytes()) {
            System.gc();
            heap = rt.totalMemory() - rt.freeMemory();
            if (heap > opts.maxMemoryBytes()) {
                return "the memory limit (" + (opts.maxMemoryBytes() >> 20) + " MiB) was reached";
            }
        }
        return null;
    }

    Result.Stats stats(long stored, long storeBytes) {
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        return new Result.Stats(stored, transitions, maxDepth, (System.nanoTime() - started) / 1e9, peakHeap,
                storeBytes);
    }

    /** A violation (a deadlock when the property says so) reached along {@code path}, at {@code depth}. */
    Result found(Violation v, int[] path, int depth, long stored, long storeBytes) {
        maxDepth = Math.max(maxDepth, depth);
        Result.Verdict verdict = v.property().equals(Violation.DEADLOCK) ? Result.Verdict.DEADLOCK
                : Result.Verdict.VIOLATION;
        return new Result(verdict, v, path, stats(stored, storeBytes), null, null);
    }

    /**
     * Every state was explored and none broke a property: a pass, unless a bound
     * of the memory model (store-buffer size, window) cut some behaviour off, which
     * makes the run incomplete, as a limit does. A bound hit is never a pass.
     */
    Result exhausted(long stored, long storeBytes) {
        String bound = ts.boundReached();
        if (bound != null) {
            return incomplete(bound, stored, storeBytes);
        }
        return new Result(Result.Verdict.PASS, null, new int[0], stats(stored, storeBytes), null, null);
    }

    Result incomplete(String why, long stored, long storeBytes) {
        return new Result(Result.Verdict.INCOMPLETE, null, new int[0], stats(stored, storeBytes), why, null);
    }
}
