package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.Ref;
import dev.mmx.system.Src;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one thread's compiled code once per control path, with a fresh
 * symbolic value for every read, as herd7's C front end does: a branch on a
 * value that depends on a read takes both ways (each under a guard), and so
 * do cmpxchg, atomic_add_unless and spin_trylock (success and failure).
 * Alongside, it tracks which reads each register's value comes from, giving
 * each event its address, data and control dependencies.
 */
final class ThreadPaths {
    private final Program program;
    private final int thread;
    private final Instr[] code;
    private final Primitives primitives;
    private final int regBase;
    private final int regCount;
    private final boolean[] temp;
    private final int ghostBase;
    private final int ghostCount;
    private final int[] merge;
    private final List<Path> out = new ArrayList<>();

    private ThreadPaths(Program program, int thread, Primitives primitives) {
        this.program = program;
        this.thread = thread;
        this.code = program.threads().get(thread).code();
        this.primitives = primitives;
        Layout l = program.layout();
        this.regBase = l.regSlot(thread, 0);
        this.regCount = l.regCount(thread);
        this.temp = new boolean[regCount];
        List<Program.Register> regs = program.threads().get(thread).regs();
        for (int r = 0; r < regCount; r++) {
            // registers the front ends make up for a value used inside an expression (see registerCond)
            temp[r] = regs.get(r).hidden() || regs.get(r).name().startsWith("__t");
        }
        this.ghostBase = l.ghostSlot(0);
        this.ghostCount = l.ghostCells();
        this.merge = mergePoints();
    }

    /** Every control path of the thread. */
    static List<Path> of(Program program, int thread, Primitives primitives) {
        ThreadPaths tp = new ThreadPaths(program, thread, primitives);
        State s = tp.new State();
        List<Program.Register> regs = program.threads().get(thread).regs();
        for (int r = 0; r < tp.regCount; r++) {
            s.regs[r] = new Sym.Const(regs.get(r).initial());
            s.data[r] = new BitSet();
            s.cond[r] = new BitSet();
        }
        tp.run(s);
        return tp.out;
    }

    /** A control-flow region: events before {@code merge} depend on the reads in {@code taint}. */
    private record Region(int merge, BitSet taint) {}

    /** Where one path has got to. */
    private final class State {
        int pc;
        final Sym[] regs = new Sym[regCount];
        /** The reads each register's value comes from (herd7's data flow through registers). */
        final BitSet[] data = new BitSet[regCount];
        /** For a front end's temporary: every read of the expression it was lifted from. */
        final BitSet[] cond = new BitSet[regCount];
        final Map<Integer, Sym> ghosts = new HashMap<>();
        final List<Path.Event> events = new ArrayList<>();
        int reads;
        final List<Path.Guard> guards = new ArrayList<>();
        final Deque<Region> ctrl = new ArrayDeque<>();
        final List<Path.Check> checks = new ArrayList<>();

        State copy() {
            State c = new State();
            c.pc = pc;
            System.arraycopy(regs, 0, c.regs, 0, regCount);
            System.arraycopy(data, 0, c.data, 0, regCount);
            System.arraycopy(cond, 0, c.cond, 0, regCount);
            c.ghosts.putAll(ghosts);
            c.events.addAll(events);
            c.reads = reads;
            c.guards.addAll(guards);
            c.ctrl.addAll(ctrl);
            c.checks.addAll(checks);
            return c;
        }
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
            for (int s : successors(pc)) {
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

    private int[] successors(int pc) {
        Instr i = code[pc];
        if (i instanceof Instr.Branch b) {
            return new int[] {pc + 1, b.elseTarget()};
        }
        if (i instanceof Instr.Jump j) {
            return new int[] {j.target()};
        }
        if (i instanceof Instr.Either e) {
            return e.targets().clone();
        }
        if (i instanceof Instr.End) {
            return new int[0];
        }
        return new int[] {pc + 1};
    }

    private void run(State s) {
        Deque<State> work = new ArrayDeque<>();
        work.push(s);
        while (!work.isEmpty()) {
            State st = work.pop();
            while (st != null) {
                while (!st.ctrl.isEmpty() && st.ctrl.peek().merge() == st.pc) {
                    st.ctrl.pop();
                }
                st = step(st, work);
            }
        }
    }

    /** Executes one instruction; returns the state to continue with (null: the path ended), pushing forks. */
    private State step(State s, Deque<State> forks) {
        Instr i = code[s.pc];
        if (i instanceof Instr.End) {
            Sym[] finals = s.regs.clone();
            out.add(new Path(thread, List.copyOf(s.events), s.reads, List.copyOf(s.guards), finals,
                    Map.copyOf(s.ghosts), List.copyOf(s.checks)));
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
                if (isRegister(slot)) {
                    setReg(s, slot - regBase, new Sym.Const(0), new BitSet(), new BitSet());
                }
            }
        } else if (i instanceof Instr.Either x) {
            for (int k = x.targets().length - 1; k > 0; k--) {
                State c = s.copy();
                c.pc = x.targets()[k];
                forks.push(c);
            }
            s.pc = x.targets()[0];
            return s;
        } else if (i instanceof Instr.Choose x) {
            for (int v = x.hi(); v > x.lo(); v--) {
                State c = s.copy();
                setReg(c, x.reg() - regBase, new Sym.Const(v), new BitSet(), new BitSet());
                c.pc++;
                forks.push(c);
            }
            setReg(s, x.reg() - regBase, new Sym.Const(x.lo()), new BitSet(), new BitSet());
        } else if (i instanceof Instr.Assume x) {
            if (!assume(s, x)) {
                return null;
            }
        } else if (i instanceof Instr.Assert x) {
            s.checks.add(new Path.Check(sym(s, x.cond()), x.property(), x.message(), x.src()));
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

    private State branch(State s, Instr.Branch b, Deque<State> forks) {
        Sym c = sym(s, b.cond());
        BitSet taint = condTaint(s, b.cond());
        // linux-kernel.cat's ctrl: from the reads the condition depends on to the events of both arms
        Region r = new Region(merge[s.pc], taint);
        s.ctrl.push(r);
        if (c instanceof Sym.Const k) {
            s.pc = k.value() != 0 ? s.pc + 1 : b.elseTarget();
            return s;
        }
        State other = s.copy();
        other.guards.add(new Path.Guard(c, false));
        other.pc = b.elseTarget();
        forks.push(other);
        s.guards.add(new Path.Guard(c, true));
        s.pc++;
        return s;
    }

    // ---------------------------------------------------------------- accesses

    private void load(State s, Instr.Load x) {
        Primitive p = primitives.at(x.src());
        int tags = p == Primitive.SRCU_READ_LOCK ? Tag.SRCU_LOCK : accessTags(x.access());
        Access a = access(s, x.ref());
        int e = emitRead(s, EventKind.READ, tags, a, x.src());
        BitSet self = bit(e);
        BitSet cond = union(self, a.cond);
        setReg(s, x.reg() - regBase, new Sym.Read(s.events.get(e).readSlot()), self, cond);
    }

    private void store(State s, Instr.Store x) {
        Primitive p = primitives.at(x.src());
        Access a = access(s, x.ref());
        if (p == Primitive.SYNCHRONIZE_SRCU) {
            emit(s, EventKind.SYNC_SRCU, 0, a, null, -1, new BitSet(), x.src());
            return;
        }
        int tags = p == Primitive.SRCU_READ_UNLOCK ? Tag.SRCU_UNLOCK : accessTags(x.access());
        emit(s, EventKind.WRITE, tags, a, sym(s, x.value()), -1, taint(s, x.value()), x.src());
    }

    private State rmw(State s, Instr.Rmw x, Deque<State> forks) {
        // linux-kernel.def: xchg() is __xchg{MB}, xchg_acquire() __xchg{ACQUIRE}, ..., atomic_inc() NORETURN
        int ann = switch (x.ordering()) {
            case FULL -> Tag.MB;
            case ACQUIRE -> Tag.ACQUIRE;
            case RELEASE -> Tag.RELEASE;
            case RELAXED -> x.result() == Instr.RmwResult.NONE ? Tag.NORETURN : Tag.ONCE;
        } | Tag.ATOMIC;
        Access a = access(s, x.ref());
        boolean conditional = x.op() == Instr.RmwOp.CMPXCHG || x.op() == Instr.RmwOp.ADD_UNLESS;
        if (conditional) {
            State failed = s.copy();
            rmwEvents(failed, x, ann, a, false);
            failed.pc++;
            forks.push(failed);
        }
        rmwEvents(s, x, ann, a, true);
        s.pc++;
        return s;
    }

    /** The read (and, on success, the write) of a read-modify-write, and its result register. */
    private void rmwEvents(State s, Instr.Rmw x, int ann, Access a, boolean success) {
        int r = emitRead(s, EventKind.READ, ann, a, x.src());
        Sym old = new Sym.Read(s.events.get(r).readSlot());
        Sym operand = sym(s, x.operand());
        Sym newValue = x.op() == Instr.RmwOp.ADD || x.op() == Instr.RmwOp.ADD_UNLESS
                ? Sym.binary(CExpr.Op.ADD, old, operand) : operand;
        if (x.op() == Instr.RmwOp.CMPXCHG || x.op() == Instr.RmwOp.ADD_UNLESS) {
            Sym same = Sym.binary(CExpr.Op.EQ, old, sym(s, x.expected()));
            // cmpxchg succeeds when it finds the expected value; atomic_add_unless when it does not
            s.guards.add(new Path.Guard(same, success == (x.op() == Instr.RmwOp.CMPXCHG)));
        }
        BitSet exprCond = union(a.cond, condTaint(s, x.operand()));
        if (x.expected() != null) {
            exprCond = union(exprCond, condTaint(s, x.expected()));
        }
        if (success) {
            BitSet data = taint(s, x.operand());
            if (x.op() == Instr.RmwOp.ADD || x.op() == Instr.RmwOp.ADD_UNLESS) {
                // herd7's atomic ops and add_unless compute the write from the read: iico_data inside the RMW
                data = union(data, bit(r));
            }
            emit(s, EventKind.WRITE, ann, a, newValue, -1, data, x.src());
        }
        if (x.reg() >= 0) {
            Sym result = switch (x.result()) {
                case OLD -> old;
                case NEW -> newValue;
                case NEW_IS_ZERO -> Sym.binary(CExpr.Op.EQ, newValue, new Sym.Const(0));
                case SUCCESS -> new Sym.Const(success ? 1 : 0);
                case NONE -> new Sym.Const(0);
            };
            // herd7 hands on the value of xchg, cmpxchg and add_unless from their read; that of the atomic
            // ops (atomic_add_return, atomic_fetch_add, ...) from their write, which carries no dependency
            BitSet data = x.op() == Instr.RmwOp.ADD ? new BitSet() : bit(r);
            setReg(s, x.reg() - regBase, result, data, union(exprCond, bit(r)));
        }
    }

    private void fence(State s, Instr.Fence x) {
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
        emitFence(s, tag, x.src());
    }

    private State lock(State s, Instr.LockOp x, Deque<State> forks) {
        Access a = access(s, x.lock());
        Primitive p = primitives.at(x.src());
        switch (x.action()) {
            case SPIN_LOCK -> {
                // linux-kernel.def: spin_lock(X) is __lock(X), an LKR and LKW pair (lock.cat)
                emit(s, EventKind.LOCK_READ, 0, a, null, -1, new BitSet(), x.src());
                emit(s, EventKind.LOCK_WRITE, 0, a, null, -1, new BitSet(), x.src());
            }
            case SPIN_UNLOCK -> emit(s, EventKind.UNLOCK, 0, a, null, -1, new BitSet(), x.src());
            case SPIN_TRYLOCK -> {
                State failed = s.copy();
                if (p == Primitive.SPIN_IS_LOCKED) {
                    // __islocked(X): a read that finds the lock held (RL, 1) or free (RU, 0)
                    lockResult(failed, x, EventKind.READ_UNLOCKED, a, 0);
                    lockResult(s, x, EventKind.READ_LOCKED, a, 1);
                } else {
                    // __trylock(X): the lock pair and 1, or a failed attempt LF and 0
                    lockResult(failed, x, EventKind.LOCK_FAIL, a, 0);
                    emit(s, EventKind.LOCK_READ, 0, a, null, -1, new BitSet(), x.src());
                    emit(s, EventKind.LOCK_WRITE, 0, a, null, -1, new BitSet(), x.src());
                    if (x.reg() >= 0) {
                        // the result comes from the LKW, which starts no dependency
                        setReg(s, x.reg() - regBase, new Sym.Const(1), new BitSet(), new BitSet());
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
    private void lockResult(State s, Instr.LockOp x, EventKind kind, Access a, int result) {
        int e = emit(s, kind, 0, a, null, -1, new BitSet(), x.src());
        if (x.reg() >= 0) {
            setReg(s, x.reg() - regBase, new Sym.Const(result), bit(e), bit(e));
        }
    }

    private void assign(State s, Instr.Assign x) {
        Ref t = x.target();
        if (t.memory()) {
            throw new IllegalStateException("assignment to memory " + t.name());
        }
        int slot = t.base();
        if (t.index() != null) {
            Sym i = sym(s, t.index());
            if (!(i instanceof Sym.Const k)) {
                throw error(x.src(), "this index depends on a value read from memory; LKMM answers only "
                        + "accesses whose register or ghost element is fixed by the path");
            }
            slot += CExpr.checkIndex(k.value(), t.length(), t.name());
        }
        Sym v = sym(s, x.value());
        if (isRegister(slot)) {
            setReg(s, slot - regBase, v, taint(s, x.value()), condTaint(s, x.value()));
        } else if (isGhost(slot)) {
            s.ghosts.put(slot, v);
        } else {
            throw new IllegalStateException("assignment to slot " + slot);
        }
    }

    /** An assumption; also the placeholder of a primitive that is a fence in LKMM. False: the path dies. */
    private boolean assume(State s, Instr.Assume x) {
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
            emitFence(s, tag, x.src());
            return true;
        }
        Sym c = sym(s, x.cond());
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
    private void await(State s, Instr.Await x) {
        Sym c = awaitSym(s, x.cond(), x.src());
        if (c instanceof Sym.Const k) {
            if (k.value() == 0) {
                throw error(x.src(), "this await can never finish");
            }
            return;
        }
        s.guards.add(new Path.Guard(c, true));
    }

    private Sym awaitSym(State s, CExpr e, Src src) {
        if (e instanceof CExpr.Mem m) {
            Access a = new Access(new Sym.Const(m.cell()), m.cell(), m.cell() + 1, m.name(), new BitSet(), new BitSet());
            int r = emitRead(s, EventKind.READ, Tag.ONCE, a, src);
            return new Sym.Read(s.events.get(r).readSlot());
        }
        if (e instanceof CExpr.MemArray m) {
            Access a = new Access(Sym.binary(CExpr.Op.ADD, new Sym.Const(m.base()), sym(s, m.index())), m.base(),
                    m.base() + m.length(), m.name(), taint(s, m.index()), condTaint(s, m.index()));
            int r = emitRead(s, EventKind.READ, Tag.ONCE, a, src);
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
        return sym(s, e);
    }

    // ---------------------------------------------------------------- events

    /** Where an access goes: its location (a cell number), and the reads its address depends on. */
    private record Access(Sym loc, int lo, int hi, String what, BitSet addr, BitSet cond) {}

    private Access access(State s, Ref ref) {
        if (!ref.memory()) {
            throw new IllegalStateException("access to a register " + ref.name());
        }
        if (ref.index() == null) {
            return new Access(new Sym.Const(ref.base()), ref.base(), ref.base() + 1, ref.name(), new BitSet(),
                    new BitSet());
        }
        Sym loc = Sym.binary(CExpr.Op.ADD, new Sym.Const(ref.base()), sym(s, ref.index()));
        return new Access(loc, ref.base(), ref.base() + ref.length(), ref.name(), taint(s, ref.index()),
                condTaint(s, ref.index()));
    }

    private int emitRead(State s, EventKind kind, int tags, Access a, Src src) {
        int slot = s.reads++;
        return emit(s, kind, tags, a, new Sym.Read(slot), slot, new BitSet(), src);
    }

    private void emitFence(State s, int tag, Src src) {
        s.events.add(new Path.Event(EventKind.FENCE, tag, null, 0, 0, null, null, -1, new BitSet(), new BitSet(),
                ctrl(s), src));
    }

    private int emit(State s, EventKind kind, int tags, Access a, Sym value, int readSlot, BitSet data, Src src) {
        s.events.add(new Path.Event(kind, tags, a.loc, a.lo, a.hi, a.what, value, readSlot, a.addr, data, ctrl(s),
                src));
        return s.events.size() - 1;
    }

    private static BitSet ctrl(State s) {
        BitSet c = new BitSet();
        for (Region r : s.ctrl) {
            c.or(r.taint());
        }
        return c;
    }

    private static int accessTags(Instr.Access a) {
        return switch (a) {
            case PLAIN -> 0;
            case ONCE -> Tag.ONCE;
            case ACQUIRE -> Tag.ACQUIRE;
            case RELEASE -> Tag.RELEASE;
        };
    }

    // ---------------------------------------------------------------- values and dependencies

    private boolean isRegister(int slot) {
        return slot >= regBase && slot < regBase + regCount;
    }

    private boolean isGhost(int slot) {
        return slot >= ghostBase && slot < ghostBase + ghostCount;
    }

    private static void setReg(State s, int r, Sym v, BitSet data, BitSet cond) {
        s.regs[r] = v;
        s.data[r] = data;
        s.cond[r] = cond;
    }

    /** The value of a compiled expression over this thread's registers and ghost cells. */
    private Sym sym(State s, CExpr e) {
        if (e instanceof CExpr.Const c) {
            return new Sym.Const(c.value());
        }
        if (e instanceof CExpr.Slot x) {
            return slotValue(s, x.slot());
        }
        if (e instanceof CExpr.SlotArray x) {
            Sym i = sym(s, x.index());
            if (!(i instanceof Sym.Const k)) {
                throw error(Src.NONE, "an index into " + x.name() + " depends on a value read from memory; LKMM "
                        + "answers only register and ghost accesses fixed by the path");
            }
            return slotValue(s, x.base() + CExpr.checkIndex(k.value(), x.length(), x.name()));
        }
        if (e instanceof CExpr.FlatIndex x) {
            Sym flat = new Sym.Const(0);
            for (int d = 0; d < x.dims().length; d++) {
                flat = Sym.binary(CExpr.Op.ADD, Sym.binary(CExpr.Op.MUL, flat, new Sym.Const(x.dims()[d])),
                        sym(s, x.indices()[d]));
            }
            return flat;
        }
        if (e instanceof CExpr.Unary u) {
            return Sym.unary(u.op(), sym(s, u.operand()));
        }
        if (e instanceof CExpr.Binary b) {
            return Sym.binary(b.op(), sym(s, b.left()), sym(s, b.right()));
        }
        if (e instanceof CExpr.Ite t) {
            return Sym.ite(sym(s, t.test()), sym(s, t.then()), sym(s, t.otherwise()));
        }
        if (e instanceof CExpr.Mem || e instanceof CExpr.MemArray) {
            throw error(Src.NONE, "a shared location read inside an expression; LKMM needs each read as an access "
                    + "of its own");
        }
        throw new IllegalStateException("no symbolic value for " + e);
    }

    private Sym slotValue(State s, int slot) {
        if (isRegister(slot)) {
            return s.regs[slot - regBase];
        }
        if (isGhost(slot)) {
            Sym v = s.ghosts.get(slot);
            return v != null ? v : new Sym.Const(program.ghosts().get(slot - ghostBase).initial());
        }
        throw new IllegalStateException("slot " + slot + " is not P" + thread + "'s");
    }

    /** The reads whose values flow into the expression (data and address dependencies). */
    private BitSet taint(State s, CExpr e) {
        BitSet t = new BitSet();
        walk(e, slot -> {
            if (isRegister(slot)) {
                t.or(s.data[slot - regBase]);
            }
        });
        return t;
    }

    /**
     * The reads an if condition depends on. herd7 makes every read of the
     * condition's own expression a control source; mmx's front ends lift a
     * read-modify-write or load out of an expression into a temporary, so a
     * temporary brings every read of the expression it stands for.
     */
    private BitSet condTaint(State s, CExpr e) {
        BitSet t = new BitSet();
        walk(e, slot -> {
            if (isRegister(slot)) {
                int r = slot - regBase;
                t.or(temp[r] ? s.cond[r] : s.data[r]);
            }
        });
        return t;
    }

    private interface SlotVisitor {
        void visit(int slot);
    }

    private static void walk(CExpr e, SlotVisitor v) {
        if (e == null || e instanceof CExpr.Const || e instanceof CExpr.Mem) {
            return;
        }
        if (e instanceof CExpr.Slot x) {
            v.visit(x.slot());
        } else if (e instanceof CExpr.SlotArray x) {
            walk(x.index(), v);
            for (int k = 0; k < x.length(); k++) {
                v.visit(x.base() + k);
            }
        } else if (e instanceof CExpr.MemArray x) {
            walk(x.index(), v);
        } else if (e instanceof CExpr.FlatIndex x) {
            for (CExpr i : x.indices()) {
                walk(i, v);
            }
        } else if (e instanceof CExpr.Unary u) {
            walk(u.operand(), v);
        } else if (e instanceof CExpr.Binary b) {
            walk(b.left(), v);
            walk(b.right(), v);
        } else if (e instanceof CExpr.Ite t) {
            walk(t.test(), v);
            walk(t.then(), v);
            walk(t.otherwise(), v);
        } else {
            throw new IllegalStateException("no dependencies for " + e);
        }
    }

    private static BitSet bit(int i) {
        BitSet b = new BitSet();
        b.set(i);
        return b;
    }

    private static BitSet union(BitSet a, BitSet b) {
        BitSet u = (BitSet) a.clone();
        u.or(b);
        return u;
    }

    private static LkmmError error(Src src, String message) {
        return new LkmmError(src.line(), src.column(), message);
    }
}
