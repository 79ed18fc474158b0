package dev.mmx.memory;

import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import dev.mmx.system.Step.Effect;
import java.util.ArrayList;
import java.util.List;

/**
 * What an instruction does to a state, written once for every machine: loads
 * and stores through the memory model's hooks, read-modify-writes, lock
 * operations, atomic blocks (the kernel kit's steps), assignments, assertions
 * and assumptions, the fault status word, and the effects a trace shows.
 *
 * <p>A machine decides when an instruction may run (its ordering policy); this
 * class says what running it does. The in-order {@link Machine} runs each
 * instruction here through its {@link MemoryModel}; {@link ArmMachine} performs
 * loads and stores itself (out of order, with forwarding) and runs lock
 * operations, atomic blocks and in-order steps here on memory directly.
 *
 * <p>Effects are collected only when {@code fx} is not null (describing a step
 * for a trace); exploring passes null and allocates nothing.
 */
final class Semantics {
    /** Properties a state's status word can name, besides invariants. */
    static final List<String> FAULTS = List.of("assert", "index_out_of_range", "division_by_zero",
            "unlock_not_held", "double_lock", "livelock", "refcount_underflow", "pincount_underflow",
            "rcu_unlock_unbalanced");

    static final int FOLD_LIMIT = 100_000;

    private final Program p;
    private final Layout l;
    private final MemoryModel mm;
    private final ProgramView view;
    /** Memory as it is, with no store buffer in between (atomic blocks, locked operations). */
    private final MemoryReader memory;
    /** Each CPU's reader of memory through the memory model (made once: this is the hot path). */
    private final MemoryReader[] views;

    /**
     * {@code mm}: how a CPU's plain loads and stores, and its plain (x86 release-store)
     * unlocks, reach memory.
     */
    Semantics(ProgramView view, MemoryModel mm) {
        this.view = view;
        this.p = view.p;
        this.l = view.l;
        this.mm = mm;
        this.memory = view.memory;
        int n = p.threads().size();
        this.views = new MemoryReader[n];
        for (int t = 0; t < n; t++) {
            int cpu = t;
            views[t] = (s, cell) -> mm.read(s, cpu, cell);
        }
    }

    /** CPU t's reader of memory through the memory model. */
    MemoryReader view(int cpu) {
        return views[cpu];
    }

    // ---------------------------------------------------------------- the fault status word

    /*
     * A state whose status word is not 0 has faulted: property code + 1 in bits 0-7,
     * the faulting thread + 1 in bits 8-15, the line of the instruction in bits 16-30.
     * Every machine writes and reads it here.
     */

    static int status(String property, int thread, int line) {
        int code = FAULTS.indexOf(property);
        if (code < 0) {
            throw new IllegalStateException("unknown fault " + property);
        }
        return (code + 1) | ((thread + 1) << 8) | (Math.min(line, 0x7fff) << 16);
    }

    static String faultProperty(int status) {
        return FAULTS.get((status & 0xff) - 1);
    }

    static int faultThread(int status) {
        return ((status >>> 8) & 0xff) - 1;
    }

    static int faultLine(int status) {
        return status >>> 16;
    }

    /** A failed assertion: the user's (named assert) or a kernel-kit check with its own fault name. */
    static ModelFault assertionFault(Instr.Assert a) {
        return a.property().equals("assert") ? new ModelFault("assert", "assertion failed: " + a.message())
                : new ModelFault(a.property(), a.message());
    }

    // ---------------------------------------------------------------- one instruction, in program order

    /**
     * Executes thread t's instruction at its pc, loads and stores going through the
     * memory model; false when the execution is discarded. {@code choice} picks an
     * either branch, a chosen value, or (1) an exclusive pair's failing store.
     */
    boolean execute(int[] s, int t, Instr i, int choice, List<Effect> fx) {
        int pcSlot = l.pcSlot(t);
        MemoryReader v = view(t);
        s[pcSlot]++;
        if (i instanceof Instr.Load ld) {
            int cell = ld.ref().resolve(s, v);
            int value = mm.read(s, t, cell);
            s[ld.reg()] = value;
            if (fx != null) {
                fx.add(new Effect(Effect.READ, cellName(cell), format(cell, value)));
                regEffect(fx, t, ld.reg(), s);
            }
        } else if (i instanceof Instr.Store st) {
            int cell = st.ref().resolve(s, v);
            int value = st.value().eval(s, v);
            mm.write(s, t, cell, value);
            if (fx != null) {
                fx.add(new Effect(mm.buffered() ? Effect.BUFFER : Effect.WRITE, cellName(cell), format(cell, value)));
            }
        } else if (i instanceof Instr.Rmw rmw) {
            if (choice == 1) {
                failExclusive(s, t, rmw, fx);
            } else {
                rmw(s, t, rmw, memory, fx);
            }
        } else if (i instanceof Instr.Fence) {
            return true;
        } else if (i instanceof Instr.Assign a) {
            assign(s, a, v, fx);
        } else if (i instanceof Instr.Await a) {
            // enabled means the condition held, or that evaluating it faults: the step reports the fault
            a.cond().eval(s, v);
            return true;
        } else if (i instanceof Instr.Either e) {
            s[pcSlot] = e.targets()[choice];
        } else if (i instanceof Instr.Choose c) {
            s[c.reg()] = c.lo() + choice;
            if (fx != null) {
                regEffect(fx, t, c.reg(), s);
            }
        } else if (i instanceof Instr.Assume a) {
            return assume(s, a, v);
        } else if (i instanceof Instr.Assert a) {
            check(s, a, v);
        } else if (i instanceof Instr.LockOp op) {
            lock(s, t, op, fx);
        } else if (i instanceof Instr.Atomic a) {
            return atomic(s, t, a, fx);
        } else {
            throw new IllegalStateException("not a step: " + i); // End, and the folded Branch, Jump, Clear
        }
        return true;
    }

    /** A register or ghost cell := value, reading memory through {@code v}. */
    void assign(int[] s, Instr.Assign a, MemoryReader v, List<Effect> fx) {
        int slot = a.target().resolve(s, v);
        s[slot] = a.value().eval(s, v);
        if (fx != null) {
            view.assignEffects(slot, a.value(), s, fx);
        }
    }

    /** Whether an assumption holds (the execution is kept). */
    static boolean assume(int[] s, Instr.Assume a, MemoryReader v) {
        return a.cond().eval(s, v) != 0;
    }

    /** Checks an assertion (or a kernel-kit check), faulting when it fails. */
    static void check(int[] s, Instr.Assert a, MemoryReader v) {
        if (a.cond().eval(s, v) == 0) {
            throw assertionFault(a);
        }
    }

    // ---------------------------------------------------------------- read-modify-writes

    /** Runs a read-modify-write on memory directly (the in-order machines; arm performs its two events itself). */
    void rmw(int[] s, int t, Instr.Rmw rmw, MemoryReader mem, List<Effect> fx) {
        int cell = rmw.ref().resolve(s, mem);
        int old = s[l.memSlot(cell)];
        int[] regs = s;
        if (rmw.exclusive()) {
            regs = s.clone(); // the register work between LDXR and STXR sees the value loaded
            regs[rmw.reg()] = old;
        }
        int operand = rmw.operand().eval(regs, mem);
        int expected = rmw.expected() == null ? 0 : rmw.expected().eval(s, mem);
        boolean writes = rmw.writes(old, expected);
        int value = writes ? rmw.newValue(old, operand) : old;
        s[l.memSlot(cell)] = value;
        if (rmw.reg() >= 0) {
            s[rmw.reg()] = rmw.resultValue(old, value, writes, operand);
        }
        if (rmw.exclusive()) {
            s[rmw.status()] = 0;
        }
        if (fx != null) {
            fx.add(new Effect(Effect.READ, cellName(cell), format(cell, old)));
            if (writes) {
                fx.add(new Effect(Effect.WRITE, cellName(cell), format(cell, value)));
            }
            if (rmw.reg() >= 0) {
                regEffect(fx, t, rmw.reg(), s);
            }
        }
    }

    /** An exclusive pair whose store fails: the load exclusive's read, and status 1. */
    private void failExclusive(int[] s, int t, Instr.Rmw rmw, List<Effect> fx) {
        int cell = rmw.ref().resolve(s, memory);
        s[rmw.reg()] = s[l.memSlot(cell)];
        s[rmw.status()] = 1;
        if (fx != null) {
            fx.add(new Effect(Effect.READ, cellName(cell), format(cell, s[rmw.reg()])));
            fx.add(new Effect(Effect.FAIL, "store exclusive", "fails"));
            regEffect(fx, t, rmw.reg(), s);
        }
    }

    // ---------------------------------------------------------------- atomic blocks (the kernel kit's steps)

    /** Runs an atomic block on memory directly, as one step. */
    boolean atomic(int[] s, int t, Instr.Atomic a, List<Effect> fx) {
        if (a.note() == null || fx == null) {
            return atomicBody(s, t, a, fx);
        }
        // a kernel primitive: say what it does, then the ghost state it changed, as it ends
        int[] before = s.clone();
        List<Effect> all = new ArrayList<>();
        boolean kept = atomicBody(s, t, a, all);
        fx.add(new Effect(Effect.NOTE, "", a.note()));
        for (Effect e : all) {
            if (!e.kind().equals(Effect.GHOST)) {
                fx.add(e);
            }
        }
        for (int slot = l.ghostSlot(0); slot < l.ghostSlot(0) + l.ghostCells(); slot++) {
            if (s[slot] != before[slot]) {
                fx.add(new Effect(Effect.GHOST, view.slotName(slot), view.slotValue(slot, s[slot])));
            }
        }
        return kept;
    }

    private boolean atomicBody(int[] s, int t, Instr.Atomic a, List<Effect> fx) {
        Instr[] body = a.body();
        int pc = 0;
        for (int guard = 0; pc < body.length; guard++) {
            if (guard > FOLD_LIMIT) {
                throw new ModelFault("livelock", "the atomic block never finishes");
            }
            Instr i = body[pc++];
            if (i instanceof Instr.Branch b) {
                pc = b.cond().eval(s, memory) != 0 ? pc : b.elseTarget();
            } else if (i instanceof Instr.Jump j) {
                pc = j.target();
            } else if (i instanceof Instr.Await w) {
                // the guard waited for it (or, the IPI's wait on arm64, need not); evaluating it again
                // reports a fault the guard let through
                w.cond().eval(s, memory);
            } else if (i instanceof Instr.Clear || i instanceof Instr.Fence) {
                continue;
            } else if (i instanceof Instr.Load ld) {
                int cell = ld.ref().resolve(s, memory);
                s[ld.reg()] = s[l.memSlot(cell)];
                if (fx != null) {
                    fx.add(new Effect(Effect.READ, cellName(cell), format(cell, s[ld.reg()])));
                }
            } else if (i instanceof Instr.Store st) {
                int cell = st.ref().resolve(s, memory);
                int value = st.value().eval(s, memory);
                s[l.memSlot(cell)] = value;
                if (fx != null) {
                    fx.add(new Effect(Effect.WRITE, cellName(cell), format(cell, value)));
                }
            } else if (i instanceof Instr.Rmw rmw) {
                rmw(s, t, rmw, memory, fx);
            } else if (i instanceof Instr.Assign as) {
                assign(s, as, memory, fx);
            } else if (i instanceof Instr.Assume as) {
                if (!assume(s, as, memory)) {
                    return false;
                }
            } else if (i instanceof Instr.Assert as) {
                check(s, as, memory);
            } else if (i instanceof Instr.LockOp op) {
                lock(s, t, op, fx);
            } else {
                throw new IllegalStateException("not allowed in an atomic block: " + i);
            }
        }
        return true;
    }

    /**
     * Whether an atomic block may start: its leading await holds (on x86 always;
     * on arm64 unless it is the IPI's wait) and a leading blocking acquire finds
     * its lock free. sc and tso are x86 here; the ARM machine passes false.
     */
    boolean guard(int[] s, int t, Instr.Atomic a, boolean x86) {
        if (a.body().length == 0) {
            return true;
        }
        Instr first = a.body()[0];
        if (first instanceof Instr.Await w) {
            if (!a.waitsOn(x86)) {
                return true;
            }
            return w.cond().eval(s, memory) != 0;
        }
        if (first instanceof Instr.LockOp op && !op.action().trylock() && op.action().acquires()) {
            return lockFree(s, t, op);
        }
        return true;
    }

    // ---------------------------------------------------------------- locks

    /*
     * Lock words: a spinlock or mutex holds 0 when free, else holder + 1. An
     * rwsem or rwlock holds a bit mask of readers (bit t for thread t) when >= 0,
     * or -(writer + 1) when write-held.
     */

    /** Whether a blocking acquire can proceed (or would fault: taking one's own lock again). */
    boolean lockFree(int[] s, int t, Instr.LockOp op) {
        int w = s[l.memSlot(op.lock().resolve(s, memory))];
        return switch (op.action()) {
            case SPIN_LOCK -> w == 0 || w == t + 1;
            case DOWN_READ -> w >= 0 || w == -(t + 1);
            case DOWN_WRITE -> w == 0 || w == -(t + 1) || (w > 0 && (w & (1 << t)) != 0);
            case SPIN_UNLOCK, SPIN_TRYLOCK, UP_READ, UP_WRITE, DOWN_READ_TRYLOCK, DOWN_WRITE_TRYLOCK -> true;
        };
    }

    /** spin_unlock and write_unlock are plain release stores on x86; the rest are locked operations. */
    boolean plainUnlock(Instr.LockOp op) {
        if (op.action() == Instr.LockAction.SPIN_UNLOCK) {
            return kindOf(op) == Program.CellKind.SPINLOCK;
        }
        return op.action() == Instr.LockAction.UP_WRITE && kindOf(op) == Program.CellKind.RWLOCK;
    }

    private Program.CellKind kindOf(Instr.LockOp op) {
        return p.memory().get(op.lock().base()).kind();
    }

    /**
     * Performs a lock operation on memory; a plain unlock goes through the memory
     * model (the ARM machine calls this on a renamed copy of the state).
     */
    void lock(int[] s, int t, Instr.LockOp op, List<Effect> fx) {
        int cell = op.lock().resolve(s, memory);
        int slot = l.memSlot(cell);
        String name = cellName(cell);
        int me = t + 1;
        int bit = 1 << t;
        switch (op.action()) {
            case SPIN_LOCK, SPIN_TRYLOCK -> {
                int w = s[slot];
                if (w == me && op.action() == Instr.LockAction.SPIN_LOCK) {
                    throw new ModelFault("double_lock", threadName(t) + " takes " + name
                            + " again while holding it (self-deadlock)");
                }
                acquire(s, op, slot, w == 0, me, name, fx);
            }
            case DOWN_READ, DOWN_READ_TRYLOCK -> {
                int w = s[slot];
                if (w == -me && op.action() == Instr.LockAction.DOWN_READ) {
                    throw new ModelFault("double_lock", threadName(t) + " takes " + name
                            + " for read while holding it for write (self-deadlock)");
                }
                if (w > 0 && (w & bit) != 0) {
                    throw new ModelFault("double_lock", threadName(t) + " takes " + name
                            + " for read twice (a waiting writer would deadlock it)");
                }
                acquire(s, op, slot, w >= 0, w | bit, name + " for read", fx);
            }
            case DOWN_WRITE, DOWN_WRITE_TRYLOCK -> {
                int w = s[slot];
                if ((w == -me || (w > 0 && (w & bit) != 0)) && op.action() == Instr.LockAction.DOWN_WRITE) {
                    throw new ModelFault("double_lock", threadName(t) + " takes " + name
                            + " for write while already holding it (self-deadlock)");
                }
                acquire(s, op, slot, w == 0, -me, name + " for write", fx);
            }
            case SPIN_UNLOCK -> release(s, t, op, cell, me, 0, name, fx);
            case UP_WRITE -> release(s, t, op, cell, -me, 0, name + " (write)", fx);
            case UP_READ -> {
                int w = plainUnlock(op) ? mm.read(s, t, cell) : s[slot];
                if (w <= 0 || (w & bit) == 0) {
                    throw new ModelFault("unlock_not_held", threadName(t) + " releases " + name
                            + " for read without holding it for read");
                }
                s[slot] = w & ~bit;
                if (fx != null) {
                    fx.add(new Effect(Effect.UNLOCK, name, "(read)"));
                }
            }
        }
    }

    private void acquire(int[] s, Instr.LockOp op, int slot, boolean free, int word, String what,
                         List<Effect> fx) {
        if (free) {
            s[slot] = word;
        }
        if (op.reg() >= 0) {
            s[op.reg()] = free ? 1 : 0;
        }
        if (fx != null) {
            fx.add(free ? new Effect(Effect.LOCK, what, "") : new Effect(Effect.FAIL, what, "is busy: trylock fails"));
        }
    }

    private void release(int[] s, int t, Instr.LockOp op, int cell, int held, int word, String what,
                         List<Effect> fx) {
        int w = mm.read(s, t, cell);
        if (w != held) {
            throw new ModelFault("unlock_not_held", threadName(t) + " releases " + what.replace(" (write)", "")
                    + " without holding it" + (w == 0 ? " (it is free)" : " (" + view.lockWord(cell, w) + ")"));
        }
        if (plainUnlock(op)) {
            mm.write(s, t, cell, word);
            if (fx != null) {
                fx.add(new Effect(Effect.UNLOCK, what, mm.buffered() ? "(buffered)" : ""));
            }
        } else {
            s[l.memSlot(cell)] = word;
            if (fx != null) {
                fx.add(new Effect(Effect.UNLOCK, what, ""));
            }
        }
    }

    // ---------------------------------------------------------------- trace effects

    /** A register write, named as the thread's code names it (its column already says which thread). */
    void regEffect(List<Effect> fx, int t, int slot, int[] s) {
        if (view.hidden(t, slot)) {
            return;
        }
        fx.add(new Effect(Effect.REG, view.regName(t, slot), view.slotValue(slot, s[slot])));
    }

    private String threadName(int t) {
        return view.threadName(t);
    }

    private String cellName(int cell) {
        return view.cellName(cell);
    }

    private String format(int cell, int value) {
        return view.format(cell, value);
    }
}
