package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.and;
import static dev.mmx.resolve.KitAst.check;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.field;
import static dev.mmx.resolve.KitAst.gt;
import static dev.mmx.resolve.KitAst.name;
import static dev.mmx.resolve.KitAst.ne;
import static dev.mmx.resolve.KitAst.not;
import static dev.mmx.resolve.KitAst.num;
import static dev.mmx.resolve.KitAst.set;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The kernel kit: per-CPU TLBs with PTE permissions, the user program's
 * accesses and the MMU's own walks, page state and contents, wait queues,
 * interrupt and RCU state, the deferred-flush protocol, and the primitives on
 * them, expanded before resolution into ghost state (and, for wait queues and
 * the flush-pending count, shared memory) and atomic steps over it. Each
 * primitive is one atomic step unless the language reference says otherwise,
 * so the rest of the pipeline (types, steps, traces, partial-order reduction,
 * every memory model) treats it as it treats atomic blocks. This class finds
 * what a model uses and rewrites it; Tlbs, Pages, WaitQueues and Ptes build
 * each area's steps.
 */
public final class KernelKit implements KitSteps {
    /** The compiler binds this name to the running thread's CPU number. */
    public static final String CPU = "~cpu";
    /** A kit page's refcount cell is named after the page with this suffix (its other cells likewise). */
    public static final String REFCOUNT = ".refcount";
    /** The procedure the compiler turns into the MMU's own fills, and the constant counting its addresses. */
    public static final String MMU = Tlbs.MMU;
    public static final String MMU_ADDRS = Tlbs.MMU_ADDRS;
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
    static final Set<String> UNORDERED = Set.of("tlb_fill", "user_read", "user_write", "get_page", "pin_user_page",
            "SetPageAnonExclusive", "ClearPageAnonExclusive");

    /** Statement primitives, by argument count. */
    static final Map<String, Integer> STATEMENTS = new LinkedHashMap<>();
    /** Expression primitives (queries of page state and properties), by argument count. */
    static final Map<String, Integer> QUERIES = new LinkedHashMap<>();

    static {
        STATEMENTS.put("tlb_fill", 2); // or 1: tlb_fill(addr) through the declared walk
        STATEMENTS.put("user_read", 1);
        STATEMENTS.put("user_write", 1); // or 2: user_write(addr, value) writes value into the page
        STATEMENTS.put("copy_highpage", 2);
        STATEMENTS.put("inc_tlb_flush_pending", 0);
        STATEMENTS.put("dec_tlb_flush_pending", 0);
        STATEMENTS.put("tlb_gather_mmu", 0);
        STATEMENTS.put("tlb_remove_page", 1);
        STATEMENTS.put("tlb_finish_mmu", 0);
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
        QUERIES.put("no_stale_write", 0);
        QUERIES.put("smp_processor_id", 0);
        QUERIES.put("mm_tlb_flush_pending", 0);
        QUERIES.put("page_data", 1);
        Ptes.QUERIES.forEach(QUERIES::put);
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

    /**
     * The expanded model, the diagnostics, and checks on constants that only the
     * resolver can evaluate (as many walks as the TLBs have addresses).
     */
    public record Result(Model model, List<Diagnostic> diagnostics, List<ConstCheck> checks,
                         Map<String, List<String>> properties) {
        Result(Model model, List<Diagnostic> diagnostics, List<ConstCheck> checks) {
            this(model, diagnostics, checks, Map.of());
        }
    }

    static final String FLUSH_PENDING = "tlb_flush_pending";
    private static final List<String> FLUSH_PENDING_CALLS = List.of("inc_tlb_flush_pending",
            "dec_tlb_flush_pending", "mm_tlb_flush_pending", "tlb_gather_mmu", "tlb_finish_mmu");

    /** The kit's properties, which a violation explains in kernel words rather than by the cells it read. */
    public static final List<String> PROPERTIES = List.of("no_stale_tlb", "no_freed_access", "no_unreliable_pin",
            "no_stale_write");

    /** A constant condition the resolver evaluates; false is the error {@code message} at {@code pos}. */
    public record ConstCheck(SourcePos pos, Expr cond, String message) {}

    private final Model model;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Pages pages = new Pages(errors);
    private final Set<String> userProcs = new java.util.HashSet<>();
    private final Set<String> userTypes = new java.util.HashSet<>();
    private final List<ConstCheck> checks = new ArrayList<>();
    private final WaitQueues waitQueues = new WaitQueues(errors);
    private final Tlbs tlbs = new Tlbs(this, errors);
    private final Ptes ptes = new Ptes(this);
    /** The name of every function called anywhere in the model. */
    private final Set<String> calls = new java.util.HashSet<>();
    /** Whether the expression being expanded is a property (read memory directly) rather than a thread's. */
    private boolean inProperty;
    /** The kit properties the property being expanded uses. */
    private final Set<String> usedProperties = new java.util.LinkedHashSet<>();
    /** By invariant name (or exists, forall): the kit properties it uses. */
    private final Map<String, List<String>> properties = new LinkedHashMap<>();

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
            } else if (d instanceof Decl.Var v && v.walk() != null) {
                errors.add(new Diagnostic(v.walk().pos(), "only the TLB declaration names page walks, like "
                        + "'ghost tlb tlb[2] walks {pte0, pte1};'"));
            }
        }
        if (!errors.isEmpty()) {
            return new Result(model, List.copyOf(errors), List.of()); // the declarations must hold first
        }
        KitScan.calls(model, calls);
        for (String f : calls) {
            used |= (STATEMENTS.containsKey(f) || QUERIES.containsKey(f)) && !userProcs.contains(f);
        }
        if (!used) {
            return new Result(model, List.of(), List.of());
        }
        Set<String> pteVariables = tlbs.declared() ? tlbs.pteVariables() : Set.of();
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
            } else if (d instanceof Decl.Var v) {
                // a PTE the TLB walks prints as one; kit helpers in its initial value are constants
                String type = pteVariables.contains(v.name()) && v.type().equals("int") ? Type.PTE.name() : v.type();
                List<Expr> init = v.init() == null ? null : v.init().stream().map(this::property).toList();
                out.add(new Decl.Var(v.pos(), v.ghost(), type, v.name(), v.dims(), init, v.listInit()));
            } else if (d instanceof Decl.Thread t) {
                out.add(new Decl.Thread(t.pos(), t.name(), t.count(), t.indexVar(), block(t.body())));
            } else if (d instanceof Decl.Proc p) {
                out.add(new Decl.Proc(p.pos(), p.name(), p.params(), block(p.body())));
            } else if (d instanceof Decl.Invariant inv) {
                out.add(new Decl.Invariant(inv.pos(), inv.name(), property(inv.cond())));
                noteProperties(inv.name());
            } else if (d instanceof Decl.Final f) {
                out.add(new Decl.Final(f.pos(), f.kind(), property(f.cond()), f.text()));
                noteProperties(f.kind().word);
            } else {
                out.add(d);
            }
        }
        return new Result(new Model(model.file(), List.copyOf(out)), List.copyOf(errors), List.copyOf(checks),
                Map.copyOf(properties));
    }

    private void noteProperties(String name) {
        if (!usedProperties.isEmpty()) {
            properties.merge(name, List.copyOf(usedProperties), (a, b) -> {
                List<String> both = new ArrayList<>(a);
                b.stream().filter(x -> !a.contains(x)).forEach(both::add);
                return List.copyOf(both);
            });
        }
        usedProperties.clear();
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
        } else if (v.type().equals("tlb")) {
            tlbs.declare(v);
            if (tlbs.declared() && v.walk() != null && v.walk().ptes().size() > 1 && v.dims().size() == 1) {
                checks.add(new ConstCheck(v.walk().pos(), eq(v.dims().get(0), num(v.pos(), v.walk().ptes().size())),
                        v.walk().word() + " names " + v.walk().ptes().size() + " PTEs, but the TLBs translate "
                        + "another number of addresses; name one PTE per address (or one for all)"));
            }
        } else {
            pages.declare(v);
        }
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
        // interrupt and RCU state only when the model uses it: traces and the state panel show no other
        if (irqsUsed()) {
            out.add(ghost(pos, "bool", IRQS, List.of(name(pos, NR_CPUS)), null));
        }
        if (calls.contains("rcu_read_lock") || calls.contains("rcu_read_unlock") || calls.contains("synchronize_rcu")) {
            out.add(ghost(pos, "int", RCU_DEPTH, List.of(name(pos, NR_CPUS)), null));
            out.add(ghost(pos, "int", RCU_WAITS, List.of(name(pos, NR_CPUS)), null));
        }
        if (waitQueues.used()) {
            out.addAll(WaitQueues.taskState(pos, name(pos, NR_CPUS)));
        }
        if (calls.contains("pte_modify")) {
            out.addAll(Ptes.protections(pos));
        }
        if (FLUSH_PENDING_CALLS.stream().anyMatch(calls::contains)) {
            // mm->tlb_flush_pending: an atomic_t in memory, the deferred-flush protocol's count
            out.add(new Decl.Var(pos, false, "int", FLUSH_PENDING, List.of(), null, false));
        }
        return out;
    }

    private List<Decl> expandDecl(Decl.Var v) {
        SourcePos p = v.pos();
        if (v.type().equals(WaitQueues.TYPE)) {
            return waitQueues.declarations(v);
        }
        if (v.type().equals("tlb")) {
            return tlbs.declarations(p, name(p, NR_CPUS), calls.contains("user_write"));
        }
        return Pages.declarations(v, pageData(), calls.contains("tlb_remove_page"));
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
            return primitive(c, null);
        }
        if (s instanceof Stmt.Assign a && a.op().equals("=") && a.value() instanceof Expr.Call c
                && (c.function().equals("user_read") || c.function().equals("user_write"))
                && !userProcs.contains(c.function())) {
            // ok = user_write(addr): whether the access happened (false: a page fault)
            return primitive(new Stmt.CallStmt(a.pos(), a.text(), c), a.target());
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
            return new Stmt.Assign(a.pos(), a.text(), (Expr.Name) expr(a.target()), a.op(), expr(a.value()));
        } else if (s instanceof Stmt.CallStmt c) {
            return new Stmt.CallStmt(c.pos(), c.text(), new Expr.Call(c.call().pos(), c.call().function(),
                    c.call().args().stream().map(this::expr).toList()));
        }
        return s; // break, continue, skip
    }

    /**
     * One kit primitive call as the atomic step (or, for synchronize_rcu, the two
     * steps) it stands for; {@code result} receives a user access's success.
     */
    private List<Stmt> primitive(Stmt.CallStmt call, Expr.Name result) {
        Expr.Call c = call.call();
        SourcePos p = c.pos();
        int arity = STATEMENTS.get(c.function());
        boolean shortForm = c.function().equals("tlb_fill") && c.args().size() == 1
                || c.function().equals("user_write") && c.args().size() == 2;
        if (c.args().size() != arity && !shortForm) {
            errors.add(new Diagnostic(p, c.function() + "() takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + " but is given " + c.args().size()));
            return List.of();
        }
        List<Expr> args = c.args().stream().map(this::expr).toList();
        Expr me = name(p, CPU);
        List<Stmt> body = new ArrayList<>();
        switch (c.function()) {
            case "tlb_fill" -> {
                return needTlb(c) ? tlbs.fill(call, args, me) : List.of();
            }
            case "user_read", "user_write" -> {
                return needTlb(c) ? tlbs.access(call, args, me, result) : List.of();
            }
            case "inc_tlb_flush_pending", "dec_tlb_flush_pending", "tlb_gather_mmu" -> {
                // atomic_inc/atomic_dec(&mm->tlb_flush_pending): relaxed, as the kernel's
                String op = c.function().startsWith("dec") ? "atomic_dec" : "atomic_inc";
                return List.of(new Stmt.CallStmt(p, call.text(), new Expr.Call(p, op, List.of(
                        new Expr.Unary(p, "&", name(p, FLUSH_PENDING))))));
            }
            case "tlb_finish_mmu" -> {
                return needTlb(c) ? tlbs.finish(call, me, pages, calls.contains("tlb_remove_page")) : List.of();
            }
            case "copy_highpage" -> {
                Expr.Name dst = pages.page(c, args.get(0));
                Expr.Name src = pages.page(c, args.get(1));
                if (dst == null || src == null) {
                    return List.of();
                }
                body.add(Pages.touch(p, dst));
                body.add(Pages.touch(p, src));
                body.add(set(p, field(dst, "data"), field(src, "data")));
                // a full barrier: the kernel publishes a copied page only after folio_mark_uptodate()'s
                // smp_wmb(), and a barrier in the model does not order a kit step that orders nothing
                return List.of(step(call, KitNotes.note(call), body));
            }
            case "tlb_remove_page" -> {
                Expr.Name pg = pages.page(c, args.get(0));
                if (pg == null) {
                    return List.of();
                }
                body.add(Pages.touch(p, pg));
                body.add(set(p, field(pg, "gathered"), new Expr.Binary(p, "+", me, num(p, 1))));
                return List.of(unordered(call, body));
            }
            case "prepare_to_wait", "schedule", "finish_wait", "wake_up", "wait_event" -> {
                return waitQueues.statement(call, args, me, this);
            }
            case "flush_tlb_page", "flush_tlb_ipi", "flush_tlb_broadcast", "flush_tlb_range", "flush_tlb_mm",
                    "local_flush_tlb_page" -> {
                return needTlb(c) ? List.of(tlbs.flush(call, args, me)) : List.of();
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
                // the wait is a full barrier too (the grace-period guarantee, as strong as smp_mb): a later
                // access is not performed before the readers it found have left
                Stmt.Block wait = new Stmt.Block(p, List.of(new Stmt.Await(p, "", eq(mine, num(p, 0)))));
                return List.of(atomic(call, KitNotes.note(call), body), new Stmt.Atomic(p, call.text()
                        + " (waits for the readers it found)", wait, "the grace period ends: the readers it found "
                        + "have left", true, Stmt.X86Only.NOTHING));
            }
            default -> {
                Expr.Name pg = pages.page(c, args.get(0));
                if (pg == null) {
                    return List.of();
                }
                body.addAll(pages.pageOp(p, c.function(), pg));
            }
        }
        return List.of(atomic(call, KitNotes.note(call), body));
    }

    private boolean needTlb(Expr.Call c) {
        if (!tlbs.declared()) {
            errors.add(new Diagnostic(c.pos(), c.function() + "() needs the TLBs declared, like "
                    + "'ghost tlb tlb[NADDR];' (one TLB per CPU, translating addresses 0..NADDR-1)"));
            return false;
        }
        return true;
    }

    static Expr stripAddress(Expr e) {
        return e instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : e;
    }

    /** The kit's pages. */
    Pages pages() {
        return pages;
    }

    /** Whether the model uses pages' contents (user_write with a value, copy_highpage, page_data). */
    boolean pageData() {
        return calls.contains("copy_highpage") || calls.contains("page_data") || calls.contains("user_write/2");
    }

    /** A primitive's step that orders nothing after it (fence false: see UNORDERED). */
    Stmt unordered(Stmt.CallStmt call, List<Stmt> body) {
        return new Stmt.Atomic(call.pos(), call.text(), new Stmt.Block(call.pos(), body), KitNotes.note(call), false,
                Stmt.X86Only.NOTHING);
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

    /** Whether any CPU can have interrupts off (else an IPI is always delivered at once). */
    boolean irqsUsed() {
        return calls.contains("local_irq_disable") || calls.contains("local_irq_enable");
    }

    Expr lastCpu(SourcePos p) {
        return last(p);
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
        if (inProperty && PROPERTIES.contains(c.function())) {
            usedProperties.add(c.function());
        }
        int arity = QUERIES.get(c.function());
        if (c.args().size() != arity) {
            errors.add(new Diagnostic(p, c.function() + "() takes " + arity + " argument" + (arity == 1 ? "" : "s")
                    + " but is given " + c.args().size()));
            return new Expr.BoolLit(p, true);
        }
        switch (c.function()) {
            case "no_stale_tlb" -> {
                return needTlb(c) ? tlbs.noStaleTlb(p) : new Expr.BoolLit(p, true);
            }
            case "smp_processor_id" -> {
                if (inProperty) {
                    errors.add(new Diagnostic(p, "smp_processor_id() is the CPU a thread runs on; a property runs "
                            + "on none"));
                    return num(p, 0);
                }
                return name(p, CPU);
            }
            case "mm_tlb_flush_pending" -> {
                // atomic_read(&mm->tlb_flush_pending): a plain load in a thread
                Expr count = inProperty ? name(p, FLUSH_PENDING) : new Expr.Call(p, "atomic_read",
                        List.of(new Expr.Unary(p, "&", name(p, FLUSH_PENDING))));
                return ne(count, num(p, 0));
            }
            case "no_stale_write" -> {
                return needTlb(c) ? tlbs.noStaleWrite(p, calls.contains("user_write")) : new Expr.BoolLit(p, true);
            }
            case "no_freed_access" -> {
                return pages.allPages(p, (cell, pfn) -> not(field(cell, "freed_access")));
            }
            case "no_unreliable_pin" -> {
                // a pin on a page that may be shared: a write through the page tables (after COW) and
                // DMA through the pin no longer reach the same page
                return pages.allPages(p, (cell, pfn) -> not(and(gt(field(cell, "pincount"), num(p, 0)),
                        not(field(cell, "anon_exclusive")))));
            }
            default -> {
                if (Ptes.QUERIES.containsKey(c.function())) {
                    return ptes.query(c, c.args().stream().map(this::expr).toList());
                }
                Expr.Name pg = pages.page(c, expr(c.args().get(0)));
                if (pg == null) {
                    return new Expr.BoolLit(p, true);
                }
                return switch (c.function()) {
                    case "page_data" -> field(pg, "data");
                    case "PageAnonExclusive" -> field(pg, "anon_exclusive");
                    case "page_maybe_dma_pinned" -> gt(field(pg, "pincount"), num(p, 0));
                    case "PageFreed" -> field(pg, "freed");
                    default -> field(pg, "refcount");
                };
            }
        }
    }
}
