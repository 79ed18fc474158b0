package dev.mmx.explore;

import dev.mmx.system.TransitionSystem;
import java.util.Arrays;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/** Rebuilds the transitions of a path from parent links: each step is found again from its parent state. */
final class Paths {
    private Paths() {}

    static int[] rebuild(TransitionSystem ts, IntFunction<int[]> state, IntUnaryOperator parent, int id) {
        int len = 0;
        for (int i = id; parent.applyAsInt(i) >= 0; i = parent.applyAsInt(i)) {
            len++;
        }
        int[] path = new int[len];
        int[] out = new int[ts.maxTransitions()];
        for (int i = id; parent.applyAsInt(i) >= 0; i = parent.applyAsInt(i)) {
            path[--len] = between(ts, state.apply(parent.applyAsInt(i)), state.apply(i), out);
        }
        return path;
    }

    /** The first enabled transition from one state to the other. */
    private static int between(TransitionSystem ts, int[] from, int[] to, int[] out) {
        int count = ts.enabled(from, out);
        for (int k = 0; k < count; k++) {
            int[] next = ts.next(from, out[k]);
            if (next != null && Arrays.equals(next, to)) {
                return out[k];
            }
        }
        throw new IllegalStateException("no transition between two states of a path");
    }
}
