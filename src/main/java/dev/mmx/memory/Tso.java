package dev.mmx.memory;

import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import java.util.ArrayList;
import java.util.List;

/**
 * x86-TSO (Owens, Sarkar, Sewell 2009): each CPU has a FIFO store buffer; a
 * store enters the buffer, and a separate step writes the oldest entry back to
 * memory; a load takes the newest buffered store of its own CPU to that cell,
 * else memory. Locked operations and mfence wait until the buffer is empty.
 *
 * <p>Per CPU the state holds a count and {@code size} (cell, value) entries,
 * oldest first, unused entries zero so equal buffers are equal words.
 */
final class Tso implements MemoryModel {
    private final Layout l;
    private final int threads;
    private final int size;
    private final int stride;
    private volatile boolean boundHit;

    Tso(Layout l, int threads, int size) {
        this.l = l;
        this.threads = threads;
        this.size = size;
        this.stride = 1 + 2 * size;
    }

    public String name() {
        return "tso";
    }

    public int extensionWords(Program p) {
        return threads * stride;
    }

    private int base(int cpu) {
        return l.extBase() + cpu * stride;
    }

    public int read(int[] s, int cpu, int cell) {
        int b = base(cpu);
        for (int i = s[b] - 1; i >= 0; i--) {
            if (s[b + 1 + 2 * i] == cell) {
                return s[b + 2 + 2 * i];
            }
        }
        return s[l.memSlot(cell)];
    }

    public void write(int[] s, int cpu, int cell, int value) {
        int b = base(cpu);
        int n = s[b];
        s[b + 1 + 2 * n] = cell;
        s[b + 2 + 2 * n] = value;
        s[b] = n + 1;
    }

    public boolean canWrite(int[] s, int cpu) {
        if (s[base(cpu)] < size) {
            return true;
        }
        boundHit = true;
        return false;
    }

    public boolean drained(int[] s, int cpu) {
        return s[base(cpu)] == 0;
    }

    public boolean immediate() {
        return false;
    }

    public boolean buffered() {
        return true;
    }

    public int internalSteps(int[] s, int[] out, int at, int base) {
        int n = 0;
        for (int cpu = 0; cpu < threads; cpu++) {
            if (s[base(cpu)] > 0) {
                out[at + n++] = base + cpu;
            }
        }
        return n;
    }

    public int[] internalStep(int[] s, int cpu) {
        int b = base(cpu);
        int n = s[b];
        int cell = s[b + 1];
        int value = s[b + 2];
        s[l.memSlot(cell)] = value;
        System.arraycopy(s, b + 3, s, b + 1, 2 * (n - 1));
        s[b + 1 + 2 * (n - 1)] = 0;
        s[b + 2 + 2 * (n - 1)] = 0;
        s[b] = n - 1;
        return new int[] {cell, value};
    }

    public int internalOwner(int which) {
        return which;
    }

    public List<int[]> pending(int[] s, int cpu) {
        int b = base(cpu);
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < s[b]; i++) {
            out.add(new int[] {s[b + 1 + 2 * i], s[b + 2 + 2 * i]});
        }
        return out;
    }

    public boolean boundHit() {
        return boundHit;
    }

    public String boundDescription() {
        return "a store buffer held " + size + " stores (the --store-buffer bound), so a further store had to "
                + "wait for a write-back; runs with a larger bound may find more behaviours";
    }
}
