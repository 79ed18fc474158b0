package dev.mmx.memory;

import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import java.util.List;

/**
 * The part of an in-order machine that differs per memory model: what a
 * CPU's load returns, where its store goes, and the memory subsystem's own
 * steps (store-buffer write-backs). Locked read-modify-writes, fences that
 * drain, and atomic blocks act on memory once {@link #drained} holds.
 */
public interface MemoryModel {
    String name();

    /** State words this model needs beyond the program's own. */
    int extensionWords(Program p);

    /** The value {@code cpu} reads at {@code cell}. */
    int read(int[] s, int cpu, int cell);

    /** A (plain, ONCE or release) store by {@code cpu}. */
    void write(int[] s, int cpu, int cell, int value);

    /** Whether {@code cpu} may issue a store now (a bounded buffer may be full). */
    boolean canWrite(int[] s, int cpu);

    /** Whether {@code cpu} has no pending stores, so a locked operation or full fence may run. */
    boolean drained(int[] s, int cpu);

    /** Whether stores are buffered (traces say "buffered" and show the write-back separately). */
    boolean buffered();

    /** Appends the memory subsystem's enabled steps as indices 0..; returns how many. */
    int internalSteps(int[] s, int[] out, int at, int base);

    /** Performs internal step {@code which} (as numbered by internalSteps); returns {cell, value} written. */
    int[] internalStep(int[] s, int which);

    /** Who performs internal step {@code which}: a CPU number. */
    int internalOwner(int which);

    /** Pending stores of {@code cpu}, oldest first, as "cell=value" using the given cell names. */
    List<int[]> pending(int[] s, int cpu);

    /** Whether a bound of this model (e.g. store-buffer size) cut off some behaviour during the run. */
    boolean boundHit();

    /** A description of the bound, for the message shown when it is hit. */
    String boundDescription();

    /**
     * Whether accesses act on shared memory at once, so that partial-order
     * reduction's footprints (what a step reads and writes) say everything a
     * step can conflict with. Buffered stores act later, in a step of their own.
     */
    boolean immediate();

    /** Builds the model over a layout that already holds its {@link #extensionWords}. */
    interface Factory {
        MemoryModel create(Layout layout, int threads, int bound);
    }
}
