package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.and;
import static dev.mmx.resolve.KitAst.check;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.field;
import static dev.mmx.resolve.KitAst.ge;
import static dev.mmx.resolve.KitAst.gt;
import static dev.mmx.resolve.KitAst.name;
import static dev.mmx.resolve.KitAst.ne;
import static dev.mmx.resolve.KitAst.not;
import static dev.mmx.resolve.KitAst.num;
import static dev.mmx.resolve.KitAst.or;
import static dev.mmx.resolve.KitAst.set;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.Names;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel kit: per-CPU TLBs, page state, interrupt and RCU state, and the
 * primitives on them, expanded before resolution into ghost state and atomic
 * steps over it. Each primitive is one atomic step (outside the memory model,
 * acting at once), so the rest of the pipeline — types, steps, traces, partial
 * -order reduction, every memory model — treats it as it treats atomic blocks
 * over ghost state. The language reference describes what each one means.
 */
public final class KernelKit implements KitSteps {
    /** The compiler binds this name to the running thread's CPU number. */
    public static final String CPU = "~cpu";
    static final String NR_CPUS = "nr_cpu_ids";
    static final String IRQS = "irqs_disabled";
    static final String RCU_DEPTH = "rcu_read_depth";
    static final String RCU_WAITS = "rcu_gp_waits_for";
    private static final String C = "~c";
    private static final String A = "~a";
    private static final String I = "~i";

    /**
     * Primitives that order nothing after them: the MMU's walk, and the page
     * operations the kernel builds from relaxed atomics (get_page is atomic_inc,
     * the flag helpers set_bit and clear_bit, the pin an atomic_add). The others
     * are full barriers: TLB invalidation (DSB around TLBI, or an IPI),
     * interrupt masking, RCU (its grace-period guarantee), and put_page and
     * unpin_user_page (atomic_dec_and_test, fully ordered).
     */
    static final Set<String> UNORDERED = Set.of("tlb_fill", "get_page", "pin_user_page",
            "SetPageAnonExclusive", "ClearPageAnonExclusive");

    /** Statement primitives, by argument count. */
    static final Map<String, Integer> STATEMENTS = new LinkedHashMap<>();
    /** Expression primitives (queries of page state and properties), by argument count. */
    static final Map<String, Integer> QUERIES = new LinkedHashMap<>();

    static {
        STATEMENTS.put("tlb_fill", 2);
        STATEMENTS.put("flush_tlb_page", 1);
        STATEMENTS.put("flush_tlb_range", 2);
        STATEMENTS.put("flush_tlb_mm", 0);
        STATEMENTS.put("flush_tlb_ipi", 1);
        STATEMENTS.put("flush_tlb_broadcast", 1);
        STATEMENTS.put("local_flush_tlb_page", 1);
        STATEMENTS.put("local_irq_disable", 0);
        STATEMENTS.put("local_irq_enable", 0);
        STATEMENTS.put("rcu_read_lock", 0);
        STATEMENTS.put("rcu_read_unlock", 0);
        STATEMENTS.put("synchronize_rcu", 0);
        STATEMENTS.put("get_page", 1);
        STATEMENTS.put("put_page", 1);
        STATEMENTS.put("pin_user_page", 1);
        STATEMENTS.put("unpin_user_page", 1);
        STATEMENTS.put("SetPageAnonExclusive", 1);
        STATEMENTS.put("ClearPageAnonExclusive", 1);
        QUERIES.put("PageAnonExclusive", 1);
        QUERIES.put("page_maybe_dma_pinned", 1);
        QUERIES.put("page_count", 1);
        QUERIES.put("PageFreed", 1);
        QUERIES.put("no_stale_tlb", 0);
        QUERIES.put("no_freed_access", 0);
        QUERIES.put("no_unreliable_pin", 0);
    }

    static {
        STATEMENTS.putAll(new java.util.TreeMap<>(WaitQueues.STATEMENTS));
    }

    /** The names of every kit primitive, for editors and messages. */
    public static Set<String> names() {
        Set<String> all = new java.util.LinkedHashSet<>(STATEMENTS.keySet());
        all.addAll(QUERIES.keySet());
        return all;
    }

    public record Result(Model model, List<Diagnostic> diagnostics) {}

    private final Model model;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Map<String, Decl.Var> pages = new LinkedHashMap<>();
    private final Set<String> userProcs = new java.util.HashSet<>();
    private final Set<String> userTypes = new java.util.HashSet<>();
    private final WaitQueues waitQueues = new WaitQueues(errors);
    private Decl.Var tlb;
    /** Whether the expression being expanded is a property (read memory directly) rather than a thread's. */
    private boolean inProperty;

    private KernelKit(Model model) {
        this.model = model;
    }

    /** The model with the kit expanded, or unchanged when it uses none of it. */
    public static Result expand(Model model) {
        return new KernelKit(model).run();
    }

    /** Whether a declared type is the kit's tlb or page (a model's own enum of that name keeps its meaning). */
    private boolean kitType(String type) {
        return (type.equals("tlb") || type.equals("page") || type.equals(WaitQueues.TYPE))
                && !userTypes.contains(type);
    }

    private Result run() {
        boolean used = false;
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Enum e) {
                userTypes.add(e.name());
            }
        }
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Proc p) {
                userProcs.add(p.name()); // a model's own procedure of the same name keeps its meaning
            }
            if (d instanceof Decl.Var v && kitType(v.type())) {
                used = true;
                kitDecl(v);
            }
        }
        used |= usesKit();
        if (!used) {
            return new Result(model, List.of());
        }
        List<Decl> out = new ArrayList<>();
        boolean injected = false;
        for (Decl d : model.decls()) {
            boolean kitDecl = d instanceof Decl.Var v && kitType(v.type());
            if (!injected && (kitDecl || d instanceof Decl.Thread || d instanceof Decl.Proc
                    || d instanceof Decl.Invariant)) {
                out.addAll(cpuState(d.pos()));
                injected = true;
            }
            if (kitDecl) {
                out.addAll(expandDecl((Decl.Var) d));
            } else if (d instanceof Decl.Thread t) {
                out.add(new Decl.Thread(t.pos(), t.name(), t.count(), t.indexVar(), block(t.body())));
            } else if (d instanceof Decl.Proc p) {
                out.add(new Decl.Proc(p.pos(), p.name(), p.params(), block(p.body())));
            } else if (d instanceof Decl.Invariant inv) {
                out.add(new Decl.Invariant(inv.pos(), inv.name(), property(inv.cond())));
            } else if (d instanceof Decl.Final f) {
                out.add(new Decl.Final(f.pos(), f.kind(), property(f.cond()), f.text()));
            } else {
                out.add(d);
            }
        }
        return new Result(new Model(model.file(), List.copyOf(out)), List.copyOf(errors));
    }

    private Expr property(Expr e) {
        inProperty = true;
        Expr out = expr(e);
        inProperty = false;
        return out;
    }

    private void kitDecl(Decl.Var v) {
        if (v.type().equals(WaitQueues.TYPE)) {
            waitQueues.declare(v);
            return;
        }
        String what = v.type().equals("tlb") ? "TLBs are" : "page state is";
        if (!v.ghost()) {
            errors.add(new Diagnostic(v.pos(), what + " hardware and runtime state outside the memory model; "
                    + "declare it 'ghost " + v.type() + " " + v.name() + "'"));
        } else if (v.init() != null && !v.init().isEmpty()) {
            errors.add(new Diagnostic(v.pos(), "'" + v.name() + "' cannot have an initial value: TLBs start empty "
                    + "and pages start with refcount 1, no pin and no flags"));
        } else if (v.type().equals("tlb")) {
            if (tlb != null) {
                errors.add(new Diagnostic(v.pos(), "the TLBs are already declared at line " + tlb.pos().line()));
            } else if (v.dims().size() != 1) {
                errors.add(new Diagnostic(v.pos(), "declare the TLBs with the number of addresses they "
                        + "translate, like 'ghost tlb " + v.name() + "[NADDR];' (one TLB per CPU)"));
            } else {
                tlb = v;
            }
        } else if (v.dims().size() > 1) {
            errors.add(new Diagnostic(v.pos(), "pages are one page or a one-dimensional array, like 'ghost page "
                    + v.name() + "[2];'"));
        } else {
            pages.put(v.name(), v);
        }
    }

    private boolean usesKit() {
        boolean[] found = {false};
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Thread t) {
                scan(t.body(), found);
            } else if (d instanceof Decl.Proc p) {
                scan(p.body(), found);
            } else if (d instanceof Decl.Invariant inv) {
                found[0] |= mentionsKit(inv.cond());
            }
        }
        return found[0];
    }

    private void scan(Stmt s, boolean[] found) {
        List<Expr.Call> calls = Resolver.callsIn(s);
        for (Expr.Call c : calls) {
            if (STATEMENTS.containsKey(c.function()) && !userProcs.contains(c.function())) {
                found[0] = true;
            }
        }
    }

    private boolean mentionsKit(Expr e) {
        if (e instanceof Expr.Call c) {
            return QUERIES.containsKey(c.function()) || c.args().stream().anyMatch(this::mentionsKit);
        } else if (e instanceof Expr.Unary u) {
            return mentionsKit(u.operand());
        } else if (e instanceof Expr.Binary b) {
            return mentionsKit(b.left()) || mentionsKit(b.right());
        } else if (e instanceof Expr.Cond c) {
            return mentionsKit(c.test()) || mentionsKit(c.then()) || mentionsKit(c.otherwise());
        } else if (e instanceof Expr.Quant q) {
            return mentionsKit(q.body());
        }
        return false;
    }

    // ---------------------------------------------------------------- declarations

    /** nr_cpu_ids (one CPU per thread), this CPU, interrupt and RCU state: one cell per CPU. */
    private List<Decl> cpuState(SourcePos pos) {
        Expr cpus = null;
        for (Decl.Thread t : model.all(Decl.Thread.class)) {
            Expr one = t.count() != null ? t.count() : num(pos, 1);
            cpus = cpus == null ? one : new Expr.Binary(pos, "+", cpus, one);
        }
        List<Decl> out = new ArrayList<>();
        out.add(new Decl.Const(pos, NR_CPUS, cpus == null ? num(pos, 0) : cpus));
        out.add(new Decl.Const(pos, CPU, num(pos, 0)));
        out.add(ghost(pos, "bool", IRQS, List.of(name(pos, NR_CPUS)), null));
        out.add(ghost(pos, "int", RCU_DEPTH, List.of(name(pos, NR_CPUS)), null));
        out.add(ghost(pos, "int", RCU_WAITS, List.of(name(pos, NR_CPUS)), null));
        if (waitQueues.used()) {
            out.addAll(WaitQueues.taskState(pos, name(pos, NR_CPUS)));
        }
        return out;
    }

    private List<Decl> expandDecl(Decl.Var v) {
        SourcePos p = v.pos();
        if (v.type().equals(WaitQueues.TYPE)) {
            return waitQueues.declarations(v);
        }
        if (v.type().equals("tlb")) {
            return List.of(ghost(p, "int", v.name(), List.of(name(p, NR_CPUS), v.dims().get(0)), null));
        }
        return List.of(ghost(p, "int", v.name() + ".refcount", v.dims(), num(p, 1)),
                ghost(p, "int", v.name() + ".pincount", v.dims(), null),
                ghost(p, "bool", v.name() + ".anon_exclusive", v.dims(), null),
                ghost(p, "bool", v.name() + ".freed", v.dims(), null),
                ghost(p, "bool", v.name() + ".freed_access", v.dims(), null));
    }

    private static Decl.Var ghost(SourcePos p, String type, String name, List<Expr> dims, Expr init) {
        return new Decl.Var(p, true, type, name, dims, init == null ? null : List.of(init), false);
    }

    // ---------------------------------------------------------------- statements

    private Stmt.Block block(Stmt.Block b) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : b.body()) {
            out.addAll(stmts(s));
        }
        return new Stmt.Block(b.pos(), out);
    }

    private List<Stmt> stmts(Stmt s) {
        if (s instanceof Stmt.CallStmt c && STATEMENTS.containsKey(c.call().function())
                && !userProcs.contains(c.call().function())) {
            return primitive(c);
        }
        return List.of(stmt(s));
    }

    private Stmt one(Stmt s) {
        List<Stmt> x = stmts(s);
        return x.size() == 1 ? x.get(0) : new Stmt.Block(s.pos(), x);
    }

    private Stmt stmt(Stmt s) {
        if (s instanceof Stmt.Local l) {
            return new Stmt.Local(l.pos(), l.text(), l.type(), l.name(), l.init() == null ? null : expr(l.init()));
        } else if (s instanceof Stmt.Block b) {
            return block(b);
        } else if (s instanceof Stmt.If i) {
            return new Stmt.If(i.pos(), i.text(), expr(i.cond()), one(i.then()),
                    i.otherwise() == null ? null : one(i.otherwise()));
        } else if (s instanceof Stmt.While w) {
            return new Stmt.While(w.pos(), w.text(), expr(w.cond()), one(w.body()));
        } else if (s instanceof Stmt.For f) {
            return new Stmt.For(f.pos(), f.var(), f.lo(), f.hi(), one(f.body()));
        } else if (s instanceof Stmt.Await a) {
            return new Stmt.Await(a.pos(), a.text(), expr(a.cond()));
        } else if (s instanceof Stmt.Atomic a) {
            return new Stmt.Atomic(a.pos(), a.text(), block(a.body()), a.note(), a.fence(), a.x86Only());
        } else if (s instanceof Stmt.Either e) {
            return new Stmt.Either(e.pos(), e.text(), e.branches().stream().map(this::block).toList());
        } else if (s instanceof Stmt.Assume a) {
            return new Stmt.Assume(a.pos(), a.text(), expr(a.cond()));
        } else if (s instanceof Stmt.Assert a) {
            return new Stmt.Assert(a.pos(), a.text(), expr(a.cond()), a.message(), a.property());
        } else if (s instanceof Stmt.Assign a) {
            return new Stmt.Assign(a.pos(), a.text(), a.target(), a.op(), expr(a.value()));
        } else if (s instanceof Stmt.CallStmt c) {
            return new Stmt.CallStmt(c.pos(), c.text(), new Expr.Call(c.call().pos(), c.call().function(),
                    c.call().args().stream().map(this::expr).toList()));
        }
        return s; // break, continue, skip
    }

    /** One kit primitive call as the atomic step (or, for synchronize_rcu, the two steps) it stands for. */
    private List<Stmt> primitive(Stmt.CallStmt call) {
        Expr.Call c = call.call();
        SourcePos p = c.pos();
        int arity = STATEMENTS.get(c.function());
        if (c.args().size() != arity) {
            errors.add(new Diagnostic(p, c.function() + "() takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + " but is given " + c.args().size()));
            return List.of();
        }
        List<Expr> args = c.args().stream().map(this::expr).toList();
        Expr me = name(p, CPU);
        List<Stmt> body = new ArrayList<>();
        switch (c.function()) {
            case "tlb_fill" -> {
                if (!needTlb(c)) {
                    return List.of();
                }
                // the MMU walks to the PTE: a present entry (a page number) is cached, and walking to a freed
                // page is an access to it
                Expr pte = stripAddress(args.get(0));
                Expr addr = args.get(1);
                body.add(new Stmt.If(p, "", ne(pte, num(p, 0)), new Stmt.Block(p, List.of(
                        set(p, name(p, tlb.name(), me, addr), pte))), null));
                body.addAll(freedAccessIfMapped(p, pte));
            }
            case "prepare_to_wait", "schedule", "finish_wait", "wake_up", "wait_event" -> {
                return waitQueues.statement(call, args, me, this);
            }
            case "flush_tlb_page", "flush_tlb_ipi", "flush_tlb_broadcast", "flush_tlb_range", "flush_tlb_mm",
                    "local_flush_tlb_page" -> {
                if (!needTlb(c)) {
                    return List.of();
                }
                return List.of(flush(call, args));
            }
            case "local_irq_disable", "local_irq_enable" ->
                    body.add(set(p, name(p, IRQS, me), new Expr.BoolLit(p, c.function().equals("local_irq_disable"))));
            case "rcu_read_lock" -> body.add(new Stmt.Assign(p, "", name(p, RCU_DEPTH, me), "+=", num(p, 1)));
            case "rcu_read_unlock" -> {
                Expr.Name depth = name(p, RCU_DEPTH, me);
                body.add(check(p, gt(depth, num(p, 0)), "rcu_read_unlock() outside an RCU read-side critical "
                        + "section", "rcu_unlock_unbalanced"));
                body.add(new Stmt.Assign(p, "", depth, "-=", num(p, 1)));
                // the reader has finished: no grace period waits for it any more
                Expr waits = name(p, RCU_WAITS, name(p, C));
                Expr cleared = new Expr.Binary(p, "&", waits, new Expr.Unary(p, "~",
                        new Expr.Binary(p, "<<", num(p, 1), me)));
                body.add(new Stmt.If(p, "", eq(depth, num(p, 0)), everyCpu(p, set(p, waits, cleared)), null));
            }
            case "synchronize_rcu" -> {
                // snapshot the CPUs inside a read-side critical section now; wait until each has left it
                Expr mine = name(p, RCU_WAITS, me);
                body.add(set(p, mine, num(p, 0)));
                Expr bit = new Expr.Binary(p, "<<", num(p, 1), name(p, C));
                body.add(everyCpu(p, new Stmt.If(p, "", gt(name(p, RCU_DEPTH, name(p, C)), num(p, 0)),
                        set(p, mine, new Expr.Binary(p, "|", mine, bit)), null)));
                return List.of(atomic(call, note(call), body),
                        new Stmt.Await(p, call.text() + " (waits for the readers it found)", eq(mine, num(p, 0))));
            }
            default -> {
                Expr.Name pg = page(c, args.get(0));
                if (pg == null) {
                    return List.of();
                }
                body.addAll(pageOp(p, c.function(), pg));
            }
        }
        return List.of(atomic(call, note(call), body));
    }

    private static final String BY_ARCH = " (x86: by IPI, once every other CPU has interrupts on; arm64: by a "
            + "broadcast TLBI)";

    /** What a primitive's step does, in words, for the trace (its arguments as written). */
    private static String note(Stmt.CallStmt call) {
        String t = call.text();
        String args = t.indexOf('(') >= 0 && t.lastIndexOf(')') > t.indexOf('(')
                ? t.substring(t.indexOf('(') + 1, t.lastIndexOf(')')).trim() : "";
        String first = args.contains(",") ? args.substring(0, args.lastIndexOf(',')).trim() : args;
        String last = args.contains(",") ? args.substring(args.lastIndexOf(',') + 1).trim() : args;
        return switch (call.call().function()) {
            case "tlb_fill" -> "the MMU walks to " + first + " for address " + last + " and caches what it finds";
            case "flush_tlb_page" -> "flushes " + args + " from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_range" -> "flushes " + first + ".." + last + " from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_mm" -> "flushes every address from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_ipi" -> "flushes " + args + " from the TLB of every CPU by IPI (every other CPU has "
                    + "interrupts on)";
            case "flush_tlb_broadcast" -> "flushes " + args + " from the TLB of every CPU by a broadcast TLBI "
                    + "(waits for no one)";
            case "local_flush_tlb_page" -> "flushes " + args + " from this CPU's TLB only";
            case "local_irq_disable" -> "interrupts off on this CPU";
            case "local_irq_enable" -> "interrupts on on this CPU";
            case "rcu_read_lock" -> "enters an RCU read-side critical section";
            case "rcu_read_unlock" -> "leaves an RCU read-side critical section";
            case "synchronize_rcu" -> "a grace period starts: it waits for the readers now inside";
            case "get_page" -> "takes a reference on " + args;
            case "put_page" -> "drops a reference on " + args + " (the last one frees it)";
            case "pin_user_page" -> "pins " + args + " (a pin and a reference)";
            case "unpin_user_page" -> "drops the pin on " + args + " and its reference";
            case "SetPageAnonExclusive" -> "marks " + args + " exclusive to one process";
            case "ClearPageAnonExclusive" -> "marks " + args + " possibly shared";
            default -> throw new IllegalStateException("no words for " + call.call().function());
        };
    }

    /**
     * A TLB flush: one step that drops addresses from every CPU's TLB (or, for the
     * local flush, this CPU's). The kernel's flush_tlb_page, flush_tlb_range and
     * flush_tlb_mm are an IPI shootdown on x86, which cannot be delivered while
     * another CPU has interrupts off, and a broadcast TLBI on arm64, which waits
     * for no one; the step does what the memory model's architecture does (sc
     * follows x86). flush_tlb_ipi and flush_tlb_broadcast force one or the other.
     */
    private Stmt flush(Stmt.CallStmt call, List<Expr> args) {
        SourcePos p = call.pos();
        String f = call.call().function();
        Expr me = name(p, CPU);
        List<Stmt> body = new ArrayList<>();
        boolean ipi = f.equals("flush_tlb_ipi") || f.equals("flush_tlb_page") || f.equals("flush_tlb_range")
                || f.equals("flush_tlb_mm");
        if (ipi) {
            // the IPI is delivered only when every other CPU has interrupts enabled
            body.add(new Stmt.Await(p, "", new Expr.Quant(p, true, C, num(p, 0), last(p), null,
                    or(eq(name(p, C), me), not(name(p, IRQS, name(p, C)))))));
        }
        Expr a = name(p, A);
        Stmt drop = switch (f) {
            case "flush_tlb_range" -> new Stmt.If(p, "", and(ge(a, args.get(0)), ge(args.get(1), a)),
                    set(p, name(p, tlb.name(), name(p, C), a), num(p, 0)), null);
            case "flush_tlb_mm" -> set(p, name(p, tlb.name(), name(p, C), a), num(p, 0));
            default -> set(p, name(p, tlb.name(), name(p, C), args.get(0)), num(p, 0));
        };
        if (f.equals("flush_tlb_range") || f.equals("flush_tlb_mm")) {
            drop = new Stmt.For(p, A, num(p, 0), new Expr.Binary(p, "-", tlb.dims().get(0), num(p, 1)), drop);
        }
        if (f.equals("local_flush_tlb_page")) {
            body.add(set(p, name(p, tlb.name(), me, args.get(0)), num(p, 0)));
        } else {
            body.add(everyCpu(p, drop));
        }
        // the local flush is INVLPG on x86 (serialising) and DSB NSHST; TLBI VALE1; DSB NSH on arm64, which
        // orders this CPU's own walks after its earlier stores (as every kit step is, in program order) but
        // nothing for other CPUs
        Stmt.X86Only x86Only = f.equals("local_flush_tlb_page") ? Stmt.X86Only.FENCE
                : ipi && !f.equals("flush_tlb_ipi") ? Stmt.X86Only.WAIT : Stmt.X86Only.NOTHING;
        return new Stmt.Atomic(p, call.text(), new Stmt.Block(p, body), note(call), true, x86Only);
    }

    private List<Stmt> pageOp(SourcePos p, String op, Expr.Name pg) {
        Expr ref = field(pg, "refcount");
        Expr pin = field(pg, "pincount");
        Expr freed = field(pg, "freed");
        List<Stmt> body = new ArrayList<>();
        Stmt touch = new Stmt.If(p, "", freed, set(p, field(pg, "freed_access"), new Expr.BoolLit(p, true)), null);
        // get, pin or flag a freed page: a use after free
        switch (op) {
            case "get_page" -> {
                body.add(touch);
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "+=", num(p, 1)));
            }
            case "pin_user_page" -> {
                body.add(touch);
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "+=", num(p, 1)));
                body.add(new Stmt.Assign(p, "", (Expr.Name) pin, "+=", num(p, 1)));
            }
            case "put_page", "unpin_user_page" -> {
                if (op.equals("unpin_user_page")) {
                    body.add(check(p, gt(pin, num(p, 0)), "unpin_user_page() on " + pg.name()
                            + " with no pin held", "pincount_underflow"));
                    body.add(new Stmt.Assign(p, "", (Expr.Name) pin, "-=", num(p, 1)));
                }
                body.add(check(p, gt(ref, num(p, 0)), op + "() on " + pg.name()
                        + " whose refcount is already 0", "refcount_underflow"));
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "-=", num(p, 1)));
                // the last reference frees the page
                body.add(new Stmt.If(p, "", eq(ref, num(p, 0)), set(p, freed, new Expr.BoolLit(p, true)), null));
            }
            case "SetPageAnonExclusive", "ClearPageAnonExclusive" -> {
                body.add(touch);
                body.add(set(p, field(pg, "anon_exclusive"), new Expr.BoolLit(p, op.startsWith("Set"))));
            }
            default -> throw new IllegalStateException("not a page primitive: " + op);
        }
        return body;
    }

    private boolean needTlb(Expr.Call c) {
        if (tlb == null) {
            errors.add(new Diagnostic(c.pos(), c.function() + "() needs the TLBs declared, like "
                    + "'ghost tlb tlb[NADDR];' (one TLB per CPU, translating addresses 0..NADDR-1)"));
            return false;
        }
        return true;
    }

    /** The page an argument names ({@code &pg[i]}, {@code pg[i]}, {@code &pg}), as a name with its index. */
    private Expr.Name page(Expr.Call c, Expr arg) {
        Expr a = stripAddress(arg);
        if (a instanceof Expr.Name n && pages.containsKey(n.name())) {
            int dims = pages.get(n.name()).dims().size();
            if (n.indices().size() == dims) {
                return n;
            }
            errors.add(new Diagnostic(arg.pos(), "'" + n.name() + "' " + (dims == 0 ? "is one page; write &"
                    + n.name() : "is an array of pages; name one, like &" + n.name() + "[0]")));
            return null;
        }
        String what = pages.isEmpty() ? "; the model declares no page (declare one: 'ghost page pg[2];')"
                : "; declared pages: " + String.join(", ", pages.keySet());
        String given = a instanceof Expr.Name n ? " '" + n.name() + "' is not a page" : "";
        errors.add(new Diagnostic(arg.pos(), c.function() + "() needs a page, like " + c.function() + "(&pg[0]);"
                + given + what + (a instanceof Expr.Name n ? Names.suggest(n.name(), pages.keySet()) : "")));
        return null;
    }

    private static Expr stripAddress(Expr e) {
        return e instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : e;
    }

    /** Sets the freed_access flag of the page whose page number {@code pfn} is, when that page is freed. */
    private List<Stmt> freedAccessIfMapped(SourcePos p, Expr pfn) {
        List<Stmt> out = new ArrayList<>();
        Expr base = num(p, 1);
        for (Decl.Var v : pages.values()) {
            Expr.Name cell = v.dims().isEmpty() ? new Expr.Name(p, v.name(), List.of())
                    : new Expr.Name(p, v.name(), List.of(name(p, I)));
            Expr number = v.dims().isEmpty() ? base : new Expr.Binary(p, "+", base, name(p, I));
            Stmt flag = new Stmt.If(p, "", and(eq(pfn, number), field(cell, "freed")),
                    set(p, field(cell, "freed_access"), new Expr.BoolLit(p, true)), null);
            out.add(v.dims().isEmpty() ? flag : new Stmt.For(p, I, num(p, 0),
                    new Expr.Binary(p, "-", v.dims().get(0), num(p, 1)), flag));
            base = v.dims().isEmpty() ? new Expr.Binary(p, "+", base, num(p, 1))
                    : new Expr.Binary(p, "+", base, v.dims().get(0));
        }
        return out;
    }

    private Stmt atomic(Stmt.CallStmt call, String note, List<Stmt> body) {
        return new Stmt.Atomic(call.pos(), call.text(), new Stmt.Block(call.pos(), body), note,
                !UNORDERED.contains(call.call().function()), Stmt.X86Only.NOTHING);
    }

    private Stmt everyCpu(SourcePos p, Stmt body) {
        return everyCpu(p, C, body);
    }

    @Override
    public Stmt everyCpu(SourcePos p, String var, Stmt body) {
        return new Stmt.For(p, var, num(p, 0), last(p), body);
    }

    @Override
    public Stmt step(Stmt.CallStmt call, String note, List<Stmt> body) {
        return new Stmt.Atomic(call.pos(), call.text(), new Stmt.Block(call.pos(), body), note, true,
                Stmt.X86Only.NOTHING);
    }

    private static Expr last(SourcePos p) {
        return new Expr.Binary(p, "-", name(p, NR_CPUS), num(p, 1));
    }

    // ---------------------------------------------------------------- expressions

    private Expr expr(Expr e) {
        if (e instanceof Expr.Call c && inProperty && c.function().equals("waitqueue_active") && c.args().size() == 1) {
            return waitQueues.active(c, c.args().get(0)); // a property reads the list itself
        }
        if (e instanceof Expr.Call c && QUERIES.containsKey(c.function())) {
            return query(c);
        } else if (e instanceof Expr.Call c && STATEMENTS.containsKey(c.function())
                && !userProcs.contains(c.function())) {
            errors.add(new Diagnostic(c.pos(), c.function() + "() returns no value; call it as a statement, like "
                    + c.function() + "(" + (STATEMENTS.get(c.function()) == 0 ? "" : "...") + ");"));
            return new Expr.BoolLit(c.pos(), true);
        } else if (e instanceof Expr.Call c) {
            return new Expr.Call(c.pos(), c.function(), c.args().stream().map(this::expr).toList());
        } else if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.pos(), u.op(), expr(u.operand()));
        } else if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.pos(), b.op(), expr(b.left()), expr(b.right()));
        } else if (e instanceof Expr.Cond c) {
            return new Expr.Cond(c.pos(), expr(c.test()), expr(c.then()), expr(c.otherwise()));
        } else if (e instanceof Expr.Quant q) {
            return new Expr.Quant(q.pos(), q.forall(), q.var(), q.lo(), q.hi(), q.rangeName(), expr(q.body()));
        } else if (e instanceof Expr.Name n) {
            return new Expr.Name(n.pos(), n.name(), n.indices().stream().map(this::expr).toList());
        }
        return e;
    }

    private Expr query(Expr.Call c) {
        SourcePos p = c.pos();
        int arity = QUERIES.get(c.function());
        if (c.args().size() != arity) {
            errors.add(new Diagnostic(p, c.function() + "() takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + " but is given " + c.args().size()));
            return new Expr.BoolLit(p, true);
        }
        switch (c.function()) {
            case "no_stale_tlb" -> {
                if (!needTlb(c)) {
                    return new Expr.BoolLit(p, true);
                }
                return allPages(p, (cell, pfn) -> new Expr.Quant(p, true, C, num(p, 0), last(p), null,
                        new Expr.Quant(p, true, A, num(p, 0), new Expr.Binary(p, "-", tlb.dims().get(0), num(p, 1)),
                                null, not(and(eq(name(p, tlb.name(), name(p, C), name(p, A)), pfn),
                                field(cell, "freed"))))));
            }
            case "no_freed_access" -> {
                return allPages(p, (cell, pfn) -> not(field(cell, "freed_access")));
            }
            case "no_unreliable_pin" -> {
                // a pin on a page that may be shared: a write through the page tables (after COW) and
                // DMA through the pin no longer reach the same page
                return allPages(p, (cell, pfn) -> not(and(gt(field(cell, "pincount"), num(p, 0)),
                        not(field(cell, "anon_exclusive")))));
            }
            default -> {
                Expr.Name pg = page(c, expr(c.args().get(0)));
                if (pg == null) {
                    return new Expr.BoolLit(p, true);
                }
                return switch (c.function()) {
                    case "PageAnonExclusive" -> field(pg, "anon_exclusive");
                    case "page_maybe_dma_pinned" -> gt(field(pg, "pincount"), num(p, 0));
                    case "PageFreed" -> field(pg, "freed");
                    default -> field(pg, "refcount");
                };
            }
        }
    }

    /** The conjunction of {@code f(page, its number)} over every declared page (true when there are none). */
    private Expr allPages(SourcePos p, java.util.function.BiFunction<Expr.Name, Expr, Expr> f) {
        Expr all = new Expr.BoolLit(p, true);
        Expr base = num(p, 1);
        for (Decl.Var v : pages.values()) {
            Expr term;
            if (v.dims().isEmpty()) {
                term = f.apply(new Expr.Name(p, v.name(), List.of()), base);
                base = new Expr.Binary(p, "+", base, num(p, 1));
            } else {
                term = new Expr.Quant(p, true, I, num(p, 0), new Expr.Binary(p, "-", v.dims().get(0), num(p, 1)),
                        null, f.apply(new Expr.Name(p, v.name(), List.of(name(p, I))),
                        new Expr.Binary(p, "+", base, name(p, I))));
                base = new Expr.Binary(p, "+", base, v.dims().get(0));
            }
            all = and(all, term);
        }
        return all;
    }
}
