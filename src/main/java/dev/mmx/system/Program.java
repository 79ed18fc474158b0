package dev.mmx.system;

import java.util.List;
import java.util.Map;

/**
 * A compiled model: per-thread instruction arrays, the state layout, names and
 * types of every cell for printing, and the properties to check.
 */
public record Program(String file, Layout layout, List<ThreadCode> threads, List<Cell> memory, List<Cell> ghosts,
                      List<Invariant> invariants, List<FinalCondition> finals, Map<String, Integer> params,
                      List<MmuFill> mmu) {

    /** What a shared or ghost cell holds. */
    public enum CellKind { VALUE, SPINLOCK, MUTEX, RWSEM, RWLOCK;

        public boolean lock() {
            return this != VALUE;
        }

        public boolean readerWriter() {
            return this == RWSEM || this == RWLOCK;
        }
    }

    public record Cell(String name, ValueType type, CellKind kind, int initial) {}

    public record Register(String name, ValueType type, boolean hidden, int initial) {}

    /**
     * One thread: {@code name} is how traces show it ({@code user[1]}); {@code group}
     * and {@code index} place it in a replicated thread declaration.
     */
    public record ThreadCode(String name, String group, int index, Instr[] code, List<Register> regs) {}

    /** An invariant; {@code kit} names the kernel-kit properties it uses (no_stale_tlb, ...). */
    public record Invariant(String name, CExpr cond, int line, List<String> kit) {}

    /**
     * The MMU of {@code cpu} filling TLB address {@code addr} by itself, whenever
     * {@code step}'s leading await holds: a step of the memory subsystem, not of
     * the CPU's program (the kernel kit's prefetching TLBs).
     */
    public record MmuFill(int cpu, int addr, Instr.Atomic step) {}

    /** A litmus-style condition checked on final states; kind is exists, ~exists or forall. */
    public record FinalCondition(String kind, CExpr cond, String text, List<String> kit) {}

    /** The initial state: program counters at 0, cells and registers at their initial values. */
    public int[] initialState() {
        int[] s = new int[layout.size()];
        for (int t = 0; t < threads.size(); t++) {
            List<Register> regs = threads.get(t).regs();
            for (int r = 0; r < regs.size(); r++) {
                s[layout.regSlot(t, r)] = regs.get(r).initial();
            }
        }
        for (int c = 0; c < memory.size(); c++) {
            s[layout.memSlot(c)] = memory.get(c).initial();
        }
        for (int g = 0; g < ghosts.size(); g++) {
            s[layout.ghostSlot(g)] = ghosts.get(g).initial();
        }
        return s;
    }

    public Program withLayout(Layout newLayout) {
        return new Program(file, newLayout, threads, memory, ghosts, invariants, finals, params, mmu);
    }
}
