package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import dev.mmx.system.Snapshot;
import dev.mmx.system.Src;
import dev.mmx.system.Step;
import dev.mmx.system.Step.Effect;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a program on CPUs that execute in program order (sc, tso): one step per
 * instruction, with memory accesses going through the {@link MemoryModel}.
 * A transition is {@code actor << 16 | choice}; actors 0..n-1 are threads,
 * actor n is the memory subsystem, whose choice numbers its internal step.
 */
public final class Machine implements TransitionSystem {
    /** Properties a state's status word can name, besides invariants. */
    static final List<String> FAULTS = List.of("assert", "index_out_of_range", "division_by_zero",
            "unlock_not_held", "double_lock", "livelock", "refcount_underflow", "pincount_underflow",
            "rcu_unlock_unbalanced");

    private static final int FOLD_LIMIT = 100_000;

    private final Program p;
    private final Layout l;
    private final MemoryModel mm;
    private final int n;
    private final Instr[][] code;
    private final int maxTransitions;
    private final MemoryReader memory;
    private final ProgramView view;
    /** Footprints for partial-order reduction (sc only), or null. */
    private final Footprints footprints;
    private final int[][][] regWrites;
    private final int[] lockCells;
    /** Each CPU's reader of memory through its own store buffer (made once: this is the hot path). */
    private final MemoryReader[] views;

    public Machine(Program program, String memoryModel, int bufferSize) {
        Layout base = program.layout();
        int threads = program.threads().size();
        MemoryModel probe = MemoryModel.of(memoryModel, base, threads, bufferSize);
        this.l = base.withExtension(probe.extensionWords(program));
        this.p = program.withLayout(l);
        this.mm = MemoryModel.of(memoryModel, l, threads, bufferSize);
        this.n = threads;
        this.code = new Instr[n][];
        int max = 0;
        for (int t = 0; t < n; t++) {
            code[t] = p.threads().get(t).code();
            int widest = 1;
            for (Instr i : code[t]) {
                if (i instanceof Instr.Either e) {
                    widest = Math.max(widest, e.targets().length);
                } else if (i instanceof Instr.Choose c) {
                    widest = Math.max(widest, c.hi() - c.lo() + 1);
                }
            }
            max += widest;
        }
        this.maxTransitions = max + n + p.mmu().size();
        this.view = new ProgramView(p);
        this.memory = view.memory;
        this.footprints = memoryModel.equals("sc") ? new Footprints(p) : null;
        this.regWrites = new int[n][][];
        for (int t = 0; t < n; t++) {
            regWrites[t] = new int[code[t].length][];
            for (int x = 0; x < code[t].length; x++) {
                regWrites[t][x] = Deps.of(code[t][x], view).writes;
            }
        }
        this.lockCells = java.util.stream.IntStream.range(0, p.memory().size())
                .filter(c -> p.memory().get(c).kind().lock()).toArray();
        this.views = new MemoryReader[n];
        for (int t = 0; t < n; t++) {
            int cpu = t;
            views[t] = (s, cell) -> mm.read(s, cpu, cell);
        }
    }

    public Program program() {
        return p;
    }

    public MemoryModel memoryModel() {
        return mm;
    }

    /**
     * A persistent set (Godefroid; Peled's ample sets) under sc: the steps of one
     * thread when no other thread can, from where it stands, touch what those
     * steps touch (except behind an exclusive lock this thread holds), and the
     * steps change nothing an invariant reads. Assumptions are never reduced:
     * a discarded execution's prefixes still count. Returns -1 for "expand all".
     */
    @Override
    public int ample(int[] s, int[] enabled, int count, int[] out) {
        if (footprints == null) {
            return -1;
        }
        int k = 0;
        while (k < count) {
            int t = enabled[k] >>> 16;
            int end = k;
            while (end < count && enabled[end] >>> 16 == t) {
                end++;
            }
            if (t < n && end - k < count && independent(s, t)) {
                System.arraycopy(enabled, k, out, 0, end - k);
                return end - k;
            }
            k = end;
        }
        return -1;
    }

    private boolean independent(int[] s, int t) {
        int pc = s[l.pcSlot(t)];
        Instr i = code[t][pc];
        if (i instanceof Instr.Assume) {
            return false;
        }
        List<Footprints.Access> mine = footprints.step[t][pc];
        for (Footprints.Access a : mine) {
            if (a.write() && footprints.visible.get(a.location())) {
                return false;
            }
        }
        for (int w : regWrites[t][pc]) {
            if (footprints.visibleRegs.get(w)) {
                return false;
            }
        }
        java.util.BitSet held = exclusivelyHeld(s, t);
        for (Footprints.Access a : mine) {
            if (footprints.mmu.conflicts(a, held)) {
                return false; // the MMU may walk what this step changes, or fill what it reads
            }
        }
        for (int u = 0; u < n; u++) {
            if (u == t) {
                continue;
            }
            Footprints.Summary theirs = footprints.future[u][s[l.pcSlot(u)]];
            for (Footprints.Access a : mine) {
                if (theirs.conflicts(a, held)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The lock cells thread t holds exclusively right now (spin/mutex, or rwsem/rwlock for write). */
    private java.util.BitSet exclusivelyHeld(int[] s, int t) {
        java.util.BitSet held = new java.util.BitSet();
        for (int c : lockCells) {
            int w = s[l.memSlot(c)];
            if (p.memory().get(c).kind().readerWriter() ? w == -(t + 1) : w == t + 1) {
                held.set(c);
            }
        }
        return held;
    }

    @Override
    public String boundReached() {
        return mm.boundHit() ? mm.boundDescription() : null;
    }

    private MemoryReader view(int cpu) {
        return views[cpu];
    }

    // ---------------------------------------------------------------- exploring

    @Override
    public int[] initial() {
        int[] s = p.initialState();
        for (int t = 0; t < n; t++) {
            try {
                fold(s, t, null);
            } catch (ModelFault f) {
                s[Layout.STATUS] = status(f.property(), t);
            }
        }
        return s;
    }

    @Override
    public int maxTransitions() {
        return maxTransitions;
    }

    @Override
    public int enabled(int[] s, int[] out) {
        if (s[Layout.STATUS] != 0) {
            return 0;
        }
        int count = 0;
        for (int t = 0; t < n; t++) {
            Instr i = code[t][s[l.pcSlot(t)]];
            int choices = choices(s, t, i);
            for (int c = 0; c < choices; c++) {
                out[count++] = (t << 16) | c;
            }
        }
        count += mm.internalSteps(s, out, count, n << 16);
        for (int i = 0; i < p.mmu().size(); i++) {
            Program.MmuFill f = p.mmu().get(i);
            if (mmuEnabled(s, f)) {
                out[count++] = (n << 16) | MMU | i;
            }
        }
        return count;
    }

    /** The memory subsystem's transitions with this bit are the MMU's own fills, numbered in the program. */
    static final int MMU = 0x8000;

    private boolean mmuEnabled(int[] s, Program.MmuFill f) {
        try {
            return guard(s, f.cpu(), f.step(), true);
        } catch (ModelFault e) {
            return false; // a walk whose PTE index is out of range fills nothing
        }
    }

    /** How many ways thread t can take its next step now (0: blocked or finished). */
    private int choices(int[] s, int t, Instr i) {
        try {
            if (i instanceof Instr.End) {
                return 0;
            } else if (i instanceof Instr.Await a) {
                return a.cond().eval(s, view(t)) != 0 ? 1 : 0;
            } else if (i instanceof Instr.LockOp op) {
                return lockEnabled(s, t, op) ? 1 : 0;
            } else if (i instanceof Instr.Either e) {
                return e.targets().length;
            } else if (i instanceof Instr.Choose c) {
                return c.hi() - c.lo() + 1;
            } else if (i instanceof Instr.Atomic a) {
                return (!a.fenceOn(true) || mm.drained(s, t)) && guard(s, t, a, true) ? 1 : 0;
            } else if (i instanceof Instr.Rmw rmw) {
                // an exclusive pair's store may fail (choice 1) wherever it could succeed
                return mm.drained(s, t) ? (rmw.exclusive() ? 2 : 1) : 0;
            } else if (i instanceof Instr.Fence f) {
                return !drains(f.kind()) || mm.drained(s, t) ? 1 : 0;
            } else if (i instanceof Instr.Store) {
                return mm.canWrite(s, t) ? 1 : 0;
            }
            return 1;
        } catch (ModelFault f) {
            return 1; // the step itself reports the fault
        }
    }

    /** smp_mb and its relatives are full fences on x86 (MFENCE or a locked instruction). */
    private static boolean drains(Instr.FenceKind k) {
        return k == Instr.FenceKind.MB || k == Instr.FenceKind.MB_AFTER_SPINLOCK;
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

    @Override
    public int[] next(int[] s, int transition) {
        return step(s, transition, null);
    }

    private int[] step(int[] s, int transition, List<Effect> fx) {
        int actor = transition >>> 16;
        int choice = transition & 0xffff;
        int[] s2 = s.clone();
        if (actor >= n && (choice & MMU) != 0) {
            Program.MmuFill f = p.mmu().get(choice & ~MMU);
            atomic(s2, f.cpu(), f.step(), fx);
            return s2;
        }
        if (actor >= n) {
            int[] w = mm.internalStep(s2, choice);
            if (fx != null) {
                fx.add(new Effect(Effect.FLUSH, cellName(w[0]), format(w[0], w[1])));
            }
            return s2;
        }
        try {
            boolean kept = execute(s2, actor, choice, fx);
            if (!kept) {
                if (fx != null) {
                    fx.add(new Effect(Effect.DISCARD, "", "the assumption does not hold, so this execution is "
                            + "not considered"));
                }
                return null;
            }
            fold(s2, actor, fx);
            return s2;
        } catch (ModelFault f) {
            if (fx != null) {
                fx.add(new Effect(Effect.FAULT, "", f.getMessage()));
            }
            int[] failed = s.clone();
            failed[Layout.STATUS] = status(f.property(), actor);
            return failed;
        }
    }

    /** A failed assertion: the user's (named assert) or a kernel-kit check with its own fault name. */
    static ModelFault assertionFault(Instr.Assert a) {
        return a.property().equals("assert") ? new ModelFault("assert", "assertion failed: " + a.message())
                : new ModelFault(a.property(), a.message());
    }

    private static int status(String property, int thread) {
        int code = FAULTS.indexOf(property);
        if (code < 0) {
            throw new IllegalStateException("unknown fault " + property);
        }
        return (code + 1) | ((thread + 1) << 8);
    }

    /** Runs the folded instructions (branches, jumps, clears) after a step. */
    private void fold(int[] s, int t, List<Effect> fx) {
        int pcSlot = l.pcSlot(t);
        Instr[] c = code[t];
        for (int guard = 0; guard < FOLD_LIMIT; guard++) {
            Instr i = c[s[pcSlot]];
            if (i instanceof Instr.Branch b) {
                s[pcSlot] = b.cond().eval(s, view(t)) != 0 ? s[pcSlot] + 1 : b.elseTarget();
            } else if (i instanceof Instr.Jump j) {
                s[pcSlot] = j.target();
            } else if (i instanceof Instr.Clear k) {
                for (int slot : k.slots()) {
                    s[slot] = 0;
                }
                s[pcSlot]++;
            } else {
                return;
            }
        }
        throw new ModelFault("livelock", "a loop that reads only registers never reaches a step "
                + "(it spins forever without touching memory)");
    }

    /** Executes thread t's instruction at its pc; false when the execution is discarded. */
    private boolean execute(int[] s, int t, int choice, List<Effect> fx) {
        int pcSlot = l.pcSlot(t);
        Instr i = code[t][s[pcSlot]];
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
            int slot = a.target().resolve(s, v);
            s[slot] = a.value().eval(s, v);
            if (fx != null) {
                view.assignEffects(slot, a.value(), s, fx);
            }
        } else if (i instanceof Instr.Await) {
            return true;
        } else if (i instanceof Instr.Either e) {
            s[pcSlot] = e.targets()[choice];
        } else if (i instanceof Instr.Choose c) {
            s[c.reg()] = c.lo() + choice;
            if (fx != null) {
                regEffect(fx, t, c.reg(), s);
            }
        } else if (i instanceof Instr.Assume a) {
            return a.cond().eval(s, v) != 0;
        } else if (i instanceof Instr.Assert a) {
            if (a.cond().eval(s, v) == 0) {
                throw Machine.assertionFault(a);
            }
        } else if (i instanceof Instr.LockOp op) {
            lock(s, t, op, fx);
        } else if (i instanceof Instr.Atomic a) {
            return atomic(s, t, a, fx);
        } else {
            throw new IllegalStateException("not a step: " + i);
        }
        return true;
    }

    /** Runs a read-modify-write on memory directly (also used by the ARM machine on a renamed copy). */
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

    /** Runs an atomic block on memory directly, as one step. */
    boolean atomic(int[] s, int t, Instr.Atomic a, List<Effect> fx) {
        if (a.note() == null || fx == null) {
            return atomicBody(s, t, a, fx);
        }
        // a kernel primitive: say what it does, then the ghost state it changed, as it ends
        int[] before = s.clone();
        List<Effect> all = new java.util.ArrayList<>();
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
            } else if (i instanceof Instr.Clear || i instanceof Instr.Await || i instanceof Instr.Fence) {
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
                int slot = as.target().resolve(s, memory);
                s[slot] = as.value().eval(s, memory);
                if (fx != null) {
                    view.assignEffects(slot, as.value(), s, fx);
                }
            } else if (i instanceof Instr.Assume as) {
                if (as.cond().eval(s, memory) == 0) {
                    return false;
                }
            } else if (i instanceof Instr.Assert as) {
                if (as.cond().eval(s, memory) == 0) {
                    throw Machine.assertionFault(as);
                }
            } else if (i instanceof Instr.LockOp op) {
                lock(s, t, op, fx);
            } else {
                throw new IllegalStateException("not allowed in an atomic block: " + i);
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- locks

    /*
     * Lock words: a spinlock or mutex holds 0 when free, else holder + 1. An
     * rwsem or rwlock holds a bit mask of readers (bit t for thread t) when >= 0,
     * or -(writer + 1) when write-held.
     */

    private boolean lockEnabled(int[] s, int t, Instr.LockOp op) {
        if (op.action().acquires() && !mm.drained(s, t)) {
            return false; // acquiring is a locked read-modify-write
        }
        if (!op.action().acquires() && !plainUnlock(op) && !mm.drained(s, t)) {
            return false;
        }
        if (!op.action().acquires() && plainUnlock(op) && !mm.canWrite(s, t)) {
            return false;
        }
        if (op.action().trylock() || !op.action().acquires()) {
            return true;
        }
        return lockFree(s, t, op);
    }

    /** Whether a blocking acquire can proceed (or would fault: taking one's own lock again). */
    boolean lockFree(int[] s, int t, Instr.LockOp op) {
        int w = s[l.memSlot(op.lock().resolve(s, memory))];
        return switch (op.action()) {
            case SPIN_LOCK -> w == 0 || w == t + 1;
            case DOWN_READ -> w >= 0 || w == -(t + 1);
            case DOWN_WRITE -> w == 0 || w == -(t + 1) || (w > 0 && (w & (1 << t)) != 0);
            default -> true;
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

    /** Performs a lock operation on memory (under sc, or on a copy for the ARM machine). */
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
                acquire(s, t, op, slot, w == 0, me, name, fx);
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
                acquire(s, t, op, slot, w >= 0, w | bit, name + " for read", fx);
            }
            case DOWN_WRITE, DOWN_WRITE_TRYLOCK -> {
                int w = s[slot];
                if ((w == -me || (w > 0 && (w & bit) != 0)) && op.action() == Instr.LockAction.DOWN_WRITE) {
                    throw new ModelFault("double_lock", threadName(t) + " takes " + name
                            + " for write while already holding it (self-deadlock)");
                }
                acquire(s, t, op, slot, w == 0, -me, name + " for write", fx);
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

    private void acquire(int[] s, int t, Instr.LockOp op, int slot, boolean free, int word, String what,
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
                    + " without holding it" + (w == 0 ? " (it is free)" : " (" + lockWord(cell, w) + ")"));
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

    // ---------------------------------------------------------------- properties

    @Override
    public Violation check(int[] s) {
        int status = s[Layout.STATUS];
        if (status != 0) {
            int thread = (status >>> 8) - 1;
            String property = FAULTS.get((status & 0xff) - 1);
            return new Violation(property, faultMessage(s, thread), List.of());
        }
        return view.checkInvariants(s);
    }

    /** Re-runs the step that faulted (the state keeps the thread at it) to recover the message. */
    private String faultMessage(int[] s, int thread) {
        int[] copy = s.clone();
        copy[Layout.STATUS] = 0;
        try {
            Instr i = code[thread][copy[l.pcSlot(thread)]];
            if (Instr.folded(i)) {
                fold(copy, thread, null);
            } else {
                execute(copy, thread, 0, null);
                fold(copy, thread, null);
            }
        } catch (ModelFault f) {
            Src src = code[thread][s[l.pcSlot(thread)]].src();
            return f.getMessage() + " (" + threadName(thread) + ", line " + src.line() + ")";
        }
        return "a fault in " + threadName(thread);
    }

    @Override
    public Violation checkTerminal(int[] s) {
        return view.checkTerminal(s, code);
    }

    // ---------------------------------------------------------------- traces

    @Override
    public Step describe(int[] s, int transition) {
        int actor = transition >>> 16;
        List<Effect> fx = new ArrayList<>();
        if (actor >= n && (transition & MMU) != 0) {
            Program.MmuFill f = p.mmu().get(transition & 0xffff & ~MMU);
            step(s, transition, fx);
            return new Step(f.cpu(), threadName(f.cpu()), 0, f.step().src().text(), List.copyOf(fx), "memory");
        }
        if (actor >= n) {
            int cpu = mm.internalOwner(transition & 0xffff);
            step(s, transition, fx);
            return new Step(cpu, threadName(cpu), 0, "(store buffer write-back)", List.copyOf(fx), "memory");
        }
        Instr i = code[actor][s[l.pcSlot(actor)]];
        step(s, transition, fx);
        String text = i.src().text();
        if (i instanceof Instr.Either) {
            text = "either: branch " + ((transition & 0xffff) + 1);
        }
        return new Step(actor, threadName(actor), i.src().line(), text, List.copyOf(fx), "");
    }

    @Override
    public Snapshot snapshot(int[] s) {
        Map<String, List<String>> buffers = new LinkedHashMap<>();
        if (mm.buffered()) {
            for (int t = 0; t < n; t++) {
                List<String> pend = new ArrayList<>();
                for (int[] e : mm.pending(s, t)) {
                    pend.add(cellName(e[0]) + " = " + format(e[0], e[1]));
                }
                buffers.put(threadName(t), pend);
            }
        }
        return view.snapshot(s, code, buffers);
    }

    /** A register write, named as the thread's code names it (its column already says which thread). */
    private void regEffect(List<Effect> fx, int t, int slot, int[] s) {
        if (view.hidden(t, slot)) {
            return;
        }
        fx.add(new Effect(Effect.REG, view.regName(t, slot), view.slotValue(slot, s[slot])));
    }

    public String threadName(int t) {
        return view.threadName(t);
    }

    private String cellName(int cell) {
        return view.cellName(cell);
    }

    private String format(int cell, int value) {
        return view.format(cell, value);
    }

    private String lockWord(int cell, int w) {
        return view.lockWord(cell, w);
    }
}
