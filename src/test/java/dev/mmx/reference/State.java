package dev.mmx.reference;

import java.util.List;
import java.util.Map;

/**
 * A state of the reference interpreter, in plain values: memory (shared
 * cells, then lock words), ghost cells, and per CPU what is left to run and
 * its registers. Records compare by value, so a plain hash set of states is
 * the visited set.
 */
record State(List<Integer> memory, List<Integer> ghosts, List<CpuState> cpus) {

    /** One CPU: the statements still to run (the next one first) and its registers. */
    record CpuState(List<Frame> control, List<Integer> registers) {
        boolean finished() {
            return control.isEmpty();
        }
    }

    /** What a CPU still has to do, one entry per pending statement or loop. */
    sealed interface Frame {
        Env env();
    }

    /**
     * Statement {@code stmt} (a {@link World#id} number) is next; {@code loaded}
     * holds the values its shared reads have loaded so far, one step each, left to right.
     */
    record Run(int stmt, Env env, List<Integer> loaded) implements Frame {}

    /**
     * A value primitive ({@code g = xchg(&x, 1)}, {@code x = choose(0, 1)}) whose
     * target is not a register has run; writing {@code value} to the target is a
     * further step.
     */
    record Write(int stmt, Env env, List<Integer> loaded, int value) implements Frame {}

    /** The end of a while loop's body: the loop's condition comes next. */
    record LoopBack(int stmt, Env env) implements Frame {}

    /**
     * The names a statement sees besides globals: constants (a for loop's or a
     * quantifier's variable, a replicated thread's index), the arguments bound to
     * a procedure's parameters, and the procedure whose registers it names.
     */
    record Env(Consts consts, Map<String, Binding> params, String proc) {
        static final Env TOP = new Env(null, Map.of(), null);

        Env with(String name, int value) {
            return new Env(new Consts(name, value, consts), params, proc);
        }

        /** The constant's value, or null when this environment does not bind the name. */
        Integer constant(String name) {
            for (Consts c = consts; c != null; c = c.rest()) {
                if (c.name().equals(name)) {
                    return c.value();
                }
            }
            return null;
        }

        /** A procedure's body sees only its parameters, not the caller's loop variables. */
        Env procedure(Map<String, Binding> bound, String name) {
            return new Env(null, bound, name);
        }
    }

    /** Bound constants, the innermost first. */
    record Consts(String name, int value, Consts rest) {}

    /** A procedure argument: expression {@code expr} (a {@link World#id} number) as written by the caller. */
    record Binding(int expr, Env env) {}
}
