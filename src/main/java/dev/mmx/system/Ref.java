package dev.mmx.system;

/**
 * A place an instruction reads or writes: a shared memory cell ({@code memory}
 * true: {@code base} is a cell number) or a state slot (a register or ghost
 * cell: {@code base} is a slot). {@code index} is null for scalars.
 */
public record Ref(boolean memory, int base, int length, CExpr index, String name) {
    public static Ref memory(int cell, String name) {
        return new Ref(true, cell, 1, null, name);
    }

    public static Ref slot(int slot, String name) {
        return new Ref(false, slot, 1, null, name);
    }

    /** The cell or slot number, after bounds-checking a dynamic index. */
    public int resolve(int[] s, MemoryReader mem) {
        if (index == null) {
            return base;
        }
        return base + CExpr.checkIndex(index.eval(s, mem), length, name);
    }

    public boolean fixed() {
        return index == null;
    }
}
