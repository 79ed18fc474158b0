package dev.mmx.system;

/**
 * Where everything lives in a state vector ({@code int[]}): a status word (0, or
 * a code for the violated safety property), one program counter per thread,
 * shared memory cells, ghost cells, each thread's registers, and the memory
 * model's own words (store buffers, ...). Nothing else computes offsets.
 */
public final class Layout {
    public static final int STATUS = 0;

    private final int threads;
    private final int[] regBase;
    private final int[] regCount;
    private final int memBase;
    private final int memCells;
    private final int ghostBase;
    private final int ghostCells;
    private final int extBase;
    private final int extSize;

    public Layout(int[] regCount, int memCells, int ghostCells, int extSize) {
        this.threads = regCount.length;
        this.regCount = regCount.clone();
        this.regBase = new int[threads];
        this.memBase = 1 + threads;
        this.memCells = memCells;
        this.ghostBase = memBase + memCells;
        this.ghostCells = ghostCells;
        int next = firstRegisterSlot(threads, memCells, ghostCells);
        for (int t = 0; t < threads; t++) {
            regBase[t] = next;
            next += regCount[t];
        }
        this.extBase = next;
        this.extSize = extSize;
    }

    /** The slot of thread 0's first register; each thread's registers follow the previous thread's. */
    public static int firstRegisterSlot(int threads, int memCells, int ghostCells) {
        return 1 + threads + memCells + ghostCells;
    }

    /** The same layout with {@code words} slots for a memory model's own state. */
    public Layout withExtension(int words) {
        return new Layout(regCount, memCells, ghostCells, words);
    }

    public int threads() {
        return threads;
    }

    public int size() {
        return extBase + extSize;
    }

    public int pcSlot(int thread) {
        return 1 + thread;
    }

    public int regSlot(int thread, int reg) {
        return regBase[thread] + reg;
    }

    public int regCount(int thread) {
        return regCount[thread];
    }

    public int memSlot(int cell) {
        return memBase + cell;
    }

    public int memCells() {
        return memCells;
    }

    public int ghostSlot(int ghost) {
        return ghostBase + ghost;
    }

    public int ghostCells() {
        return ghostCells;
    }

    public int extBase() {
        return extBase;
    }

    public int extSize() {
        return extSize;
    }

    public int pc(int[] s, int thread) {
        return s[1 + thread];
    }

    public int mem(int[] s, int cell) {
        return s[memBase + cell];
    }
}
