package dev.mmx.memory;

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
 * instruction, with memory accesses going through the {@link MemoryModel}. This
 * class decides which steps are enabled; {@link Semantics} says what each does.
 * A transition is {@code actor << 16 | choice}; actors 0..n-1 are threads,
 * actor n is the memory subsystem, whose choice numbers its internal step.
 */
public final class Machine implements TransitionSystem {
    private final Program p;
    private final Layout l;
    private final MemoryModel mm;
    private final int n;
    private final Instr[][] code;
    private final int maxTransitions;
    private final ProgramView view;
    private final Semantics sem;
    /** Footprints for partial-order reduction (memory models whose accesses act at once), or null. */
    private final Footprints footprints;
    private final int[][][] regWrites;
    private final int[] lockCells;

    /** A machine under a named in-order memory model (sc, tso) with store buffers of {@code bufferSize}. */
    public Machine(Program program, String memoryModel, int bufferSize) {
        this(program, MemoryModels.inOrder(memoryModel), bufferSize);
    }

    Machine(Program program, MemoryModel.Factory memoryModel, int bound) {
        Layout base = program.layout();
        int threads = program.threads().size();
        MemoryModel probe = memoryModel.create(base, threads, bound);
        this.l = base.withExtension(probe.extensionWords(program));
        this.p = program.withLayout(l);
        this.mm = memoryModel.create(l, threads, bound);
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
        this.sem = new Semantics(view, mm);
        this.footprints = mm.immediate() ? new Footprints(p) : null;
        this.regWrites = new int[n][][];
        for (int t = 0; t < n; t++) {
            regWrites[t] = new int[code[t].length][];
            for (int x = 0; x < code[t].length; x++) {
                regWrites[t][x] = Deps.of(code[t][x], view).writes;
            }
        }
        this.lockCells = java.util.stream.IntStream.range(0, p.memory().size())
                .filter(c -> p.memory().get(c).kind().lock()).toArray();
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
        return sem.view(cpu);
    }

    // ---------------------------------------------------------------- exploring

    @Override
    public int[] initial() {
        int[] s = p.initialState();
        for (int t = 0; t < n; t++) {
            try {
                fold(s, t, null);
            } catch (ModelFault f) {
                s[Layout.STATUS] = Semantics.status(f.property(), t, code[t][s[l.pcSlot(t)]].src().line());
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
            return sem.guard(s, f.cpu(), f.step(), true);
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
                return (!a.fenceOn(true) || mm.drained(s, t)) && sem.guard(s, t, a, true) ? 1 : 0;
            } else if (i instanceof Instr.Rmw rmw) {
                // an exclusive pair's store may fail (choice 1) wherever it could succeed
                return mm.drained(s, t) ? (rmw.exclusive() ? 2 : 1) : 0;
            } else if (i instanceof Instr.Fence f) {
                return !drains(f.kind()) || mm.drained(s, t) ? 1 : 0;
            } else if (i instanceof Instr.Store) {
                return mm.canWrite(s, t) ? 1 : 0;
            } else if (i instanceof Instr.Load || i instanceof Instr.Assign || i instanceof Instr.Assume
                    || i instanceof Instr.Assert) {
                return 1;
            }
            throw new IllegalStateException("not a step: " + i); // folded instructions never wait at a pc
        } catch (ModelFault f) {
            return 1; // the step itself reports the fault
        }
    }

    /** smp_mb and its relatives are full fences on x86 (MFENCE or a locked instruction). */
    private static boolean drains(Instr.FenceKind k) {
        return k == Instr.FenceKind.MB || k == Instr.FenceKind.MB_AFTER_SPINLOCK;
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
            sem.atomic(s2, f.cpu(), f.step(), fx);
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
            boolean kept = sem.execute(s2, actor, code[actor][s2[l.pcSlot(actor)]], choice, fx);
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
            failed[Layout.STATUS] = Semantics.status(f.property(), actor, code[actor][s[l.pcSlot(actor)]].src().line());
            return failed;
        }
    }

    /** Runs the folded instructions (branches, jumps, clears) after a step. */
    private void fold(int[] s, int t, List<Effect> fx) {
        int pcSlot = l.pcSlot(t);
        Instr[] c = code[t];
        for (int guard = 0; guard < Semantics.FOLD_LIMIT; guard++) {
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
            } else if (!Instr.folded(i)) {
                return; // a step of its own
            } else {
                throw new IllegalStateException("a folded instruction with no folding: " + i);
            }
        }
        throw new ModelFault("livelock", "a loop that reads only registers never reaches a step "
                + "(it spins forever without touching memory)");
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
        if (!op.action().acquires() && !sem.plainUnlock(op) && !mm.drained(s, t)) {
            return false;
        }
        if (!op.action().acquires() && sem.plainUnlock(op) && !mm.canWrite(s, t)) {
            return false;
        }
        if (op.action().trylock() || !op.action().acquires()) {
            return true;
        }
        return sem.lockFree(s, t, op);
    }

    // ---------------------------------------------------------------- properties

    @Override
    public Violation check(int[] s) {
        int status = s[Layout.STATUS];
        if (status != 0) {
            int thread = Semantics.faultThread(status);
            String property = Semantics.faultProperty(status);
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
                sem.execute(copy, thread, i, 0, null);
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
