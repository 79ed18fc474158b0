package dev.mmx.memory;

import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import java.util.List;

/** Sequential consistency: one memory, every access acts on it at once. */
final class Sc implements MemoryModel {
    private final Layout l;

    Sc(Layout l) {
        this.l = l;
    }

    public String name() {
        return "sc";
    }

    public int extensionWords(Program p) {
        return 0;
    }

    public int read(int[] s, int cpu, int cell) {
        return s[l.memSlot(cell)];
    }

    public void write(int[] s, int cpu, int cell, int value) {
        s[l.memSlot(cell)] = value;
    }

    public boolean canWrite(int[] s, int cpu) {
        return true;
    }

    public boolean drained(int[] s, int cpu) {
        return true;
    }

    public boolean immediate() {
        return true;
    }

    public boolean buffered() {
        return false;
    }

    public int internalSteps(int[] s, int[] out, int at, int base) {
        return 0;
    }

    public int[] internalStep(int[] s, int which) {
        throw new IllegalStateException("sc has no internal steps");
    }

    public int internalOwner(int which) {
        return which;
    }

    public List<int[]> pending(int[] s, int cpu) {
        return List.of();
    }

    public boolean boundHit() {
        return false;
    }

    public String boundDescription() {
        return "";
    }
}
