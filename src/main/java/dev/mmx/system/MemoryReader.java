package dev.mmx.system;

/** How an expression reads a shared memory cell: through a CPU's view, or memory itself. */
@FunctionalInterface
public interface MemoryReader {
    int read(int[] state, int cell);
}
