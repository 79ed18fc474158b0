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
    /** A read-modify-write's data, split: what decides whether it writes, and what it writes. */
    final int[] expected;
    final int[] operand;
    final boolean touchesGhost;

    private Deps(Set<Integer> address, Set<Integer> data, Set<Integer> writes, Set<Integer> expected,
                 Set<Integer> operand, boolean ghost) {
        this.address = ints(address);
        this.data = ints(data);
        this.writes = ints(writes);
        this.expected = ints(expected);
        this.operand = ints(operand);
        this.touchesGhost = ghost;
    }

    private static int[] ints(Set<Integer> s) {
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    static Deps of(Instr i, ProgramView v) {
        Set<Integer> a = new LinkedHashSet<>();
        Set<Integer> d = new LinkedHashSet<>();
        Set<Integer> w = new LinkedHashSet<>();
        Set<Integer> expected = new LinkedHashSet<>();
        Set<Integer> operand = new LinkedHashSet<>();
        if (i instanceof Instr.Load x) {
            ref(x.ref(), a);
            w.add(x.reg());
        } else if (i instanceof Instr.Store x) {
            ref(x.ref(), a);
            slots(x.value(), d);
        } else if (i instanceof Instr.Rmw x) {
            ref(x.ref(), a);
            slots(x.operand(), operand);
            if (x.exclusive()) {
                operand.remove(x.reg()); // the register work between LDXR and STXR reads the value loaded
                w.add(x.status());
            }
            slots(x.expected(), expected);
            d.addAll(operand);
            d.addAll(expected);
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
        } else if (i instanceof Instr.Choose x) {
            w.add(x.reg());
        } else if (i instanceof Instr.Atomic x) {
            for (Instr b : x.body()) {
                Deps inner = of(b, v);
                for (int slot : inner.address) {
                    a.add(slot);
                }
                for (int slot : inner.data) {
                    d.add(slot);
                }
                for (int slot : inner.writes) {
                    w.add(slot);
                }
            }
        } else if (!(i instanceof Instr.Fence || i instanceof Instr.Jump || i instanceof Instr.Either
                || i instanceof Instr.End)) {
            throw new IllegalStateException("an instruction with no dependencies worked out: " + i);
        } // those four read and write no register
        boolean ghost = false;
        for (Set<Integer> set : java.util.List.of(a, d, w)) {
            for (int slot : set) {
                ghost |= v.isGhost(slot);
            }
        }
        return new Deps(a, d, w, expected, operand, ghost);
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
