package dev.mmx.system;

/**
 * What an explorer needs of a model under a memory model. Transitions are
 * small ints; their order is deterministic, so a path of transitions rebuilds
 * a trace.
 */
public interface TransitionSystem {
    int[] initial();

    /** An upper bound on the transitions enabled in any state (the size of {@code out}). */
    int maxTransitions();

    /** Fills {@code out} with the enabled transitions and returns their count. */
    int enabled(int[] state, int[] out);

    /** The successor, or null when the execution is discarded (a failed assume, a wrong guess). */
    int[] next(int[] state, int transition);

    /** A violated safety property of this state (assertion, fault, invariant), or null. */
    Violation check(int[] state);

    /**
     * Called for a state with no enabled transition: a deadlock, a violated final
     * condition, or null for a proper end.
     */
    Violation checkTerminal(int[] state);

    /** What a transition does, for traces; slow, never used while exploring. */
    Step describe(int[] state, int transition);

    /** Everything in a state, named, for trace files and state panels. */
    Snapshot snapshot(int[] state);

    /**
     * Null, or a sentence saying which bound of the memory model (store-buffer
     * size, window) cut off some behaviour during the run: a pass then proves nothing.
     */
    default String boundReached() {
        return null;
    }
}
