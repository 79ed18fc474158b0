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
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * <p>A read-modify-write is two events, a read and a write, atomic (no other
 * write to the location comes between them in coherence) with the read first;
 * see the section on read-modify-writes below for how each is ordered.
 *
 * <p>Window entry words: [instr+1 | flags << 16 | (forwarding source + 1) << 24],
 * value (a register's), [cell + 1 | read-modify-write flags << 24], the value a
 * read-modify-write read (a lock acquire: the lock word it will write).
 */
public final class ArmMachine implements TransitionSystem {
    private static final int PERF = 1;
    private static final int STALE = 2;
    private static final int GUESSED = 4;
    private static final int TAKEN = 8;
    private static final int ADDR = 16;
    private static final int WORDS = 4;
    /** Read-modify-write flags (in the cell word): the read performed, whether it writes is known, it writes, */
    private static final int R_READ = 1;
    private static final int R_DECIDED = 2;
    private static final int R_WRITES = 4;
    /** its register result is known, and was guessed (CAS's register holding the value it compares with). */
    private static final int R_RES = 8;
    private static final int R_GUESS = 16;
    /**
     * Transition codes, the same whatever the window's size (so a trace replays under
     * any bound): ACTION * {@link #SLOTS} + k for entry k's next event, a store
     * exclusive's failure or commit (a CAS's guess); then the two guesses of a branch,
     * then the head's choices.
     */
    private static final int SLOTS = 256;
    private static final int FAIL = 1;
    private static final int DECIDE = 2;
    private static final int GUESS_TAKEN = 3 * SLOTS;
    private static final int HEAD = GUESS_TAKEN + 2;
    private static final int FETCHED = 1;
    private static final int FULL = 2;
    /** What {@link #follow} returns at the jump back of a spin loop that waits for the window to empty. */
    private static final int SPIN_WAIT = Integer.MIN_VALUE;

    /** LOCK is a lock acquire, two events like RMW; UNLOCK a release write. */
    private enum Kind { LOAD, AWAIT, STORE, RMW, LOCK, UNLOCK, FENCE, LOCAL, CLEAR, BRANCH, INORDER, STOP, JUMP }

    private final Program p;
    private final Layout l;
    private final ProgramView view;
    private final int n;
    private final Instr[][] code;
    private final Deps[][] deps;
    private final Kind[][] kinds;
    private final int window;
    private final int maxTransitions;
    /** What instructions do; memory is one flat memory here (no store buffers), so accesses act on it directly. */
    private final Semantics sem;
    /**
     * [cpu]: an invariant reads one of its registers. Assignments to such a register are
     * steps of their own ({@link Kind#INORDER}), as under sc.
     */
    private final boolean[] watched;
    /** The spin loops that go round again only in program order, or null (the differential test's machine). */
    private final SpinLoops spins;
    private volatile boolean boundHit;

    public ArmMachine(Program program, int window) {
        this(program, window, true);
    }

    /**
     * {@code spinLoopsInOrder}: whether a spin loop starts its next iteration only with an
     * empty window ({@link SpinLoops}); off only to test that rule against the machine without it.
     */
    public ArmMachine(Program program, int window, boolean spinLoopsInOrder) {
        if (window < 2 || window > 200) {
            throw new IllegalArgumentException("window must be 2..200");
        }
        this.n = program.threads().size();
        this.window = window;
        this.l = program.layout().withExtension(n * window * WORDS);
        this.p = program.withLayout(l);
        this.view = new ProgramView(p);
        this.sem = new Semantics(view, new Sc(l));
        this.code = new Instr[n][];
        this.deps = new Deps[n][];
        this.kinds = new Kind[n][];
        this.watched = new boolean[n];
        Set<Integer> read = new HashSet<>();
        for (Program.Invariant inv : p.invariants()) {
            Deps.slots(inv.cond(), read);
        }
        for (int t = 0; t < n; t++) {
            for (int r = 0; r < l.regCount(t); r++) {
                watched[t] |= read.contains(l.regSlot(t, r));
            }
        }
        int widest = 2;
        for (int t = 0; t < n; t++) {
            code[t] = p.threads().get(t).code();
            deps[t] = new Deps[code[t].length];
            kinds[t] = new Kind[code[t].length];
            for (int x = 0; x < code[t].length; x++) {
                deps[t][x] = Deps.of(code[t][x], view);
                kinds[t][x] = kindOf(code[t][x], deps[t][x]);
                if (kinds[t][x] == Kind.LOCAL && writesAny(deps[t][x], read)) {
                    // sc shows an invariant every value this register takes, each at a step of its own:
                    // register work that an invariant could see is not folded into a neighbouring step
                    kinds[t][x] = Kind.INORDER;
                }
                if (code[t][x] instanceof Instr.Either e) {
                    widest = Math.max(widest, e.targets().length);
                } else if (code[t][x] instanceof Instr.Choose c) {
                    widest = Math.max(widest, c.hi() - c.lo() + 1);
                }
            }
        }
        this.maxTransitions = n * (3 * window + 2 + widest) + p.mmu().size();
        this.spins = spinLoopsInOrder ? new SpinLoops(code, deps, view, watched) : null;
    }

    private static boolean writesAny(Deps d, Set<Integer> slots) {
        for (int w : d.writes) {
            if (slots.contains(w)) {
                return true;
            }
        }
        return false;
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
        } else if (i instanceof Instr.LockOp x) {
            return x.action().acquires() ? Kind.LOCK : Kind.UNLOCK;
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
        } else if (i instanceof Instr.Atomic a) {
            // a kernel primitive that orders nothing after it (it never waits) runs in program order;
            // a full barrier stops fetch and runs when the window is empty
            return a.fenceOn(false) ? Kind.STOP : Kind.INORDER;
        } else if (i instanceof Instr.End || i instanceof Instr.Either || i instanceof Instr.Choose) {
            return Kind.STOP; // fetch stops; they run when the window is empty
        }
        throw new IllegalStateException("an instruction with no window kind: " + i);
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
        return (s[at(t, k) + 2] & 0xffffff) - 1;
    }

    private void setCell(int[] s, int t, int k, int c) {
        s[at(t, k) + 2] = (s[at(t, k) + 2] & ~0xffffff) | (c + 1);
    }

    private boolean rmwHas(int[] s, int t, int k, int flag) {
        return ((s[at(t, k) + 2] >>> 24) & flag) != 0;
    }

    private void setRmw(int[] s, int t, int k, int flag) {
        s[at(t, k) + 2] |= flag << 24;
    }

    /** What a read-modify-write read (a lock acquire: the lock word it writes). */
    private int old(int[] s, int t, int k) {
        return s[at(t, k) + 3];
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
        return k == Kind.LOAD || k == Kind.AWAIT || k == Kind.STORE || k == Kind.RMW || k == Kind.LOCK
                || k == Kind.UNLOCK;
    }

    private static boolean storeLike(Kind k) {
        return k == Kind.STORE || k == Kind.RMW || k == Kind.LOCK || k == Kind.UNLOCK;
    }

    /** A read-modify-write or a lock acquire: a read event and a write event. */
    private static boolean twoEvents(Kind k) {
        return k == Kind.RMW || k == Kind.LOCK;
    }

    private static boolean readLike(Kind k) {
        return k == Kind.LOAD || k == Kind.AWAIT || k == Kind.RMW || k == Kind.LOCK;
    }

    // ---------------------------------------------------------------- registers as seen at a window position

    /** Whether every slot is available at position k: not written by an earlier entry that has not produced it. */
    private boolean known(int[] s, int t, int k, int[] slots) {
        for (int slot : slots) {
            for (int j = k - 1; j >= 0; j--) {
                if (writes(s, t, j, slot)) {
                    if (!produced(s, t, j, slot)) {
                        return false;
                    }
                    break;
                }
            }
        }
        return true;
    }

    /**
     * Whether entry j has produced its value for a register: when performed, except
     * that a read-modify-write produces its result once known (possibly before its
     * write) and an exclusive pair its status once the store is decided.
     */
    private boolean produced(int[] s, int t, int j, int slot) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Rmw x && slot == x.status()) {
            return rmwHas(s, t, j, R_DECIDED);
        }
        return twoEvents(kind(s, t, j)) ? rmwHas(s, t, j, R_RES) : has(s, t, j, PERF);
    }

    /** The value entry j produced for a register. */
    private int produce(int[] s, int t, int j, int slot) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Rmw x && slot == x.status()) {
            return rmwHas(s, t, j, R_WRITES) ? 0 : 1;
        }
        return kind(s, t, j) == Kind.CLEAR ? 0 : val(s, t, j);
    }

    private boolean writes(int[] s, int t, int j, int slot) {
        for (int w : deps[t][ins(s, t, j)].writes) {
            if (w == slot) {
                return true;
            }
        }
        return false;
    }

    /**
     * A copy of the state whose registers of thread t hold the values seen at window position k. A
     * performed in-order step is at the head and wrote the state itself, so it has nothing to rename.
     */
    private int[] renamed(int[] s, int t, int k) {
        int[] r = s.clone();
        for (int j = 0; j < k; j++) {
            if (kind(s, t, j) == Kind.INORDER) {
                continue; // performed only at the head, where its step wrote the state itself
            }
            for (int w : deps[t][ins(s, t, j)].writes) {
                if (produced(s, t, j, w)) {
                    r[w] = produce(s, t, j, w);
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
        throw new IllegalStateException("not an access: " + i);
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

    /** readAt's answer when the value is not known yet. */
    private static final long BLOCKED = Long.MIN_VALUE;

    private static int value(long read) {
        return (int) read;
    }

    /** The window position a read forwarded from, or -1 for memory. */
    private static int source(long read) {
        return (int) (read >>> 32) - 1;
    }

    private static long read(int value, int source) {
        return ((long) (source + 1) << 32) | (value & 0xffffffffL);
    }

    /**
     * What position k reads at {@code cell}: the data of the newest earlier write to
     * it that has not performed (forwarding), else memory; BLOCKED when that write's
     * value or existence is not known yet. {@code acquire}: k is an acquire load,
     * which aarch64.cat orders after the read of a read-modify-write whose write it
     * reads ({@code aob: [M]; rmw; lrs; [A | Q]}).
     */
    private long readAt(int[] s, int t, int k, int cell, boolean acquire) {
        for (int j = k - 1; j >= 0; j--) {
            Kind kj = kind(s, t, j);
            if (!storeLike(kj) || !has(s, t, j, ADDR) || cellOf(s, t, j) != cell) {
                continue; // a store whose address is unknown is assumed elsewhere; checked when it resolves
            }
            if (twoEvents(kj) && rmwHas(s, t, j, R_DECIDED) && !rmwHas(s, t, j, R_WRITES)) {
                continue; // it writes nothing (a failed cmpxchg or store exclusive, a busy trylock)
            }
            if (has(s, t, j, PERF)) {
                break;
            }
            if (kj == Kind.RMW) {
                return forwardRmw(s, t, j, acquire);
            }
            if (kj != Kind.STORE || !known(s, t, j, deps[t][ins(s, t, j)].data)) {
                return BLOCKED;
            }
            return read(((Instr.Store) instr(s, t, j)).value().eval(renamed(s, t, j), view.memory), j);
        }
        return read(s[l.memSlot(cell)], -1);
    }

    // ---------------------------------------------------------------- ordering

    /** Whether entry j's read is an acquire: LDAR, LDAPR, an RMW's acquire read, a lock acquire. */
    private boolean acquireRead(int[] s, int t, int j) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Load x) {
            return x.access().acquire();
        } else if (i instanceof Instr.Rmw x) {
            return ArmRmw.acquire(x);
        }
        return i instanceof Instr.LockOp x && x.action().acquires();
    }

    /** Whether entry j's write is a release: STLR, an RMW's release write, an unlock. */
    private boolean releaseWrite(int[] s, int t, int j) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Store x) {
            return x.access() == Instr.Access.RELEASE;
        } else if (i instanceof Instr.Rmw x) {
            return ArmRmw.release(x);
        }
        return i instanceof Instr.LockOp x && !x.action().acquires();
    }

    private boolean fullRmw(int[] s, int t, int j) {
        return instr(s, t, j) instanceof Instr.Rmw x && ArmRmw.full(x);
    }

    /** Whether entry j has a read that has not happened: a load, an await, an RMW's or lock acquire's read. */
    private boolean readPending(int[] s, int t, int j) {
        Kind k = kind(s, t, j);
        if (k == Kind.LOAD || k == Kind.AWAIT) {
            return !has(s, t, j, PERF);
        }
        return twoEvents(k) && !rmwHas(s, t, j, R_READ);
    }

    /** Whether entry j may still write: a store, an unlock, an RMW or lock acquire not known to write nothing. */
    private boolean writePending(int[] s, int t, int j) {
        Kind k = kind(s, t, j);
        if (k == Kind.STORE || k == Kind.UNLOCK) {
            return !has(s, t, j, PERF);
        }
        return twoEvents(k) && !has(s, t, j, PERF)
                && !(rmwHas(s, t, j, R_DECIDED) && !rmwHas(s, t, j, R_WRITES));
    }

    private boolean pending(int[] s, int t, int j) {
        return readPending(s, t, j) || writePending(s, t, j);
    }

    /** Whether entry j's read has happened (a load or await performed, an RMW or lock acquire read). */
    private boolean readDone(int[] s, int t, int j) {
        Kind k = kind(s, t, j);
        if (k == Kind.LOAD || k == Kind.AWAIT) {
            return has(s, t, j, PERF);
        }
        return twoEvents(k) && rmwHas(s, t, j, R_READ);
    }

    /**
     * Whether entry j orders later accesses only if it succeeds: a cmpxchg, add_unless
     * or trylock whose success is an acquire (or fully ordered) but whose failure is
     * a plain read. A later read may then run ahead of it; should it succeed, that
     * execution is discarded ({@link #ranAhead}), as when a branch was guessed wrong:
     * arm64's LL/SC cmpxchg fails by branching past its store and barrier, and
     * spin_trylock, mutex_trylock, down_read_trylock, read_trylock and write_trylock
     * read the lock word and return when it is busy. down_write_trylock is a bare
     * atomic_long_try_cmpxchg_acquire (rwsem_write_trylock()): an acquire even when
     * it fails.
     */
    private boolean orderedOnlyOnSuccess(int[] s, int t, int j) {
        Instr i = instr(s, t, j);
        if (i instanceof Instr.Rmw x) {
            return x.conditional() && ArmRmw.acquire(x) && !ArmRmw.failedReadIsAcquire(x);
        }
        return i instanceof Instr.LockOp x && x.action().trylock()
                && !(x.action() == Instr.LockAction.DOWN_WRITE_TRYLOCK
                && p.memory().get(x.lock().base()).kind() == Program.CellKind.RWSEM);
    }

    /**
     * Whether a pending entry j keeps a later access back by what it is:
     * {@code bob: [A | Q]; po; [M]} while its acquire read is pending, and a fully
     * ordered RMW's two events ({@code [range([A]; amo; [L])]; po; [M]}). A later
     * read ({@code laterRead}) may run ahead of one that orders only on success.
     */
    private boolean holdsBack(int[] s, int t, int j, boolean laterRead) {
        boolean read = readPending(s, t, j);
        boolean ordered = read && acquireRead(s, t, j) || fullRmw(s, t, j) && (read || writePending(s, t, j));
        return ordered && !(laterRead && read && orderedOnlyOnSuccess(s, t, j));
    }

    /**
     * Whether an earlier entry keeps an event of position k from happening now.
     * {@code read}, {@code write}: the event reads, writes (a fully ordered RMW does
     * both at once); {@code release}: k's write waits for every earlier access;
     * {@code acquire}: k's read is an A (ordered after earlier release writes).
     */
    private boolean blocked(int[] s, int t, int k, boolean read, boolean write, boolean release, boolean acquire,
                            int cell) {
        for (int j = 0; j < k; j++) {
            Kind kj = kind(s, t, j);
            if (kj == Kind.FENCE) {
                if (fenceBlocks(s, t, j, write, read)) {
                    return true;
                }
                continue;
            }
            if ((kj == Kind.BRANCH || kj == Kind.AWAIT) && !has(s, t, j, PERF) && write) {
                return true; // ctrl;[W]: stores are never speculative
            }
            if (!access(kj)) {
                continue;
            }
            if (holdsBack(s, t, j, read && !write)) {
                return true;
            }
            boolean rp = readPending(s, t, j);
            boolean wp = writePending(s, t, j);
            if (!rp && !wp) {
                continue;
            }
            if (release) {
                return true; // [M]; po; [L]
            }
            if (acquire && wp && releaseWrite(s, t, j)) {
                return true; // [L]; po; [A]
            }
            if (write && (!addressKnown(s, t, j) || touches(s, t, j, cell))) {
                return true; // addr;po;[W] and lws
            }
        }
        return write && taintBlocks(s, t, k);
    }

    private boolean fenceBlocks(int[] s, int t, int j, boolean write, boolean read) {
        Instr.FenceKind f = ((Instr.Fence) instr(s, t, j)).kind();
        for (int i = 0; i < j; i++) {
            Kind ki = kind(s, t, i);
            switch (f) {
                case MB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC, MB_AFTER_SPINLOCK -> {
                    if (access(ki) && pending(s, t, i)) {
                        return true;
                    }
                }
                case RMB -> {
                    // [R \ NoRet]; po; [dmb.ld]; po; [M]: a no-return atomic's read is not ordered
                    if (readPending(s, t, i) && !(instr(s, t, i) instanceof Instr.Rmw x && ArmRmw.noReturn(x))) {
                        return true;
                    }
                }
                case WMB -> {
                    if (write && writePending(s, t, i)) {
                        return true;
                    }
                }
                case ISB -> {
                    if (read && (((ki == Kind.BRANCH || ki == Kind.AWAIT) && !has(s, t, i, PERF))
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

    /** Whether the next event of the access at position k may happen now. */
    private boolean canPerform(int[] s, int t, int k) {
        Instr i = instr(s, t, k);
        Deps d = deps[t][ins(s, t, k)];
        try {
            if (!known(s, t, k, d.address)) {
                return false;
            }
            if (i instanceof Instr.Load x) {
                int c = cell(s, t, k);
                if (readAt(s, t, k, c, x.access().acquire()) == BLOCKED) {
                    return false;
                }
                return !blocked(s, t, k, true, false, false, x.access() == Instr.Access.ACQUIRE, c);
            } else if (i instanceof Instr.Await a) {
                if (k > 0 && d.touchesGhost) {
                    return false; // a test of ghost state is in program order: at the head of the window
                }
                boolean[] stuck = {false};
                MemoryReader fwd = (st, c) -> {
                    long v = readAt(s, t, k, c, false);
                    stuck[0] |= v == BLOCKED;
                    return v == BLOCKED ? 0 : value(v);
                };
                boolean holds = a.cond().eval(renamed(s, t, k), fwd) != 0;
                return !stuck[0] && holds && !blocked(s, t, k, true, false, false, false, -1);
            } else if (i instanceof Instr.Store x) {
                if (!known(s, t, k, d.data)) {
                    return false;
                }
                return !blocked(s, t, k, false, true, x.access() == Instr.Access.RELEASE, false, cell(s, t, k));
            } else if (i instanceof Instr.Rmw x) {
                return canRmw(s, t, k, x);
            } else if (i instanceof Instr.LockOp op) {
                if (op.action().acquires()) {
                    return canLock(s, t, k, op);
                }
                return !blocked(s, t, k, false, true, true, false, cell(s, t, k));
            }
        } catch (ModelFault f) {
            return true; // performing reports the fault
        }
        throw new IllegalStateException("not an access: " + i);
    }

    // ---------------------------------------------------------------- exploring

    @Override
    public int[] initial() {
        int[] s = p.initialState();
        for (int t = 0; t < n; t++) {
            try {
                if (!settle(s, t, null, true)) {
                    throw new IllegalStateException("the initial state is discarded");
                }
            } catch (ModelFault f) {
                s[Layout.STATUS] = Semantics.status(f.property(), t, s[l.pcSlot(t)]);
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
                if (!access(kind(s, t, k)) || has(s, t, k, PERF)) {
                    continue;
                }
                if (canPerform(s, t, k)) {
                    out[count++] = (t << 16) | k;
                }
                if (instr(s, t, k) instanceof Instr.Rmw x) {
                    if (x.exclusive() && !rmwHas(s, t, k, R_DECIDED)) {
                        out[count++] = (t << 16) | (FAIL * SLOTS + k);
                        if (!(rmwHas(s, t, k, R_READ) && has(s, t, k, STALE))) {
                            out[count++] = (t << 16) | (DECIDE * SLOTS + k);
                        }
                    } else if (canGuessResult(s, t, k, x)) {
                        out[count++] = (t << 16) | (DECIDE * SLOTS + k);
                    }
                }
            }
            if (c > 0 && headStep(s, t)) {
                out[count++] = t << 16;
            }
            if (c < window && pendingBranch(s, t) >= 0 && !orderedAfterPending(s, t, c)) {
                out[count++] = (t << 16) | GUESS_TAKEN;
                out[count++] = (t << 16) | (GUESS_TAKEN + 1);
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
                        choices = sem.guard(s, t, a, false) ? 1 : 0;
                    } catch (ModelFault f) {
                        choices = 1;
                    }
                }
                for (int x = 0; x < choices; x++) {
                    out[count++] = (t << 16) | (HEAD + x);
                }
            }
        }
        // the MMU's own fills: steps of the memory subsystem, unordered with every CPU's accesses
        for (int i = 0; i < p.mmu().size(); i++) {
            Program.MmuFill f = p.mmu().get(i);
            boolean on;
            try {
                on = sem.guard(s, f.cpu(), f.step(), false);
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
            sem.atomic(s2, f.cpu(), f.step(), fx); // TLB state only: nothing in memory changes
            return s2;
        }
        int line = 0;
        try {
            boolean kept;
            if (k < GUESS_TAKEN) {
                line = instr(s2, t, k % SLOTS).src().line();
                kept = switch (k / SLOTS) {
                    case 0 -> perform(s2, t, k, fx);
                    case FAIL -> failExclusive(s2, t, k % SLOTS, fx);
                    case DECIDE -> decide(s2, t, k % SLOTS, fx);
                    default -> throw new IllegalStateException("not a transition: " + transition);
                };
            } else if (k < HEAD) {
                kept = guess(s2, t, k == GUESS_TAKEN, fx);
            } else {
                line = code[t][s2[l.pcSlot(t)]].src().line();
                kept = head(s2, t, k - HEAD, fx);
            }
            if (kept) {
                kept = settle(s2, t, fx, false);
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
            failed[Layout.STATUS] = Semantics.status(f.property(), t, line);
            return failed;
        }
    }

    /**
     * Whether the head of CPU t's window is a step of its own: a ghost update, kit
     * primitive, assertion or assumption (they are seen by, or see, other CPUs), or
     * finished register work that settling left at the head (in the initial state,
     * or when a register-only loop came around: see {@link #settle}).
     */
    private boolean headStep(int[] s, int t) {
        Kind kind = kind(s, t, 0);
        if (kind == Kind.INORDER) {
            try {
                return !(instr(s, t, 0) instanceof Instr.Atomic a) || sem.guard(s, t, a, false);
            } catch (ModelFault f) {
                return true; // performing reports the fault
            }
        }
        return registerWork(kind) && finished(s, t, 0);
    }

    /** Entries that touch nothing another CPU sees: they need no step, only their inputs. */
    private static boolean registerWork(Kind k) {
        return k == Kind.LOCAL || k == Kind.BRANCH || k == Kind.FENCE || k == Kind.CLEAR;
    }

    /** Whether register work at position k is done (computed, resolved) and only waits to retire. */
    private boolean finished(int[] s, int t, int k) {
        Kind kind = kind(s, t, k);
        return kind == Kind.FENCE || kind == Kind.CLEAR || has(s, t, k, PERF);
    }

    /**
     * Performs the next event of the entry at position k (an access, or the head's own step); false when the
     * execution must be discarded.
     */
    private boolean perform(int[] s, int t, int k, List<Effect> fx) {
        Instr i = instr(s, t, k);
        Kind kind = kind(s, t, k);
        if (kind == Kind.INORDER) {
            boolean kept = inOrder(s, t, i, fx);
            setFlag(s, t, k, PERF);
            return kept;
        } else if (registerWork(kind)) {
            return true; // finished already: settling after this step retires it
        } else if (i instanceof Instr.Load x) {
            int c = cell(s, t, k);
            long r = readAt(s, t, k, c, x.access().acquire());
            int v = value(r);
            int from = source(r);
            s[at(t, k) + 1] = v;
            setCell(s, t, k, c);
            put(s, t, k, ins(s, t, k), flags(s, t, k) | PERF, from);
            if (fx != null) {
                fx.add(new Effect(Effect.READ, view.cellName(c), view.format(c, v) + forwarded(s, t, from)));
                if (!view.hidden(t, x.reg())) {
                    fx.add(new Effect(Effect.REG, view.regName(t, x.reg()), view.slotValue(x.reg(), v)));
                }
            }
            return from >= 0 || !overtaken(s, t, k, c);
        } else if (i instanceof Instr.Await a) {
            List<Integer> fromMemory = new ArrayList<>();
            MemoryReader fwd = (st, c) -> {
                long r = readAt(s, t, k, c, false);
                if (source(r) < 0) {
                    fromMemory.add(c);
                }
                if (fx != null) {
                    fx.add(new Effect(Effect.READ, view.cellName(c), view.format(c, value(r))));
                }
                return value(r);
            };
            a.cond().eval(renamed(s, t, k), fwd);
            setCell(s, t, k, fromMemory.isEmpty() ? -1 : fromMemory.get(0));
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
            setCell(s, t, k, c);
            setFlag(s, t, k, PERF | ADDR);
            markStale(s, t, c);
            if (fx != null) {
                fx.add(new Effect(Effect.WRITE, view.cellName(c), view.format(c, v)));
            }
            return !breaksReservation(s, t, c);
        } else if (i instanceof Instr.Rmw x) {
            if (!rmwWrites(s, t, k)) {
                return readRmw(s, t, k, x, fx);
            }
            if (fx != null) {
                fx.add(new Effect(Effect.NOTE, "", "the atomic's write (it read earlier)"));
            }
            return writeRmw(s, t, k, x, fx);
        } else if (i instanceof Instr.LockOp op) {
            if (op.action().acquires()) {
                return rmwHas(s, t, k, R_READ) ? writeLock(s, t, k, fx) : readLock(s, t, k, op, fx);
            }
            int c = cell(s, t, k);
            int[] r = renamed(s, t, k);
            int before = r[l.memSlot(c)];
            sem.lock(r, t, op, fx);
            int after = r[l.memSlot(c)];
            s[l.memSlot(c)] = after;
            setCell(s, t, k, c);
            put(s, t, k, ins(s, t, k), flags(s, t, k) | PERF | ADDR, -1);
            if (after != before) {
                markStale(s, t, c);
            }
            return !overtaken(s, t, k, c) && !breaksReservation(s, t, c);
        }
        throw new IllegalStateException("not an access: " + i);
    }

    private String forwarded(int[] s, int t, int from) {
        return from < 0 ? "" : " (forwarded from its own " + (kind(s, t, from) == Kind.RMW ? "atomic" : "store")
                + " at line " + instr(s, t, from).src().line() + ")";
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
            if (readDone(s, t, j) && has(s, t, j, STALE) && cellOf(s, t, j) == c) {
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
                if (readDone(s, u, j) && cellOf(s, u, j) == c) {
                    int from = src(s, u, j);
                    if (from < 0 || has(s, u, from, PERF)) {
                        setFlag(s, u, j, STALE);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- read-modify-writes: two events

    /*
     * An RMW (or a lock acquire) is a read event and a write event of one window
     * entry. The read happens first (aob: [M]; rmw; [M]) and the pair is atomic
     * ("empty rmw & (fr; co)"): once the read has taken a value from memory, no other
     * CPU's write to the location may come before the RMW's write. A CPU's write
     * that would is not a real execution, and is discarded ({@link
     * #breaksReservation}); an exclusive pair whose store has not committed can
     * still fail instead. A read forwarded from the CPU's own store reserves the
     * location only once that store is in memory, as markStale has it.
     *
     * The events are ordered like any read and write (blocked), with the RMW's
     * own ordering from ArmRmw: acquire on the read, release on the write; a fully
     * ordered RMW performs both at once, as late as its write may, since nothing
     * could tell an earlier read apart (no write to the location can come between,
     * and every later access waits for the write) -- unless it fails, when it is
     * only a read, as early as that may be.
     */

    /** Whether the next event of RMW entry k is its write (its read has happened). */
    private boolean rmwWrites(int[] s, int t, int k) {
        return rmwHas(s, t, k, R_READ);
    }

    private boolean canRmw(int[] s, int t, int k, Instr.Rmw x) {
        Deps d = deps[t][ins(s, t, k)];
        int c = cell(s, t, k);
        if (rmwWrites(s, t, k)) {
            if (!rmwHas(s, t, k, R_WRITES) || has(s, t, k, STALE) || !known(s, t, k, d.operand)) {
                return false; // undecided, writes nothing, an exclusive not committed, or the reservation lost
            }
            return !blocked(s, t, k, false, true, ArmRmw.release(x), false, c);
        }
        long r = readAt(s, t, k, c, ArmRmw.acquire(x));
        if (r == BLOCKED) {
            return false;
        }
        if (ArmRmw.full(x)) {
            if (!known(s, t, k, d.expected) || !known(s, t, k, d.operand)) {
                return false;
            }
            if (x.writes(value(r), expected(s, t, k, x))) {
                return !blocked(s, t, k, true, true, true, true, c);
            }
            return !blocked(s, t, k, true, false, false, ArmRmw.failedReadIsAcquire(x), c);
        }
        return !blocked(s, t, k, true, false, false, ArmRmw.acquire(x), c);
    }

    private int expected(int[] s, int t, int k, Instr.Rmw x) {
        return x.expected() == null ? 0 : x.expected().eval(renamed(s, t, k), view.memory);
    }

    /** The read of RMW entry k (for a fully ordered one that writes, its write too). */
    private boolean readRmw(int[] s, int t, int k, Instr.Rmw x, List<Effect> fx) {
        int c = cell(s, t, k);
        long r = readAt(s, t, k, c, ArmRmw.acquire(x));
        int v = value(r);
        int from = source(r);
        s[at(t, k) + 3] = v;
        setCell(s, t, k, c);
        put(s, t, k, ins(s, t, k), flags(s, t, k) | ADDR, from);
        setRmw(s, t, k, R_READ);
        if (fx != null) {
            fx.add(new Effect(Effect.READ, view.cellName(c), view.format(c, v) + forwarded(s, t, from)));
        }
        if (from < 0 && overtaken(s, t, k, c)) {
            return false;
        }
        if (ArmRmw.full(x)) {
            if (!decideRmw(s, t, k, x)) {
                return false;
            }
            result(s, t, k, x, fx);
            if (!rmwHas(s, t, k, R_WRITES)) {
                setFlag(s, t, k, PERF);
                return true;
            }
            return writeRmw(s, t, k, x, fx);
        }
        return settleRmw(s, t, k, x, fx) >= 0;
    }

    /**
     * After RMW entry k's read: decides whether it writes once what it compares
     * with is known, works out its register once it can (the value read needs
     * nothing more), and completes it when it writes nothing. 1: something
     * changed, 0: nothing, -1: discard the execution.
     */
    private int settleRmw(int[] s, int t, int k, Instr.Rmw x, List<Effect> fx) {
        Deps d = deps[t][ins(s, t, k)];
        int changed = 0;
        if (!rmwHas(s, t, k, R_DECIDED) && !x.exclusive() && known(s, t, k, d.expected)) {
            if (!decideRmw(s, t, k, x)) {
                return -1;
            }
            changed = 1;
        }
        boolean fromRead = x.result() == Instr.RmwResult.OLD || x.result() == Instr.RmwResult.NONE;
        boolean needsOperand = x.result() == Instr.RmwResult.NEW || x.result() == Instr.RmwResult.NEW_IS_ZERO;
        if (!rmwHas(s, t, k, R_RES) && (fromRead || rmwHas(s, t, k, R_DECIDED))
                && (!needsOperand || known(s, t, k, d.operand))) {
            result(s, t, k, x, fx);
            changed = 1;
        }
        if (rmwHas(s, t, k, R_DECIDED) && !rmwHas(s, t, k, R_WRITES) && rmwHas(s, t, k, R_RES)) {
            setFlag(s, t, k, PERF);
            changed = 1;
        }
        return changed;
    }

    /**
     * Decides whether RMW entry k (its read done, what it compares with known) writes.
     * False when that contradicts the execution so far: a write whose reservation
     * was lost, a success after later reads ran ahead of an RMW that orders only on
     * success, a failure after a later load took its write or its register was
     * guessed.
     */
    private boolean decideRmw(int[] s, int t, int k, Instr.Rmw x) {
        boolean writes = x.writes(old(s, t, k), expected(s, t, k, x));
        setRmw(s, t, k, R_DECIDED | (writes ? R_WRITES : 0));
        if (writes) {
            return !has(s, t, k, STALE) && !(orderedOnlyOnSuccess(s, t, k) && ranAhead(s, t, k));
        }
        return !rmwHas(s, t, k, R_GUESS) && !forwardedFrom(s, t, k);
    }

    /** Whether a read after position k has happened (it ran ahead of k). */
    private boolean ranAhead(int[] s, int t, int k) {
        int count = count(s, t);
        for (int j = k + 1; j < count; j++) {
            if (readDone(s, t, j)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a later read took the write of entry k before it was performed. */
    private boolean forwardedFrom(int[] s, int t, int k) {
        int count = count(s, t);
        for (int j = k + 1; j < count; j++) {
            if (readDone(s, t, j) && src(s, t, j) == k) {
                return true;
            }
        }
        return false;
    }

    /** Computes the register result of RMW entry k (its read done and decided, its operand known). */
    private void result(int[] s, int t, int k, Instr.Rmw x, List<Effect> fx) {
        if (rmwHas(s, t, k, R_RES)) {
            return;
        }
        int old = old(s, t, k);
        boolean writes = rmwHas(s, t, k, R_WRITES);
        boolean needsOperand = x.result() == Instr.RmwResult.NEW || x.result() == Instr.RmwResult.NEW_IS_ZERO
                || x.result() == Instr.RmwResult.OLD_BIT || x.result() == Instr.RmwResult.NEGATIVE_BYTE;
        int operand = needsOperand ? operand(s, t, k, x) : 0;
        int value = writes && needsOperand ? x.newValue(old, operand) : old;
        s[at(t, k) + 1] = x.resultValue(old, value, writes, operand);
        setRmw(s, t, k, R_RES);
        if (fx != null && x.reg() >= 0 && !view.hidden(t, x.reg())) {
            fx.add(new Effect(Effect.REG, view.regName(t, x.reg()), view.slotValue(x.reg(), val(s, t, k))));
        }
    }

    /** The operand; an exclusive pair's register work between LDXR and STXR sees the value loaded. */
    private int operand(int[] s, int t, int k, Instr.Rmw x) {
        int[] r = renamed(s, t, k);
        if (x.exclusive()) {
            r[x.reg()] = old(s, t, k);
        }
        return x.operand().eval(r, view.memory);
    }

    /** The write of RMW entry k. */
    private boolean writeRmw(int[] s, int t, int k, Instr.Rmw x, List<Effect> fx) {
        int c = cellOf(s, t, k);
        result(s, t, k, x, fx);
        int v = x.newValue(old(s, t, k), operand(s, t, k, x));
        s[l.memSlot(c)] = v;
        setFlag(s, t, k, PERF);
        markStale(s, t, c);
        if (fx != null) {
            fx.add(new Effect(Effect.WRITE, view.cellName(c), view.format(c, v)));
        }
        return !breaksReservation(s, t, c);
    }

    /**
     * Whether CPU t's write to c comes between another CPU's RMW read of c and its
     * write, which then could not be atomic: that execution is not a real one. An
     * exclusive pair whose store has not committed may fail instead (its commit is
     * no longer enabled); one whose outcome is open waits for its decision.
     */
    private boolean breaksReservation(int[] s, int t, int c) {
        for (int u = 0; u < n; u++) {
            if (u == t) {
                continue;
            }
            int count = count(s, u);
            for (int j = 0; j < count; j++) {
                if (twoEvents(kind(s, u, j)) && rmwHas(s, u, j, R_READ) && rmwHas(s, u, j, R_WRITES)
                        && !has(s, u, j, PERF) && has(s, u, j, STALE) && cellOf(s, u, j) == c) {
                    return true;
                }
            }
        }
        return false;
    }

    /** An exclusive pair's store fails: it writes nothing and its status is 1 (herd7 lets any store exclusive fail). */
    private boolean failExclusive(int[] s, int t, int k, List<Effect> fx) {
        setRmw(s, t, k, R_DECIDED);
        if (fx != null) {
            fx.add(new Effect(Effect.FAIL, "store exclusive", "fails"));
            statusEffect(s, t, k, fx);
        }
        return true;
    }

    private void statusEffect(int[] s, int t, int k, List<Effect> fx) {
        int status = ((Instr.Rmw) instr(s, t, k)).status();
        if (!view.hidden(t, status)) {
            fx.add(new Effect(Effect.REG, view.regName(t, status), view.slotValue(status, produce(s, t, k, status))));
        }
    }

    /**
     * An exclusive pair's store commits to succeed (status 0), before it writes: a
     * branch on the status register may then resolve, and a later load may take the
     * value it will write. A CAS with a destination register guesses instead that
     * it succeeds, so its register holds the value it compares with (see
     * {@link ArmRmw#resultBeforeRead}); the read checks the guess.
     */
    private boolean decide(int[] s, int t, int k, List<Effect> fx) {
        Instr.Rmw x = (Instr.Rmw) instr(s, t, k);
        if (x.exclusive()) {
            setRmw(s, t, k, R_DECIDED | R_WRITES);
            if (fx != null) {
                fx.add(new Effect(Effect.NOTE, "", "the store exclusive will succeed"));
                statusEffect(s, t, k, fx);
            }
            return true;
        }
        s[at(t, k) + 1] = expected(s, t, k, x);
        setRmw(s, t, k, R_RES | R_GUESS);
        if (fx != null) {
            fx.add(new Effect(Effect.NOTE, "", "guesses that the compare succeeds"));
            if (!view.hidden(t, x.reg())) {
                fx.add(new Effect(Effect.REG, view.regName(t, x.reg()), view.slotValue(x.reg(), val(s, t, k))));
            }
        }
        return true;
    }

    private boolean canGuessResult(int[] s, int t, int k, Instr.Rmw x) {
        return ArmRmw.resultBeforeRead(x) && !rmwHas(s, t, k, R_READ) && !rmwHas(s, t, k, R_RES)
                && known(s, t, k, deps[t][ins(s, t, k)].expected);
    }

    /**
     * What a later load takes from RMW entry j, whose write has not performed:
     * its value once known. Before the read, only where {@link ArmRmw#writeKnownBeforeRead}
     * and not for an acquire load ({@code aob: [M]; rmw; lrs; [A | Q]} orders the RMW's
     * read before it); an exclusive pair's store must have committed.
     */
    private long forwardRmw(int[] s, int t, int j, boolean acquire) {
        Instr.Rmw x = (Instr.Rmw) instr(s, t, j);
        Deps d = deps[t][ins(s, t, j)];
        if (x.exclusive() && !rmwHas(s, t, j, R_DECIDED)) {
            return BLOCKED;
        }
        if (rmwHas(s, t, j, R_READ)) {
            if (!rmwHas(s, t, j, R_DECIDED) || !known(s, t, j, d.operand)) {
                return BLOCKED;
            }
            return read(x.newValue(old(s, t, j), operand(s, t, j, x)), j);
        }
        if (acquire || !ArmRmw.writeKnownBeforeRead(x) || usesLoaded(x) || !known(s, t, j, d.operand)) {
            return BLOCKED;
        }
        return read(x.operand().eval(renamed(s, t, j), view.memory), j);
    }

    /**
     * Pick dependencies (aarch64.cat's pob): a value resting on a guess that a CAS
     * succeeds -- its register guessed, or a load that took its write before its read
     * -- may feed later reads, but no write may depend on it by address, data or
     * control, nor follow an access whose address does, until the CAS's read has
     * confirmed the guess (herd7: the write is iico_ctrl-dependent on the compare).
     */
    private boolean taintBlocks(int[] s, int t, int k) {
        boolean[] tainted = taint(s, t, k + 1);
        if (tainted == null) {
            return false;
        }
        for (int j = 0; j < k; j++) {
            Kind kj = kind(s, t, j);
            if (tainted[j] && (kj == Kind.BRANCH || kj == Kind.AWAIT)
                    || access(kj) && taintedInput(s, t, j, deps[t][ins(s, t, j)].address, tainted)) {
                return true; // pick-ctrl-dep; [W] and pick-addr-dep; [M]; po; [W]
            }
        }
        return tainted[k]; // pick-addr-dep and pick-data-dep to the write itself
    }

    /**
     * Which of the entries before {@code upTo} rest on an unchecked guess, themselves or
     * through their inputs (registers, or the store a load took its value from); null
     * when none does.
     */
    private boolean[] taint(int[] s, int t, int upTo) {
        boolean any = false;
        for (int j = 0; j < upTo && !any; j++) {
            any = guessed(s, t, j);
        }
        if (!any) {
            return null;
        }
        boolean[] tainted = new boolean[upTo];
        for (int j = 0; j < upTo; j++) {
            Deps d = deps[t][ins(s, t, j)];
            tainted[j] = guessed(s, t, j) || taintedInput(s, t, j, d.address, tainted)
                    || taintedInput(s, t, j, d.data, tainted)
                    || readDone(s, t, j) && src(s, t, j) >= 0 && tainted[src(s, t, j)];
        }
        return tainted;
    }

    /** Whether a branch fetched at position c tests a value that rests on an unchecked guess. */
    private boolean taintedBranch(int[] s, int t, int c, int[] slots) {
        boolean[] tainted = taint(s, t, c);
        return tainted != null && taintedInput(s, t, c, slots, tainted);
    }

    /** Whether entry j rests on a guess that a CAS succeeds, not yet checked by its read. */
    private boolean guessed(int[] s, int t, int j) {
        if (kind(s, t, j) == Kind.RMW && rmwHas(s, t, j, R_GUESS) && !rmwHas(s, t, j, R_READ)) {
            return true;
        }
        int from = readDone(s, t, j) ? src(s, t, j) : -1;
        return from >= 0 && instr(s, t, from) instanceof Instr.Rmw x && ArmRmw.guessesSuccess(x)
                && !rmwHas(s, t, from, R_READ);
    }

    private boolean taintedInput(int[] s, int t, int j, int[] slots, boolean[] tainted) {
        for (int slot : slots) {
            for (int w = j - 1; w >= 0; w--) {
                if (writes(s, t, w, slot)) {
                    if (tainted[w]) {
                        return true;
                    }
                    break;
                }
            }
        }
        return false;
    }

    /** Whether an exclusive pair's store writes something computed from the value it loaded. */
    private static boolean usesLoaded(Instr.Rmw x) {
        if (!x.exclusive()) {
            return false;
        }
        java.util.Set<Integer> slots = new java.util.HashSet<>();
        Deps.slots(x.operand(), slots);
        return slots.contains(x.reg());
    }

    /*
     * A lock acquire is an acquire RMW on arm64 (spin_lock's qspinlock fast path is
     * atomic_try_cmpxchg_acquire; mutex_lock, down_read, down_write, read_lock and
     * write_lock are acquire atomics too): its read waits until the lock is free
     * and orders everything after it, but its write, taking the lock, orders
     * nothing after it -- a later load may be satisfied before another CPU can see
     * the lock taken, which is why smp_mb__after_spinlock() exists. A trylock that
     * finds the lock busy is a plain read (queued_spin_trylock reads the word and
     * returns before any atomic). Unlocks are release writes.
     */

    private boolean canLock(int[] s, int t, int k, Instr.LockOp op) {
        int c = cell(s, t, k);
        if (rmwHas(s, t, k, R_READ)) {
            return rmwHas(s, t, k, R_WRITES) && !has(s, t, k, STALE) && !blocked(s, t, k, false, true, false, false, c);
        }
        long r = readAt(s, t, k, c, true);
        if (r == BLOCKED) {
            return false;
        }
        int[] regs = renamed(s, t, k);
        regs[l.memSlot(c)] = value(r);
        if (!op.action().trylock() && !sem.lockFree(regs, t, op)) {
            return false;
        }
        return !blocked(s, t, k, true, false, false, true, c);
    }

    /** A lock acquire's read: finds the lock free (or a trylock finds it busy) and works out the word it writes. */
    private boolean readLock(int[] s, int t, int k, Instr.LockOp op, List<Effect> fx) {
        int c = cell(s, t, k);
        long r = readAt(s, t, k, c, true);
        int[] regs = renamed(s, t, k);
        regs[l.memSlot(c)] = value(r);
        sem.lock(regs, t, op, null); // a fault (taking a lock one holds) is reported from here
        int word = regs[l.memSlot(c)];
        boolean writes = word != value(r);
        s[at(t, k) + 1] = op.reg() >= 0 ? regs[op.reg()] : 0;
        s[at(t, k) + 3] = word;
        setCell(s, t, k, c);
        put(s, t, k, ins(s, t, k), flags(s, t, k) | ADDR, source(r));
        setRmw(s, t, k, R_READ | R_DECIDED | R_RES | (writes ? R_WRITES : 0));
        if (!writes) {
            setFlag(s, t, k, PERF);
        }
        if (fx != null) {
            String name = view.cellName(c);
            fx.add(writes ? new Effect(Effect.LOCK, name, "") : new Effect(Effect.FAIL, name, "is busy: trylock fails"));
            if (op.reg() >= 0 && !view.hidden(t, op.reg())) {
                fx.add(new Effect(Effect.REG, view.regName(t, op.reg()), view.slotValue(op.reg(), val(s, t, k))));
            }
        }
        if (source(r) < 0 && overtaken(s, t, k, c)) {
            return false;
        }
        return !(writes && orderedOnlyOnSuccess(s, t, k) && ranAhead(s, t, k));
    }

    /**
     * A lock acquire's write: the lock word now says the lock is held. It is made
     * as soon as it may ({@link #resolve}), not left to a step of its own: only lock
     * operations touch a lock word, and any of another CPU's that came between the
     * read and a later write would break the reservation and be discarded, so no
     * execution could tell a later write from this one.
     */
    private boolean writeLock(int[] s, int t, int k, List<Effect> fx) {
        int c = cellOf(s, t, k);
        s[l.memSlot(c)] = old(s, t, k);
        setFlag(s, t, k, PERF);
        markStale(s, t, c);
        if (fx != null) {
            fx.add(new Effect(Effect.WRITE, view.cellName(c), view.format(c, old(s, t, k))));
        }
        return !breaksReservation(s, t, c);
    }

    /** Speculates past the unresolved branch that stops this CPU's fetch. */
    private boolean guess(int[] s, int t, boolean taken, List<Effect> fx) {
        int x = pendingBranch(s, t);
        int c = count(s, t);
        put(s, t, c, x, GUESSED | (taken ? TAKEN : 0), -1);
        if (fx != null) {
            int to = follow(s, t, taken ? x + 1 : ((Instr.Branch) code[t][x]).elseTarget(), c + 1);
            // where it continues, or the next unresolved branch where it stops again, or round the spin loop
            int at = to == SPIN_WAIT ? -1 : to < 0 ? -1 - to : to;
            fx.add(new Effect(Effect.NOTE, "", at < 0 ? "guesses the loop goes round again"
                    : "guesses the branch continues at line " + code[t][at].src().line()));
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
            boolean kept = sem.atomic(s, t, a, fx);
            for (int c = 0; c < p.memory().size(); c++) {
                if (s[l.memSlot(c)] != before[l.memSlot(c)]) {
                    markStale(s, t, c);
                    kept &= !breaksReservation(s, t, c);
                }
            }
            s[pcSlot]++;
            return kept;
        }
        throw new IllegalStateException("not a head instruction: " + i);
    }

    // ---------------------------------------------------------------- settling: compute, resolve, retire, fetch

    /**
     * Brings CPU t's window up to date after a step of t: computes register
     * operations whose inputs are known, resolves guessed branches (a wrong
     * guess discards the execution), notes store addresses as they become
     * known, retires performed entries from the head, and fetches. Retiring
     * stops at a ghost update, kit primitive, assertion or assumption that has
     * not been performed: it is a step of its own ({@link #headStep}). It also
     * stops at register work whose instruction this step has retired already
     * with no access in between: a loop of register updates alone (which sc
     * runs as one step per statement) retires an iteration per step instead of
     * spinning inside one. In the initial state ({@code start}) it stops at a
     * register update as well: the initial state is the state before any CPU
     * moved, so it holds no effect of any instruction, and the update is
     * retired by the CPU's first step.
     */
    private boolean settle(int[] s, int t, List<Effect> fx, boolean start) {
        BitSet retired = new BitSet(code[t].length);
        for (int guard = 0; guard < Semantics.FOLD_LIMIT; guard++) {
            boolean changed = false;
            int c = count(s, t);
            for (int k = 0; k < c; k++) {
                int r = resolve(s, t, k, fx);
                if (r < 0) {
                    return false;
                }
                changed |= r > 0;
            }
            while (count(s, t) > 0 && retireHead(s, t, start, retired)) {
                changed = true;
            }
            int fetched = fetch(s, t);
            changed |= (fetched & FETCHED) != 0;
            if (!changed) {
                if ((fetched & FULL) != 0 && (!onlyFinishedRegisterWork(s, t, count(s, t)) || watched[t])) {
                    boundHit = true;
                }
                return true;
            }
        }
        throw new ModelFault("livelock", "a loop that reads only registers never reaches a step");
    }

    /** 1: something changed, 0: nothing, -1: discard the execution. */
    private int resolve(int[] s, int t, int k, List<Effect> fx) {
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
            setCell(s, t, k, c);
            setFlag(s, t, k, ADDR);
            return readBeforeAddress(s, t, k, c) ? -1 : 1;
        }
        if (kind == Kind.RMW && rmwHas(s, t, k, R_READ) && !has(s, t, k, PERF)) {
            return settleRmw(s, t, k, (Instr.Rmw) instr(s, t, k), null);
        }
        if (kind == Kind.LOCK && rmwHas(s, t, k, R_READ) && !has(s, t, k, PERF)
                && canLock(s, t, k, (Instr.LockOp) instr(s, t, k))) {
            return writeLock(s, t, k, fx) ? 1 : -1;
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
            if (readDone(s, t, j) && touches(s, t, j, c)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Retires the head of the window; false when it must wait: to perform, for a
     * step of its own, or because {@code retired} (the register work this step
     * retired since its last access) holds its instruction.
     */
    private boolean retireHead(int[] s, int t, boolean start, BitSet retired) {
        Kind kind = kind(s, t, 0);
        Instr i = instr(s, t, 0);
        if (registerWork(kind) && retired.get(ins(s, t, 0))) {
            return false;
        }
        switch (kind) {
            case FENCE -> { }
            case CLEAR -> {
                for (int w : deps[t][ins(s, t, 0)].writes) {
                    s[w] = 0;
                }
            }
            case INORDER -> {
                if (!has(s, t, 0, PERF)) {
                    return false; // performed by a step of its own, which wrote the state directly
                }
            }
            case STOP, JUMP -> throw new IllegalStateException("never fetched: " + i);
            case LOAD, AWAIT, STORE, RMW, LOCK, UNLOCK, LOCAL, BRANCH -> {
                if (!has(s, t, 0, PERF) || start && kind == Kind.LOCAL) {
                    return false;
                }
                for (int w : deps[t][ins(s, t, 0)].writes) {
                    s[w] = produce(s, t, 0, w);
                }
            }
        }
        if (registerWork(kind)) {
            retired.set(ins(s, t, 0));
        } else {
            retired.clear(); // an access or a step of its own in between: not a loop of register work alone
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
        java.util.Arrays.fill(s, at(t, c - 1), at(t, c - 1) + WORDS, 0);
        s[l.pcSlot(t)] = c > 1 ? ins(s, t, 0) : follow(s, t, after, 0);
        return true;
    }

    /** Ghost updates, kit primitives, assertions and assumptions: a step of their own at the head of the window. */
    private boolean inOrder(int[] s, int t, Instr i, List<Effect> fx) {
        if (i instanceof Instr.Assign a) {
            sem.assign(s, a, view.memory, fx);
            return true;
        } else if (i instanceof Instr.Assert a) {
            Semantics.check(s, a, view.memory);
            return true;
        } else if (i instanceof Instr.Assume a) {
            return Semantics.assume(s, a, view.memory);
        } else if (i instanceof Instr.Atomic a) {
            // a kit step in program order; the MMU may set a PTE's dirty bit, a write to memory
            int[] before = s.clone();
            boolean kept = sem.atomic(s, t, a, fx);
            for (int c = 0; c < p.memory().size(); c++) {
                if (s[l.memSlot(c)] != before[l.memSlot(c)]) {
                    markStale(s, t, c);
                }
            }
            return kept;
        }
        throw new IllegalStateException("not an in-order instruction: " + i);
    }

    /**
     * Fetches instructions into the window until it is full or fetch must stop.
     * Returns {@link #FETCHED} if any was added, with {@link #FULL} when a full
     * window kept the next instruction out.
     */
    private int fetch(int[] s, int t) {
        int added = 0;
        while (true) {
            int c = count(s, t);
            int x = c == 0 ? follow(s, t, s[l.pcSlot(t)], 0) : follow(s, t, afterEntry(s, t, c - 1), c);
            if (x == SPIN_WAIT) {
                return added; // a spin loop goes round again once everything before has been performed
            }
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
                return added | FULL;
            }
            put(s, t, c, x, kinds[t][x] == Kind.CLEAR ? PERF : 0, -1);
            added = FETCHED;
        }
    }

    /**
     * Whether the window holds nothing but finished register work (a register-only
     * loop fills it so). A larger window would then let a later access perform
     * only before some register updates retire, which changes no memory, ghost
     * state or final state: the bound hides nothing unless an invariant reads
     * this CPU's registers ({@link #watched}).
     */
    private boolean onlyFinishedRegisterWork(int[] s, int t, int c) {
        for (int k = 0; k < c; k++) {
            if (!registerWork(kind(s, t, k)) || !finished(s, t, k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether an entry before position c holds every later access back: an acquire read or a fully
     * ordered RMW that has not happened ({@link #holdsBack}), and later register updates, branches and ghost
     * steps give the same results when fetched after it performs, so fetching (or guessing a branch) past it
     * only fills the window.
     */
    private boolean orderedAfterPending(int[] s, int t, int c) {
        for (int j = 0; j < c; j++) {
            if (access(kind(s, t, j)) && holdsBack(s, t, j, true)) {
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
     * returns the instruction reached, -1 - x for an unresolved branch at x, or
     * {@link #SPIN_WAIT} at a spin loop's jump back while instructions are in flight.
     */
    private int follow(int[] s, int t, int x, int c) {
        for (int guard = 0; guard < Semantics.FOLD_LIMIT; guard++) {
            Instr i = code[t][x];
            if (i instanceof Instr.Jump j) {
                if (c > 0 && spins != null && spins.backEdge(t, x)) {
                    return SPIN_WAIT;
                }
                x = j.target();
            } else if (i instanceof Instr.Branch b) {
                if (!known(s, t, c, deps[t][x].data) || taintedBranch(s, t, c, deps[t][x].data)) {
                    return -1 - x; // a branch on a guess is fetched, so that it holds later writes back
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
        return x < 0 && x != SPIN_WAIT ? -1 - x : -1;
    }

    // ---------------------------------------------------------------- properties and traces

    @Override
    public Violation check(int[] s) {
        int status = s[Layout.STATUS];
        if (status != 0) {
            int thread = Semantics.faultThread(status);
            int line = Semantics.faultLine(status);
            String property = Semantics.faultProperty(status);
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
        if (k < GUESS_TAKEN) {
            int e = k % SLOTS;
            Instr i = instr(s, t, e);
            text = i.src().text();
            line = i.src().line();
            for (int j = 0; j < e && k < SLOTS; j++) {
                if (access(kind(s, t, j)) && pending(s, t, j)) {
                    note = "out of order: performed before line " + instr(s, t, j).src().line();
                    break;
                }
            }

        } else if (k < HEAD) {
            int x = pendingBranch(s, t);
            text = "speculates past " + code[t][x].src().text();
            line = code[t][x].src().line();
        } else {
            Instr i = code[t][s[l.pcSlot(t)]];
            text = i instanceof Instr.Either ? "either: branch " + (k - HEAD + 1) : i.src().text();
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
                        : kind == Kind.BRANCH ? "guessed"
                        : twoEvents(kind) && rmwHas(s, t, k, R_READ) ? "read, write pending" : "waiting";
                w.add("line " + i.src().line() + ": " + i.src().text() + " [" + state + "]");
            }
            inFlight.put(view.threadName(t), w);
        }
        return view.snapshot(s, code, inFlight);
    }
}
