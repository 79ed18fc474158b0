package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Breadth-first search on several cores that gives the same answer as the
 * sequential one. Each level is processed in batches: workers expand states
 * (enabled, next) in parallel, then workers insert the successors into a
 * visited set split into segments by hash, each segment taking its
 * successors in the order sequential BFS would have produced them. So every
 * state gets the parent sequential BFS gives it, and the first violation in
 * that order is the one reported: verdict and trace do not depend on timing.
 * The state limit is applied in that order too, so a run stops at the same
 * state as sequential BFS would; limits, statistics and results are the
 * search core's ({@link Search}).
 */
public final class ParallelBfs {
    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;
    private static final int LOCAL_BITS = 31 - SEGMENT_BITS;
    private static final int BATCH = 1 << 14;

    private final TransitionSystem ts;
    private final Options opts;
    private final int workers;
    private final ExactStore[] segments = new ExactStore[SEGMENTS];
    private final int[][] parents = new int[SEGMENTS][];
    private final int width;
    /** Per segment, the first local id of the level being discovered: ids below it are this level or older. */
    private final int[] levelMark = new int[SEGMENTS];
    private final Search search;
    /** States stored up to the state limit, in sequential order (the segments may hold a few more). */
    private long stored;


    /** A violation candidate, ordered as sequential BFS would meet it. */
    private record Found(long order, int id, Violation violation, int depth) {}

    private ParallelBfs(TransitionSystem ts, Options opts, int workers) {
        this.ts = ts;
        this.opts = opts;
        this.workers = workers;
        this.width = ts.initial().length;
        this.search = new Search(ts, opts);
        for (int i = 0; i < SEGMENTS; i++) {
            segments[i] = new ExactStore(width);
            parents[i] = new int[256];
        }
    }

    public static Result explore(TransitionSystem ts, Options opts, int workers) {
        ParallelBfs p = new ParallelBfs(ts, opts, Math.max(1, workers));
        ExecutorService pool = Executors.newFixedThreadPool(p.workers, r -> {
            Thread t = new Thread(r, "mmx-bfs");
            t.setDaemon(true);
            return t;
        });
        try {
            return p.run(pool);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return p.incomplete("interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    private static int segmentOf(int[] s) {
        int h = Arrays.hashCode(s);
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        h ^= h >>> 16;
        return h & (SEGMENTS - 1);
    }

    private int[] get(int id) {
        return segments[id >>> LOCAL_BITS].get(id & ((1 << LOCAL_BITS) - 1));
    }

    private int parentOf(int id) {
        return parents[id >>> LOCAL_BITS][id & ((1 << LOCAL_BITS) - 1)];
    }

    private Result run(ExecutorService pool) throws InterruptedException, ExecutionException {
        int[] init = ts.initial();
        int seg = segmentOf(init);
        segments[seg].add(init);
        parents[seg][0] = -1;
        stored = 1;
        int initId = seg << LOCAL_BITS;
        Violation v = ts.check(init);
        if (v != null) {
            return found(v, initId, 0);
        }
        int[] level = {initId};
        int depth = 0;
        while (level.length > 0) {
            IntList next = new IntList();
            for (int g = 0; g < SEGMENTS; g++) {
                levelMark[g] = segments[g].size();
            }
            for (int from = 0; from < level.length; from += BATCH) {
                String limit = search.periodic(stored, depth, level.length - from);
                if (limit != null) {
                    return incomplete(limit);
                }
                int to = Math.min(level.length, from + BATCH);
                Found f = batch(pool, level, from, to, depth, next);
                if (f == CUT) {
                    return incomplete(search.stateLimitReason());
                }
                if (f != null) {
                    return found(f.violation(), f.id(), f.depth());
                }
            }
            level = next.toArray();
            if (level.length > 0) {
                depth++;
                search.maxDepth = depth;
            }
        }
        return search.exhausted(stored, storeBytes());
    }

    /** What a batch returns when sequential BFS would have stopped at the state limit before any violation. */
    private static final Found CUT = new Found(Long.MAX_VALUE, -1, null, 0);

    /**
     * Expands level[from..to) and inserts its successors; returns the first
     * violation in sequential order, or CUT when the state limit comes first.
     */
    private Found batch(ExecutorService pool, int[] level, int from, int to, int depth, IntList next)
            throws InterruptedException, ExecutionException {
        int span = to - from;
        int chunk = (span + workers - 1) / workers;
        int maxT = ts.maxTransitions();
        List<Callable<Expanded>> expand = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int a = from + w * chunk;
            int b = Math.min(to, a + chunk);
            int worker = w;
            if (a < b) {
                expand.add(() -> expand(worker, level, a, b, depth, maxT));
            }
        }
        List<Expanded> parts = new ArrayList<>();
        for (Future<Expanded> f : pool.invokeAll(expand)) {
            parts.add(f.get());
        }
        List<Callable<List<Found>>> insert = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int worker = w;
            insert.add(() -> insert(parts, worker, depth));
        }
        List<Found> candidates = new ArrayList<>();
        for (Expanded e : parts) {
            search.transitions += e.transitions;
            candidates.addAll(e.terminal);
        }
        for (Future<List<Found>> f : pool.invokeAll(insert)) {
            candidates.addAll(f.get());
        }
        long cut = collectNew(parts, next);
        Found first = null;
        for (Found f : candidates) {
            if (f.order() < cut && (first == null || f.order() < first.order())) {
                first = f;
            }
        }
        return first == null && cut != Long.MAX_VALUE ? CUT : first;
    }

    /**
     * Phase 1 output of one worker. Its successors are numbered in sequential
     * order ({@code pos}) and packed into one flat buffer per segment (parent,
     * pos, then the state's words), so phase 2 reads each segment's successors
     * front to back. Phase 2 writes each successor's new id (or -1) into
     * {@code ids[pos]}. No object per successor outlives phase 1.
     */
    private final class Expanded {
        final int worker;
        final int[][] bySegment = new int[SEGMENTS][];
        final int[] fill = new int[SEGMENTS];
        final List<Found> terminal = new ArrayList<>();
        long transitions;
        int count;
        int[] ids;

        Expanded(int worker) {
            this.worker = worker;
        }

        int record() {
            return 2 + width;
        }

        void add(int parent, int[] state, int segment) {
            int[] buf = bySegment[segment];
            int at = fill[segment];
            if (buf == null || at + record() > buf.length) {
                buf = buf == null ? new int[record() * 64] : Arrays.copyOf(buf, buf.length * 2);
                bySegment[segment] = buf;
            }
            buf[at] = parent;
            buf[at + 1] = count++;
            System.arraycopy(state, 0, buf, at + 2, width);
            fill[segment] = at + record();
        }

        /** The place of successor {@code pos} in sequential order, for choosing the first violation. */
        long order(int pos) {
            return ((((long) worker << 32) | pos) << 1) | 1;
        }

        /** A final state found before successor {@code pos} is made: sequential BFS meets it first. */
        long terminalOrder(int pos) {
            return (((long) worker << 32) | pos) << 1;
        }
    }

    private Expanded expand(int worker, int[] level, int a, int b, int depth, int maxT) {
        Expanded out = new Expanded(worker);
        int[] buf = new int[maxT];
        int[] ample = new int[maxT];
        for (int i = a; i < b; i++) {
            int id = level[i];
            int[] s = get(id);
            int count = ts.enabled(s, buf);
            if (count == 0) {
                Violation t = ts.checkTerminal(s);
                if (t != null) {
                    // before every successor this worker finds later: its successors so far come first
                    out.terminal.add(new Found(out.terminalOrder(out.count), id, t, depth));
                }
                continue;
            }
            int[] use = buf;
            int n = count;
            if (opts.por()) {
                int k = ts.ample(s, buf, count, ample);
                if (k > 0 && allNew(s, ample, k)) {
                    use = ample;
                    n = k;
                }
            }
            for (int k = 0; k < n; k++) {
                int[] succ = ts.next(s, use[k]);
                if (succ == null) {
                    continue;
                }
                out.transitions++;
                out.add(id, succ, segmentOf(succ));
            }
        }
        out.ids = new int[out.count];
        return out;
    }

    /**
     * The cycle proviso of sequential BFS: no ample step may lead back to a state
     * of this level or an earlier one (states of the next level found by earlier
     * batches are fine), checked against the visited set as the batch began.
     */
    private boolean allNew(int[] s, int[] ample, int k) {
        for (int j = 0; j < k; j++) {
            int[] succ = ts.next(s, ample[j]);
            if (succ == null) {
                continue;
            }
            int seg = segmentOf(succ);
            int found = segments[seg].find(succ);
            if (found >= 0 && found < levelMark[seg]) {
                return false;
            }
        }
        return true;
    }

    /** Phase 2: worker w inserts into segments w, w + workers, ...; parts are in sequential order. */
    private List<Found> insert(List<Expanded> parts, int w, int depth) {
        List<Found> found = new ArrayList<>();
        int[] state = new int[width];
        for (int seg = w; seg < SEGMENTS; seg += workers) {
            ExactStore store = segments[seg];
            for (Expanded e : parts) {
                int[] buf = e.bySegment[seg];
                for (int at = 0; at < e.fill[seg]; at += e.record()) {
                    int pos = buf[at + 1];
                    System.arraycopy(buf, at + 2, state, 0, width);
                    long r = store.add(state);
                    if (r < 0) {
                        e.ids[pos] = -1;
                        continue;
                    }
                    int local = (int) r;
                    if (local >= parents[seg].length) {
                        parents[seg] = Arrays.copyOf(parents[seg], parents[seg].length * 2);
                    }
                    parents[seg][local] = buf[at];
                    int id = (seg << LOCAL_BITS) | local;
                    e.ids[pos] = id;
                    Violation v = ts.check(state);
                    if (v != null) {
                        found.add(new Found(e.order(pos), id, v, depth + 1));
                    }
                }
            }
        }
        return found;
    }

    /**
     * Phase 3: the next level's new ids, in sequential order (parts and their
     * successors are in that order), up to the state limit. Returns the order of
     * the first new state past the limit, where sequential BFS would stop, or
     * Long.MAX_VALUE.
     */
    private long collectNew(List<Expanded> parts, IntList next) {
        for (Expanded e : parts) {
            for (int pos = 0; pos < e.ids.length; pos++) {
                int id = e.ids[pos];
                if (id >= 0) {
                    if (search.full(stored)) {
                        return e.order(pos);
                    }
                    next.add(id);
                    stored++;
                }
            }
        }
        return Long.MAX_VALUE;
    }

    // ---------------------------------------------------------------- results

    private long storeBytes() {
        long bytes = 0;
        for (ExactStore s : segments) {
            bytes += s.bytes();
        }
        return bytes;
    }

    private Result found(Violation v, int id, int depth) {
        return search.found(v, Paths.rebuild(ts, this::get, this::parentOf, id), depth, stored, storeBytes());
    }

    private Result incomplete(String why) {
        return search.incomplete(why, stored, storeBytes());
    }

    /** A growable int array. */
    static final class IntList {
        private int[] a = new int[16];
        private int n;

        void add(int x) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = x;
        }

        int[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
