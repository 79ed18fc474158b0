package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The reachable states of a transition system, numbered in breadth-first
 * order from the initial state (0), for the passes that look at every edge
 * (state graphs, lock order). It keeps a plain map of states, not the
 * explorer's packed store, and finds no violations.
 */
public final class Reachable {
    /** Called for every enabled transition of every expanded state; {@code to} is -1 past the state limit. */
    public interface EdgeVisitor {
        void edge(int from, int[] state, int transition, int to);
    }

    private record Key(int[] s) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(s, k.s);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(s);
        }
    }

    private final Map<Key, Integer> ids = new HashMap<>();
    private final List<int[]> states = new ArrayList<>();

    /** The state's number, adding it when it is new. */
    public int add(int[] s) {
        Integer id = ids.get(new Key(s));
        if (id != null) {
            return id;
        }
        states.add(s);
        ids.put(new Key(s), states.size() - 1);
        return states.size() - 1;
    }

    /** The state's number, or -1 when it has not been seen. */
    public int id(int[] s) {
        Integer id = ids.get(new Key(s));
        return id == null ? -1 : id;
    }

    public int[] state(int id) {
        return states.get(id);
    }

    public int size() {
        return states.size();
    }

    /**
     * Breadth-first search from the initial state, adding at most {@code max}
     * states and expanding those {@code expand} accepts. Discarded executions
     * (a failed assume) are not edges. Returns whether every state reachable
     * through expanded states was added.
     */
    public boolean explore(TransitionSystem ts, int max, IntPredicate expand, EdgeVisitor visitor) {
        boolean complete = true;
        Deque<Integer> queue = new ArrayDeque<>();
        queue.add(add(ts.initial()));
        int[] out = new int[ts.maxTransitions()];
        while (!queue.isEmpty()) {
            int from = queue.poll();
            if (!expand.test(from)) {
                continue;
            }
            int[] s = states.get(from);
            int n = ts.enabled(s, out);
            for (int k = 0; k < n; k++) {
                int[] next = ts.next(s, out[k]);
                if (next == null) {
                    continue;
                }
                int to = id(next);
                if (to < 0 && size() < max) {
                    to = add(next);
                    queue.add(to);
                } else if (to < 0) {
                    complete = false;
                }
                visitor.edge(from, s, out[k], to);
            }
        }
        return complete;
    }
}
