package dev.mmx.lkmm;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Before a model is compiled for LKMM: each call of a primitive that LKMM
 * gives events of its own but the compiler has no instruction for (RCU,
 * SRCU, spin_is_locked, barrier) becomes a placeholder that compiles to an
 * ordinary instruction at the same source position, and {@link Primitives}
 * remembers what it was. RCU calls so leave the kernel kit, whose ghost-state
 * RCU serves the operational models.
 * <ul>
 * <li>rcu_read_lock(), rcu_read_unlock(), synchronize_rcu[_expedited](),
 * smp_mb__after_srcu_read_unlock(): barrier(), which compiles to an
 * instruction that does nothing;
 * <li>{@code r = srcu_read_lock(s)}, {@code srcu_down_read}: {@code r = READ_ONCE(s)},
 * linux-kernel.def's {@code __load{srcu-lock}(*s)};
 * <li>srcu_read_unlock(s, r), srcu_up_read: {@code WRITE_ONCE(s, r)},
 * {@code __store{srcu-unlock}(*s, r)}; synchronize_srcu[_expedited](s): {@code WRITE_ONCE(s, 0)};
 * <li>{@code r = spin_is_locked(l)}: {@code r = spin_trylock(l)}, the same two outcomes.
 * </ul>
 */
public final class Prepass {
    /** The primitives LKMM knows and the compiler does not, by name (synonyms included). */
    private static final Map<String, Primitive> NAMES = Map.ofEntries(
            Map.entry("barrier", Primitive.BARRIER),
            Map.entry("rcu_read_lock", Primitive.RCU_READ_LOCK),
            Map.entry("rcu_read_unlock", Primitive.RCU_READ_UNLOCK),
            Map.entry("synchronize_rcu", Primitive.SYNCHRONIZE_RCU),
            Map.entry("synchronize_rcu_expedited", Primitive.SYNCHRONIZE_RCU),
            Map.entry("srcu_read_lock", Primitive.SRCU_READ_LOCK),
            Map.entry("srcu_down_read", Primitive.SRCU_READ_LOCK),
            Map.entry("srcu_read_unlock", Primitive.SRCU_READ_UNLOCK),
            Map.entry("srcu_up_read", Primitive.SRCU_READ_UNLOCK),
            Map.entry("synchronize_srcu", Primitive.SYNCHRONIZE_SRCU),
            Map.entry("synchronize_srcu_expedited", Primitive.SYNCHRONIZE_SRCU),
            Map.entry("smp_mb__after_srcu_read_unlock", Primitive.MB_AFTER_SRCU_READ_UNLOCK),
            Map.entry("spin_is_locked", Primitive.SPIN_IS_LOCKED));

    /** Primitives only LKMM answers: no other memory model knows them. */
    private static final java.util.Set<String> LKMM_ONLY = java.util.Set.of("srcu_read_lock", "srcu_down_read",
            "srcu_read_unlock", "srcu_up_read", "synchronize_srcu", "synchronize_srcu_expedited",
            "smp_mb__after_srcu_read_unlock", "spin_is_locked");

    public record Result(Model model, Primitives primitives, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    private final Primitives.Builder table = new Primitives.Builder();
    private final List<Diagnostic> errors = new ArrayList<>();
    /** The model's own procedures: a procedure named like a primitive keeps its meaning. */
    private final java.util.Set<String> procedures = new java.util.HashSet<>();
    /** The LKMM-only calls met, in order. */
    private final List<Expr.Call> seen = new ArrayList<>();

    private Prepass() {}

    /** The names of the primitives this pass knows, for editors and messages. */
    public static java.util.SortedSet<String> names() {
        return new java.util.TreeSet<>(NAMES.keySet());
    }

    private Primitive primitive(String function) {
        return procedures.contains(function) ? null : NAMES.get(function);
    }

    private boolean lkmmOnlyCall(String function) {
        return !procedures.contains(function) && LKMM_ONLY.contains(function);
    }

    private void collectProcedures(Model model) {
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Proc pr) {
                procedures.add(pr.name());
            }
        }
    }

    /**
     * For the other memory models: a diagnostic for each call of a primitive
     * only LKMM answers (SRCU, spin_is_locked), which no compiled instruction
     * could stand for.
     */
    public static List<Diagnostic> lkmmOnlyCalls(Model model) {
        List<Diagnostic> found = new ArrayList<>();
        Prepass p = new Prepass();
        p.collectProcedures(model);
        for (Decl d : model.decls()) {
            Stmt.Block body = d instanceof Decl.Thread t ? t.body() : d instanceof Decl.Proc pr ? pr.body() : null;
            if (body != null) {
                p.block(body);
            }
        }
        for (Expr.Call e : p.seen) {
            found.add(new Diagnostic(e.pos(), e.function() + "() is a primitive only the Linux-kernel memory model "
                    + "answers; run with --mm lkmm"));
        }
        return found.isEmpty() ? List.of() : List.of(found.get(0));
    }

    /** The model with each LKMM-only primitive replaced by its placeholder, and where each was. */
    public static Result rewrite(Model model) {
        Prepass p = new Prepass();
        p.collectProcedures(model);
        List<Decl> decls = new ArrayList<>();
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Thread t) {
                decls.add(new Decl.Thread(t.pos(), t.name(), t.count(), t.indexVar(), p.block(t.body())));
            } else if (d instanceof Decl.Proc pr) {
                decls.add(new Decl.Proc(pr.pos(), pr.name(), pr.params(), p.block(pr.body())));
            } else {
                decls.add(d);
            }
        }
        return new Result(new Model(model.file(), List.copyOf(decls)), p.table.build(), List.copyOf(p.errors));
    }

    private Stmt.Block block(Stmt.Block b) {
        List<Stmt> out = new ArrayList<>();
        for (Stmt s : b.body()) {
            out.add(stmt(s));
        }
        return new Stmt.Block(b.pos(), List.copyOf(out));
    }

    private Stmt stmt(Stmt s) {
        if (s instanceof Stmt.Block b) {
            return block(b);
        } else if (s instanceof Stmt.If i) {
            check(i.cond());
            return new Stmt.If(i.pos(), i.text(), i.cond(), stmt(i.then()), i.otherwise() == null ? null
                    : stmt(i.otherwise()));
        } else if (s instanceof Stmt.While w) {
            check(w.cond());
            return new Stmt.While(w.pos(), w.text(), w.cond(), stmt(w.body()));
        } else if (s instanceof Stmt.For f) {
            return new Stmt.For(f.pos(), f.var(), f.lo(), f.hi(), stmt(f.body()));
        } else if (s instanceof Stmt.Atomic a) {
            return new Stmt.Atomic(a.pos(), a.text(), block(a.body()), a.note(), a.fence(), a.x86Only());
        } else if (s instanceof Stmt.Either e) {
            return new Stmt.Either(e.pos(), e.text(), e.branches().stream().map(this::block).toList());
        } else if (s instanceof Stmt.CallStmt c) {
            return call(c);
        } else if (s instanceof Stmt.Assign a) {
            return assign(a);
        } else if (s instanceof Stmt.Local l) {
            if (l.init() != null) {
                check(l.init());
            }
            return s;
        } else if (s instanceof Stmt.Await a) {
            check(a.cond());
            return s;
        } else if (s instanceof Stmt.Assume a) {
            check(a.cond());
            return s;
        } else if (s instanceof Stmt.Assert a) {
            check(a.cond());
            return s;
        } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue || s instanceof Stmt.Skip) {
            return s;
        }
        throw new IllegalStateException("no prepass for " + s);
    }

    private Stmt call(Stmt.CallStmt s) {
        Expr.Call c = s.call();
        Primitive p = primitive(c.function());
        c.args().forEach(this::check);
        if (p == null) {
            return s;
        }
        if (lkmmOnlyCall(c.function())) {
            seen.add(c);
        }
        SourcePos pos = s.pos();
        if (!arity(c, p)) {
            return s;
        }
        table.put(pos.line(), pos.column(), p);
        return switch (p) {
            case BARRIER -> s;
            case RCU_READ_LOCK, RCU_READ_UNLOCK, SYNCHRONIZE_RCU, MB_AFTER_SRCU_READ_UNLOCK ->
                    new Stmt.CallStmt(pos, s.text(), new Expr.Call(c.pos(), "barrier", List.of()));
            case SRCU_READ_UNLOCK -> new Stmt.CallStmt(pos, s.text(), new Expr.Call(c.pos(), "WRITE_ONCE",
                    List.of(location(c.args().get(0)), c.args().get(1))));
            case SYNCHRONIZE_SRCU -> new Stmt.CallStmt(pos, s.text(), new Expr.Call(c.pos(), "WRITE_ONCE",
                    List.of(location(c.args().get(0)), new Expr.IntLit(c.pos(), 0))));
            case SRCU_READ_LOCK, SPIN_IS_LOCKED -> {
                errors.add(new Diagnostic(c.pos(), c.function() + "() returns a value; write 'r = " + c.function()
                        + "(...);'"));
                yield s;
            }
        };
    }

    private Stmt assign(Stmt.Assign a) {
        if (a.value() instanceof Expr.Call c && primitive(c.function()) != null && a.op().equals("=")) {
            Primitive p = primitive(c.function());
            c.args().forEach(this::check);
            if (lkmmOnlyCall(c.function())) {
                seen.add(c);
            }
            if (!arity(c, p)) {
                return a;
            }
            SourcePos pos = a.pos();
            Expr value = switch (p) {
                case SRCU_READ_LOCK -> new Expr.Call(c.pos(), "READ_ONCE", List.of(location(c.args().get(0))));
                case SPIN_IS_LOCKED -> new Expr.Call(c.pos(), "spin_trylock", c.args());
                default -> {
                    errors.add(new Diagnostic(c.pos(), c.function() + "() returns no value"));
                    yield c;
                }
            };
            table.put(pos.line(), pos.column(), p);
            return new Stmt.Assign(pos, a.text(), a.target(), a.op(), value);
        }
        check(a.value());
        return a;
    }

    private boolean arity(Expr.Call c, Primitive p) {
        int want = switch (p) {
            case BARRIER, RCU_READ_LOCK, RCU_READ_UNLOCK, SYNCHRONIZE_RCU, MB_AFTER_SRCU_READ_UNLOCK -> 0;
            case SRCU_READ_LOCK, SYNCHRONIZE_SRCU, SPIN_IS_LOCKED -> 1;
            case SRCU_READ_UNLOCK -> 2;
        };
        if (c.args().size() != want) {
            errors.add(new Diagnostic(c.pos(), c.function() + "() takes " + want + " argument" + (want == 1 ? "" : "s")
                    + " but is given " + c.args().size()));
            return false;
        }
        return true;
    }

    /** The srcu_struct argument as the location READ_ONCE and WRITE_ONCE take: {@code &s} and {@code s} are s. */
    private static Expr location(Expr e) {
        if (e instanceof Expr.Unary u && u.op().equals("&")) {
            return u.operand();
        }
        return e;
    }

    /** An LKMM-only primitive inside an expression: the placeholders need it as a whole statement. */
    private void check(Expr e) {
        if (e instanceof Expr.Call c) {
            if (lkmmOnlyCall(c.function())) {
                seen.add(c);
            }
            Primitive p = primitive(c.function());
            if (p != null && p != Primitive.BARRIER) {
                errors.add(new Diagnostic(c.pos(), c.function() + "() must be a statement of its own (or, for a "
                        + "value, the whole right-hand side of an assignment) under the Linux-kernel memory model"));
            }
            c.args().forEach(this::check);
        } else if (e instanceof Expr.Unary u) {
            check(u.operand());
        } else if (e instanceof Expr.Binary b) {
            check(b.left());
            check(b.right());
        } else if (e instanceof Expr.Cond c) {
            check(c.test());
            check(c.then());
            check(c.otherwise());
        } else if (e instanceof Expr.Name n) {
            n.indices().forEach(this::check);
        } else if (e instanceof Expr.ThreadReg t) {
            t.indices().forEach(this::check);
        } else if (e instanceof Expr.Quant q) {
            check(q.body());
        } else if (!(e instanceof Expr.IntLit || e instanceof Expr.BoolLit)) {
            throw new IllegalStateException("no prepass for " + e);
        }
    }
}
