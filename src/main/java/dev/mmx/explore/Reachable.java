package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import java.util.function.IntPredicate;

/**
 * The reachable states of a transition system, numbered in breadth-first
 * order from the initial state (0), for the passes that look at every edge
 * (state graphs, lock order). The states live in the explorer's packed
 * store, and the walk is the search core's BFS with the same limits and the
 * same incomplete rule as a check; it finds no violations.
 */
public final class Reachable {
    /** Called for every enabled transition of every expanded state; {@code to} is -1 past the state limit. */
    public interface EdgeVisitor {
        void edge(int from, int[] state, int transition, int to);
    }

    private StateStore store;

    /** The state's number, adding it when it is new. */
    public int add(int[] s) {
        long r = store(s).add(s);
        return (int) (r < 0 ? -(r + 1) : r);
    }

    /** The state's number, or -1 when it has not been seen. */
    public int id(int[] s) {
        return store(s).find(s);
    }

    public int[] state(int id) {
        return store.get(id);
    }

    public int size() {
        return store == null ? 0 : store.size();
    }

    private StateStore store(int[] s) {
        if (store == null) {
            store = new ExactStore(s.length);
        }
        return store;
    }

    /**
     * Breadth-first search from the initial state, storing at most
     * {@code maxStates} states and expanding those {@code expand} accepts.
     * Discarded executions (a failed assume) are not edges. The result is a
     * pass when every state reachable through expanded states was added and
     * no bound of the memory model cut behaviour off, else incomplete with the
     * reason; its statistics count the states and edges walked.
     */
    public Result explore(TransitionSystem ts, int maxStates, IntPredicate expand, EdgeVisitor visitor) {
        return explore(ts, Options.defaults().withMaxStates(maxStates), expand, visitor);
    }

    /** As above, with every limit of {@code opts} (the search order and reduction do not apply). */
    public Result explore(TransitionSystem ts, Options opts, IntPredicate expand, EdgeVisitor visitor) {
        return Explorer.walk(ts, opts, store(ts.initial()), expand, visitor);
    }
}
