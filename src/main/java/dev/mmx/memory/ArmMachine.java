package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import dev.mmx.system.Snapshot;
import dev.mmx.system.Step;
import dev.mmx.system.Step.Effect;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ARMv8-like machine: one flat memory (other-multi-copy-atomic), CPUs that
 * perform their accesses out of program order within a window of in-flight
 * instructions, except where the locally-ordered-before rules of herd7's
 * aarch64.cat (restricted to what mmx has) order them.
 *
 * <p>Each CPU keeps its unretired instructions in program order. An access
 * performs when its address (and a store's data) is known and no earlier
 * entry orders it: barriers, acquire/release, same-location writes (lws),
 * unresolved branches and unknown addresses before a store (ctrl;W,
 * addr;po;W), ISB after a dependency. Loads read memory, or forward from the
 * newest earlier same-location store of their CPU that has not performed.
 * Loads may run past unresolved branches on a guessed path; an execution
 * whose guess turns out wrong, or whose early load would break coherence
 * (a later read of the same location overtaken by a newer write, or an
 * earlier store's address turning out to be the load's location), is
 * discarded: the same behaviour without the early perform is explored on
 * another path.
 *
 * <p>Window entry words: [instr+1 | flags << 16 | (forwarding source + 1) << 24],
 * value, cell + 1.
 */
public final class ArmMachine implements TransitionSystem {
    private static final int PERF = 1;
    private static final int STALE = 2;
    private static final int GUESSED = 4;
    private static final int TAKEN = 8;
    private static final int ADDR = 16;
    private static final int WORDS = 3;
    private static final int FOLD_LIMIT = 100_000;

    private enum Kind { LOAD, AWAIT, STORE, RMW, LOCK, FENCE, LOCAL, CLEAR, BRANCH, INORDER, STOP, JUMP }

    private final Program p;
    private final Layout l;
    private final ProgramView view;
    private final int n;
    private final Instr[][] code;
    private final Deps[][] deps;
    private final Kind[][] kinds;
    private final int window;
    private final int headBase;
    private final int maxTransitions;
    private final Machine sc;
    private volatile boolean boundHit;

    public ArmMachine(Program program, int window) {
        if (window < 2 || window > 200) {
            throw new IllegalArgumentException("window must be 2..200");
        }
        this.n = program.threads().size();
        this.window = window;
        this.l = program.layout().withExtension(n * window * WORDS);
        this.p = program.withLayout(l);
        this.view = new ProgramView(p);
        this.sc = new Machine(p, "sc", 1);
        this.code = new Instr[n][];
        this.deps = new Deps[n][];
        this.kinds = new Kind[n][];
        int widest = 2;
        for (int t = 0; t < n; t++) {
            code[t] = p.threads().get(t).code();
            deps[t] = new Deps[code[t].length];
            kinds[t] = new Kind[code[t].length];
            for (int x = 0; x < code[t].length; x++) {
                deps[t][x] = Deps.of(code[t][x], view);
                kinds[t][x] = kindOf(code[t][x], deps[t][x]);
                if (code[t][x] instanceof Instr.Either e) {
                    widest = Math.max(widest, e.targets().length);
                } else if (code[t][x] instanceof Instr.Choose c) {
                    widest = Math.max(widest, c.hi() - c.lo() + 1);
                }
            }
        }
        this.headBase = window + 2;
        this.maxTransitions = n * (window + 2 + widest) + p.mmu().size();
    }

    private static Kind kindOf(Instr i, Deps d) {
        if (i instanceof Instr.Load) {
            return Kind.LOAD;
        } else if (i instanceof Instr.Await) {
            return Kind.AWAIT;
        } else if (i instanceof Instr.Store) {
            return Kind.STORE;
        } else if (i instanceof Instr.Rmw) {
            return Kind.RMW;
        } else if (i instanceof Instr.LockOp) {
            return Kind.LOCK;
        } else if (i instanceof Instr.Fence) {
            return Kind.FENCE;
        } else if (i instanceof Instr.Assign) {
            return d.touchesGhost ? Kind.INORDER : Kind.LOCAL;
        } else if (i instanceof Instr.Clear) {
            return Kind.CLEAR;
        } else if (i instanceof Instr.Branch) {
            return Kind.BRANCH;
        } else if (i instanceof Instr.Jump) {
            return Kind.JUMP;
        } else if (i instanceof Instr.Assert || i instanceof Instr.Assume) {
            return Kind.INORDER;
        } else if (i instanceof Instr.Atomic a && !a.fenceOn(false)) {
            return Kind.INORDER; // a kernel primitive that orders nothing after it (it never waits)
        }
        return Kind.STOP; // End, Either, Choose, Atomic: fetch stops; they run when the window is empty
    }

    public Program program() {
        return p;
    }

    @Override
    public String boundReached() {
        return !boundHit ? null :  "a CPU had " + window + " instructions in flight (the --arm-window bound), so it could not look "
                + "further ahead; runs with a larger window may find more reorderings";
    }

    // ---------------------------------------------------------------- window words

    private int at(int t, int k) {
        return l.extBase() + (t * window + k) * WORDS;
    }

    private int ins(int[] s, int t, int k) {
        return (s[at(t, k)] & 0xffff) - 1;
    }

    private int flags(int[] s, int t, int k) {
        return (s[at(t, k)] >>> 16) & 0xff;
    }

    private boolean has(int[] s, int t, int k, int flag) {
        return (flags(s, t, k) & flag) != 0;
    }

    private int src(int[] s, int t, int k) {
        return (s[at(t, k)] >>> 24) - 1;
    }

    private int val(int[] s, int t, int k) {
        return s[at(t, k) + 1];
    }

    private int cellOf(int[] s, int t, int k) {
        return s[at(t, k) + 2] - 1;
    }

    private void put(int[] s, int t, int k, int ins, int flags, int src) {
        s[at(t, k)] = (ins + 1) | (flags << 16) | ((src + 1) << 24);
    }

    private void setFlag(int[] s, int t, int k, int flag) {
        s[at(t, k)] |= flag << 16;
    }

    private int count(int[] s, int t) {
        int k = 0;
        while (k < window && (s[at(t, k)] & 0xffff) != 0) {
            k++;
        }
        return k;
    }

    private Kind kind(int[] s, int t, int k) {
        return kinds[t][ins(s, t, k)];
    }

    private Instr instr(int[] s, int t, int k) {
        return code[t][ins(s, t, k)];
    }

    private static boolean access(Kind k) {
        return k == Kind.LOAD || k == Kind.AWAIT || k == Kind.STORE || k == Kind.RMW || k == Kind.LOCK;
    }

    private static boolean storeLike(Kind k) {
        return k == Kind.STORE || k == Kind.RMW || k == Kind.LOCK;
    }

    private static boolean readLike(Kind k) {
        return k == Kind.LOAD || k == Kind.AWAIT || k == Kind.RMW || k == Kind.LOCK;
    }

    // ---------------------------------------------------------------- registers as seen at a window position

    /** Whether every slot is available at position k: not written by an earlier unperformed entry. */
    private boolean known(int[] s, int t, int k, int[] slots) {
        for (int slot : slots) {
            for (int j = k - 1; j >= 0; j--) {
                if (writes(s, t, j, slot)) {
                    if (!has(s, t, j, PERF)) {
                        return false;
                    }
                    break;
                }
            }
        }
        return true;
    }

    private boolean writes(int[] s, int t, int j, int slot) {
        for (int w : deps[t][ins(s, t, j)].writes) {
            if (w == slot) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the state whose registers of thread t hold the values seen at window position k. */
    private int[] renamed(int[] s, int t, int k) {
        int[] r = s.clone();
        for (int j = 0; j < k; j++) {
            if (has(s, t, j, PERF)) {
                int v = kind(s, t, j) == Kind.CLEAR ? 0 : val(s, t, j);
                for (int w : deps[t][ins(s, t, j)].writes) {
                    r[w] = v;
                }
            }
        }
        return r;
    }

    /** The cell an access at position k touches (its address must be known). */
    private int cell(int[] s, int t, int k) {
        Instr i = instr(s, t, k);
        int[] r = renamed(s, t, k);
        if (i instanceof Instr.Load x) {
            return x.ref().resolve(r, view.memory);
        } else if (i instanceof Instr.Store x) {
            return x.ref().resolve(r, view.memory);
        } else if (i instanceof Instr.Rmw x) {
            return x.ref().resolve(r, view.memory);
        } else if (i instanceof Instr.LockOp x) {
            return x.lock().resolve(r, view.memory);
        }
        return -1;
    }

    private boolean addressKnown(int[] s, int t, int j) {
        Kind k = kind(s, t, j);
        if (storeLike(k)) {
            return has(s, t, j, ADDR);
        }
        return has(s, t, j, PERF) || known(s, t, j, deps[t][ins(s, t, j)].address);
    }

    /** The cells an await condition reads, with its indices evaluated at position k. */
    private List<Integer> awaitCells(int[] s, int t, int k) {
        List<Integer> out = new ArrayList<>();
        int[] r = renamed(s, t, k);
        collectCells(((Instr.Await) instr(s, t, k)).cond(), r, out);
        return out;
    }

    private static void collectCells(CExpr e, int[] r, List<Integer> out) {
        if (e instanceof CExpr.Mem m) {
            out.add(m.cell());
        } else if (e instanceof CExpr.MemArray m) {
            int i = m.index().eval(r, (st, c) -> 0);
            if (i >= 0 && i < m.length()) {
                out.add(m.base() + i);
            }
        } else if (e instanceof CExpr.Unary u) {
            collectCells(u.operand(), r, out);
        } else if (e instanceof CExpr.Binary b) {
            collectCells(b.left(), r, out);
            collectCells(b.right(), r, out);
        } else if (e instanceof CExpr.Ite i) {
            collectCells(i.test(), r, out);
            collectCells(i.then(), r, out);
            collectCells(i.otherwise(), r, out);
        }
    }

    /** Whether the entry at j reads or writes {@code cell} (its address being known). */
    private boolean touches(int[] s, int t, int j, int cell) {
        Kind k = kind(s, t, j);
        if (k == Kind.AWAIT) {
            return awaitCells(s, t, j).contains(cell);
        }
        if (storeLike(k) || has(s, t, j, PERF)) {
            return has(s, t, j, PERF) || has(s, t, j, ADDR) ? cellOf(s, t, j) == cell : false;
        }
        return cell(s, t, j) == cell;
    }

    // ---------------------------------------------------------------- reading with forwarding

    private static final int BLOCKED = Integer.MIN_VALUE;

    /**
     * What position k reads at {@code cell}: the data of the newest earlier store
     * to it that has not performed (forwarding), else memory. Sets {@code lastSource}
     * to the store's position or -1; returns BLOCKED when that store's value is not known yet.
     */
    private int lastSource;

    private int readAt(int[] s, int t, int k, int cell) {
        lastSource = -1;
        for (int j = k - 1; j >= 0; j--) {
            Kind kj = kind(s, t, j);
            if (!storeLike(kj) || !has(s, t, j, ADDR) || cellOf(s, t, j) != cell) {
                continue; // a store whose address is unknown is assumed elsewhere; checked when it resolves
            }
            if (has(s, t, j, PERF)) {
                break;
            }
            if (kj != Kind.STORE || !known(s, t, j, deps[t][ins(s, t, j)].data)) {
                return BLOCKED;
            }
            lastSource = j;
            return ((Instr.Store) instr(s, t, j)).value().eval(renamed(s, t, j), view.memory);
        }
        return s[l.memSlot(cell)];
    }

    // ---------------------------------------------------------------- ordering

    private boolean acquireLike(int[] s, int t, int j) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Load x) {
            return x.access() == Instr.Access.ACQUIRE;
        } else if (i instanceof Instr.Rmw x) {
            return x.ordering() == Instr.Ordering.ACQUIRE || x.ordering() == Instr.Ordering.FULL;
        } else if (i instanceof Instr.LockOp x) {
            return x.action().acquires();
        }
        return false;
    }

    private boolean releaseWrite(int[] s, int t, int j) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Store x) {
            return x.access() == Instr.Access.RELEASE;
        } else if (i instanceof Instr.Rmw x) {
            return x.ordering() == Instr.Ordering.RELEASE || x.ordering() == Instr.Ordering.FULL;
        } else if (i instanceof Instr.LockOp x) {
            return !x.action().acquires();
        }
        return false;
    }

    private boolean fullRmw(int[] s, int t, int j) {
        return instr(s, t, j) instanceof Instr.Rmw x && x.ordering() == Instr.Ordering.FULL;
    }

    /**
     * Whether an earlier entry keeps position k from performing now. {@code write}: k
     * writes; {@code release}: k waits for every earlier access (release, or a full RMW);
     * {@code acquire}: k is an acquire read (ordered after earlier release writes).
     */
    private boolean blocked(int[] s, int t, int k, boolean write, boolean release, boolean acquire, int cell) {
        boolean read = readLike(kind(s, t, k));
        for (int j = 0; j < k; j++) {
            Kind kj = kind(s, t, j);
            boolean done = has(s, t, j, PERF);
            if (kj == Kind.FENCE) {
                if (fenceBlocks(s, t, j, write, read)) {
                    return true;
                }
                continue;
            }
            if ((kj == Kind.BRANCH || kj == Kind.AWAIT) && !done && write) {
                return true; // ctrl;[W]: stores are never speculative
            }
            if (!access(kj) || done) {
                continue;
            }
            if (acquireLike(s, t, j) || fullRmw(s, t, j) || release) {
                return true;
            }
            if (acquire && releaseWrite(s, t, j)) {
                return true;
            }
            if (write && (!addressKnown(s, t, j) || touches(s, t, j, cell))) {
                return true; // addr;po;[W] and lws
            }
        }
        return false;
    }

    private boolean fenceBlocks(int[] s, int t, int j, boolean write, boolean read) {
        Instr.FenceKind f = ((Instr.Fence) instr(s, t, j)).kind();
        for (int i = 0; i < j; i++) {
            Kind ki = kind(s, t, i);
            boolean done = has(s, t, i, PERF);
            switch (f) {
                case MB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> {
                    if (access(ki) && !done) {
                        return true;
                    }
                }
                case RMB -> {
                    if (readLike(ki) && !done) {
                        return true;
                    }
                }
                case WMB -> {
                    if (write && storeLike(ki) && !done) {
                        return true;
                    }
                }
                case ISB -> {
                    if (read && (((ki == Kind.BRANCH || ki == Kind.AWAIT) && !done)
                            || (access(ki) && !addressKnown(s, t, i)))) {
                        return true;
                    }
                }
                case MB_AFTER_UNLOCK_LOCK -> {
                    return false;
                }
            }
        }
        return false;
    }

    /** Whether the access at position k may perform now. */
    private boolean canPerform(int[] s, int t, int k) {
        Instr i = instr(s, t, k);
        Deps d = deps[t][ins(s, t, k)];
        try {
            if (!known(s, t, k, d.address)) {
                return false;
            }
            if (i instanceof Instr.Load x) {
                int c = cell(s, t, k);
                if (readAt(s, t, k, c) == BLOCKED) {
                    return false;
                }
                return !blocked(s, t, k, false, false, x.access() == Instr.Access.ACQUIRE, c);
            } else if (i instanceof Instr.Await a) {
                boolean[] stuck = {false};
                MemoryReader fwd = (st, c) -> {
                    int v = readAt(s, t, k, c);
                    stuck[0] |= v == BLOCKED;
                    return v == BLOCKED ? 0 : v;
                };
                boolean holds = a.cond().eval(renamed(s, t, k), fwd) != 0;
                return !stuck[0] && holds && !blocked(s, t, k, false, false, false, -1);
            } else if (i instanceof Instr.Store x) {
                if (!known(s, t, k, d.data)) {
                    return false;
                }
                return !blocked(s, t, k, true, x.access() == Instr.Access.RELEASE, false, cell(s, t, k));
            } else if (i instanceof Instr.Rmw x) {
                if (!known(s, t, k, d.data)) {
                    return false;
                }
                int c = cell(s, t, k);
                int[] r = renamed(s, t, k);
                int expected = x.expected() == null ? 0 : x.expected().eval(r, view.memory);
                boolean writes = x.writes(s[l.memSlot(c)], expected);
                boolean release = writes && (x.ordering() == Instr.Ordering.RELEASE
                        || x.ordering() == Instr.Ordering.FULL);
                // a failed cmpxchg is a plain load with no ordering; the write part of an RMW is never speculative
                return !blocked(s, t, k, true, release, writes && x.ordering() == Instr.Ordering.ACQUIRE, c);
            } else if (i instanceof Instr.LockOp op) {
                int c = cell(s, t, k);
                int[] r = renamed(s, t, k);
                if (op.action().acquires()) {
                    if (!op.action().trylock() && !sc.lockFree(r, t, op)) {
                        return false;
                    }
                    return !blocked(s, t, k, true, false, true, c);
                }
                return !blocked(s, t, k, true, true, false, c);
            }
        } catch (ModelFault f) {
            return true; // performing reports the fault
        }
        return false;
    }

    // ---------------------------------------------------------------- exploring

    @Override
    public int[] initial() {
        int[] s = p.initialState();
        for (int t = 0; t < n; t++) {
            try {
                if (!settle(s, t, null)) {
                    throw new IllegalStateException("the initial state is discarded");
                }
            } catch (ModelFault f) {
                s[Layout.STATUS] = status(f.property(), t, s[l.pcSlot(t)]);
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
            int c = count(s, t);
            for (int k = 0; k < c; k++) {
                if (access(kind(s, t, k)) && !has(s, t, k, PERF) && canPerform(s, t, k)) {
                    out[count++] = (t << 16) | k;
                }
            }
            if (c < window && pendingBranch(s, t) >= 0 && !orderedAfterPending(s, t, c)) {
                out[count++] = (t << 16) | window;
                out[count++] = (t << 16) | (window + 1);
            }
            if (c == 0) {
                Instr head = code[t][s[l.pcSlot(t)]];
                int choices = 0;
                if (head instanceof Instr.Either e) {
                    choices = e.targets().length;
                } else if (head instanceof Instr.Choose ch) {
                    choices = ch.hi() - ch.lo() + 1;
                } else if (head instanceof Instr.Atomic a) {
                    try {
                        choices = sc.guard(s, t, a, false) ? 1 : 0;
                    } catch (ModelFault f) {
                        choices = 1;
                    }
                }
                for (int x = 0; x < choices; x++) {
                    out[count++] = (t << 16) | (headBase + x);
                }
            }
        }
        // the MMU's own fills: steps of the memory subsystem, unordered with every CPU's accesses
        for (int i = 0; i < p.mmu().size(); i++) {
            Program.MmuFill f = p.mmu().get(i);
            boolean on;
            try {
                on = sc.guard(s, f.cpu(), f.step(), false);
            } catch (ModelFault e) {
                on = false;
            }
            if (on) {
                out[count++] = (n << 16) | i;
            }
        }
        return count;
    }

    @Override
    public int[] next(int[] s, int transition) {
        return step(s, transition, null);
    }

    private int[] step(int[] s, int transition, List<Effect> fx) {
        int t = transition >>> 16;
        int k = transition & 0xffff;
        int[] s2 = s.clone();
        if (t == n) {
            Program.MmuFill f = p.mmu().get(k);
            sc.atomic(s2, f.cpu(), f.step(), fx); // TLB state only: nothing in memory changes
            return s2;
        }
        int line = 0;
        try {
            boolean kept;
            if (k < window) {
                line = instr(s2, t, k).src().line();
                kept = perform(s2, t, k, fx);
            } else if (k < headBase) {
                kept = guess(s2, t, k - window == 0, fx);
            } else {
                line = code[t][s2[l.pcSlot(t)]].src().line();
                kept = head(s2, t, k - headBase, fx);
            }
            if (kept) {
                kept = settle(s2, t, fx);
            }
            if (!kept) {
                if (fx != null) {
                    fx.add(new Effect(Effect.DISCARD, "", "this path contradicts an earlier guess or read, "
                            + "so it is not a real execution"));
                }
                return null;
            }
            return s2;
        } catch (ModelFault f) {
            if (fx != null) {
                fx.add(new Effect(Effect.FAULT, "", f.getMessage()));
            }
            int[] failed = s.clone();
            failed[Layout.STATUS] = status(f.property(), t, line);
            return failed;
        }
    }

    private static int status(String property, int thread, int line) {
        int code = Machine.FAULTS.indexOf(property);
        return (code + 1) | ((thread + 1) << 8) | (Math.min(line, 0x7fff) << 16);
    }

    /** Performs the access at position k; false when the execution must be discarded. */
    private boolean perform(int[] s, int t, int k, List<Effect> fx) {
        Instr i = instr(s, t, k);
        if (i instanceof Instr.Load x) {
            int c = cell(s, t, k);
            int v = readAt(s, t, k, c);
            int from = lastSource;
            s[at(t, k) + 1] = v;
            s[at(t, k) + 2] = c + 1;
            put(s, t, k, ins(s, t, k), flags(s, t, k) | PERF, from);
            if (fx != null) {
                String how = from >= 0 ? " (forwarded from its own store at line " + instr(s, t, from).src().line()
                        + ")" : "";
                fx.add(new Effect(Effect.READ, view.cellName(c), view.format(c, v) + how));
                if (!view.hidden(t, x.reg())) {
                    fx.add(new Effect(Effect.REG, view.regName(t, x.reg()), view.slotValue(x.reg(), v)));
                }
            }
            return from >= 0 || !overtaken(s, t, k, c);
        } else if (i instanceof Instr.Await a) {
            List<Integer> fromMemory = new ArrayList<>();
            MemoryReader fwd = (st, c) -> {
                int v = readAt(s, t, k, c);
                if (lastSource < 0) {
                    fromMemory.add(c);
                }
                if (fx != null) {
                    fx.add(new Effect(Effect.READ, view.cellName(c), view.format(c, v)));
                }
                return v;
            };
            a.cond().eval(renamed(s, t, k), fwd);
            s[at(t, k) + 2] = fromMemory.isEmpty() ? 0 : fromMemory.get(0) + 1;
            setFlag(s, t, k, PERF);
            for (int c : fromMemory) {
                if (overtaken(s, t, k, c)) {
                    return false;
                }
            }
            return true;
        } else if (i instanceof Instr.Store x) {
            int c = cell(s, t, k);
            int v = x.value().eval(renamed(s, t, k), view.memory);
            s[l.memSlot(c)] = v;
            s[at(t, k) + 2] = c + 1;
            setFlag(s, t, k, PERF | ADDR);
            markStale(s, t, c);
            if (fx != null) {
                fx.add(new Effect(Effect.WRITE, view.cellName(c), view.format(c, v)));
            }
            return true;
        } else if (i instanceof Instr.Rmw x) {
            int c = cell(s, t, k);
            int[] r = renamed(s, t, k);
            int before = r[l.memSlot(c)];
            sc.rmw(r, t, x, view.memory, fx);
            return finishAtomic(s, t, k, c, before, r, x.reg());
        } else if (i instanceof Instr.LockOp op) {
            int c = cell(s, t, k);
            int[] r = renamed(s, t, k);
            int before = r[l.memSlot(c)];
            sc.lock(r, t, op, fx);
            return finishAtomic(s, t, k, c, before, r, op.reg());
        }
        throw new IllegalStateException("not an access: " + i);
    }

    /** Copies an RMW's or lock operation's result from the renamed copy it ran on. */
    private boolean finishAtomic(int[] s, int t, int k, int c, int before, int[] r, int reg) {
        int after = r[l.memSlot(c)];
        s[l.memSlot(c)] = after;
        s[at(t, k) + 1] = reg >= 0 ? r[reg] : 0;
        s[at(t, k) + 2] = c + 1;
        put(s, t, k, ins(s, t, k), flags(s, t, k) | PERF | ADDR, -1);
        if (after != before) {
            markStale(s, t, c);
        }
        return !overtaken(s, t, k, c);
    }

    /**
     * Coherence of reads (CoRR, the Exp-haz-ob rule of aarch64.cat): a read that
     * takes memory's value must not be newer than what a later read of the same
     * cell by this CPU already took. That later read is stale when a newer write
     * arrived after it performed.
     */
    private boolean overtaken(int[] s, int t, int k, int c) {
        int count = count(s, t);
        for (int j = k + 1; j < count; j++) {
            if (readLike(kind(s, t, j)) && has(s, t, j, PERF) && has(s, t, j, STALE) && cellOf(s, t, j) == c) {
                return true;
            }
        }
        return false;
    }

    /** A write to {@code c} by CPU t makes every other CPU's performed read of c (from memory) stale. */
    private void markStale(int[] s, int t, int c) {
        for (int u = 0; u < n; u++) {
            if (u == t) {
                continue;
            }
            int count = count(s, u);
            for (int j = 0; j < count; j++) {
                if (readLike(kind(s, u, j)) && has(s, u, j, PERF) && cellOf(s, u, j) == c) {
                    int from = src(s, u, j);
                    if (from < 0 || has(s, u, from, PERF)) {
                        setFlag(s, u, j, STALE);
                    }
                }
            }
        }
    }

    /** Speculates past the unresolved branch that stops this CPU's fetch. */
    private boolean guess(int[] s, int t, boolean taken, List<Effect> fx) {
        int x = pendingBranch(s, t);
        int c = count(s, t);
        put(s, t, c, x, GUESSED | (taken ? TAKEN : 0), -1);
        if (fx != null) {
            int to = taken ? x + 1 : ((Instr.Branch) code[t][x]).elseTarget();
            fx.add(new Effect(Effect.NOTE, "", "guesses the branch continues at line "
                    + code[t][follow(s, t, to, c + 1)].src().line()));
        }
        return true;
    }

    /** Runs the instruction a CPU with an empty window is stopped at: either, choose, atomic. */
    private boolean head(int[] s, int t, int choice, List<Effect> fx) {
        int pcSlot = l.pcSlot(t);
        Instr i = code[t][s[pcSlot]];
        if (i instanceof Instr.Either e) {
            s[pcSlot] = e.targets()[choice];
            return true;
        } else if (i instanceof Instr.Choose ch) {
            s[ch.reg()] = ch.lo() + choice;
            s[pcSlot]++;
            if (fx != null) {
                fx.add(new Effect(Effect.REG, view.regName(t, ch.reg()), view.slotValue(ch.reg(), s[ch.reg()])));
            }
            return true;
        } else if (i instanceof Instr.Atomic a) {
            int[] before = s.clone();
            boolean kept = sc.atomic(s, t, a, fx);
            for (int c = 0; c < p.memory().size(); c++) {
                if (s[l.memSlot(c)] != before[l.memSlot(c)]) {
                    markStale(s, t, c);
                }
            }
            s[pcSlot]++;
            return kept;
        }
        throw new IllegalStateException("not a head instruction: " + i);
    }

    // ---------------------------------------------------------------- settling: compute, resolve, retire, fetch

    /**
     * Brings CPU t's window up to date after a step: computes register
     * operations whose inputs are known, resolves guessed branches (a wrong
     * guess discards the execution), notes store addresses as they become
     * known, retires performed instructions from the head (running ghost
     * updates, assertions and assumptions there, in program order), and fetches.
     */
    private boolean settle(int[] s, int t, List<Effect> fx) {
        for (int guard = 0; guard < FOLD_LIMIT; guard++) {
            boolean changed = false;
            int c = count(s, t);
            for (int k = 0; k < c; k++) {
                int r = resolve(s, t, k);
                if (r < 0) {
                    return false;
                }
                changed |= r > 0;
            }
            while (count(s, t) > 0) {
                int r = retireHead(s, t, fx);
                if (r < 0) {
                    return false;
                }
                if (r == 0) {
                    break;
                }
                changed = true;
            }
            changed |= fetch(s, t);
            if (!changed) {
                return true;
            }
        }
        throw new ModelFault("livelock", "a loop that reads only registers never reaches a step");
    }

    /** 1: something changed, 0: nothing, -1: discard the execution. */
    private int resolve(int[] s, int t, int k) {
        Kind kind = kind(s, t, k);
        Deps d = deps[t][ins(s, t, k)];
        if (kind == Kind.LOCAL && !has(s, t, k, PERF) && known(s, t, k, d.data)) {
            Instr.Assign a = (Instr.Assign) instr(s, t, k);
            s[at(t, k) + 1] = a.value().eval(renamed(s, t, k), view.memory);
            setFlag(s, t, k, PERF);
            return 1;
        }
        if (kind == Kind.BRANCH && !has(s, t, k, PERF) && known(s, t, k, d.data)) {
            boolean cond = ((Instr.Branch) instr(s, t, k)).cond().eval(renamed(s, t, k), view.memory) != 0;
            if (cond != has(s, t, k, TAKEN)) {
                return -1;
            }
            setFlag(s, t, k, PERF);
            return 1;
        }
        if (storeLike(kind) && !has(s, t, k, ADDR) && known(s, t, k, d.address)) {
            int c = cell(s, t, k);
            s[at(t, k) + 2] = c + 1;
            setFlag(s, t, k, ADDR);
            return readBeforeAddress(s, t, k, c) ? -1 : 1;
        }
        return 0;
    }

    /**
     * dob's addr;[M];lrs;[R]: a read of a cell after a store to it (with no store
     * in between) is ordered after the store's address. If such a read already
     * performed before this address was known, the execution is not possible.
     */
    private boolean readBeforeAddress(int[] s, int t, int k, int c) {
        int count = count(s, t);
        for (int j = k + 1; j < count; j++) {
            Kind kj = kind(s, t, j);
            if (storeLike(kj) && has(s, t, j, ADDR) && cellOf(s, t, j) == c) {
                return false; // an intervening store to the cell
            }
            if (readLike(kj) && has(s, t, j, PERF) && touches(s, t, j, c)) {
                return true;
            }
        }
        return false;
    }

    /** 1: retired the head, 0: the head must wait, -1: discard (a failed assumption). */
    private int retireHead(int[] s, int t, List<Effect> fx) {
        Kind kind = kind(s, t, 0);
        Instr i = instr(s, t, 0);
        switch (kind) {
            case FENCE -> { }
            case CLEAR -> {
                for (int w : deps[t][ins(s, t, 0)].writes) {
                    s[w] = 0;
                }
            }
            case INORDER -> {
                if (!inOrder(s, t, i, fx)) {
                    return -1;
                }
            }
            default -> {
                if (!has(s, t, 0, PERF)) {
                    return 0;
                }
                for (int w : deps[t][ins(s, t, 0)].writes) {
                    s[w] = val(s, t, 0);
                }
            }
        }
        int after = kind == Kind.BRANCH ? (has(s, t, 0, TAKEN) ? ins(s, t, 0) + 1
                : ((Instr.Branch) i).elseTarget()) : ins(s, t, 0) + 1;
        int c = count(s, t);
        for (int k = 1; k < c; k++) {
            int from = src(s, t, k);
            int base = at(t, k);
            int w0 = s[base];
            int src = from <= 0 ? -1 : from - 1;
            System.arraycopy(s, base, s, at(t, k - 1), WORDS);
            s[at(t, k - 1)] = (w0 & 0x00ffffff) | ((src + 1) << 24);
        }
        s[at(t, c - 1)] = 0;
        s[at(t, c - 1) + 1] = 0;
        s[at(t, c - 1) + 2] = 0;
        s[l.pcSlot(t)] = c > 1 ? ins(s, t, 0) : follow(s, t, after, 0);
        return 1;
    }

    /** Ghost updates, assertions and assumptions run at the head, in program order. */
    private boolean inOrder(int[] s, int t, Instr i, List<Effect> fx) {
        if (i instanceof Instr.Assign a) {
            int slot = a.target().resolve(s, view.memory);
            s[slot] = a.value().eval(s, view.memory);
            if (fx != null) {
                fx.add(new Effect(view.isGhost(slot) ? Effect.GHOST : Effect.REG, view.isGhost(slot)
                        ? view.slotName(slot) : view.regName(t, slot), view.slotValue(slot, s[slot])));
            }
            return true;
        } else if (i instanceof Instr.Assert a) {
            if (a.cond().eval(s, view.memory) == 0) {
                throw Machine.assertionFault(a);
            }
            return true;
        } else if (i instanceof Instr.Assume a) {
            return a.cond().eval(s, view.memory) != 0;
        } else if (i instanceof Instr.Atomic a) {
            // a kit step in program order; the MMU may set a PTE's dirty bit, a write to memory
            int[] before = s.clone();
            boolean kept = sc.atomic(s, t, a, fx);
            for (int c = 0; c < p.memory().size(); c++) {
                if (s[l.memSlot(c)] != before[l.memSlot(c)]) {
                    markStale(s, t, c);
                }
            }
            return kept;
        }
        throw new IllegalStateException("not an in-order instruction: " + i);
    }

    /** Fetches instructions into the window until it is full or fetch must stop; true if any was added. */
    private boolean fetch(int[] s, int t) {
        boolean added = false;
        while (true) {
            int c = count(s, t);
            int x = c == 0 ? follow(s, t, s[l.pcSlot(t)], 0) : follow(s, t, afterEntry(s, t, c - 1), c);
            if (x < 0) {
                if (c == window && !orderedAfterPending(s, t, c)) {
                    boundHit = true; // a full window cannot take a guess past the branch
                }
                return added; // an unresolved branch: a guess may continue
            }
            if (c == 0) {
                s[l.pcSlot(t)] = x;
            }
            if (kinds[t][x] == Kind.STOP) {
                return added;
            }
            if (c > 0 && orderedAfterPending(s, t, c)) {
                return added; // nothing fetched now could perform before that entry anyway
            }
            if (c == window) {
                boundHit = true;
                return added;
            }
            put(s, t, c, x, kinds[t][x] == Kind.CLEAR ? PERF : 0, -1);
            added = true;
        }
    }

    /**
     * Whether an entry before position c is an acquire or fully ordered access that has not performed.
     * Every later access waits for it ({@link #blocked}), and later register updates, branches and ghost
     * steps give the same results when fetched after it performs, so fetching (or guessing a branch) past it
     * only fills the window.
     */
    private boolean orderedAfterPending(int[] s, int t, int c) {
        for (int j = 0; j < c; j++) {
            if (access(kind(s, t, j)) && !has(s, t, j, PERF) && (acquireLike(s, t, j) || fullRmw(s, t, j))) {
                return true;
            }
        }
        return false;
    }

    private int afterEntry(int[] s, int t, int k) {
        int x = ins(s, t, k);
        if (kind(s, t, k) == Kind.BRANCH) {
            return has(s, t, k, TAKEN) ? x + 1 : ((Instr.Branch) code[t][x]).elseTarget();
        }
        return x + 1;
    }

    /**
     * Follows jumps and branches whose condition is known at window position c;
     * returns the instruction reached, or -1 - x for an unresolved branch at x.
     */
    private int follow(int[] s, int t, int x, int c) {
        for (int guard = 0; guard < FOLD_LIMIT; guard++) {
            Instr i = code[t][x];
            if (i instanceof Instr.Jump j) {
                x = j.target();
            } else if (i instanceof Instr.Branch b) {
                if (!known(s, t, c, deps[t][x].data)) {
                    return -1 - x;
                }
                x = b.cond().eval(renamed(s, t, c), view.memory) != 0 ? x + 1 : b.elseTarget();
            } else {
                return x;
            }
        }
        throw new ModelFault("livelock", "a loop that reads only registers never reaches a step");
    }

    /** The unresolved branch that stops fetch, or -1. */
    private int pendingBranch(int[] s, int t) {
        int c = count(s, t);
        int x = c == 0 ? follow(s, t, s[l.pcSlot(t)], 0) : follow(s, t, afterEntry(s, t, c - 1), c);
        return x < 0 ? -1 - x : -1;
    }

    // ---------------------------------------------------------------- properties and traces

    @Override
    public Violation check(int[] s) {
        int status = s[Layout.STATUS];
        if (status != 0) {
            int thread = ((status >>> 8) & 0xff) - 1;
            int line = status >>> 16;
            String property = Machine.FAULTS.get((status & 0xff) - 1);
            return new Violation(property, property.replace('_', ' ') + " in " + view.threadName(thread)
                    + " at line " + line, List.of());
        }
        return view.checkInvariants(s);
    }

    @Override
    public Violation checkTerminal(int[] s) {
        return view.checkTerminal(s, code);
    }

    @Override
    public Step describe(int[] s, int transition) {
        int t = transition >>> 16;
        int k = transition & 0xffff;
        List<Effect> fx = new ArrayList<>();
        if (t == n) {
            Program.MmuFill f = p.mmu().get(k);
            step(s, transition, fx);
            return new Step(f.cpu(), view.threadName(f.cpu()), 0, f.step().src().text(), List.copyOf(fx), "memory");
        }
        String text;
        int line;
        String note = "";
        if (k < window) {
            Instr i = instr(s, t, k);
            text = i.src().text();
            line = i.src().line();
            for (int j = 0; j < k; j++) {
                if (access(kind(s, t, j)) && !has(s, t, j, PERF)) {
                    note = "out of order: performed before line " + instr(s, t, j).src().line();
                    break;
                }
            }
        } else if (k < headBase) {
            int x = pendingBranch(s, t);
            text = "speculates past " + code[t][x].src().text();
            line = code[t][x].src().line();
        } else {
            Instr i = code[t][s[l.pcSlot(t)]];
            text = i instanceof Instr.Either ? "either: branch " + (k - headBase + 1) : i.src().text();
            line = i.src().line();
        }
        step(s, transition, fx);
        return new Step(t, view.threadName(t), line, text, List.copyOf(fx), note);
    }

    @Override
    public Snapshot snapshot(int[] s) {
        Map<String, List<String>> inFlight = new LinkedHashMap<>();
        for (int t = 0; t < n; t++) {
            List<String> w = new ArrayList<>();
            int c = count(s, t);
            for (int k = 0; k < c; k++) {
                Instr i = instr(s, t, k);
                Kind kind = kind(s, t, k);
                if (kind == Kind.CLEAR) {
                    continue;
                }
                String state = has(s, t, k, PERF) ? (kind == Kind.BRANCH ? "resolved" : "performed")
                        : (kind == Kind.BRANCH ? "guessed" : "waiting");
                w.add("line " + i.src().line() + ": " + i.src().text() + " [" + state + "]");
            }
            inFlight.put(view.threadName(t), w);
        }
        return view.snapshot(s, code, inFlight);
    }
}
