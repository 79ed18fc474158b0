package dev.mmx.resolve;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Names;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import dev.mmx.system.CExpr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks thread bodies, procedures and properties: names, types, argument
 * counts, and where each primitive may appear. Procedure parameters are
 * macro-like (they stand for whatever the caller passes), so they check as ANY.
 */
final class TypeChecker {
    private final Resolved m;
    private final List<Diagnostic> errors;
    private final Map<String, Map<String, Type>> threadRegisters = new HashMap<>();

    /** Names visible in one body. */
    private static final class Scope {
        final Map<String, Type> registers = new LinkedHashMap<>();
        final Map<String, SourcePos> declaredAt = new HashMap<>();
        final Map<String, Type> constants = new HashMap<>();
        final Set<String> params = new LinkedHashSet<>();
        final boolean property;
        int loops;
        int atomics;

        Scope(boolean property) {
            this.property = property;
        }
    }

    TypeChecker(Resolved m, List<Diagnostic> errors) {
        this.m = m;
        this.errors = errors;
    }

    private void error(SourcePos pos, String message) {
        Diagnostic d = new Diagnostic(pos, message);
        if (!errors.contains(d)) {
            errors.add(d);
        }
    }

    void checkAll() {
        for (Decl.Proc p : m.procs().values()) {
            Scope sc = new Scope(false);
            sc.params.addAll(p.params());
            block(p.body(), sc);
        }
        for (Resolved.ThreadSym t : m.threads()) {
            Scope sc = new Scope(false);
            String index = t.decl().indexVar();
            if (index != null) {
                if (t.count() == 0) {
                    error(t.decl().pos(), "'as " + index + "' names the index of a replicated thread; declare it as "
                            + "'thread " + t.decl().name() + "[N] as " + index + "'");
                }
                shadowCheck(index, t.decl().pos());
                sc.constants.put(index, Type.INT);
            }
            block(t.decl().body(), sc);
            threadRegisters.put(t.decl().name(), sc.registers);
        }
        for (Decl d : m.model().decls()) {
            if (d instanceof Decl.Invariant inv) {
                expectBool(inv.cond(), new Scope(true), "an invariant");
            } else if (d instanceof Decl.Final f) {
                expectBool(f.cond(), new Scope(true), "a final condition");
            }
        }
    }

    private void shadowCheck(String name, SourcePos pos) {
        Decl d = m.model().decls().stream().filter(x -> !(x instanceof Decl.Final) && !(x instanceof Decl.Expect)
                && x.name().equals(name)).findFirst().orElse(null);
        if (d != null || m.constants().containsKey(name)) {
            int line = d != null ? d.pos().line() : 0;
            error(pos, "'" + name + "' hides the global of the same name" + (line > 0 ? " declared at line "
                    + line : "") + "; pick another name");
        }
    }

    private void block(Stmt.Block b, Scope sc) {
        for (Stmt s : b.body()) {
            stmt(s, sc);
        }
    }

    private void stmt(Stmt s, Scope sc) {
        if (s instanceof Stmt.Local l) {
            Type t = typeNamed(l.type(), l.pos());
            if (sc.registers.containsKey(l.name()) || sc.constants.containsKey(l.name())
                    || sc.params.contains(l.name())) {
                SourcePos at = sc.declaredAt.get(l.name());
                error(l.pos(), "'" + l.name() + "' is already declared in this thread"
                        + (at != null ? " at line " + at.line() : ""));
                return;
            }
            shadowCheck(l.name(), l.pos());
            if (t == null) {
                return;
            }
            if (l.init() != null) {
                Type v = rhs(l.init(), sc);
                if (v != null && !t.accepts(v)) {
                    error(l.init().pos(), "cannot initialise " + t + " register '" + l.name() + "' with " + a(v)
                            + " value");
                }
            }
            sc.registers.put(l.name(), t);
            sc.declaredAt.put(l.name(), l.pos());
        } else if (s instanceof Stmt.Block b) {
            block(b, sc);
        } else if (s instanceof Stmt.If i) {
            expectBool(i.cond(), sc, "an if condition");
            stmt(i.then(), sc);
            if (i.otherwise() != null) {
                stmt(i.otherwise(), sc);
            }
        } else if (s instanceof Stmt.While w) {
            expectBool(w.cond(), sc, "a while condition");
            sc.loops++;
            stmt(w.body(), sc);
            sc.loops--;
        } else if (s instanceof Stmt.For f) {
            Integer lo = constant(f.lo());
            Integer hi = constant(f.hi());
            if (lo != null && hi != null && (long) hi - lo > 4096) {
                error(f.pos(), "a for loop is unrolled; " + (hi - lo + 1) + " iterations is too many (at most 4097)");
            }
            if (sc.registers.containsKey(f.var()) || sc.constants.containsKey(f.var())) {
                error(f.pos(), "the loop variable '" + f.var() + "' is already declared in this thread");
                return;
            }
            shadowCheck(f.var(), f.pos());
            sc.constants.put(f.var(), Type.INT);
            stmt(f.body(), sc);
            sc.constants.remove(f.var());
        } else if (s instanceof Stmt.Await a) {
            if (sc.atomics > 0 && !a.equals(firstOfAtomic)) {
                error(a.pos(), "an atomic block can only wait at its start; move the await to the top of the block");
            }
            expectBool(a.cond(), sc, "an await condition");
        } else if (s instanceof Stmt.Atomic a) {
            Stmt first = a.body().body().isEmpty() ? null : a.body().body().get(0);
            Stmt saved = firstOfAtomic;
            firstOfAtomic = sc.atomics == 0 ? first : saved;
            sc.atomics++;
            block(a.body(), sc);
            sc.atomics--;
            firstOfAtomic = saved;
        } else if (s instanceof Stmt.Either e) {
            e.branches().forEach(b -> block(b, sc));
        } else if (s instanceof Stmt.Assume a) {
            expectBool(a.cond(), sc, "an assume condition");
        } else if (s instanceof Stmt.Assert a) {
            expectBool(a.cond(), sc, "an assertion");
        } else if (s instanceof Stmt.Break || s instanceof Stmt.Continue) {
            if (sc.loops == 0) {
                error(s.pos(), (s instanceof Stmt.Break ? "break" : "continue") + " outside a while loop");
            }
        } else if (s instanceof Stmt.Skip) {
            return;
        } else if (s instanceof Stmt.Assign a) {
            assign(a, sc);
        } else if (s instanceof Stmt.CallStmt c) {
            callStmt(c, sc);
        }
    }

    private Stmt firstOfAtomic;

    private void assign(Stmt.Assign a, Scope sc) {
        Type target = lvalue(a.target(), sc);
        Type value = a.op().equals("=") ? rhs(a.value(), sc) : expr(a.value(), sc);
        if (target == null || value == null) {
            return;
        }
        if (!a.op().equals("=")) {
            if (!Type.INT.accepts(target) || !Type.INT.accepts(value)) {
                error(a.pos(), "'" + a.op() + "' needs int operands, but '" + a.target().name() + "' is " + target);
            }
            return;
        }
        if (!target.accepts(value)) {
            error(a.value().pos(), "cannot assign " + a(value) + " value to '" + a.target().name() + "', which is "
                    + target);
        }
    }

    /** The type of an assignment target, after checking it can be written. */
    private Type lvalue(Expr.Name n, Scope sc) {
        String name = n.name();
        if (sc.registers.containsKey(name)) {
            return indices(n, 0, sc) ? sc.registers.get(name) : null;
        }
        if (sc.params.contains(name)) {
            n.indices().forEach(i -> expr(i, sc));
            return Type.ANY;
        }
        if (sc.constants.containsKey(name) || m.constants().containsKey(name)) {
            error(n.pos(), "cannot assign to '" + name + "': it is a constant");
            return null;
        }
        Resolved.Variable v = m.variables().get(name);
        if (v != null) {
            return indices(n, v.dims().length, sc) ? v.type() : null;
        }
        if (m.locks().containsKey(name)) {
            error(n.pos(), "cannot assign to '" + name + "': it is a lock; use the lock primitives");
            return null;
        }
        unknown(n.pos(), name, sc);
        return null;
    }

    private boolean indices(Expr.Name n, int dims, Scope sc) {
        if (n.indices().size() != dims) {
            error(n.pos(), "'" + n.name() + "' " + (dims == 0 ? "is not an array" : "has " + dims + " dimension"
                    + (dims > 1 ? "s" : "")) + " but is used with " + n.indices().size() + " ind"
                    + (n.indices().size() == 1 ? "ex" : "ices"));
            return false;
        }
        boolean ok = true;
        for (Expr i : n.indices()) {
            Type t = expr(i, sc);
            if (t != null && !Type.INT.accepts(t)) {
                error(i.pos(), "an array index must be int, not " + t);
                ok = false;
            }
        }
        return ok;
    }

    private void unknown(SourcePos pos, String name, Scope sc) {
        Set<String> known = new LinkedHashSet<>(sc.registers.keySet());
        known.addAll(sc.constants.keySet());
        known.addAll(sc.params);
        known.addAll(m.constants().keySet());
        known.addAll(m.variables().keySet());
        known.addAll(m.locks().keySet());
        error(pos, "unknown name '" + name + "'" + Names.suggest(name, known));
    }

    private Type typeNamed(String name, SourcePos pos) {
        if (name.equals("int")) {
            return Type.INT;
        }
        if (name.equals("bool")) {
            return Type.BOOL;
        }
        if (name.equals("loc")) {
            return Type.LOC;
        }
        Type t = m.enums().get(name);
        if (t == null) {
            error(pos, "unknown type '" + name + "'; expected int, bool, loc or an enum"
                    + Names.suggest(name, m.enums().keySet()));
        }
        return t;
    }

    private void expectBool(Expr e, Scope sc, String what) {
        Type t = expr(e, sc);
        if (t != null && !Type.BOOL.accepts(t)) {
            error(e.pos(), what + " must be bool, but this is " + t + (t == Type.INT
                    ? "; compare it explicitly, e.g. '!= 0'" : ""));
        }
    }

    /** The right-hand side of an assignment: an expression or one value-returning primitive. */
    private Type rhs(Expr e, Scope sc) {
        if (e instanceof Expr.Call c) {
            Builtins.Builtin b = Builtins.get(c.function());
            if (b != null && (b.kind() == Builtins.Kind.RMW || b.kind() == Builtins.Kind.TRYLOCK
                    || b.kind() == Builtins.Kind.NONDET)) {
                if (sc.property) {
                    error(c.pos(), c.function() + "() cannot appear in a property");
                    return null;
                }
                if (!primitive(c, b, sc)) {
                    return null;
                }
                if (b.returnsBool()) {
                    return Type.BOOL;
                }
                // xchg and cmpxchg return the old value, of the location's type (a bool flag, an enum state)
                boolean oldValue = b.op().equals("xchg") || b.op().equals("cmpxchg");
                return oldValue ? locationType(c.args().get(b.loc()), sc) : Type.INT;
            }
        }
        return expr(e, sc);
    }

    private void callStmt(Stmt.CallStmt s, Scope sc) {
        Expr.Call c = s.call();
        Builtins.Builtin b = Builtins.get(c.function());
        if (b != null) {
            if (b.kind() == Builtins.Kind.LOAD || b.kind() == Builtins.Kind.NONDET) {
                error(c.pos(), c.function() + "() returns a value; assign it to a register");
                return;
            }
            primitive(c, b, sc);
            return;
        }
        Decl.Proc p = m.procs().get(c.function());
        if (p == null) {
            Set<String> known = new LinkedHashSet<>(m.procs().keySet());
            Builtins.names().forEach(known::add);
            error(c.pos(), "unknown procedure or primitive '" + c.function() + "'" + Names.suggest(c.function(),
                    known));
            return;
        }
        if (p.params().size() != c.args().size()) {
            error(c.pos(), "'" + p.name() + "' takes " + p.params().size() + " argument"
                    + (p.params().size() == 1 ? "" : "s") + " (" + String.join(", ", p.params()) + ") but is given "
                    + c.args().size());
            return;
        }
        for (Expr a : c.args()) {
            if (a instanceof Expr.Name n && (m.locks().containsKey(n.name()) || m.variables().containsKey(n.name()))) {
                n.indices().forEach(i -> expr(i, sc));
            } else {
                expr(a, sc);
            }
        }
    }

    /** Checks a primitive's arguments: count, location kind, lock kind, value types. */
    private boolean primitive(Expr.Call c, Builtins.Builtin b, Scope sc) {
        if (c.args().size() != b.arity()) {
            error(c.pos(), c.function() + "() takes " + b.arity() + " argument" + (b.arity() == 1 ? "" : "s")
                    + " but is given " + c.args().size());
            return false;
        }
        boolean ok = true;
        for (int i = 0; i < c.args().size(); i++) {
            Expr a = c.args().get(i);
            if (i == b.loc()) {
                ok &= location(c, b, a, sc);
            } else if (b.kind() == Builtins.Kind.NONDET) {
                Integer v = constant(a);
                ok &= v != null;
            } else {
                Type t = expr(a, sc);
                if (t == null) {
                    ok = false;
                } else if (b.bitop()) {
                    ok &= bitNumber(c, a, t);
                } else if (b.seqcount() && !Type.INT.accepts(t)) {
                    error(a.pos(), c.function() + "() needs the count read_seqcount_begin() returned (an int), "
                            + "not " + t);
                    ok = false;
                } else if (b.kind() == Builtins.Kind.RMW || b.kind() == Builtins.Kind.VOID_RMW) {
                    if (!b.op().equals("xchg") && !b.op().equals("cmpxchg") && !Type.INT.accepts(t)) {
                        error(a.pos(), c.function() + "() needs an int operand, not " + t);
                        ok = false;
                    }
                }
            }
        }
        if (ok && b.kind() == Builtins.Kind.NONDET) {
            Integer lo = constant(c.args().get(0));
            Integer hi = constant(c.args().get(1));
            if (lo != null && hi != null && (hi < lo || (long) hi - lo > 255)) {
                error(c.pos(), "choose(lo, hi) needs lo <= hi and at most 256 values");
                ok = false;
            }
        }
        return ok;
    }

    /** A bitop's bit number: an int, and when constant one of an int word's bits 0..31. */
    private boolean bitNumber(Expr.Call c, Expr a, Type t) {
        if (!Type.INT.accepts(t)) {
            error(a.pos(), c.function() + "() needs a bit number (an int), not " + t);
            return false;
        }
        Integer nr = constValue(a);
        if (nr != null && (nr < 0 || nr > 31)) {
            error(a.pos(), "bit " + nr + " is out of range: " + c.function() + "() works on one int word, "
                    + "bits 0..31");
            return false;
        }
        return true;
    }

    private boolean location(Expr.Call c, Builtins.Builtin b, Expr arg, Scope sc) {
        if (arg instanceof Expr.Unary d && d.op().equals("*")) {
            if (isLockCall(b)) {
                error(arg.pos(), c.function() + "() needs a lock here, like " + c.function() + "(&lock); locks "
                        + "cannot be reached through an address");
                return false;
            }
            boolean ok = pointer(d.operand(), sc);
            if (ok && b.kind() == Builtins.Kind.STORE && c.args().size() == 2) {
                ok = expr(c.args().get(1), sc) != null;
            }
            return ok;
        }
        Expr a = arg instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : arg;
        if (!(a instanceof Expr.Name n)) {
            error(arg.pos(), c.function() + "() needs " + (isLockCall(b) ? "a lock" : "a shared variable")
                    + " here, like " + c.function() + "(&x)");
            return false;
        }
        if (sc.params.contains(n.name())) {
            n.indices().forEach(i -> expr(i, sc));
            return true;
        }
        if (isLockCall(b)) {
            Resolved.LockSym lock = m.locks().get(n.name());
            if (lock == null) {
                String what = m.variables().containsKey(n.name()) ? "'" + n.name() + "' is a variable, not a lock"
                        : "unknown lock '" + n.name() + "'" + (m.locks().isEmpty() ? "; the model declares no lock"
                        : "; declared locks: " + String.join(", ", m.locks().keySet()))
                        + Names.suggest(n.name(), m.locks().keySet());
                error(n.pos(), what);
                return false;
            }
            boolean rw = lock.kind().shared();
            boolean sleeping = lock.kind() == Decl.LockKind.MUTEX || lock.kind() == Decl.LockKind.RWSEM;
            if (!Builtins.fitsLock(c.function(), rw, sleeping)) {
                error(c.pos(), c.function() + "() does not apply to '" + n.name() + "', which is a "
                        + lock.kind().word + "; use " + lockWords(lock.kind()));
                return false;
            }
            return indices(n, lock.dims().length, sc);
        }
        Resolved.Variable v = m.variables().get(n.name());
        if (v == null) {
            if (m.locks().containsKey(n.name())) {
                error(n.pos(), "'" + n.name() + "' is a lock, not a shared variable");
            } else if (sc.registers.containsKey(n.name())) {
                error(n.pos(), "'" + n.name() + "' is a register; " + c.function()
                        + "() works on shared variables");
            } else {
                unknown(n.pos(), n.name(), sc);
            }
            return false;
        }
        if (v.ghost()) {
            error(n.pos(), "'" + n.name() + "' is ghost state, outside the memory model; read and write it directly "
                    + "instead of through " + c.function() + "()");
            return false;
        }
        if (b.op().equals(Builtins.WAITERS) && v.type() != Type.CPUS) {
            error(n.pos(), c.function() + "() needs a wait queue, like " + c.function() + "(&wq); '" + n.name()
                    + "' is not one (declare one: 'shared wait_queue_head wq;')");
            return false;
        }
        if (b.kind() == Builtins.Kind.RMW || b.kind() == Builtins.Kind.VOID_RMW || b.bitop() || b.seqcount()) {
            boolean intOnly = !b.op().equals("xchg") && !b.op().equals("cmpxchg");
            if (intOnly && !Type.INT.accepts(v.type())) {
                error(n.pos(), c.function() + "() needs an int variable, but '" + n.name() + "' is " + v.type());
                return false;
            }
        }
        if (b.kind() == Builtins.Kind.STORE && c.args().size() == 2) {
            Type t = expr(c.args().get(1), sc);
            if (t != null && !v.type().accepts(t)) {
                error(c.args().get(1).pos(), "cannot store " + a(t) + " value in '" + n.name() + "', which is "
                        + v.type());
                return false;
            }
        }
        return indices(n, v.dims().length, sc);
    }

    /** "an int", "a bool", "an Order": the type with its article, for messages. */
    private static String a(Type t) {
        return ("aeiouAEIOU".indexOf(t.name().charAt(0)) >= 0 ? "an " : "a ") + t;
    }

    private static boolean isLockCall(Builtins.Builtin b) {
        return b.kind() == Builtins.Kind.LOCK || b.kind() == Builtins.Kind.UNLOCK
                || b.kind() == Builtins.Kind.TRYLOCK;
    }

    private static String lockWords(Decl.LockKind kind) {
        return switch (kind) {
            case SPINLOCK -> "spin_lock, spin_unlock, spin_trylock";
            case MUTEX -> "mutex_lock, mutex_unlock, mutex_trylock";
            case RWSEM -> "down_read, up_read, down_write, up_write and their _trylock forms";
            case RWLOCK -> "read_lock, read_unlock, write_lock, write_unlock and their _trylock forms";
        };
    }

    private Integer constant(Expr e) {
        int before = errors.size();
        Integer v = constValue(e);
        if (v == null && errors.size() == before) {
            error(e.pos(), "expected a constant expression here");
        }
        return v;
    }

    private Integer constValue(Expr e) {
        if (e instanceof Expr.IntLit i) {
            return (int) i.value();
        }
        if (e instanceof Expr.BoolLit b) {
            return b.value() ? 1 : 0;
        }
        if (e instanceof Expr.Name n && n.indices().isEmpty()) {
            return m.constants().get(n.name());
        }
        if (e instanceof Expr.Unary u && u.op().equals("-")) {
            Integer v = constValue(u.operand());
            return v == null ? null : -v;
        }
        if (e instanceof Expr.Binary b) {
            Integer x = constValue(b.left());
            Integer y = constValue(b.right());
            if (x == null || y == null || ((b.op().equals("/") || b.op().equals("%")) && y == 0)) {
                return null;
            }
            return CExpr.Op.of(b.op()).apply(x, y);
        }
        return null;
    }

    /** The type of an expression, or null after reporting an error. */
    Type expr(Expr e, Scope sc) {
        if (e instanceof Expr.IntLit) {
            return Type.INT;
        }
        if (e instanceof Expr.BoolLit) {
            return Type.BOOL;
        }
        if (e instanceof Expr.Name n) {
            return name(n, sc);
        }
        if (e instanceof Expr.ThreadReg t) {
            return threadReg(t, sc);
        }
        if (e instanceof Expr.Unary u) {
            if (u.op().equals("&")) {
                return address(u, sc);
            }
            if (u.op().equals("*")) {
                return pointer(u.operand(), sc) ? Type.INT : null;
            }
            Type t = expr(u.operand(), sc);
            if (t == null) {
                return null;
            }
            Type want = u.op().equals("!") ? Type.BOOL : Type.INT;
            if (!want.accepts(t)) {
                error(u.pos(), "'" + u.op() + "' needs " + a(want) + " operand, not " + t);
                return null;
            }
            return want;
        }
        if (e instanceof Expr.Binary b) {
            return binary(b, sc);
        }
        if (e instanceof Expr.Cond c) {
            expectBool(c.test(), sc, "the test of '?:'");
            Type a = expr(c.then(), sc);
            Type b = expr(c.otherwise(), sc);
            if (a != null && b != null && !a.accepts(b)) {
                error(c.pos(), "the two branches of '?:' have different types: " + a + " and " + b);
                return null;
            }
            return a == Type.ANY ? b : a;
        }
        if (e instanceof Expr.Call c) {
            return call(c, sc);
        }
        if (e instanceof Expr.Quant q) {
            return quant(q, sc);
        }
        throw new IllegalStateException("unhandled expression " + e);
    }

    /** {@code &x}: the address of a shared variable (or of one cell of an array). */
    private Type address(Expr.Unary u, Scope sc) {
        if (u.operand() instanceof Expr.Name n) {
            if (sc.params.contains(n.name())) {
                n.indices().forEach(i -> expr(i, sc));
                return Type.LOC;
            }
            Resolved.Variable v = m.variables().get(n.name());
            if (v != null && !v.ghost()) {
                return indices(n, v.dims().length, sc) ? Type.LOC : null;
            }
            if (v != null) {
                error(n.pos(), "'" + n.name() + "' is ghost state; only shared variables have addresses");
                return null;
            }
            if (m.locks().containsKey(n.name())) {
                error(u.pos(), "'&" + n.name() + "' is a lock; a lock's address can only be passed to the lock "
                        + "primitives, as in spin_lock(&" + n.name() + ")");
                return null;
            }
        }
        error(u.pos(), "'&' takes the address of a shared variable, like &x or &a[i]");
        return null;
    }

    /** Checks that an expression dereferenced with '*' can hold an address. */
    private boolean pointer(Expr p, Scope sc) {
        Type t = expr(p, sc);
        if (t != null && !Type.LOC.accepts(t)) {
            error(p.pos(), "'*' reads through an address (a loc or int value), but this is " + t);
            return false;
        }
        return t != null;
    }

    private Type binary(Expr.Binary b, Scope sc) {
        Type l = expr(b.left(), sc);
        Type r = expr(b.right(), sc);
        if (l == null || r == null) {
            return null;
        }
        CExpr.Op op = CExpr.Op.of(b.op());
        if (op.logical()) {
            if (!Type.BOOL.accepts(l) || !Type.BOOL.accepts(r)) {
                error(b.pos(), "'" + b.op() + "' needs bool operands, not " + l + " and " + r);
                return null;
            }
            return Type.BOOL;
        }
        if (op == CExpr.Op.EQ || op == CExpr.Op.NE) {
            if (!l.accepts(r)) {
                error(b.pos(), "cannot compare " + l + " with " + r + " using '" + b.op() + "'");
                return null;
            }
            return Type.BOOL;
        }
        if (!Type.INT.accepts(l) || !Type.INT.accepts(r)) {
            error(b.pos(), "'" + b.op() + "' needs int operands, not " + l + " and " + r);
            return null;
        }
        if ((op == CExpr.Op.ADD || op == CExpr.Op.SUB) && (l == Type.LOC || r == Type.LOC)) {
            return Type.LOC; // an address plus an offset (arm64's [Xn,Xm]) is an address
        }
        return op.comparison() ? Type.BOOL : Type.INT;
    }

    private Type name(Expr.Name n, Scope sc) {
        String name = n.name();
        if (sc.registers.containsKey(name)) {
            return indices(n, 0, sc) ? sc.registers.get(name) : null;
        }
        if (sc.constants.containsKey(name)) {
            return indices(n, 0, sc) ? sc.constants.get(name) : null;
        }
        if (sc.params.contains(name)) {
            n.indices().forEach(i -> expr(i, sc));
            return Type.ANY;
        }
        Integer c = m.constants().get(name);
        if (c != null) {
            return indices(n, 0, sc) ? m.constantTypes().getOrDefault(name, Type.INT) : null;
        }
        Resolved.Variable v = m.variables().get(name);
        if (v != null) {
            return indices(n, v.dims().length, sc) ? v.type() : null;
        }
        if (m.locks().containsKey(name)) {
            error(n.pos(), "'" + name + "' is a lock, not a value; use it with the lock primitives");
            return null;
        }
        if (m.threads().stream().anyMatch(t -> t.decl().name().equals(name))) {
            error(n.pos(), "'" + name + "' is a thread; write " + name + ".REGISTER for one of its registers");
            return null;
        }
        if (m.procs().containsKey(name)) {
            error(n.pos(), "'" + name + "' is a procedure; call it as a statement");
            return null;
        }
        unknown(n.pos(), name, sc);
        return null;
    }

    private Type threadReg(Expr.ThreadReg t, Scope sc) {
        if (!sc.property) {
            error(t.pos(), "'" + t.thread() + "." + t.reg() + "' reads another thread's register; only "
                    + "invariants and final conditions may do that");
            return null;
        }
        Resolved.ThreadSym th = m.threads().stream().filter(x -> x.decl().name().equals(t.thread())).findFirst()
                .orElse(null);
        if (th == null) {
            error(t.pos(), "unknown thread '" + t.thread() + "'" + Names.suggest(t.thread(),
                    m.threads().stream().map(x -> x.decl().name()).toList()));
            return null;
        }
        int want = th.count() == 0 ? 0 : 1;
        if (t.indices().size() != want) {
            error(t.pos(), want == 0 ? "thread '" + t.thread() + "' is not replicated; write " + t.thread() + "."
                    + t.reg() : "thread '" + t.thread() + "' is replicated; write " + t.thread() + "[i]." + t.reg());
            return null;
        }
        for (Expr i : t.indices()) {
            Type it = expr(i, sc);
            if (it != null && !Type.INT.accepts(it)) {
                error(i.pos(), "a thread index must be int, not " + it);
            }
        }
        Map<String, Type> regs = threadRegisters.getOrDefault(t.thread(), Map.of());
        Type r = regs.get(t.reg());
        if (r == null) {
            error(t.pos(), "thread '" + t.thread() + "' has no register '" + t.reg() + "'"
                    + (regs.isEmpty() ? "" : "; its registers are " + String.join(", ", regs.keySet()))
                    + Names.suggest(t.reg(), regs.keySet()));
        }
        return r;
    }

    private Type call(Expr.Call c, Scope sc) {
        Builtins.Builtin b = Builtins.get(c.function());
        if (b == null) {
            if (m.procs().containsKey(c.function())) {
                error(c.pos(), "'" + c.function() + "' is a procedure; it returns no value, so call it as a "
                        + "statement");
            } else {
                List<String> loads = new ArrayList<>();
                Builtins.names().forEach(loads::add);
                error(c.pos(), "unknown function '" + c.function() + "'" + Names.suggest(c.function(), loads));
            }
            return null;
        }
        if (sc.property) {
            error(c.pos(), c.function() + "() cannot appear in a property; properties read memory directly, "
                    + "so write the variable's name");
            return null;
        }
        if (b.kind() != Builtins.Kind.LOAD) {
            String hint = switch (b.kind()) {
                case RMW, TRYLOCK, NONDET -> "; it must stand alone on the right of an assignment: r = "
                        + c.function() + "(...);";
                default -> "; it returns no value, so use it as a statement";
            };
            error(c.pos(), c.function() + "() cannot be used inside an expression" + hint);
            return null;
        }
        if (!primitive(c, b, sc)) {
            return null;
        }
        return b.returnsBool() ? Type.BOOL : locationType(c.args().get(b.loc()), sc);
    }

    /** The type of the variable a primitive's location argument names ({@code x} or {@code &x}). */
    private Type locationType(Expr arg, Scope sc) {
        if (arg instanceof Expr.Unary d && d.op().equals("*")) {
            return Type.INT; // through a pointer: the pointee's type is not tracked
        }
        Expr loc = arg instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : arg;
        if (loc instanceof Expr.Name n) {
            if (sc.params.contains(n.name())) {
                return Type.ANY;
            }
            Resolved.Variable v = m.variables().get(n.name());
            return v == null ? null : v.type();
        }
        return null;
    }

    private Type quant(Expr.Quant q, Scope sc) {
        Type varType = Type.INT;
        if (q.rangeName() != null) {
            Type en = m.enums().get(q.rangeName());
            boolean group = m.threads().stream().anyMatch(t -> t.decl().name().equals(q.rangeName())
                    && t.count() > 0);
            if (en != null) {
                varType = en;
            } else if (!group) {
                error(q.pos(), "'" + q.rangeName() + "' is neither an enum nor a replicated thread; write a range "
                        + "like 0..N-1");
                return null;
            }
        } else {
            if (constant(q.lo()) == null || constant(q.hi()) == null) {
                return null;
            }
        }
        if (sc.constants.containsKey(q.var()) || sc.registers.containsKey(q.var())) {
            error(q.pos(), "'" + q.var() + "' is already declared here");
            return null;
        }
        sc.constants.put(q.var(), varType);
        expectBool(q.body(), sc, "the body of a quantifier");
        sc.constants.remove(q.var());
        return Type.BOOL;
    }
}
