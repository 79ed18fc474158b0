package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

/**
 * The search core: exhaustive search of a transition system over one visited
 * store. The orders differ only in their frontier: BFS (the default, a
 * shortest counterexample) takes states in the store's id order, DFS keeps
 * the current path, and the reachable-set walk is BFS that reports every edge
 * instead of checking properties. All take a successor by the same step
 * ({@link #arrive}: count, apply the state limit, store), and leave limits,
 * statistics and the incomplete rule to {@link Search}; parallel BFS shares
 * that part too.
 */
public final class Explorer {
    private static final int CHECK_EVERY = 1 << 12;
    /** What {@link #arrive} returns when the state limit keeps a new state out. */
    private static final long FULL = Long.MIN_VALUE;

    private final TransitionSystem ts;
    private final Options opts;
    private final StateStore store;
    private final Search search;
    private final int[] buf;
    private final int[] ample;
    /** Violations that end an execution instead of the search (final-state mode only). */
    private Predicate<Violation> endsExecution = v -> false;

    private Explorer(TransitionSystem ts, Options opts, StateStore store) {
        this.ts = ts;
        this.opts = opts;
        this.store = store;
        this.search = new Search(ts, opts);
        this.buf = new int[ts.maxTransitions()];
        this.ample = new int[ts.maxTransitions()];
    }

    private Explorer(TransitionSystem ts, Options opts) {
        this(ts, opts, opts.fingerprint() ? new FingerprintStore(ts.initial().length)
                : new ExactStore(ts.initial().length));
    }

    public static Result explore(TransitionSystem ts, Options opts) {
        if (opts.search() == Options.Search.PARALLEL && !opts.fingerprint()) {
            return ParallelBfs.explore(ts, opts, opts.workers());
        }
        Explorer e = new Explorer(ts, opts);
        // a fingerprint store keeps no states, so only DFS (which keeps its own path) can use it
        Result r = opts.search() == Options.Search.DFS || opts.fingerprint() ? e.dfs() : e.bfs(null);
        if (e.store instanceof FingerprintStore f) {
            String note = String.format(java.util.Locale.ROOT, "fingerprint mode: %d states kept as 64-bit hashes "
                    + "(depth-first); the probability that a state was missed is at most %.2g", f.size(),
                    f.omissionProbability());
            r = new Result(r.verdict(), r.violation(), r.path(), r.stats(), r.incompleteReason(), note);
        }
        return r;
    }

    /**
     * Explores every reachable state and hands each terminal one (no enabled
     * transition) to {@code terminal}, for litmus tests that need every final
     * state rather than the first violation. Stops early only at a safety
     * violation (a fault, a failed assertion, an invariant), whose path the
     * result carries, or at a limit (incomplete). Terminal states are visited
     * once each, in breadth-first order.
     */
    public static Result finalStates(TransitionSystem ts, Options opts, Consumer<int[]> terminal) {
        return finalStates(ts, opts, terminal, v -> false);
    }

    /**
     * As above, except that a state breaking a property {@code endsExecution}
     * accepts (a thread that will wait forever, say) does not stop the search: it
     * has no successor, so it goes to {@code terminal} like any other final state.
     */
    public static Result finalStates(TransitionSystem ts, Options opts, Consumer<int[]> terminal,
                                     Predicate<Violation> endsExecution) {
        Explorer e = new Explorer(ts, opts);
        e.endsExecution = endsExecution;
        return e.bfs(terminal);
    }

    /**
     * The reachable-set walk: breadth-first from the initial state into
     * {@code store}, expanding the states {@code expand} accepts and handing
     * every transition of an expanded state to {@code visitor} (without
     * reduction, and without checking properties). Past the state limit the walk
     * still visits the edges of stored states, with -1 for a state it could not
     * store. Incomplete at a limit or a memory-model bound, never a pass.
     */
    static Result walk(TransitionSystem ts, Options opts, StateStore store, IntPredicate expand,
                       Reachable.EdgeVisitor visitor) {
        Explorer e = new Explorer(ts, opts.withPor(false), store);
        e.expandOnly = expand;
        e.visitor = visitor;
        return e.bfs(null);
    }

    // ---------------------------------------------------------------- the shared step

    /**
     * Takes a successor: counts the transition and stores its target. Returns the
     * new id, -(id + 1) for a state stored before, or FULL when the state is new
     * but the state limit allows no more (the one rule, for every order).
     */
    private long arrive(int[] next) {
        search.transitions++;
        if (search.full(store.size()) && store.find(next) < 0) {
            return FULL;
        }
        return store.add(next);
    }

    /** The property {@code s} breaks, unless it only ends an execution (final-state mode). */
    private Violation check(int[] s) {
        Violation v = ts.check(s);
        return v == null || endsExecution.test(v) ? null : v;
    }

    // ---------------------------------------------------------------- BFS and the walk

    /** BFS parent of each state id; the transition taken is found again when a trace is built. */
    private int[] parent = new int[1024];
    /** The walk: which states to expand, and who sees each edge; null in a check. */
    private IntPredicate expandOnly;
    private Reachable.EdgeVisitor visitor;
    /** The walk: a new state was left out at the state limit. */
    private boolean cut;

    /** BFS; with {@code terminal}, final states go to it instead of being checked as deadlocks. */
    private Result bfs(Consumer<int[]> terminal) {
        int[] init = ts.initial();
        store.add(init);
        parent[0] = -1;
        Violation v = visitor == null ? check(init) : null;
        if (v != null) {
            return found(v, new int[0], 0);
        }
        levelEnd = 1;
        int depth = 0;
        for (int id = 0; id < store.size(); id++) {
            if (id == levelEnd) {
                depth++;
                levelEnd = store.size();
            }
            if ((id & (CHECK_EVERY - 1)) == 0) {
                String limit = search.periodic(store.size(), depth, store.size() - id);
                if (limit != null) {
                    return incomplete(limit);
                }
            }
            search.maxDepth = depth; // ids come in BFS order, so this also counts a last level of terminal states
            if (expandOnly != null && !expandOnly.test(id)) {
                continue;
            }
            int[] s = store.get(id);
            int count = ts.enabled(s, buf);
            if (count == 0) {
                if (visitor != null) {
                    continue;
                }
                if (terminal != null) {
                    terminal.accept(s);
                    continue;
                }
                Violation t = ts.checkTerminal(s);
                if (t != null) {
                    return found(t, pathTo(id), depth);
                }
                continue;
            }
            // buf stays valid through the loop: next, add and check never call enabled
            int ampleSize = opts.por() ? ts.ample(s, buf, count, ample) : -1;
            Result r;
            if (ampleSize > 0) {
                // cycle proviso: if an ample step leads back to this level or an earlier one, expand the rest too
                revisited = false;
                r = expand(id, s, ample, 0, ampleSize, depth);
                if (r == null && revisited) {
                    int at = indexOf(buf, count, ample[0]);
                    r = expand(id, s, buf, 0, at, depth);
                    if (r == null) {
                        r = expand(id, s, buf, at + ampleSize, count, depth);
                    }
                }
            } else {
                r = expand(id, s, buf, 0, count, depth);
            }
            if (r != null) {
                return r;
            }
        }
        return cut ? incomplete(search.stateLimitReason()) : exhausted();
    }

    /**
     * Set by expand when a successor was stored before, in this BFS level or an
     * earlier one. A cycle of states needs such an edge (levels cannot only
     * grow around a cycle), so expanding fully wherever one appears leaves a
     * fully expanded state on every cycle: the proviso that keeps reduction
     * from postponing a thread forever. Successors already found in the next
     * level (by an earlier state of this one) do not count.
     */
    private boolean revisited;
    /** BFS: the id of the first state of the next level (ids are given in BFS order). */
    private int levelEnd;

    /** Successors of state {@code id} through {@code list[from..to)}: store, remember, check. */
    private Result expand(int id, int[] s, int[] list, int from, int to, int depth) {
        for (int k = from; k < to; k++) {
            int[] next = ts.next(s, list[k]);
            if (next == null) {
                continue;
            }
            long r = arrive(next);
            if (r == FULL) {
                if (visitor == null) {
                    return incomplete(search.stateLimitReason());
                }
                cut = true;
                visitor.edge(id, s, list[k], -1);
                continue;
            }
            if (r < 0) {
                revisited |= -(r + 1) < levelEnd;
                if (visitor != null) {
                    visitor.edge(id, s, list[k], (int) -(r + 1));
                }
                continue;
            }
            int nid = (int) r;
            remember(nid, id);
            search.maxDepth = Math.max(search.maxDepth, depth + 1);
            if (visitor != null) {
                visitor.edge(id, s, list[k], nid);
                continue;
            }
            Violation nv = check(next);
            if (nv != null) {
                return found(nv, pathTo(nid), depth + 1);
            }
        }
        return null;
    }

    private static int indexOf(int[] a, int count, int x) {
        for (int i = 0; i < count; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        throw new IllegalStateException("an ample transition that is not enabled");
    }

    private void remember(int id, int from) {
        if (id >= parent.length) {
            parent = Arrays.copyOf(parent, parent.length * 2);
        }
        parent[id] = from;
    }

    private int[] pathTo(int id) {
        return Paths.rebuild(ts, store::get, i -> parent[i], id);
    }

    // ---------------------------------------------------------------- DFS

    private Result dfs() {
        int[] init = ts.initial();
        store.add(init);
        Violation v = check(init);
        if (v != null) {
            return found(v, new int[0], 0);
        }
        // the path: per depth, the state id, its enabled transitions (in a shared stack) and the next to try;
        // the states themselves are kept packed, so hash compaction (which keeps no states) works with DFS
        PathStack path = new PathStack(init.length);
        int[] ids = new int[64];
        int[] from = new int[64];
        int[] next = new int[64];
        int[] end = new int[64];
        int[] trans = new int[1024];
        int depth = 0;
        ids[0] = 0;
        onStack.set(0);
        path.push(init);
        int count = reduce(init, ts.enabled(init, buf));
        if (count == 0) {
            Violation t = ts.checkTerminal(init);
            return t != null ? found(t, new int[0], 0) : exhausted();
        }
        from[0] = 0;
        System.arraycopy(buf, 0, trans, 0, count);
        next[0] = 0;
        end[0] = count;
        int[] state = init;
        long steps = 0;
        while (depth >= 0) {
            if ((++steps & (CHECK_EVERY - 1)) == 0) {
                String limit = search.periodic(store.size(), depth, depth);
                if (limit != null) {
                    return incomplete(limit);
                }
            }
            if (next[depth] == end[depth]) {
                onStack.clear(ids[depth]);
                path.pop();
                depth--;
                if (depth >= 0) {
                    state = path.get(depth);
                }
                continue;
            }
            int t = trans[from[depth] + next[depth]++];
            int[] succ = ts.next(state, t);
            if (succ == null) {
                continue;
            }
            long r = arrive(succ);
            if (r == FULL) {
                return incomplete(search.stateLimitReason());
            }
            if (r < 0) {
                continue;
            }
            int nid = (int) r;
            search.maxDepth = Math.max(search.maxDepth, depth + 1);
            Violation nv = check(succ);
            if (nv != null) {
                return found(nv, dfsPath(trans, from, next, depth, t), depth + 1);
            }
            int c = reduce(succ, ts.enabled(succ, buf));
            if (c == 0) {
                Violation tv = ts.checkTerminal(succ);
                if (tv != null) {
                    return found(tv, dfsPath(trans, from, next, depth, t), depth + 1);
                }
                continue;
            }
            depth++;
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
            onStack.set(nid);
            path.push(succ);
            from[depth] = base;
            next[depth] = 0;
            end[depth] = c;
            state = succ;
        }
        return exhausted();
    }

    /** DFS: the ids of the states on the current path, for the cycle proviso. */
    private final BitSet onStack = new BitSet();

    /**
     * For DFS: replaces buf's {@code count} transitions by an ample subset when
     * one exists and none of its successors is on the current path (the stack
     * proviso, as in SPIN: a cycle of reduced steps could otherwise postpone
     * the other threads forever); returns the count.
     */
    private int reduce(int[] s, int count) {
        if (!opts.por() || count == 0) {
            return count;
        }
        int a = ts.ample(s, buf, count, ample);
        if (a <= 0) {
            return count;
        }
        for (int k = 0; k < a; k++) {
            int[] next = ts.next(s, ample[k]);
            int id = next == null ? -1 : store.find(next);
            if (id >= 0 && onStack.get(id)) {
                return count;
            }
        }
        System.arraycopy(ample, 0, buf, 0, a);
        return a;
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

    // ---------------------------------------------------------------- results

    private Result found(Violation v, int[] path, int depth) {
        return search.found(v, path, depth, store.size(), store.bytes());
    }

    private Result exhausted() {
        return search.exhausted(store.size(), store.bytes());
    }

    private Result incomplete(String why) {
        return search.incomplete(why, store.size(), store.bytes());
    }
}
