package dev.mmx.compile;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import dev.mmx.resolve.Builtins;
import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Type;
import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import dev.mmx.system.Ref;
import dev.mmx.system.Src;
import dev.mmx.system.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles one thread (one copy of a replicated thread) to instructions:
 * procedures inlined, for loops unrolled, shared reads in expressions turned
 * into loads into hidden temporaries (one step each, left to right).
 */
final class ThreadCompiler {
    private final Resolved r;
    private final Globals g;
    private final String threadName;
    private final int regBase;
    final List<Program.Register> regs = new ArrayList<>();
    final Map<String, Integer> regIndex = new LinkedHashMap<>();
    private final List<Integer> freeTemps = new ArrayList<>();
    private final List<Integer> usedTemps = new ArrayList<>();
    private List<Instr> code = new ArrayList<>();
    private final Deque<Loop> loops = new ArrayDeque<>();
    private boolean direct;
    /**
     * Whether a ghost read compiled now is a step of its own, into a hidden temporary: it is
     * inside a statement that also touches memory or a lock (an address, a store's value, a
     * primitive's arguments), whose step may not read ghost state on the side. See {@link #accessing}.
     */
    private boolean ghostReadSteps;
    /** Whether an address is being computed ({@code &a[i]}): a value, not an access of its own. */
    private boolean addressOnly;
    private ThreadRegs threadRegs;

    /** Finds the slot of another thread's register, for properties. */
    interface ThreadRegs {
        int slot(Expr.ThreadReg reg, int index);
    }

    /** How shared reads in an expression are compiled. */
    private enum Mode { LOADS, DIRECT }

    private record Binding(Expr arg, Env env) {}

    /** Names in scope: loop/index constants, procedure parameters, procedure locals' register names. */
    private record Env(Map<String, Integer> consts, Map<String, Binding> params, Map<String, String> alias,
                       String procName) {
        Env withConst(String name, int value) {
            Map<String, Integer> c = new HashMap<>(consts);
            c.put(name, value);
            return new Env(c, params, alias, procName);
        }
    }

    private static final class Loop {
        final int head;
        final List<Integer> breaks = new ArrayList<>();
        /** The instruction list the loop lives in: an atomic block's body has its own. */
        final List<Instr> code;

        Loop(int head, List<Instr> code) {
            this.head = head;
            this.code = code;
        }
    }

    /** A resolved name: a constant, a register, a global's storage, or a value expression. */
    private record Place(Globals.Storage global, int register, Integer constant, CExpr value, List<CExpr> indices,
                         String name, CExpr pointer) {
        Place(Globals.Storage global, int register, Integer constant, CExpr value, List<CExpr> indices, String name) {
            this(global, register, constant, value, indices, name, null);
        }

        /** The shared cell an address expression points at ({@code *p}). */
        static Place deref(CExpr pointer, String name) {
            return new Place(null, -1, null, null, List.of(), name, pointer);
        }

        boolean memory() {
            return pointer != null || global != null && !global.ghost() && !global.lock();
        }
    }

    /** This thread's CPU number (its position among all threads), for the kernel kit's per-CPU state. */
    int cpu;

    ThreadCompiler(Resolved r, Globals g, String threadName, int regBase) {
        this.r = r;
        this.g = g;
        this.threadName = threadName;
        this.regBase = regBase;
    }

    Instr[] compile(Decl.Thread decl, Integer index) {
        Env env = new Env(new HashMap<>(), new HashMap<>(), new HashMap<>(), null);
        if (decl.indexVar() != null && index != null) {
            env = env.withConst(decl.indexVar(), index);
        }
        block(decl.body(), env);
        emit(new Instr.End(new Src(endLine(decl), 1, "(end of " + threadName + ")")));
        return code.toArray(new Instr[0]);
    }

    private static int endLine(Decl.Thread decl) {
        return decl.pos().line();
    }

    /** The kit's MMU procedure for this CPU with its address parameter bound to {@code addr}: one atomic step. */
    Instr.Atomic mmuFill(Decl.Proc mmu, int addr) {
        Env env = new Env(new HashMap<>(), new HashMap<>(), new HashMap<>(), mmu.name())
                .withConst(mmu.params().get(0), addr);
        Stmt.Atomic a = (Stmt.Atomic) mmu.body().body().get(0);
        atomic(a, env, src(a.pos(), a.text()));
        Instr.Atomic fill = (Instr.Atomic) code.get(code.size() - 1);
        String note = fill.note().replace(mmu.params().get(0), Integer.toString(addr)); // the note names the address
        return new Instr.Atomic(fill.src(), fill.body(), note, fill.fence(), fill.x86Only());
    }

    /** Compiles a property: memory read directly, other threads' registers by slot. */
    CExpr property(Expr e, ThreadRegs regs) {
        this.threadRegs = regs;
        this.direct = true;
        return expr(e, new Env(new HashMap<>(), new HashMap<>(), new HashMap<>(), null), Mode.DIRECT);
    }

    // ---- registers and temporaries ----

    private int register(String name, ValueType type, boolean hidden, int initial) {
        Integer i = regIndex.get(name);
        if (i != null) {
            return regBase + i;
        }
        regs.add(new Program.Register(name, type, hidden, initial));
        regIndex.put(name, regs.size() - 1);
        return regBase + regs.size() - 1;
    }

    private int temp() {
        int slot;
        if (!freeTemps.isEmpty()) {
            slot = freeTemps.remove(freeTemps.size() - 1);
        } else {
            slot = register("~t" + regs.size(), ValueType.INT, true, 0);
        }
        usedTemps.add(slot);
        return slot;
    }

    /** Emits a Clear of this statement's temporaries (if any) and frees them. */
    private void releaseTemps(boolean clear) {
        if (usedTemps.isEmpty()) {
            return;
        }
        if (clear) {
            emit(new Instr.Clear(Src.NONE, usedTemps.stream().mapToInt(Integer::intValue).toArray()));
        }
        freeTemps.addAll(usedTemps);
        usedTemps.clear();
    }

    private int[] takeTemps() {
        int[] t = usedTemps.stream().mapToInt(Integer::intValue).toArray();
        freeTemps.addAll(usedTemps);
        usedTemps.clear();
        return t;
    }

    private int emit(Instr i) {
        code.add(i);
        return code.size() - 1;
    }

    private static Src src(SourcePos pos, String text) {
        return new Src(pos.line(), pos.column(), text);
    }

    private static CompileError error(SourcePos pos, String message) {
        return new CompileError(new Diagnostic(pos, message));
    }

    // ---- statements ----

    private void block(Stmt.Block b, Env env) {
        for (Stmt s : b.body()) {
            stmt(s, env);
        }
    }

    private void stmt(Stmt s, Env env) {
        if (s instanceof Stmt.Local l) {
            local(l, env);
        } else if (s instanceof Stmt.Block b) {
            block(b, env);
        } else if (s instanceof Stmt.If i) {
            ifStmt(i, env);
        } else if (s instanceof Stmt.While w) {
            whileStmt(w, env);
        } else if (s instanceof Stmt.For f) {
            int lo = constant(f.lo(), env);
            int hi = constant(f.hi(), env);
            for (int v = lo; v <= hi; v++) {
                stmt(f.body(), env.withConst(f.var(), v));
            }
        } else if (s instanceof Stmt.Await a) {
            CExpr cond = expr(a.cond(), env, Mode.DIRECT);
            emit(new Instr.Await(src(a.pos(), a.text()), cond));
        } else if (s instanceof Stmt.Atomic a) {
            atomic(a, env);
        } else if (s instanceof Stmt.Either e) {
            either(e, env);
        } else if (s instanceof Stmt.Assume a) {
            CExpr cond = expr(a.cond(), env, mode());
            int[] temps = takeTemps();
            emit(new Instr.Assume(src(a.pos(), a.text()), cond));
            clear(temps);
        } else if (s instanceof Stmt.Assert a) {
            CExpr cond = expr(a.cond(), env, mode());
            int[] temps = takeTemps();
            emit(new Instr.Assert(src(a.pos(), a.text()), cond, a.property() != null ? a.property() : "assert",
                    a.message() != null ? a.message() : a.text()));
            clear(temps);
        } else if (s instanceof Stmt.Break b) {
            insideAtomicBlock(b.pos(), "break");
            loops.peek().breaks.add(emit(new Instr.Jump(Src.NONE, -1)));
        } else if (s instanceof Stmt.Continue c) {
            insideAtomicBlock(c.pos(), "continue");
            emit(new Instr.Jump(Src.NONE, loops.peek().head));
        } else if (s instanceof Stmt.Skip k) {
            emit(new Instr.Assume(src(k.pos(), k.text()), new CExpr.Const(1)));
        } else if (s instanceof Stmt.Assign a) {
            assign(a.pos(), a.text(), a.target(), a.op(), a.value(), env);
        } else if (s instanceof Stmt.CallStmt c) {
            callStmt(c, env);
        } else {
            throw new IllegalStateException("unhandled statement " + s);
        }
    }

    /** A jump out of an atomic block would land in another instruction list; the block is one step. */
    private void insideAtomicBlock(SourcePos pos, String word) {
        if (loops.peek().code != code) {
            throw error(pos, word + " cannot leave an atomic block, which runs to its end as a single step");
        }
    }

    private Mode mode() {
        return direct ? Mode.DIRECT : Mode.LOADS;
    }

    private void clear(int[] temps) {
        if (temps.length > 0 && !direct) {
            emit(new Instr.Clear(Src.NONE, temps));
        }
    }

    private void local(Stmt.Local l, Env env) {
        Type t = switch (l.type()) {
            case "int" -> Type.INT;
            case "bool" -> Type.BOOL;
            case "loc" -> Type.LOC;
            default -> r.enums().get(l.type());
        };
        String name = env.procName == null ? l.name() : env.procName + "." + l.name();
        if (env.procName != null) {
            env.alias.put(l.name(), name);
        }
        Integer initial = l.init() == null ? Integer.valueOf(0) : constantOrNull(l.init(), env);
        int slot = register(name, g.valueType(t), false, initial == null ? 0 : initial);
        if (l.init() != null && initial == null) {
            assign(l.pos(), l.text(), new Expr.Name(l.pos(), l.name(), List.of()), "=", l.init(), env);
        }
        assert slot >= 0;
    }

    private void ifStmt(Stmt.If i, Env env) {
        CExpr cond = condition(i.cond(), i.pos(), i.text(), env);
        int[] temps = takeTemps();
        int branch = emit(new Instr.Branch(src(i.pos(), i.text()), cond, -1));
        clear(temps);
        stmt(i.then(), env);
        if (i.otherwise() == null) {
            patchBranch(branch, code.size());
            clear(temps);
            return;
        }
        int skip = emit(new Instr.Jump(Src.NONE, -1));
        patchBranch(branch, code.size());
        clear(temps);
        stmt(i.otherwise(), env);
        patchJump(skip, code.size());
    }

    private void whileStmt(Stmt.While w, Env env) {
        int head = code.size();
        CExpr cond = condition(w.cond(), w.pos(), w.text(), env);
        int[] temps = takeTemps();
        int branch = emit(new Instr.Branch(src(w.pos(), w.text()), cond, -1));
        clear(temps);
        Loop loop = new Loop(head, code);
        loops.push(loop);
        stmt(w.body(), env);
        loops.pop();
        emit(new Instr.Jump(Src.NONE, head));
        patchBranch(branch, code.size());
        clear(temps);
        for (int b : loop.breaks) {
            patchJump(b, code.size());
        }
    }

    /**
     * A branch condition, with its shared reads loaded first (a step each). The
     * branch itself is folded into the step before it, so it may only test what
     * no other thread can change: the thread's registers and constants. A
     * condition that also reads ghost state (TLBs, pages, interrupt and RCU
     * state, ghost variables, kit queries) is evaluated at a step of its own
     * into a hidden temporary, and the branch tests that: another CPU may move
     * (flush a TLB, free a page) between the step before and the test, and the
     * branch's body runs against the state the test saw.
     */
    private CExpr condition(Expr e, SourcePos pos, String text, Env env) {
        CExpr cond = expr(e, env, mode());
        if (direct || !readsGhost(cond)) {
            return cond;
        }
        int t = temp();
        emit(new Instr.Assign(src(pos, text), Ref.slot(t, regs.get(t - regBase).name()), cond));
        return new CExpr.Slot(t);
    }

    /** Whether an expression compiled in a thread reads a ghost cell (its registers lie above them). */
    private boolean readsGhost(CExpr e) {
        if (e instanceof CExpr.Const || e instanceof CExpr.Mem) {
            return false;
        } else if (e instanceof CExpr.Slot x) {
            return ghostSlot(x.slot());
        } else if (e instanceof CExpr.SlotArray x) {
            return ghostSlot(x.base()) || readsGhost(x.index());
        } else if (e instanceof CExpr.MemArray x) {
            return readsGhost(x.index());
        } else if (e instanceof CExpr.FlatIndex x) {
            for (CExpr i : x.indices()) {
                if (readsGhost(i)) {
                    return true;
                }
            }
            return false;
        } else if (e instanceof CExpr.Unary x) {
            return readsGhost(x.operand());
        } else if (e instanceof CExpr.Binary x) {
            return readsGhost(x.left()) || readsGhost(x.right());
        } else if (e instanceof CExpr.Ite x) {
            return readsGhost(x.test()) || readsGhost(x.then()) || readsGhost(x.otherwise());
        }
        throw new IllegalStateException("unhandled expression " + e);
    }

    private boolean ghostSlot(int slot) {
        return slot >= g.ghostSlotBase && slot < g.ghostSlotBase + g.ghosts.size();
    }

    private void patchBranch(int at, int target) {
        Instr.Branch b = (Instr.Branch) code.get(at);
        code.set(at, new Instr.Branch(b.src(), b.cond(), target));
    }

    private void patchJump(int at, int target) {
        Instr.Jump j = (Instr.Jump) code.get(at);
        code.set(at, new Instr.Jump(j.src(), target));
    }

    private void atomic(Stmt.Atomic a, Env env) {
        if (!a.text().startsWith("atomic")) {
            atomic(a, env, src(a.pos(), a.text())); // a kernel-kit step reads as the call it stands for
            return;
        }
        String first = a.body().body().isEmpty() ? "" : firstText(a.body());
        String text = a.body().body().isEmpty() ? "atomic { }" : first.isEmpty() ? "atomic { ... }"
                : "atomic { " + first + " ... }";
        atomic(a, env, src(a.pos(), text));
    }

    /** Compiles an atomic block as one step that the trace shows as {@code src}. */
    private void atomic(Stmt.Atomic a, Env env, Src src) {
        if (direct) {
            block(a.body(), env); // nested atomic blocks are one block
            return;
        }
        List<Instr> outer = code;
        code = new ArrayList<>();
        direct = true;
        block(a.body(), env);
        direct = false;
        Instr[] body = code.toArray(new Instr[0]);
        code = outer;
        checkWaitsOnlyAtStart(body);
        emit(new Instr.Atomic(src, body, a.note(), a.fence(), switch (a.x86Only()) {
            case NOTHING -> Instr.X86Only.NOTHING;
            case WAIT -> Instr.X86Only.WAIT;
            case FENCE -> Instr.X86Only.FENCE;
        }));
    }

    /**
     * An atomic step is enabled or not as a whole, so only its first instruction
     * may wait. A later await or blocking lock could not block (the machine would
     * skip the await, or fail to take the lock and go on), so it is an error; the
     * type checker catches the direct cases, this also those inside procedures.
     */
    private void checkWaitsOnlyAtStart(Instr[] body) {
        for (int i = 1; i < body.length; i++) {
            Instr in = body[i];
            boolean waits = in instanceof Instr.Await || in instanceof Instr.LockOp op && op.action().acquires()
                    && !op.action().trylock();
            if (waits) {
                throw error(new SourcePos(r.model().file(), in.src().line(), in.src().column()),
                        "an atomic block can only wait at its start, and '" + in.src().text() + "' may wait; "
                                + "move it to the top of the block or use a trylock");
            }
        }
    }

    private static String firstText(Stmt.Block b) {
        Stmt s = b.body().get(0);
        if (s instanceof Stmt.Assign x) {
            return x.text();
        } else if (s instanceof Stmt.CallStmt x) {
            return x.text();
        } else if (s instanceof Stmt.Await x) {
            return x.text();
        } else if (s instanceof Stmt.If x) {
            return x.text();
        }
        return "";
    }

    private void either(Stmt.Either e, Env env) {
        if (direct) {
            // an atomic block is one step with one successor; a choice inside it would need several
            throw error(e.pos(), "'either' cannot appear inside an atomic block, which is a single step; make "
                    + "the choice before the block");
        }
        int at = emit(new Instr.Either(src(e.pos(), e.text()), new int[0]));
        int[] targets = new int[e.branches().size()];
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < targets.length; i++) {
            targets[i] = code.size();
            block(e.branches().get(i), env);
            ends.add(emit(new Instr.Jump(Src.NONE, -1)));
        }
        for (int j : ends) {
            patchJump(j, code.size());
        }
        code.set(at, new Instr.Either(code.get(at).src(), targets));
    }

    private void assign(SourcePos pos, String text, Expr.Name target, String op, Expr value, Env env) {
        Place p = place(target, env, mode());
        Src src = src(pos, text);
        if (p.constant != null || p.value != null) {
            throw error(target.pos(), "cannot assign to '" + target.name() + "': it stands for a value here");
        }
        if (p.global != null && p.global.lock()) {
            throw error(target.pos(), "cannot assign to '" + target.name() + "': it is a lock");
        }
        if (!op.equals("=")) {
            Expr.Binary sum = new Expr.Binary(pos, op.equals("+=") ? "+" : "-", target, value);
            assign(pos, text, target, "=", sum, env);
            return;
        }
        if (value instanceof Expr.Call c && Builtins.get(c.function()) != null
                && Builtins.get(c.function()).kind() != Builtins.Kind.LOAD) {
            Builtins.Builtin b = Builtins.get(c.function());
            if (p.register >= 0) {
                primitive(c, b, p.register, src, env);
                return;
            }
            // the result register must outlive the primitive, which clears and frees its own temporaries
            int t = temp();
            usedTemps.remove(Integer.valueOf(t));
            primitive(c, b, t, src, env);
            usedTemps.add(t);
            write(p, new CExpr.Slot(t), src);
            releaseTemps(true);
            return;
        }
        if (p.register >= 0 && !direct) {
            Place source = sharedRead(value, env);
            if (source != null) {
                emit(new Instr.Load(src, p.register, ref(source, src), access(value)));
                releaseTemps(true);
                return;
            }
        }
        CExpr v = p.memory() ? accessing(() -> expr(value, env, mode())) : expr(value, env, mode());
        write(p, v, src);
        releaseTemps(true);
    }

    /** A plain store for shared memory; a register or ghost assignment otherwise. */
    private void write(Place p, CExpr v, Src src) {
        if (p.global != null && !p.global.ghost()) {
            emit(new Instr.Store(src, ref(p, src), v, Instr.Access.PLAIN));
        } else {
            emit(new Instr.Assign(src, ref(p, src), v));
        }
    }

    /** The place a value expression reads when it is exactly one shared read (x, READ_ONCE(x), ...), else null. */
    private Place sharedRead(Expr value, Env env) {
        Expr loc = null;
        if (value instanceof Expr.Name || value instanceof Expr.Unary u && u.op().equals("*")) {
            loc = value;
        } else if (value instanceof Expr.Call c && Builtins.get(c.function()) != null
                && Builtins.get(c.function()).kind() == Builtins.Kind.LOAD && Builtins.get(c.function()).op().isEmpty()) {
            loc = c.args().get(0);
        }
        if (loc == null) {
            return null;
        }
        Place p = location(loc, env, Mode.LOADS);
        return p.memory() ? p : null;
    }

    private static Instr.Access access(Expr value) {
        if (value instanceof Expr.Call c) {
            Builtins.Builtin b = Builtins.get(c.function());
            return switch (b.order()) {
                case ACQUIRE -> Instr.Access.ACQUIRE;
                case ACQUIRE_PC -> Instr.Access.ACQUIRE_PC;
                default -> Instr.Access.ONCE;
            };
        }
        return Instr.Access.PLAIN;
    }

    /** The place a primitive's location argument names: {@code x}, {@code &x}, {@code a[i]} or {@code *p}. */
    private Place location(Expr a, Env env, Mode mode) {
        if (a instanceof Expr.Unary u && u.op().equals("*")) {
            CExpr pointer = accessing(() -> expr(u.operand(), env, mode));
            return Place.deref(pointer, "*" + describe(u.operand()));
        }
        return place(locationArg(a), env, mode);
    }

    /** A short rendering of an address expression for messages and traces. */
    private static String describe(Expr e) {
        if (e instanceof Expr.Name n && n.indices().isEmpty()) {
            return n.name();
        }
        if (e instanceof Expr.Binary b) {
            return "(" + describe(b.left()) + " " + b.op() + " " + describe(b.right()) + ")";
        }
        if (e instanceof Expr.IntLit i) {
            return Long.toString(i.value());
        }
        return "(...)";
    }

    private static Expr.Name locationArg(Expr a) {
        Expr e = a instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : a;
        return e instanceof Expr.Name n ? n : null;
    }

    private void callStmt(Stmt.CallStmt s, Env env) {
        Expr.Call c = s.call();
        Src src = src(s.pos(), s.text());
        Builtins.Builtin b = Builtins.get(c.function());
        if (b != null) {
            primitive(c, b, -1, src, env);
            return;
        }
        Decl.Proc proc = r.procs().get(c.function());
        Map<String, Binding> params = new HashMap<>();
        for (int i = 0; i < proc.params().size(); i++) {
            params.put(proc.params().get(i), new Binding(c.args().get(i), env));
        }
        Env inner = new Env(new HashMap<>(), params, new HashMap<>(), proc.name());
        List<Stmt> body = proc.body().body();
        if (body.size() == 1 && body.get(0) instanceof Stmt.Atomic a) {
            // a procedure that is one atomic block stands for a primitive (flush_tlb(addr)):
            // its one step reads as the call, not as the block inside the procedure
            atomic(a, inner, src);
            return;
        }
        block(proc.body(), inner);
    }

    /** Emits a primitive's instruction; {@code reg} receives its result (-1: none). */
    private void primitive(Expr.Call c, Builtins.Builtin b, int reg, Src src, Env env) {
        switch (b.kind()) {
            case FENCE -> {
                Instr.FenceKind kind = null;
                for (Instr.FenceKind k : Instr.FenceKind.values()) {
                    if (k.word.equals(c.function())) {
                        kind = k;
                    }
                }
                if (kind == null) { // barrier(): a compiler barrier orders nothing on the CPU
                    emit(new Instr.Assume(src, new CExpr.Const(1)));
                } else {
                    emit(new Instr.Fence(src, kind));
                }
            }
            case LOAD -> {
                Place p = location(c.args().get(b.loc()), env, Mode.LOADS);
                emit(new Instr.Load(src, reg < 0 ? temp() : reg, ref(p, src), access(c)));
                releaseTemps(true);
            }
            case STORE -> {
                Place p = location(c.args().get(0), env, mode());
                CExpr v = accessing(() -> expr(c.args().get(1), env, mode()));
                Instr.Access a = b.order() == Builtins.Order.RELEASE ? Instr.Access.RELEASE : Instr.Access.ONCE;
                emit(new Instr.Store(src, ref(p, src), v, a));
                releaseTemps(true);
            }
            case RMW, VOID_RMW -> rmw(c, b, reg, src, env);
            case NONATOMIC_RMW -> nonatomicBitop(c, b, src, env);
            case SEQ_WRITE -> seqWrite(c, b, src, env);
            case LOCK, UNLOCK, TRYLOCK -> {
                Place p = place(locationArg(c.args().get(0)), env, mode());
                if (p.global == null || !p.global.lock()) {
                    throw error(c.pos(), c.function() + "() needs a lock, and '" + p.name + "' is not one");
                }
                Instr.LockAction action = lockAction(c.function());
                if (direct && action.acquires() && !action.trylock() && !code.isEmpty()) {
                    // the block's guard waits only on its first instruction; a later busy lock could not wait
                    throw error(c.pos(), "an atomic block can only wait at its start; move " + c.function()
                            + "() to the top of the block");
                }
                emit(new Instr.LockOp(src, action, ref(p, src), reg));
                releaseTemps(true);
            }
            case NONDET -> {
                if (direct) {
                    throw error(c.pos(), "choose() cannot appear inside an atomic block, which is a single step; "
                            + "choose into a register before the block");
                }
                int lo = constant(c.args().get(0), env);
                int hi = constant(c.args().get(1), env);
                emit(new Instr.Choose(src, reg < 0 ? temp() : reg, lo, hi));
                releaseTemps(true);
            }
        }
    }

    /**
     * A bitop's __ form: a plain load of the word and a store of it with the bit
     * changed (a release store for __clear_bit_unlock), two steps; a change another
     * CPU makes to the word in between is lost.
     */
    private void nonatomicBitop(Expr.Call c, Builtins.Builtin b, Src src, Env env) {
        if (direct) {
            throw error(c.pos(), c.function() + "() is two steps, a load and a store, so it cannot appear inside "
                    + "an atomic block; use the atomic form there");
        }
        // __set_bit(nr, &w): the bit number's reads come first, as written, then the word's address
        CExpr mask = accessing(() -> bitMask(c.args().get(b.operandArg()), env));
        Place p = location(c.args().get(b.loc()), env, mode());
        Ref ref = ref(p, src);
        int old = temp();
        emit(new Instr.Load(src, old, ref, Instr.Access.PLAIN));
        CExpr word = new CExpr.Slot(old);
        CExpr value = switch (b.op()) {
            case "or" -> new CExpr.Binary(CExpr.Op.OR, word, mask);
            case "xor" -> new CExpr.Binary(CExpr.Op.XOR, word, mask);
            case "andnot" -> new CExpr.Binary(CExpr.Op.AND, word, new CExpr.Unary('~', mask));
            default -> throw new IllegalStateException("not a non-atomic bitop: " + b.op());
        };
        Instr.Access a = b.order() == Builtins.Order.RELEASE ? Instr.Access.RELEASE : Instr.Access.PLAIN;
        emit(new Instr.Store(src, ref, value, a));
        releaseTemps(true);
    }

    /**
     * write_seqcount_begin: the count's increment (a plain load and store, the
     * writer holding its lock), then smp_wmb(); write_seqcount_end: smp_wmb(),
     * then the increment. Three steps.
     */
    private void seqWrite(Expr.Call c, Builtins.Builtin b, Src src, Env env) {
        if (direct) {
            throw error(c.pos(), c.function() + "() is three steps, an increment and a barrier, so it cannot appear "
                    + "inside an atomic block");
        }
        boolean begin = b.op().equals("seq_write_begin");
        Place p = location(c.args().get(b.loc()), env, mode());
        Ref ref = ref(p, src);
        if (!begin) {
            emit(new Instr.Fence(src, Instr.FenceKind.WMB));
        }
        int count = temp();
        emit(new Instr.Load(src, count, ref, Instr.Access.ONCE));
        emit(new Instr.Store(src, ref, new CExpr.Binary(CExpr.Op.ADD, new CExpr.Slot(count), new CExpr.Const(1)),
                Instr.Access.ONCE));
        if (begin) {
            emit(new Instr.Fence(src, Instr.FenceKind.WMB));
        }
        releaseTemps(true);
    }

    /**
     * A reader's side of a sequence count, in an expression: read_seqcount_begin
     * loads the count until it is even, then smp_rmb(); raw_read_seqcount loads
     * it and smp_rmb(); read_seqcount_retry is smp_rmb(), then whether the count
     * differs from {@code start} (__read_seqcount_retry without the barrier).
     */
    private CExpr seqRead(Expr.Call c, Builtins.Builtin b, Place loc, Env env, Mode mode) {
        Src src = src(c.pos(), c.function() + "(&" + loc.name + ")");
        Ref ref = ref(loc, src);
        switch (b.op()) {
            case "seq_begin" -> {
                // the kernel loads the count again while it is odd (a writer is inside); those reads change
                // nothing, so an execution that reads an odd count is dropped: the same one reads it later
                int count = temp();
                emit(new Instr.Load(src, count, ref, Instr.Access.ONCE));
                emit(new Instr.Assume(src, new CExpr.Binary(CExpr.Op.EQ, new CExpr.Binary(CExpr.Op.AND,
                        new CExpr.Slot(count), new CExpr.Const(1)), new CExpr.Const(0))));
                emit(new Instr.Fence(src, Instr.FenceKind.RMB));
                return new CExpr.Slot(count);
            }
            case "seq_read" -> {
                int count = temp();
                emit(new Instr.Load(src, count, ref, Instr.Access.ONCE));
                emit(new Instr.Fence(src, Instr.FenceKind.RMB));
                return new CExpr.Slot(count);
            }
            case "seq_retry", "seq_retry_unordered" -> {
                CExpr start = expr(c.args().get(b.operandArg()), env, mode);
                if (b.op().equals("seq_retry")) {
                    emit(new Instr.Fence(src, Instr.FenceKind.RMB));
                }
                int count = temp();
                emit(new Instr.Load(src, count, ref, Instr.Access.ONCE));
                return new CExpr.Binary(CExpr.Op.NE, new CExpr.Slot(count), start);
            }
            default -> throw new IllegalStateException("not a sequence count read: " + b.op());
        }
    }

    /** 1 << nr for a bit number; a number outside 0..31 is the fault index_out_of_range when the step runs. */
    private CExpr bitMask(Expr nr, Env env) {
        CExpr n = expr(nr, env, mode());
        if (n instanceof CExpr.Const k && k.value() >= 0 && k.value() < 32) {
            return new CExpr.Const(1 << k.value());
        }
        CExpr checked = new CExpr.FlatIndex(new CExpr[] {n}, new int[] {32}, "bits");
        return new CExpr.Binary(CExpr.Op.SHL, new CExpr.Const(1), checked);
    }

    private void rmw(Expr.Call c, Builtins.Builtin b, int reg, Src src, Env env) {
        // the arguments are loaded left to right as written, the location among them: cmpxchg(&x, old, new)
        // loads old before new, atomic_add(i, &a[j]) loads i before the index j, set_bit(nr, &w[k]) nr before k
        int expectedArg = b.op().equals("cmpxchg") ? 1 : b.op().equals("add_unless") && c.args().size() == 3 ? 2 : -1;
        Place p = null;
        CExpr operand = b.operandArg() < 0 ? new CExpr.Const(b.sign()) : null;
        CExpr expected = null;
        for (int a = 0; a < c.args().size(); a++) {
            if (a == b.loc()) {
                p = location(c.args().get(a), env, mode());
            } else if (a == b.operandArg() && b.bitop()) {
                Expr arg = c.args().get(a);
                operand = accessing(() -> bitMask(arg, env));
            } else if (a == b.operandArg()) {
                Expr arg = c.args().get(a);
                CExpr o = accessing(() -> expr(arg, env, mode()));
                operand = b.sign() < 0 ? new CExpr.Unary('-', o) : o;
            } else if (a == expectedArg) {
                Expr arg = c.args().get(a);
                expected = accessing(() -> expr(arg, env, mode()));
            }
        }
        Instr.RmwOp op;
        switch (b.op()) {
            case "xchg" -> op = Instr.RmwOp.XCHG;
            case "cmpxchg" -> op = Instr.RmwOp.CMPXCHG;
            case "add_unless" -> {
                op = Instr.RmwOp.ADD_UNLESS;
                expected = expected != null ? expected : new CExpr.Const(0); // atomic_inc_not_zero
            }
            case "or" -> op = Instr.RmwOp.OR;
            case "andnot" -> op = Instr.RmwOp.AND_NOT;
            case "xor" -> op = Instr.RmwOp.XOR;
            case "or_unless_set" -> {
                op = Instr.RmwOp.OR_UNLESS_SET;
                expected = operand; // the bit: when it is already set, nothing is written
            }
            case "ldset" -> op = Instr.RmwOp.OR; // an AArch64 LSE op: a mask, not a bit number
            case "ldclr" -> op = Instr.RmwOp.AND_NOT;
            case "ldeor" -> op = Instr.RmwOp.XOR;
            case "add" -> op = Instr.RmwOp.ADD;
            default -> throw new IllegalStateException("unknown RMW " + b.op());
        }
        Instr.RmwResult result = switch (b.result()) {
            case OLD -> Instr.RmwResult.OLD;
            case NEW -> Instr.RmwResult.NEW;
            case NEW_IS_ZERO -> Instr.RmwResult.NEW_IS_ZERO;
            case SUCCESS -> Instr.RmwResult.SUCCESS;
            case OLD_BIT -> Instr.RmwResult.OLD_BIT;
            case NEGATIVE_BYTE -> Instr.RmwResult.NEGATIVE_BYTE;
            case NONE -> Instr.RmwResult.NONE;
        };
        Instr.Ordering ordering = switch (b.order()) {
            case RELAXED -> Instr.Ordering.RELAXED;
            case ACQUIRE -> Instr.Ordering.ACQUIRE;
            case RELEASE -> Instr.Ordering.RELEASE;
            case ACQUIRE_RELEASE -> Instr.Ordering.ACQUIRE_RELEASE;
            default -> Instr.Ordering.FULL;
        };
        switch (b.form()) {
            case KERNEL -> emit(new Instr.Rmw(src, op, result, reg, ref(p, src), operand, expected, ordering));
            case LSE -> {
                if (reg < 0) {
                    // the no-return form (destination WZR): herd7's AArch64 semantics gives its read the
                    // NoRet annotation instead of A, so SWPA WZR is relaxed and SWPAL WZR only a release
                    result = Instr.RmwResult.NONE;
                    ordering = ordering == Instr.Ordering.FULL ? Instr.Ordering.RELEASE
                            : ordering == Instr.Ordering.ACQUIRE ? Instr.Ordering.RELAXED : ordering;
                }
                emit(new Instr.Rmw(src, op, result, reg, ref(p, src), operand, expected, ordering,
                        Instr.RmwForm.LSE, -1));
            }
            case EXCLUSIVE -> {
                Place loaded = place(locationArg(c.args().get(2)), env, mode());
                emit(new Instr.Rmw(src, op, result, loaded.register, ref(p, src), operand, expected, ordering,
                        Instr.RmwForm.EXCLUSIVE, reg < 0 ? temp() : reg));
            }
        }
        releaseTemps(true);
    }

    private static Instr.LockAction lockAction(String f) {
        return switch (f) {
            case "spin_lock", "mutex_lock" -> Instr.LockAction.SPIN_LOCK;
            case "spin_unlock", "mutex_unlock" -> Instr.LockAction.SPIN_UNLOCK;
            case "spin_trylock", "mutex_trylock" -> Instr.LockAction.SPIN_TRYLOCK;
            case "down_read", "read_lock" -> Instr.LockAction.DOWN_READ;
            case "up_read", "read_unlock" -> Instr.LockAction.UP_READ;
            case "down_write", "write_lock" -> Instr.LockAction.DOWN_WRITE;
            case "up_write", "write_unlock" -> Instr.LockAction.UP_WRITE;
            case "down_read_trylock", "read_trylock" -> Instr.LockAction.DOWN_READ_TRYLOCK;
            case "down_write_trylock", "write_trylock" -> Instr.LockAction.DOWN_WRITE_TRYLOCK;
            default -> throw new IllegalStateException("lock primitive " + f);
        };
    }

    // ---- names and places ----

    private Place place(Expr.Name n, Env env, Mode mode) {
        String name = n.name();
        Binding b = env.params.get(name);
        if (b != null) {
            Expr arg = b.arg instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : b.arg;
            if (arg instanceof Expr.Name an) {
                Place inner = place(an, b.env, mode);
                if (n.indices().isEmpty()) {
                    return inner;
                }
                List<CExpr> idx = new ArrayList<>(inner.indices);
                for (Expr i : n.indices()) {
                    idx.add(indexOf(inner.global, i, env, mode));
                }
                return new Place(inner.global, inner.register, inner.constant, inner.value, idx, inner.name);
            }
            if (!n.indices().isEmpty()) {
                throw error(n.pos(), "'" + name + "' is indexed, but the argument passed for it is not an array");
            }
            return new Place(null, -1, null, expr(arg, b.env, mode), List.of(), name);
        }
        String regName = env.alias.getOrDefault(name, env.procName == null ? name : null);
        if (regName != null && regIndex.containsKey(regName)) {
            return new Place(null, regBase + regIndex.get(regName), null, null, List.of(), regName);
        }
        Integer c = env.consts.get(name);
        if (c == null && name.equals(KernelKit.CPU)) {
            c = cpu; // the kernel kit's "this CPU", in a thread or a procedure inlined into it
        }
        if (c == null) {
            c = r.constants().get(name);
        }
        if (c != null) {
            return new Place(null, -1, c, null, List.of(), name);
        }
        Globals.Storage s = g.byName.get(name);
        if (s != null) {
            List<CExpr> idx = new ArrayList<>();
            for (Expr i : n.indices()) {
                idx.add(indexOf(s, i, env, mode));
            }
            return new Place(s, -1, null, null, idx, name);
        }
        throw error(n.pos(), "unknown name '" + name + "'");
    }

    /**
     * An index into a global: the index of a shared cell or a lock is part of that access's
     * address, unless the place is only an address ({@code &a[i]}, a value); reads nested in the
     * index (a load's own address) are accesses again.
     */
    private CExpr indexOf(Globals.Storage s, Expr i, Env env, Mode mode) {
        boolean address = addressOnly;
        addressOnly = false;
        try {
            return s != null && !s.ghost() && !address ? accessing(() -> expr(i, env, mode)) : expr(i, env, mode);
        } finally {
            addressOnly = address;
        }
    }

    /**
     * Compiles what an access to memory or a lock reads besides the access (its address, a
     * store's value, a primitive's arguments): a ghost read there is a step of its own before
     * the access, as a shared read is a load of its own (the language reference's steps), so
     * that the access's step touches nothing else another CPU sees, and arm, which may perform
     * the access out of program order, still reads ghost state in program order.
     */
    private <T> T accessing(java.util.function.Supplier<T> compile) {
        boolean saved = ghostReadSteps;
        ghostReadSteps = true;
        try {
            return compile.get();
        } finally {
            ghostReadSteps = saved;
        }
    }

    private Ref ref(Place p, Src src) {
        if (p.pointer != null) {
            // any memory cell: the index is the address minus the location tag, range-checked when it runs
            CExpr index = new CExpr.Binary(CExpr.Op.SUB, p.pointer, new CExpr.Const(ValueType.LOC_BASE));
            return new Ref(true, 0, g.memory.size(), index, p.name);
        }
        if (p.register >= 0) {
            return Ref.slot(p.register, p.name);
        }
        Globals.Storage s = p.global;
        if (s == null) {
            throw error(new SourcePos(r.model().file(), src.line(), src.column()),
                    "'" + p.name + "' is not a variable here");
        }
        int length = 1;
        for (int d : s.dims()) {
            length *= d;
        }
        int base = s.ghost() ? g.ghostSlotBase + s.base() : s.base();
        if (s.dims().length != p.indices.size()) {
            throw error(new SourcePos(r.model().file(), src.line(), src.column()),
                    "'" + s.name() + "' needs " + s.dims().length + " ind" + (s.dims().length == 1 ? "ex" : "ices"));
        }
        if (s.dims().length == 0) {
            return new Ref(!s.ghost(), base, 1, null, s.name());
        }
        CExpr flat = flatIndex(p.indices, s.dims(), s.name());
        if (flat instanceof CExpr.Const k) {
            return new Ref(!s.ghost(), base + k.value(), 1, null, Globals.cellName(s.name(), s.dims(), k.value()));
        }
        return new Ref(!s.ghost(), base, length, flat, s.name());
    }

    private CExpr flatIndex(List<CExpr> indices, int[] dims, String name) {
        boolean constant = indices.stream().allMatch(i -> i instanceof CExpr.Const);
        CExpr flat = new CExpr.FlatIndex(indices.toArray(new CExpr[0]), dims, name);
        if (constant) {
            // a constant index out of range is still a runtime fault, reported when the step runs
            try {
                return new CExpr.Const(flat.eval(null, null));
            } catch (dev.mmx.system.ModelFault f) {
                return flat;
            }
        }
        return flat;
    }

    // ---- expressions ----

    private int constant(Expr e, Env env) {
        Integer v = constantOrNull(e, env);
        if (v == null) {
            throw error(e.pos(), "expected a constant expression here");
        }
        return v;
    }

    private Integer constantOrNull(Expr e, Env env) {
        if (e instanceof Expr.IntLit i) {
            return (int) i.value();
        }
        if (e instanceof Expr.BoolLit b) {
            return b.value() ? 1 : 0;
        }
        if (e instanceof Expr.Name n && n.indices().isEmpty()) {
            if (env.params.containsKey(n.name())) {
                Binding b = env.params.get(n.name());
                return constantOrNull(b.arg, b.env);
            }
            if (env.alias.containsKey(n.name()) || (env.procName == null && regIndex.containsKey(n.name()))) {
                return null;
            }
            Integer c = env.consts.get(n.name());
            return c != null ? c : r.constants().get(n.name());
        }
        if (e instanceof Expr.Unary u && u.op().equals("&")) {
            CExpr a = address(u, env, Mode.DIRECT);
            return a instanceof CExpr.Const k ? k.value() : null;
        }
        if (e instanceof Expr.Unary u && !u.op().equals("*")) {
            Integer v = constantOrNull(u.operand(), env);
            if (v == null) {
                return null;
            }
            return new CExpr.Unary(u.op().charAt(0), new CExpr.Const(v)).eval(null, null);
        }
        if (e instanceof Expr.Binary b) {
            Integer x = constantOrNull(b.left(), env);
            Integer y = constantOrNull(b.right(), env);
            if (x == null || y == null || ((b.op().equals("/") || b.op().equals("%")) && y == 0)) {
                return null;
            }
            return CExpr.Op.of(b.op()).apply(x, y);
        }
        if (e instanceof Expr.Cond c) {
            // as the resolver's constant expressions: only the branch chosen is evaluated
            Integer test = constantOrNull(c.test(), env);
            return test == null ? null : constantOrNull(test != 0 ? c.then() : c.otherwise(), env);
        }
        return null;
    }

    CExpr expr(Expr e, Env env, Mode mode) {
        if (e instanceof Expr.IntLit i) {
            return new CExpr.Const((int) i.value());
        }
        if (e instanceof Expr.BoolLit b) {
            return new CExpr.Const(b.value() ? 1 : 0);
        }
        if (e instanceof Expr.Name n) {
            return read(place(n, env, mode), mode, Instr.Access.PLAIN, n.pos(), n.name());
        }
        if (e instanceof Expr.ThreadReg t && threadRegs != null) {
            int index = t.indices().isEmpty() ? -1 : constant(t.indices().get(0), env);
            return new CExpr.Slot(threadRegs.slot(t, index));
        }
        if (e instanceof Expr.Unary u && u.op().equals("&")) {
            return address(u, env, mode);
        }
        if (e instanceof Expr.Unary u && u.op().equals("*")) {
            Place p = location(u, env, mode);
            return read(p, mode, Instr.Access.PLAIN, u.pos(), p.name);
        }
        if (e instanceof Expr.Unary u) {
            CExpr operand = expr(u.operand(), env, mode);
            CExpr un = new CExpr.Unary(u.op().charAt(0), operand);
            return operand instanceof CExpr.Const ? new CExpr.Const(un.eval(null, null)) : un;
        }
        if (e instanceof Expr.Binary b) {
            CExpr l = expr(b.left(), env, mode);
            CExpr rr = expr(b.right(), env, mode);
            CExpr.Op op = CExpr.Op.of(b.op());
            boolean divides = op == CExpr.Op.DIV || op == CExpr.Op.MOD;
            if (l instanceof CExpr.Const x && rr instanceof CExpr.Const y && (!divides || y.value() != 0)) {
                return new CExpr.Const(op.apply(x.value(), y.value())); // x / 0 stays: a fault when the step runs
            }
            return new CExpr.Binary(op, l, rr);
        }
        if (e instanceof Expr.Cond c) {
            CExpr test = expr(c.test(), env, mode);
            if (test instanceof CExpr.Const k) {
                return k.value() != 0 ? expr(c.then(), env, mode) : expr(c.otherwise(), env, mode);
            }
            return new CExpr.Ite(test, expr(c.then(), env, mode), expr(c.otherwise(), env, mode));
        }
        if (e instanceof Expr.Call c) {
            Builtins.Builtin b = Builtins.get(c.function());
            // test_bit(nr, &w): the bit number's reads come first, as written
            CExpr mask = b.bitop() ? bitMask(c.args().get(b.operandArg()), env) : null;
            Place loc = location(c.args().get(b.loc()), env, mode);
            Instr.Access a = access(c);
            if (b.seqcount()) {
                if (mode == Mode.DIRECT) {
                    throw error(c.pos(), c.function() + "() loads and orders, so it cannot appear inside an atomic "
                            + "block");
                }
                return seqRead(c, b, loc, env, mode);
            }
            if (b.op().equals("waiters")) {
                // waitqueue_active(&wq): a load of the list, and whether any task is on it
                CExpr list = read(loc, mode, a, c.pos(), c.function() + "(&" + loc.name + ")");
                return new CExpr.Binary(CExpr.Op.NE, list, new CExpr.Const(0));
            }
            if (b.bitop()) {
                // test_bit(nr, &w): a load of the word, then its bit nr (no step of its own)
                CExpr word = read(loc, mode, a, c.pos(), c.function() + "(" + describe(c.args().get(0)) + ", "
                        + loc.name + ")");
                return new CExpr.Binary(CExpr.Op.NE, new CExpr.Binary(CExpr.Op.AND, word, mask), new CExpr.Const(0));
            }
            return read(loc, mode, a, c.pos(), c.function() + "(" + loc.name + ")");
        }
        if (e instanceof Expr.Quant q) {
            int lo = 0;
            int hi;
            if (q.rangeName() != null) {
                Type en = r.enums().get(q.rangeName());
                hi = en != null ? en.members().size() - 1 : groupSize(q.rangeName()) - 1;
            } else {
                lo = constant(q.lo(), env);
                hi = constant(q.hi(), env);
            }
            CExpr acc = null;
            for (int v = lo; v <= hi; v++) {
                CExpr body = expr(q.body(), env.withConst(q.var(), v), mode);
                acc = acc == null ? body : new CExpr.Binary(q.forall() ? CExpr.Op.LAND : CExpr.Op.LOR, acc, body);
            }
            return acc != null ? acc : new CExpr.Const(q.forall() ? 1 : 0);
        }
        throw error(e.pos(), "this expression cannot appear in a thread");
    }

    /** {@code &x}: the tagged number of x's cell (plus the flat index for an array element). */
    private CExpr address(Expr.Unary u, Env env, Mode mode) {
        boolean saved = addressOnly;
        addressOnly = true;
        Place p;
        try {
            p = place(locationArg(u), env, mode);
        } finally {
            addressOnly = saved;
        }
        if (p.value != null && p.global == null) {
            return p.value; // a procedure parameter bound to an address
        }
        if (p.global == null || p.global.ghost() || p.global.lock()) {
            throw error(u.pos(), "'&' takes the address of a shared variable, and '" + p.name + "' is not one");
        }
        Ref ref = ref(p, src(u.pos(), "&" + p.name));
        CExpr cell = new CExpr.Const(ValueType.LOC_BASE + ref.base());
        if (ref.fixed()) {
            return cell;
        }
        return new CExpr.Binary(CExpr.Op.ADD, cell, ref.index());
    }

    private int groupSize(String group) {
        return r.threads().stream().filter(t -> t.decl().name().equals(group)).findFirst().orElseThrow().count();
    }

    /** Reads a place: constants fold, registers and ghosts are slots, shared memory is a load or a direct read. */
    private CExpr read(Place p, Mode mode, Instr.Access access, SourcePos pos, String text) {
        if (p.constant != null) {
            return new CExpr.Const(p.constant);
        }
        if (p.value != null) {
            return p.value;
        }
        if (p.register >= 0) {
            return new CExpr.Slot(p.register);
        }
        if (p.pointer != null) {
            Ref ref = ref(p, src(pos, text));
            if (mode == Mode.DIRECT) {
                return new CExpr.MemArray(0, ref.length(), ref.index(), ref.name());
            }
            int t = temp();
            emit(new Instr.Load(src(pos, text), t, ref, access));
            return new CExpr.Slot(t);
        }
        Globals.Storage s = p.global;
        if (s.lock()) {
            throw error(pos, "'" + s.name() + "' is a lock, not a value");
        }
        Ref ref = ref(p, src(pos, text));
        if (s.ghost()) {
            CExpr cell = ref.fixed() ? new CExpr.Slot(ref.base()) : new CExpr.SlotArray(ref.base(), ref.length(),
                    ref.index(), ref.name());
            if (mode == Mode.LOADS && ghostReadSteps) {
                int t = temp();
                emit(new Instr.Assign(src(pos, text), Ref.slot(t, regs.get(t - regBase).name()), cell));
                return new CExpr.Slot(t);
            }
            return cell;
        }
        if (mode == Mode.DIRECT) {
            return ref.fixed() ? new CExpr.Mem(ref.base(), ref.name()) : new CExpr.MemArray(ref.base(),
                    ref.length(), ref.index(), ref.name());
        }
        int t = temp();
        emit(new Instr.Load(src(pos, text), t, ref, access));
        return new CExpr.Slot(t);
    }
}
