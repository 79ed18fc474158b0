package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import dev.mmx.system.Ref;
import dev.mmx.system.Src;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Runs one thread's compiled code once per control path, with a fresh
 * symbolic value for every read, as herd7's C front end does: a branch on a
 * value that depends on a read takes both ways (each under a guard), and so
 * do cmpxchg, atomic_add_unless and spin_trylock (success and failure).
 * Alongside, it tracks which reads each register's value comes from, giving
 * each event its address, data and control dependencies.
 */
final class ThreadPaths {
    private final int thread;
    private final Instr[] code;
    private final Primitives primitives;
    private final PathState.Frame frame;
    private final int[] merge;
    private final List<Path> out = new ArrayList<>();

    private ThreadPaths(Program program, int thread, Primitives primitives) {
        this.thread = thread;
        this.code = program.threads().get(thread).code();
        this.primitives = primitives;
        this.frame = PathState.Frame.of(program, thread);
        this.merge = mergePoints();
    }

    /** Every control path of the thread. */
    static List<Path> of(Program program, int thread, Primitives primitives) {
        ThreadPaths tp = new ThreadPaths(program, thread, primitives);
        tp.run(new PathState(tp.frame));
        return tp.out;
    }

    // ---------------------------------------------------------------- control flow

    /**
     * The instruction where the two ways of each branch meet again (its
     * immediate post-dominator): herd7's control dependency reaches the events
     * of the branch's arms, not those after the if. Code is loop-free, so every
     * edge goes forward and the nearest common successor is the smallest one.
     */
    private int[] mergePoints() {
        int n = code.length;
        BitSet[] pdom = new BitSet[n];
        for (int pc = n - 1; pc >= 0; pc--) {
            BitSet d = null;
            for (int s : Instr.successors(code, pc)) {
                if (s <= pc) {
                    // the jump back may be the compiler's own; the loop's first instruction has the source line
                    Src where = code[pc].src().line() > 0 ? code[pc].src() : code[s].src();
                    throw error(where, "this loop cannot be answered under lkmm: LKMM, like herd7, answers "
                            + "threads without loops (unroll the loop by hand, or check it under sc, tso or arm)");
                }
                if (s < n) {
                    if (d == null) {
                        d = (BitSet) pdom[s].clone();
                    } else {
                        d.and(pdom[s]);
                    }
                }
            }
            pdom[pc] = d == null ? new BitSet() : d;
            pdom[pc].set(pc);
        }
        int[] m = new int[n];
        for (int pc = 0; pc < n; pc++) {
            int next = pdom[pc].nextSetBit(pc + 1);
            m[pc] = next < 0 ? Integer.MAX_VALUE : next;
        }
        return m;
    }

    private void run(PathState s) {
        Deque<PathState> work = new ArrayDeque<>();
        work.push(s);
        while (!work.isEmpty()) {
            PathState st = work.pop();
            while (st != null) {
                while (!st.ctrl.isEmpty() && st.ctrl.peek().merge() == st.pc) {
                    st.ctrl.pop();
                }
                try {
                    st = step(st, work);
                } catch (ModelFault f) {
                    // like a division by zero under sc: the fault is reported if an allowed execution takes the path
                    Src src = code[st.pc].src();
                    out.add(st.faulted(new Lkmm.Fault(f.property(), frameName() + " line " + src.line() + ": "
                            + f.getMessage())));
                    st = null;
                }
            }
        }
    }

    /** Executes one instruction; returns the state to continue with (null: the path ended), pushing forks. */
    private PathState step(PathState s, Deque<PathState> forks) {
        Instr i = code[s.pc];
        if (i instanceof Instr.End) {
            out.add(s.path());
            return null;
        } else if (i instanceof Instr.Load x) {
            load(s, x);
        } else if (i instanceof Instr.Store x) {
            store(s, x);
        } else if (i instanceof Instr.Rmw x) {
            return rmw(s, x, forks);
        } else if (i instanceof Instr.Fence x) {
            fence(s, x);
        } else if (i instanceof Instr.LockOp x) {
            return lock(s, x, forks);
        } else if (i instanceof Instr.Assign x) {
            assign(s, x);
        } else if (i instanceof Instr.Branch x) {
            return branch(s, x, forks);
        } else if (i instanceof Instr.Jump x) {
            s.pc = x.target();
            return s;
        } else if (i instanceof Instr.Clear x) {
            for (int slot : x.slots()) {
                if (s.isRegister(slot)) {
                    s.setReg(slot, new Sym.Const(0), new BitSet(), new BitSet());
                }
            }
        } else if (i instanceof Instr.Either x) {
            for (int k = x.targets().length - 1; k > 0; k--) {
                PathState c = s.copy();
                c.pc = x.targets()[k];
                forks.push(c);
            }
            s.pc = x.targets()[0];
            return s;
        } else if (i instanceof Instr.Choose x) {
            for (int v = x.hi(); v > x.lo(); v--) {
                PathState c = s.copy();
                c.setReg(x.reg(), new Sym.Const(v), new BitSet(), new BitSet());
                c.pc++;
                forks.push(c);
            }
            s.setReg(x.reg(), new Sym.Const(x.lo()), new BitSet(), new BitSet());
        } else if (i instanceof Instr.Assume x) {
            if (!assume(s, x)) {
                return null;
            }
        } else if (i instanceof Instr.Assert x) {
            s.checks.add(new Path.Check(s.sym(x.cond()), x.property(), x.message(), x.src()));
        } else if (i instanceof Instr.Await x) {
            await(s, x);
        } else if (i instanceof Instr.Atomic x) {
            throw error(x.src(), (x.note() != null ? "'" + x.src().text().trim() + "' is a kernel-kit step, "
                    + "which" : "an atomic block") + " is outside the Linux-kernel memory model; check this model "
                    + "under sc, tso or arm");
        } else {
            throw new IllegalStateException("no LKMM events for " + i);
        }
        s.pc++;
        return s;
    }

    private PathState branch(PathState s, Instr.Branch b, Deque<PathState> forks) {
        Sym c = s.sym(b.cond());
        BitSet taint = s.condTaint(b.cond());
        // linux-kernel.cat's ctrl: from the reads the condition depends on to the events of both arms
        PathState.Region r = new PathState.Region(merge[s.pc], taint);
        s.ctrl.push(r);
        if (c instanceof Sym.Const k) {
            s.pc = k.value() != 0 ? s.pc + 1 : b.elseTarget();
            return s;
        }
        PathState other = s.copy();
        other.guards.add(new Path.Guard(c, false));
        other.pc = b.elseTarget();
        forks.push(other);
        s.guards.add(new Path.Guard(c, true));
        s.pc++;
        return s;
    }

    // ---------------------------------------------------------------- accesses

    private void load(PathState s, Instr.Load x) {
        Primitive p = primitives.at(x.src());
        int tags = p == Primitive.SRCU_READ_LOCK ? Tag.SRCU_LOCK : accessTags(x.access(), x.src());
        PathState.Access a = s.access(x.ref());
        int e = s.emitRead(EventKind.READ, tags, a, x.src());
        BitSet self = bit(e);
        BitSet cond = union(self, a.cond());
        s.setReg(x.reg(), new Sym.Read(s.events.get(e).readSlot()), self, cond);
    }

    private void store(PathState s, Instr.Store x) {
        Primitive p = primitives.at(x.src());
        PathState.Access a = s.access(x.ref());
        if (p == Primitive.SYNCHRONIZE_SRCU) {
            s.emit(EventKind.SYNC_SRCU, 0, a, null, -1, new BitSet(), x.src());
            return;
        }
        int tags = p == Primitive.SRCU_READ_UNLOCK ? Tag.SRCU_UNLOCK : accessTags(x.access(), x.src());
        s.emit(EventKind.WRITE, tags, a, s.sym(x.value()), -1, s.taint(x.value()), x.src());
    }

    private PathState rmw(PathState s, Instr.Rmw x, Deque<PathState> forks) {
        if (x.form() != Instr.RmwForm.KERNEL) {
            throw armOnly(x.src());
        }
        // linux-kernel.def: xchg() is __xchg{MB}, xchg_acquire() __xchg{ACQUIRE}, ..., atomic_inc() NORETURN
        int ann = switch (x.ordering()) {
            case FULL -> Tag.MB;
            case ACQUIRE -> Tag.ACQUIRE;
            case RELEASE -> Tag.RELEASE;
            case RELAXED -> x.result() == Instr.RmwResult.NONE ? Tag.NORETURN : Tag.ONCE;
            case ACQUIRE_RELEASE -> throw armOnly(x.src());
        } | Tag.ATOMIC;
        PathState.Access a = s.access(x.ref());
        boolean conditional = x.op() == Instr.RmwOp.CMPXCHG || x.op() == Instr.RmwOp.ADD_UNLESS
                || x.op() == Instr.RmwOp.OR_UNLESS_SET;
        if (conditional) {
            PathState failed = s.copy();
            // test_and_set_bit_lock finding its bit set is the generic version's READ_ONCE: no atomic, no acquire
            rmwEvents(failed, x, x.op() == Instr.RmwOp.OR_UNLESS_SET ? Tag.ONCE : ann, a, false);
            failed.pc++;
            forks.push(failed);
        }
        rmwEvents(s, x, ann, a, true);
        s.pc++;
        return s;
    }

    /** The read (and, on success, the write) of a read-modify-write, and its result register. */
    private void rmwEvents(PathState s, Instr.Rmw x, int ann, PathState.Access a, boolean success) {
        int r = s.emitRead(EventKind.READ, ann, a, x.src());
        Sym old = new Sym.Read(s.events.get(r).readSlot());
        Sym operand = s.sym(x.operand());
        Sym newValue = switch (x.op()) {
            case XCHG, CMPXCHG -> operand;
            case ADD, ADD_UNLESS -> Sym.binary(CExpr.Op.ADD, old, operand);
            case OR, OR_UNLESS_SET -> Sym.binary(CExpr.Op.OR, old, operand);
            case AND_NOT -> Sym.binary(CExpr.Op.AND, old, Sym.unary('~', operand));
            case XOR -> Sym.binary(CExpr.Op.XOR, old, operand);
        };
        if (x.op() == Instr.RmwOp.CMPXCHG || x.op() == Instr.RmwOp.ADD_UNLESS) {
            Sym same = Sym.binary(CExpr.Op.EQ, old, s.sym(x.expected()));
            // cmpxchg succeeds when it finds the expected value; atomic_add_unless when it does not
            s.guards.add(new Path.Guard(same, success == (x.op() == Instr.RmwOp.CMPXCHG)));
        } else if (x.op() == Instr.RmwOp.OR_UNLESS_SET) {
            // test_and_set_bit_lock sets its bit when it finds it clear
            Sym clear = Sym.binary(CExpr.Op.EQ, Sym.binary(CExpr.Op.AND, old, s.sym(x.expected())), new Sym.Const(0));
            s.guards.add(new Path.Guard(clear, success));
        }
        BitSet exprCond = union(a.cond(), s.condTaint(x.operand()));
        if (x.expected() != null) {
            exprCond = union(exprCond, s.condTaint(x.expected()));
        }
        if (success) {
            BitSet data = s.taint(x.operand());
            if (x.op() != Instr.RmwOp.XCHG && x.op() != Instr.RmwOp.CMPXCHG) {
                // herd7's atomic ops and add_unless compute the write from the read: iico_data inside the RMW
                data = union(data, bit(r));
            }
            s.emit(EventKind.WRITE, ann, a, newValue, -1, data, x.src());
        }
        if (x.reg() >= 0) {
            Sym result = switch (x.result()) {
                case OLD -> old;
                case NEW -> newValue;
                case NEW_IS_ZERO -> Sym.binary(CExpr.Op.EQ, newValue, new Sym.Const(0));
                case SUCCESS -> new Sym.Const(success ? 1 : 0);
                case OLD_BIT -> Sym.binary(CExpr.Op.NE, Sym.binary(CExpr.Op.AND, old, operand), new Sym.Const(0));
                case NEGATIVE_BYTE -> Sym.binary(CExpr.Op.NE, Sym.binary(CExpr.Op.AND, newValue, new Sym.Const(0x80)),
                        new Sym.Const(0));
                case NONE -> new Sym.Const(0);
            };
            // herd7 hands on the value of xchg, cmpxchg and add_unless from their read; that of the atomic
            // ops (atomic_add_return, atomic_fetch_add, ...) from their write, which carries no dependency
            BitSet data = x.op() == Instr.RmwOp.XCHG || x.op() == Instr.RmwOp.CMPXCHG
                    || x.op() == Instr.RmwOp.ADD_UNLESS || x.op() == Instr.RmwOp.OR_UNLESS_SET && !success
                    ? bit(r) : new BitSet();
            s.setReg(x.reg(), result, data, union(exprCond, bit(r)));
        }
    }

    private void fence(PathState s, Instr.Fence x) {
        int tag = switch (x.kind()) {
            case MB -> Tag.F_MB;
            case RMB -> Tag.F_RMB;
            case WMB -> Tag.F_WMB;
            case MB_BEFORE_ATOMIC -> Tag.F_BEFORE_ATOMIC;
            case MB_AFTER_ATOMIC -> Tag.F_AFTER_ATOMIC;
            case MB_AFTER_UNLOCK_LOCK -> Tag.F_AFTER_UNLOCK_LOCK;
            case MB_AFTER_SPINLOCK -> Tag.F_AFTER_SPINLOCK;
            case ISB -> throw error(x.src(), "isb() is an arm instruction, not a kernel primitive; the Linux-kernel "
                    + "memory model has no such barrier");
        };
        s.emitFence(tag, x.src());
    }

    private PathState lock(PathState s, Instr.LockOp x, Deque<PathState> forks) {
        PathState.Access a = s.access(x.lock());
        Primitive p = primitives.at(x.src());
        switch (x.action()) {
            case SPIN_LOCK -> {
                // linux-kernel.def: spin_lock(X) is __lock(X), an LKR and LKW pair (lock.cat)
                s.emit(EventKind.LOCK_READ, 0, a, null, -1, new BitSet(), x.src());
                s.emit(EventKind.LOCK_WRITE, 0, a, null, -1, new BitSet(), x.src());
            }
            case SPIN_UNLOCK -> s.emit(EventKind.UNLOCK, 0, a, null, -1, new BitSet(), x.src());
            case SPIN_TRYLOCK -> {
                PathState failed = s.copy();
                if (p == Primitive.SPIN_IS_LOCKED) {
                    // __islocked(X): a read that finds the lock held (RL, 1) or free (RU, 0)
                    lockResult(failed, x, EventKind.READ_UNLOCKED, a, 0);
                    lockResult(s, x, EventKind.READ_LOCKED, a, 1);
                } else {
                    // __trylock(X): the lock pair and 1, or a failed attempt LF and 0
                    lockResult(failed, x, EventKind.LOCK_FAIL, a, 0);
                    s.emit(EventKind.LOCK_READ, 0, a, null, -1, new BitSet(), x.src());
                    s.emit(EventKind.LOCK_WRITE, 0, a, null, -1, new BitSet(), x.src());
                    if (x.reg() >= 0) {
                        // the result comes from the LKW, which starts no dependency
                        s.setReg(x.reg(), new Sym.Const(1), new BitSet(), new BitSet());
                    }
                }
                failed.pc++;
                forks.push(failed);
            }
            default -> throw error(x.src(), "the Linux-kernel memory model has spinlocks only ("
                    + "spin_lock, spin_unlock, spin_trylock, spin_is_locked), no reader-writer locks");
        }
        s.pc++;
        return s;
    }

    /** A lock event that is a read with a fixed result (LF, RL, RU): it starts dependencies. */
    private void lockResult(PathState s, Instr.LockOp x, EventKind kind, PathState.Access a, int result) {
        int e = s.emit(kind, 0, a, null, -1, new BitSet(), x.src());
        if (x.reg() >= 0) {
            s.setReg(x.reg(), new Sym.Const(result), bit(e), bit(e));
        }
    }

    private void assign(PathState s, Instr.Assign x) {
        Ref t = x.target();
        if (t.memory()) {
            throw new IllegalStateException("assignment to memory " + t.name());
        }
        int slot = t.base();
        if (t.index() != null) {
            Sym i = s.sym(t.index());
            if (!(i instanceof Sym.Const k)) {
                throw error(x.src(), "this index depends on a value read from memory; LKMM answers only "
                        + "accesses whose register or ghost element is fixed by the path");
            }
            slot += CExpr.checkIndex(k.value(), t.length(), t.name());
        }
        Sym v = s.sym(x.value());
        if (s.isRegister(slot)) {
            s.setReg(slot, v, s.taint(x.value()), s.condTaint(x.value()));
        } else if (s.isGhost(slot)) {
            s.ghosts.put(slot, v);
        } else {
            throw new IllegalStateException("assignment to slot " + slot);
        }
    }

    /** An assumption; also the placeholder of a primitive that is a fence in LKMM. False: the path dies. */
    private boolean assume(PathState s, Instr.Assume x) {
        Primitive p = primitives.at(x.src());
        if (p != null) {
            int tag = switch (p) {
                case BARRIER -> Tag.F_BARRIER;
                case RCU_READ_LOCK -> Tag.F_RCU_LOCK;
                case RCU_READ_UNLOCK -> Tag.F_RCU_UNLOCK;
                case SYNCHRONIZE_RCU -> Tag.F_SYNC_RCU;
                case MB_AFTER_SRCU_READ_UNLOCK -> Tag.F_AFTER_SRCU_READ_UNLOCK;
                case SRCU_READ_LOCK, SRCU_READ_UNLOCK, SYNCHRONIZE_SRCU, SPIN_IS_LOCKED ->
                        throw new IllegalStateException(p + " placeholder is no assumption");
            };
            s.emitFence(tag, x.src());
            return true;
        }
        Sym c = s.sym(x.cond());
        if (c instanceof Sym.Const k) {
            return k.value() != 0;
        }
        s.guards.add(new Path.Guard(c, true));
        return true;
    }

    /**
     * await(cond): like a loop spinning until the condition holds, as herd7
     * would run it unrolled: each shared location the condition reads is one
     * read, and the path goes on only where the values read make it true.
     */
    private void await(PathState s, Instr.Await x) {
        Sym c = awaitSym(s, x.cond(), x.src());
        if (c instanceof Sym.Const k) {
            if (k.value() == 0) {
                throw error(x.src(), "this await can never finish");
            }
            return;
        }
        s.guards.add(new Path.Guard(c, true));
    }

    private Sym awaitSym(PathState s, CExpr e, Src src) {
        if (e instanceof CExpr.Mem m) {
            PathState.Access a = new PathState.Access(new Sym.Const(m.cell()), m.cell(), m.cell() + 1, m.name(), new BitSet(), new BitSet());
            int r = s.emitRead(EventKind.READ, Tag.ONCE, a, src);
            return new Sym.Read(s.events.get(r).readSlot());
        }
        if (e instanceof CExpr.MemArray m) {
            PathState.Access a = new PathState.Access(Sym.binary(CExpr.Op.ADD, new Sym.Const(m.base()), s.sym(m.index())), m.base(),
                    m.base() + m.length(), m.name(), s.taint(m.index()), s.condTaint(m.index()));
            int r = s.emitRead(EventKind.READ, Tag.ONCE, a, src);
            return new Sym.Read(s.events.get(r).readSlot());
        }
        if (e instanceof CExpr.Unary u) {
            return Sym.unary(u.op(), awaitSym(s, u.operand(), src));
        }
        if (e instanceof CExpr.Binary b) {
            return Sym.binary(b.op(), awaitSym(s, b.left(), src), awaitSym(s, b.right(), src));
        }
        if (e instanceof CExpr.Ite t) {
            return Sym.ite(awaitSym(s, t.test(), src), awaitSym(s, t.then(), src), awaitSym(s, t.otherwise(), src));
        }
        return s.sym(e);
    }

    private String frameName() {
        return frame.program().threads().get(thread).name();
    }

    private static int accessTags(Instr.Access a, Src src) {
        return switch (a) {
            case PLAIN -> 0;
            case ONCE -> Tag.ONCE;
            case ACQUIRE -> Tag.ACQUIRE;
            case RELEASE -> Tag.RELEASE;
            case ACQUIRE_PC -> throw armOnly(src);
        };
    }

    /** An AArch64 instruction of a litmus test's or model's own (LDAPR, CAS, LDXR/STXR, ...). */
    private static LkmmError armOnly(Src src) {
        return error(src, "'" + src.text().trim() + "' is an AArch64 instruction, not a kernel primitive; the "
                + "Linux-kernel memory model has no rule for it (check it under arm)");
    }

    static BitSet bit(int i) {
        BitSet b = new BitSet();
        b.set(i);
        return b;
    }

    static BitSet union(BitSet a, BitSet b) {
        BitSet u = (BitSet) a.clone();
        u.or(b);
        return u;
    }

    static LkmmError error(Src src, String message) {
        return new LkmmError(src.line(), src.column(), message);
    }
}
