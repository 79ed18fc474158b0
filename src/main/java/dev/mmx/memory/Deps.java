package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Ref;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which state slots an instruction reads for its address, reads for its
 * data or condition, and writes: the register data flow that the ARM
 * machine's address, data and control dependencies follow.
 */
final class Deps {
    final int[] address;
    final int[] data;
    final int[] writes;
    final boolean touchesGhost;

    private Deps(Set<Integer> address, Set<Integer> data, Set<Integer> writes, boolean ghost) {
        this.address = address.stream().mapToInt(Integer::intValue).toArray();
        this.data = data.stream().mapToInt(Integer::intValue).toArray();
        this.writes = writes.stream().mapToInt(Integer::intValue).toArray();
        this.touchesGhost = ghost;
    }

    static Deps of(Instr i, ProgramView v) {
        Set<Integer> a = new LinkedHashSet<>();
        Set<Integer> d = new LinkedHashSet<>();
        Set<Integer> w = new LinkedHashSet<>();
        if (i instanceof Instr.Load x) {
            ref(x.ref(), a);
            w.add(x.reg());
        } else if (i instanceof Instr.Store x) {
            ref(x.ref(), a);
            slots(x.value(), d);
        } else if (i instanceof Instr.Rmw x) {
            ref(x.ref(), a);
            slots(x.operand(), d);
            slots(x.expected(), d);
            if (x.reg() >= 0) {
                w.add(x.reg());
            }
        } else if (i instanceof Instr.LockOp x) {
            ref(x.lock(), a);
            if (x.reg() >= 0) {
                w.add(x.reg());
            }
        } else if (i instanceof Instr.Assign x) {
            if (x.target().memory()) {
                throw new IllegalStateException("assignment to memory");
            }
            ref(x.target(), d);
            slots(x.value(), d);
            if (x.target().fixed()) {
                w.add(x.target().base());
            } else {
                for (int k = 0; k < x.target().length(); k++) {
                    w.add(x.target().base() + k);
                }
            }
        } else if (i instanceof Instr.Await x) {
            slots(x.cond(), a);
        } else if (i instanceof Instr.Branch x) {
            slots(x.cond(), d);
        } else if (i instanceof Instr.Assert x) {
            slots(x.cond(), d);
        } else if (i instanceof Instr.Assume x) {
            slots(x.cond(), d);
        } else if (i instanceof Instr.Clear x) {
            for (int slot : x.slots()) {
                w.add(slot);
            }
        }
        boolean ghost = false;
        for (Set<Integer> set : java.util.List.of(a, d, w)) {
            for (int slot : set) {
                ghost |= v.isGhost(slot);
            }
        }
        return new Deps(a, d, w, ghost);
    }

    private static void ref(Ref r, Set<Integer> out) {
        if (r.index() != null) {
            slots(r.index(), out);
        }
    }

    static void slots(CExpr e, Set<Integer> out) {
        if (e == null) {
            return;
        }
        if (e instanceof CExpr.Slot s) {
            out.add(s.slot());
        } else if (e instanceof CExpr.SlotArray s) {
            for (int k = 0; k < s.length(); k++) {
                out.add(s.base() + k);
            }
            slots(s.index(), out);
        } else if (e instanceof CExpr.MemArray m) {
            slots(m.index(), out);
        } else if (e instanceof CExpr.FlatIndex f) {
            for (CExpr x : f.indices()) {
                slots(x, out);
            }
        } else if (e instanceof CExpr.Unary u) {
            slots(u.operand(), out);
        } else if (e instanceof CExpr.Binary b) {
            slots(b.left(), out);
            slots(b.right(), out);
        } else if (e instanceof CExpr.Ite t) {
            slots(t.test(), out);
            slots(t.then(), out);
            slots(t.otherwise(), out);
        }
    }
}
