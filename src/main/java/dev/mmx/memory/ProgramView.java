package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import dev.mmx.system.Step;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every machine needs of a program besides running it: names and
 * printed values of cells and registers, lock words, and the checks of
 * invariants and final conditions, all read from memory directly.
 */
final class ProgramView {
    final Program p;
    final Layout l;
    final int n;
    final MemoryReader memory;
    private final KitWords kitWords;

    ProgramView(Program p) {
        this.p = p;
        this.l = p.layout();
        this.n = p.threads().size();
        this.memory = (s, cell) -> s[l.memSlot(cell)];
        this.kitWords = new KitWords(p, this);
    }

    String threadName(int t) {
        return p.threads().get(t).name();
    }

    String cellName(int cell) {
        return p.memory().get(cell).name();
    }

    String format(int cell, int value) {
        Program.Cell c = p.memory().get(cell);
        return c.kind().lock() ? lockWord(cell, value) : c.type().format(value);
    }

    Program.CellKind kind(int cell) {
        return p.memory().get(cell).kind();
    }

    /*
     * Lock words: a spinlock or mutex holds 0 when free, else holder + 1. An
     * rwsem or rwlock holds a bit mask of readers (bit t for thread t) when >= 0,
     * or -(writer + 1) when write-held.
     */
    String lockWord(int cell, int w) {
        if (w == 0) {
            return "free";
        }
        Program.Cell c = p.memory().get(cell);
        if (!c.kind().readerWriter()) {
            return w > 0 && w <= n ? "held by " + threadName(w - 1) : "held (" + w + ")";
        }
        if (w < 0) {
            int t = -w - 1;
            return t < n ? "write-held by " + threadName(t) : "write-held";
        }
        List<String> readers = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            if ((w & (1 << t)) != 0) {
                readers.add(threadName(t));
            }
        }
        return "read-held by " + String.join(", ", readers);
    }

    /** Whether a slot is one of the compiler's hidden temporaries (never shown in traces). */
    boolean hidden(int t, int slot) {
        return p.threads().get(t).regs().get(slot - l.regSlot(t, 0)).hidden();
    }

    /** The name of a register (without thread) for effects in that thread's column. */
    String regName(int t, int slot) {
        String name = p.threads().get(t).regs().get(slot - l.regSlot(t, 0)).name();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    boolean isGhost(int slot) {
        return slot >= l.ghostSlot(0) && slot < l.ghostSlot(p.ghosts().size());
    }

    /** The thread owning a register slot, or -1. */
    int ownerOf(int slot) {
        for (int t = 0; t < n; t++) {
            if (slot >= l.regSlot(t, 0) && slot < l.regSlot(t, 0) + l.regCount(t)) {
                return t;
            }
        }
        return -1;
    }

    String slotName(int slot) {
        if (isGhost(slot)) {
            return p.ghosts().get(slot - l.ghostSlot(0)).name();
        }
        int t = ownerOf(slot);
        if (t >= 0) {
            return (n > 1 ? threadName(t) + "." : "") + p.threads().get(t).regs().get(slot - l.regSlot(t, 0)).name();
        }
        return "slot " + slot;
    }

    String slotValue(int slot, int value) {
        if (isGhost(slot)) {
            return p.ghosts().get(slot - l.ghostSlot(0)).type().format(value);
        }
        int t = ownerOf(slot);
        if (t >= 0) {
            return p.threads().get(t).regs().get(slot - l.regSlot(t, 0)).type().format(value);
        }
        return Integer.toString(value);
    }

    /**
     * What an assignment's step shows: a ghost cell or register with its new
     * value. A hidden temporary (where the compiler evaluates a branch's test of
     * ghost state) is not shown; the ghost cells the test read are, as a load
     * into a temporary shows the value it read.
     */
    void assignEffects(int slot, CExpr value, int[] s, List<Step.Effect> fx) {
        if (isGhost(slot)) {
            fx.add(new Step.Effect(Step.Effect.GHOST, slotName(slot), slotValue(slot, s[slot])));
            return;
        }
        int t = ownerOf(slot);
        if (!hidden(t, slot)) {
            fx.add(new Step.Effect(Step.Effect.REG, regName(t, slot), slotValue(slot, s[slot])));
            return;
        }
        Map<Integer, Integer> read = new LinkedHashMap<>();
        ghostCellsRead(value, s, read);
        read.forEach((g, v) -> fx.add(new Step.Effect(Step.Effect.READ, slotName(g), slotValue(g, v))));
    }

    /** The ghost cells an expression reads in state s (array elements at their evaluated index). */
    private void ghostCellsRead(CExpr e, int[] s, Map<Integer, Integer> out) {
        if (e instanceof CExpr.Slot x && isGhost(x.slot())) {
            out.put(x.slot(), s[x.slot()]);
        } else if (e instanceof CExpr.SlotArray x) {
            ghostCellsRead(x.index(), s, out);
            try {
                int i = x.index().eval(s, memory);
                if (i >= 0 && i < x.length() && isGhost(x.base() + i)) {
                    out.put(x.base() + i, s[x.base() + i]);
                }
            } catch (ModelFault f) {
                // an index the evaluation never reached (behind && or ||): nothing was read there
            }
        } else if (e instanceof CExpr.MemArray x) {
            ghostCellsRead(x.index(), s, out);
        } else if (e instanceof CExpr.FlatIndex x) {
            for (CExpr i : x.indices()) {
                ghostCellsRead(i, s, out);
            }
        } else if (e instanceof CExpr.Unary x) {
            ghostCellsRead(x.operand(), s, out);
        } else if (e instanceof CExpr.Binary x) {
            ghostCellsRead(x.left(), s, out);
            ghostCellsRead(x.right(), s, out);
        } else if (e instanceof CExpr.Ite x) {
            ghostCellsRead(x.test(), s, out);
            ghostCellsRead(x.then(), s, out);
            ghostCellsRead(x.otherwise(), s, out);
        }
    }

    /** Invariants, read from memory itself. */
    Violation checkInvariants(int[] s) {
        for (Program.Invariant inv : p.invariants()) {
            try {
                if (inv.cond().eval(s, memory) == 0) {
                    return explained(inv.name(), "invariant " + inv.name() + " (line " + inv.line()
                            + ") does not hold", inv.cond(), inv.kit(), s);
                }
            } catch (ModelFault f) {
                return new Violation(inv.name(), "invariant " + inv.name() + " (line " + inv.line()
                        + ") cannot be evaluated: " + f.getMessage(), List.of());
            }
        }
        return null;
    }

    /** The wait queues (the kit's sets of CPUs in memory) on which thread t's task is queued, by name. */
    private String queuesHolding(int[] s, int t) {
        List<String> on = new ArrayList<>();
        for (int c = 0; c < p.memory().size(); c++) {
            if (p.memory().get(c).type().isCpus() && (s[l.memSlot(c)] & (1 << t)) != 0) {
                on.add(cellName(c));
            }
        }
        return String.join(", ", on);
    }

    /** A state where nothing can move: a deadlock if someone has not finished, else the final conditions. */
    Violation checkTerminal(int[] s, Instr[][] code) {
        List<String> blocked = new ArrayList<>();
        List<String> asleep = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            Instr i = code[t][s[l.pcSlot(t)]];
            if (i instanceof Instr.Atomic a && Instr.SLEEP_NOTE.equals(a.note())) {
                String on = queuesHolding(s, t);
                asleep.add(threadName(t));
                blocked.add(threadName(t) + " sleeps at line " + i.src().line() + ": " + i.src().text()
                        + (on.isEmpty() ? " (on no wait queue)" : " (on " + on + ")")
                        + ", and no CPU is left to wake it");
            } else if (!(i instanceof Instr.End)) {
                blocked.add(threadName(t) + " waits at line " + i.src().line() + ": " + i.src().text());
            }
        }
        if (!blocked.isEmpty()) {
            List<String> values = new ArrayList<>(blocked);
            for (int c = 0; c < p.memory().size(); c++) {
                if (p.memory().get(c).kind().lock() && s[l.memSlot(c)] != 0) {
                    values.add(cellName(c) + " " + lockWord(c, s[l.memSlot(c)]));
                }
            }
            String lost = asleep.isEmpty() ? "" : ": a lost wake-up, " + String.join(" and ", asleep)
                    + (asleep.size() == 1 ? " sleeps" : " sleep") + " forever";
            return new Violation(Violation.DEADLOCK, "no thread can move, and "
                    + (blocked.size() == 1 ? "one has" : blocked.size() + " have") + " not finished" + lost, values);
        }
        for (Program.FinalCondition f : p.finals()) {
            boolean holds;
            try {
                holds = f.cond().eval(s, memory) != 0;
            } catch (ModelFault e) {
                return new Violation(f.kind(), "the final condition cannot be evaluated: " + e.getMessage(),
                        List.of());
            }
            if (f.kind().equals("forall") ? !holds : holds) {
                String what = f.kind().equals("forall") ? "a final state breaks forall (" + f.text() + ")"
                        : "a final state satisfies " + f.kind() + " (" + f.text() + ")";
                return explained(f.kind().equals("forall") ? "forall" : "exists", what, f.cond(), f.kit(), s);
            }
        }
        return null;
    }

    /**
     * A broken property, with what breaks it: the kit's properties it uses said in
     * kernel words, then the other values it read (all of them when there are no
     * kit words).
     */
    private Violation explained(String property, String message, CExpr cond, List<String> kit, int[] s) {
        List<String> words = new ArrayList<>();
        List<Violation.Cite> cites = new ArrayList<>();
        for (String k : kit) {
            kitWords.explain(k, s, words, cites);
        }
        List<String> read = valuesRead(cond, s);
        if (words.isEmpty()) {
            return new Violation(property, message, read);
        }
        for (String v : read) {
            if (!kitWords.kitCell(v.substring(0, v.indexOf(" = ")))) {
                words.add(v);
            }
        }
        return new Violation(property, message, words, cites);
    }

    /** "name = value" for every cell and register an expression reads, in order, once each. */
    List<String> valuesRead(CExpr e, int[] s) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(e, s, out);
        List<String> list = new ArrayList<>();
        out.forEach((k, v) -> list.add(k + " = " + v));
        return list;
    }

    private void collect(CExpr e, int[] s, Map<String, String> out) {
        if (e instanceof CExpr.Mem m) {
            out.put(cellName(m.cell()), format(m.cell(), s[l.memSlot(m.cell())]));
        } else if (e instanceof CExpr.MemArray m) {
            for (int i = 0; i < m.length(); i++) {
                out.put(cellName(m.base() + i), format(m.base() + i, s[l.memSlot(m.base() + i)]));
            }
        } else if (e instanceof CExpr.Slot sl) {
            out.put(slotName(sl.slot()), slotValue(sl.slot(), s[sl.slot()]));
        } else if (e instanceof CExpr.SlotArray sa) {
            for (int i = 0; i < sa.length(); i++) {
                out.put(slotName(sa.base() + i), slotValue(sa.base() + i, s[sa.base() + i]));
            }
        } else if (e instanceof CExpr.Unary u) {
            collect(u.operand(), s, out);
        } else if (e instanceof CExpr.Binary b) {
            collect(b.left(), s, out);
            collect(b.right(), s, out);
        } else if (e instanceof CExpr.Ite i) {
            collect(i.test(), s, out);
            collect(i.then(), s, out);
            collect(i.otherwise(), s, out);
        }
    }

    /** Memory, ghosts, locks, visible registers and positions; buffers are added by the caller. */
    dev.mmx.system.Snapshot snapshot(int[] s, Instr[][] code, Map<String, List<String>> buffers) {
        Map<String, String> mem = new LinkedHashMap<>();
        Map<String, String> locks = new LinkedHashMap<>();
        for (int c = 0; c < p.memory().size(); c++) {
            Program.Cell cell = p.memory().get(c);
            if (cell.kind().lock()) {
                locks.put(cell.name(), lockWord(c, s[l.memSlot(c)]));
            } else {
                mem.put(cell.name(), format(c, s[l.memSlot(c)]));
            }
        }
        Map<String, String> ghosts = new LinkedHashMap<>();
        for (int g = 0; g < p.ghosts().size(); g++) {
            Program.Cell cell = p.ghosts().get(g);
            ghosts.put(cell.name(), cell.type().format(s[l.ghostSlot(g)]));
        }
        Map<String, Map<String, String>> regs = new LinkedHashMap<>();
        Map<String, String> positions = new LinkedHashMap<>();
        for (int t = 0; t < n; t++) {
            Map<String, String> r = new LinkedHashMap<>();
            List<Program.Register> rs = p.threads().get(t).regs();
            for (int i = 0; i < rs.size(); i++) {
                if (!rs.get(i).hidden()) {
                    r.put(rs.get(i).name(), rs.get(i).type().format(s[l.regSlot(t, i)]));
                }
            }
            regs.put(threadName(t), r);
            Instr at = code[t][s[l.pcSlot(t)]];
            positions.put(threadName(t), at instanceof Instr.End ? "done"
                    : "line " + at.src().line() + ": " + at.src().text());
        }
        return new dev.mmx.system.Snapshot(mem, ghosts, locks, regs, positions, buffers);
    }
}
