package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.Arrays;

/**
 * Exhaustive search of a transition system with an exact visited set. BFS
 * (the default) finds a shortest counterexample; DFS keeps only the current
 * path. Both share one step: enabled, next, store, check.
 */
public final class Explorer {
    private static final int CHECK_EVERY = 1 << 12;

    private final TransitionSystem ts;
    private final Options opts;
    private final StateStore store;
    private final int[] buf;
    private long transitions;
    private int maxDepth;
    private long started;
    private long lastReport;
    private long peakHeap;

    private Explorer(TransitionSystem ts, Options opts) {
        this.ts = ts;
        this.opts = opts;
        this.store = new ExactStore(ts.initial().length);
        this.buf = new int[ts.maxTransitions()];
    }

    public static Result explore(TransitionSystem ts, Options opts) {
        Explorer e = new Explorer(ts, opts);
        e.started = System.nanoTime();
        e.lastReport = e.started;
        return opts.search() == Options.Search.DFS ? e.dfs() : e.bfs();
    }

    // ---------------------------------------------------------------- BFS

    /** BFS parent of each state id; the transition taken is found again when a trace is built. */
    private int[] parent = new int[1024];

    private Result bfs() {
        int[] init = ts.initial();
        store.add(init);
        parent[0] = -1;
        Violation v = ts.check(init);
        if (v != null) {
            return found(v, new int[0], 0);
        }
        int levelEnd = 1;
        int depth = 0;
        for (int id = 0; id < store.size(); id++) {
            if (id == levelEnd) {
                depth++;
                levelEnd = store.size();
            }
            if ((id & (CHECK_EVERY - 1)) == 0) {
                String limit = limitReached(depth, store.size() - id);
                if (limit != null) {
                    return incomplete(limit);
                }
            }
            int[] s = store.get(id);
            int count = ts.enabled(s, buf);
            if (count == 0) {
                Violation t = ts.checkTerminal(s);
                if (t != null) {
                    return found(t, pathTo(id), depth);
                }
                continue;
            }
            // buf stays valid through the loop: next, add and check never call enabled
            for (int k = 0; k < count; k++) {
                int[] next = ts.next(s, buf[k]);
                if (next == null) {
                    continue;
                }
                transitions++;
                long r = store.add(next);
                if (r < 0) {
                    continue;
                }
                int nid = (int) r;
                if (store.size() > opts.maxStates()) {
                    return incomplete(stateLimit());
                }
                remember(nid, id);
                Violation nv = ts.check(next);
                if (nv != null) {
                    maxDepth = Math.max(maxDepth, depth + 1);
                    return found(nv, pathTo(nid), depth + 1);
                }
            }
            maxDepth = depth;
        }
        return pass();
    }

    private void remember(int id, int from) {
        if (id >= parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
        }
        parent[id] = from;
    }

    private int[] pathTo(int id) {
        int len = 0;
        for (int i = id; parent[i] >= 0; i = parent[i]) {
            len++;
        }
        int[] path = new int[len];
        for (int i = id; parent[i] >= 0; i = parent[i]) {
            path[--len] = transitionBetween(parent[i], i);
        }
        return path;
    }

    /** The first enabled transition of state {@code from} that leads to state {@code to}. */
    private int transitionBetween(int from, int to) {
        int[] s = store.get(from);
        int[] want = store.get(to);
        int[] out = new int[ts.maxTransitions()];
        int count = ts.enabled(s, out);
        for (int k = 0; k < count; k++) {
            int[] next = ts.next(s, out[k]);
            if (next != null && Arrays.equals(next, want)) {
                return out[k];
            }
        }
        throw new IllegalStateException("no transition from state " + from + " to state " + to);
    }

    // ---------------------------------------------------------------- DFS

    private Result dfs() {
        int[] init = ts.initial();
        store.add(init);
        Violation v = ts.check(init);
        if (v != null) {
            return found(v, new int[0], 0);
        }
        // the path: per depth, the state id, its enabled transitions (in a shared stack) and the next to try
        int[] ids = new int[64];
        int[] from = new int[64];
        int[] next = new int[64];
        int[] end = new int[64];
        int[] trans = new int[1024];
        int depth = 0;
        ids[0] = 0;
        int count = ts.enabled(init, buf);
        if (count == 0) {
            Violation t = ts.checkTerminal(init);
            return t != null ? found(t, new int[0], 0) : pass();
        }
        from[0] = 0;
        System.arraycopy(buf, 0, trans, 0, count);
        next[0] = 0;
        end[0] = count;
        int[] state = init;
        long steps = 0;
        while (depth >= 0) {
            if ((++steps & (CHECK_EVERY - 1)) == 0) {
                String limit = limitReached(depth, depth);
                if (limit != null) {
                    return incomplete(limit);
                }
            }
            if (next[depth] == end[depth]) {
                depth--;
                if (depth >= 0) {
                    state = store.get(ids[depth]);
                }
                continue;
            }
            int t = trans[from[depth] + next[depth]++];
            int[] succ = ts.next(state, t);
            if (succ == null) {
                continue;
            }
            transitions++;
            long r = store.add(succ);
            if (r < 0) {
                continue;
            }
            int nid = (int) r;
            if (store.size() > opts.maxStates()) {
                return incomplete(stateLimit());
            }
            Violation nv = ts.check(succ);
            if (nv != null) {
                maxDepth = Math.max(maxDepth, depth + 1);
                return found(nv, dfsPath(trans, from, next, depth, t), depth + 1);
            }
            int c = ts.enabled(succ, buf);
            if (c == 0) {
                Violation tv = ts.checkTerminal(succ);
                if (tv != null) {
                    maxDepth = Math.max(maxDepth, depth + 1);
                    return found(tv, dfsPath(trans, from, next, depth, t), depth + 1);
                }
                continue;
            }
            depth++;
            maxDepth = Math.max(maxDepth, depth);
            if (depth == ids.length) {
                ids = Arrays.copyOf(ids, depth * 2);
                from = Arrays.copyOf(from, depth * 2);
                next = Arrays.copyOf(next, depth * 2);
                end = Arrays.copyOf(end, depth * 2);
            }
            int base = end[depth - 1] + from[depth - 1];
            if (base + c > trans.length) {
                trans = Arrays.copyOf(trans, Math.max(trans.length * 2, base + c));
            }
            System.arraycopy(buf, 0, trans, base, c);
            ids[depth] = nid;
            from[depth] = base;
            next[depth] = 0;
            end[depth] = c;
            state = succ;
        }
        return pass();
    }

    /** The transitions taken at depths 0..depth (each frame's last tried), then {@code last}. */
    private static int[] dfsPath(int[] trans, int[] from, int[] next, int depth, int last) {
        int[] path = new int[depth + 1];
        for (int d = 0; d < depth; d++) {
            path[d] = trans[from[d] + next[d] - 1];
        }
        path[depth] = last;
        return path;
    }

    // ---------------------------------------------------------------- limits and results

    private String limitReached(int depth, long frontier) {
        long now = System.nanoTime();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        peakHeap = Math.max(peakHeap, heap);
        if (opts.progress() != null && now - lastReport > 2_000_000_000L) {
            lastReport = now;
            opts.progress().accept(new Options.Progress(store.size(), transitions, depth, frontier,
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

    private String stateLimit() {
        return "the state limit (" + opts.maxStates() + " states) was reached";
    }

    private Result.Stats stats() {
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        return new Result.Stats(store.size(), transitions, maxDepth, (System.nanoTime() - started) / 1e9, peakHeap,
                store.bytes());
    }

    private Result found(Violation v, int[] path, int depth) {
        maxDepth = Math.max(maxDepth, depth);
        Result.Verdict verdict = v.property().equals(Violation.DEADLOCK) ? Result.Verdict.DEADLOCK
                : Result.Verdict.VIOLATION;
        return new Result(verdict, v, path, stats(), null, null);
    }

    private Result pass() {
        return new Result(Result.Verdict.PASS, null, new int[0], stats(), null, null);
    }

    private Result incomplete(String why) {
        return new Result(Result.Verdict.INCOMPLETE, null, new int[0], stats(), why, null);
    }
}
