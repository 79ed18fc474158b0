package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.Ref;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What each step can touch, for partial-order reduction. A step's footprint
 * is the shared cells, lock words and ghost cells it may read or write
 * (arrays with a register index count as whole), including the folded
 * branches that run right after it. A thread's future footprint at a pc is
 * the union over every step reachable from there, each access tagged with
 * the exclusive locks the thread must hold at it (a forward must-hold
 * analysis over the thread's control flow).
 */
final class Footprints {
    /** One access a step may make: a location (cell, or ghost slot offset by cells), write or read, locks held. */
    record Access(int location, boolean write, BitSet locksHeld) {}

    private final Program p;
    private final Layout l;
    private final int cells;
    /** [thread][pc]: the accesses of the step at pc (with its folded successors). */
    final List<Access>[][] step;
    /** [thread][pc]: the accesses of every step reachable from pc, summarised by location. */
    final Summary[][] future;

    /**
     * Where a thread may still go: locations it may read, may write, and for
     * each location the exclusive locks it holds at every one of those accesses.
     */
    record Summary(BitSet reads, BitSet writes, java.util.Map<Integer, BitSet> protectedBy) {
        /** Whether an access of ours conflicts with one of theirs that no lock we hold rules out. */
        boolean conflicts(Access a, BitSet held) {
            boolean touches = writes.get(a.location()) || (a.write() && reads.get(a.location()));
            if (!touches) {
                return false;
            }
            BitSet locks = protectedBy.get(a.location());
            return locks == null || !locks.intersects(held);
        }
    }
    /** What the MMU's own fills may touch (the kit's prefetching TLBs): another actor besides the threads. */
    final Summary mmu;
    /** Locations read by invariants: a step writing one is visible and never reduced alone. */
    final BitSet visible = new BitSet();
    /** Register slots read by invariants. */
    final BitSet visibleRegs = new BitSet();

    @SuppressWarnings("unchecked")
    Footprints(Program p) {
        this.p = p;
        this.l = p.layout();
        this.cells = p.memory().size();
        int n = p.threads().size();
        step = new List[n][];
        future = new Summary[n][];
        for (Program.Invariant inv : p.invariants()) {
            markVisible(inv.cond());
        }
        for (int t = 0; t < n; t++) {
            Instr[] code = p.threads().get(t).code();
            BitSet[] held = mustHold(code);
            List<Access>[] own = new List[code.length];
            for (int x = 0; x < code.length; x++) {
                own[x] = new ArrayList<>();
                accesses(code[x], held[x], own[x]);
            }
            step[t] = new List[code.length];
            for (int x = 0; x < code.length; x++) {
                step[t][x] = withFolded(code, own, x);
            }
            future[t] = reachable(code, own);
        }
        BitSet reads = new BitSet();
        BitSet writes = new BitSet();
        for (Program.MmuFill f : p.mmu()) {
            List<Access> acc = new ArrayList<>();
            accesses(f.step(), new BitSet(), acc);
            for (Access a : acc) {
                (a.write() ? writes : reads).set(a.location());
            }
        }
        mmu = new Summary(reads, writes, java.util.Map.of());
    }

    private void markVisible(CExpr e) {
        if (e instanceof CExpr.Mem m) {
            visible.set(m.cell());
        } else if (e instanceof CExpr.MemArray m) {
            visible.set(m.base(), m.base() + m.length());
        } else if (e instanceof CExpr.Slot s) {
            markSlot(s.slot(), 1);
        } else if (e instanceof CExpr.SlotArray s) {
            markSlot(s.base(), s.length());
            markVisible(s.index());
        } else if (e instanceof CExpr.Unary u) {
            markVisible(u.operand());
        } else if (e instanceof CExpr.Binary b) {
            markVisible(b.left());
            markVisible(b.right());
        } else if (e instanceof CExpr.Ite i) {
            markVisible(i.test());
            markVisible(i.then());
            markVisible(i.otherwise());
        }
    }

    private void markSlot(int slot, int length) {
        for (int k = 0; k < length; k++) {
            int g = ghostIndex(slot + k);
            if (g >= 0) {
                visible.set(cells + g);
            } else {
                visibleRegs.set(slot + k);
            }
        }
    }

    private int ghostIndex(int slot) {
        int g = slot - l.ghostSlot(0);
        return g >= 0 && g < p.ghosts().size() ? g : -1;
    }

    // ---------------------------------------------------------------- one instruction

    private void accesses(Instr i, BitSet held, List<Access> out) {
        if (i instanceof Instr.Load x) {
            ref(x.ref(), false, held, out);
        } else if (i instanceof Instr.Store x) {
            ref(x.ref(), true, held, out);
            reads(x.value(), held, out);
        } else if (i instanceof Instr.Rmw x) {
            ref(x.ref(), true, held, out);
            reads(x.operand(), held, out);
            reads(x.expected(), held, out);
        } else if (i instanceof Instr.LockOp x) {
            ref(x.lock(), true, held, out);
        } else if (i instanceof Instr.Assign x) {
            ref(x.target(), true, held, out);
            reads(x.value(), held, out);
        } else if (i instanceof Instr.Await x) {
            reads(x.cond(), held, out);
        } else if (i instanceof Instr.Branch x) {
            reads(x.cond(), held, out);
        } else if (i instanceof Instr.Assert x) {
            reads(x.cond(), held, out);
        } else if (i instanceof Instr.Assume x) {
            reads(x.cond(), held, out);
        } else if (i instanceof Instr.Atomic x) {
            for (Instr b : x.body()) {
                accesses(b, held, out);
            }
        } else if (!(i instanceof Instr.Fence || i instanceof Instr.Jump || i instanceof Instr.Clear
                || i instanceof Instr.Either || i instanceof Instr.Choose || i instanceof Instr.End)) {
            throw new IllegalStateException("an instruction with no footprint worked out: " + i);
        } // those touch registers only, or nothing
    }

    private void ref(Ref r, boolean write, BitSet held, List<Access> out) {
        if (r.index() != null) {
            reads(r.index(), held, out);
        }
        int len = r.fixed() ? 1 : r.length();
        for (int k = 0; k < len; k++) {
            if (r.memory()) {
                out.add(new Access(r.base() + k, write, held));
            } else {
                int g = ghostIndex(r.base() + k);
                if (g >= 0) {
                    out.add(new Access(cells + g, write, held));
                }
            }
        }
    }

    private void reads(CExpr e, BitSet held, List<Access> out) {
        if (e == null) {
            return;
        }
        if (e instanceof CExpr.Mem m) {
            out.add(new Access(m.cell(), false, held));
        } else if (e instanceof CExpr.MemArray m) {
            for (int k = 0; k < m.length(); k++) {
                out.add(new Access(m.base() + k, false, held));
            }
            reads(m.index(), held, out);
        } else if (e instanceof CExpr.Slot s) {
            int g = ghostIndex(s.slot());
            if (g >= 0) {
                out.add(new Access(cells + g, false, held));
            }
        } else if (e instanceof CExpr.SlotArray s) {
            for (int k = 0; k < s.length(); k++) {
                int g = ghostIndex(s.base() + k);
                if (g >= 0) {
                    out.add(new Access(cells + g, false, held));
                }
            }
            reads(s.index(), held, out);
        } else if (e instanceof CExpr.FlatIndex f) {
            for (CExpr x : f.indices()) {
                reads(x, held, out);
            }
        } else if (e instanceof CExpr.Unary u) {
            reads(u.operand(), held, out);
        } else if (e instanceof CExpr.Binary b) {
            reads(b.left(), held, out);
            reads(b.right(), held, out);
        } else if (e instanceof CExpr.Ite t) {
            reads(t.test(), held, out);
            reads(t.then(), held, out);
            reads(t.otherwise(), held, out);
        }
    }

    // ---------------------------------------------------------------- control flow

    /** A step plus the folded instructions that may run right after it. */
    private List<Access> withFolded(Instr[] code, List<Access>[] own, int x) {
        List<Access> out = new ArrayList<>(own[x]);
        BitSet seen = new BitSet();
        List<Integer> work = new ArrayList<>();
        for (int y : Instr.successors(code, x)) {
            work.add(y);
        }
        while (!work.isEmpty()) {
            int y = work.remove(work.size() - 1);
            if (seen.get(y) || !Instr.folded(code[y])) {
                continue;
            }
            seen.set(y);
            out.addAll(own[y]);
            for (int z : Instr.successors(code, y)) {
                work.add(z);
            }
        }
        return out;
    }

    /** For every pc, a summary of the accesses of all instructions reachable from it. */
    private static Summary[] reachable(Instr[] code, List<Access>[] own) {
        int len = code.length;
        BitSet[] reach = new BitSet[len];
        for (int x = 0; x < len; x++) {
            reach[x] = new BitSet();
            reach[x].set(x);
        }
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int x = len - 1; x >= 0; x--) {
                for (int y : Instr.successors(code, x)) {
                    int before = reach[x].cardinality();
                    reach[x].or(reach[y]);
                    changed |= reach[x].cardinality() != before;
                }
            }
        }
        Summary[] out = new Summary[len];
        for (int x = 0; x < len; x++) {
            BitSet reads = new BitSet();
            BitSet writes = new BitSet();
            java.util.Map<Integer, BitSet> prot = new java.util.HashMap<>();
            for (int y = reach[x].nextSetBit(0); y >= 0; y = reach[x].nextSetBit(y + 1)) {
                for (Access a : own[y]) {
                    (a.write() ? writes : reads).set(a.location());
                    BitSet p = prot.get(a.location());
                    if (p == null) {
                        prot.put(a.location(), (BitSet) a.locksHeld().clone());
                    } else {
                        p.and(a.locksHeld());
                    }
                }
            }
            out[x] = new Summary(reads, writes, prot);
        }
        return out;
    }

    /**
     * Exclusive locks certainly held at each instruction: intersection over all
     * paths from the thread's start. Only fixed lock cells are tracked; a
     * lock taken through a register index is not counted.
     */
    private BitSet[] mustHold(Instr[] code) {
        int len = code.length;
        BitSet[] in = new BitSet[len];
        BitSet all = new BitSet();
        all.set(0, cells);
        for (int x = 0; x < len; x++) {
            in[x] = (BitSet) all.clone();
        }
        in[0] = new BitSet();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int x = 0; x < len; x++) {
                BitSet out = (BitSet) in[x].clone();
                Instr i = code[x];
                if (i instanceof Instr.LockOp op && op.lock().fixed()) {
                    int c = op.lock().base();
                    switch (op.action()) {
                        case SPIN_LOCK, DOWN_WRITE -> out.set(c);
                        case SPIN_UNLOCK, UP_WRITE, SPIN_TRYLOCK, DOWN_WRITE_TRYLOCK -> out.clear(c);
                        case DOWN_READ, UP_READ, DOWN_READ_TRYLOCK -> { } // shared: never held exclusively
                    }
                } else if (i instanceof Instr.Atomic) {
                    // lock operations inside an atomic block are not tracked: assume nothing held after it
                    out.clear();
                }
                for (int y : Instr.successors(code, x)) {
                    BitSet meet = (BitSet) in[y].clone();
                    meet.and(out);
                    if (!meet.equals(in[y])) {
                        in[y] = meet;
                        changed = true;
                    }
                }
            }
        }
        return in;
    }
}
