package dev.mmx.litmus;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import dev.mmx.resolve.Builtins;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * C litmus threads, written as LKMM users write them: {@code P0(int *x,
 * spinlock_t *s) { ... }}. A parameter names a shared location (or a lock);
 * any other name is a register of the thread. The kernel primitives keep their
 * names, so they get the mappings the rest of mmx gives them; this class only
 * turns C's pointer notation into .mmx's ({@code READ_ONCE(*x)} reads x,
 * {@code READ_ONCE(*r)} reads through register r, a bare {@code x} used as a
 * value is x's address) and lifts a read-modify-write used inside an
 * expression into a register of its own, since .mmx allows one only as the
 * whole right-hand side of an assignment.
 */
final class CFront implements LitmusParser.Front {
    /** The primitives whose location argument is an lvalue ({@code READ_ONCE(*x)}), not a pointer. */
    private static final Set<String> LVALUE_ARG = Set.of("READ_ONCE", "WRITE_ONCE", "rcu_dereference",
            "rcu_assign_pointer");

    private final ModelBuilder mb;
    private Lexer lex;
    private String text;
    private ModelBuilder.ThreadBody t;
    private final Set<String> locations = new HashSet<>();
    private final Set<String> boolRegs = new HashSet<>();

    CFront(ModelBuilder mb) {
        this.mb = mb;
    }

    @Override
    public String register(String written, SourcePos pos) {
        return written;
    }

    @Override
    public void threads(Lexer lexer, String source) {
        this.lex = lexer;
        this.text = source;
        while (true) {
            Token name = lex.peek();
            if (name.kind() == Token.Kind.END || name.is("exists") || name.is("~") || name.is("forall")
                    || name.is("locations") || name.is("filter")) {
                return;
            }
            function();
        }
    }

    private void function() {
        Token name = lex.next();
        if (name.kind() != Token.Kind.NAME || !name.text().matches("P[0-9]+")) {
            throw new LitmusError(name.pos(), "found " + name.show() + " where a thread like 'P0(int *x) { ... }' "
                    + "or the final condition was expected");
        }
        int index = Integer.parseInt(name.text().substring(1));
        if (mb.existingThread(index) != null && !mb.existingThread(index).body.isEmpty()) {
            throw new LitmusError(name.pos(), "thread " + name.text() + " is defined twice");
        }
        t = mb.thread(index, name.pos());
        locations.clear();
        boolRegs.clear();
        lex.expect("(", "'(' after " + name.text());
        if (!lex.accept(")")) {
            do {
                parameter();
            } while (lex.accept(","));
            lex.expect(")", "')' or ',' in the parameters of " + name.text());
        }
        lex.expect("{", "'{' to start the body of " + name.text());
        lex.cMode(true);
        while (!lex.peek().is("}")) {
            statement(t.body);
        }
        lex.cMode(false);
        lex.next();
    }

    /** {@code int *x}, {@code atomic_t *y}, {@code spinlock_t *s}: a shared location or a lock. */
    private void parameter() {
        List<Token> words = new ArrayList<>();
        while (!lex.peek().is(",") && !lex.peek().is(")")) {
            Token w = lex.next();
            if (w.kind() == Token.Kind.END) {
                throw new LitmusError(w.pos(), "the parameter list is never closed");
            }
            if (!w.is("*")) {
                words.add(w);
            }
        }
        if (words.isEmpty() || words.get(words.size() - 1).kind() != Token.Kind.NAME) {
            throw new LitmusError(lex.peek().pos(), "expected a parameter like 'int *x'");
        }
        Token n = words.get(words.size() - 1);
        boolean lock = words.stream().anyMatch(w -> w.is("spinlock_t"));
        if (lock) {
            mb.lock(n.text(), n.pos());
        } else {
            mb.shared(n.text(), n.pos());
        }
        locations.add(n.text());
    }

    // ---------------------------------------------------------------- statements

    private void statement(List<Stmt> out) {
        Token first = lex.peek();
        if (first.is("{")) {
            lex.next();
            List<Stmt> body = new ArrayList<>();
            while (!lex.peek().is("}")) {
                statement(body);
            }
            lex.next();
            out.add(new Stmt.Block(first.pos(), List.copyOf(body)));
            return;
        }
        if (first.is(";")) {
            lex.next();
            return;
        }
        if (first.is("if")) {
            ifStatement(out);
            return;
        }
        if (CExprParser.isTypeWord(first)) {
            declaration(out);
            return;
        }
        if (first.kind() == Token.Kind.NAME && List.of("while", "for", "do", "return", "goto", "switch", "break",
                "continue", "else").contains(first.text())) {
            throw new LitmusError(first.pos(), "unsupported C statement '" + first.text() + "'; mmx imports "
                    + "declarations, assignments, calls, blocks and if/else");
        }
        if (first.kind() == Token.Kind.END) {
            throw new LitmusError(first.pos(), "the thread body is never closed with '}'");
        }
        Expr e = new CExprParser(lex).expr();
        if (lex.peek().is("=")) {
            lex.next();
            Expr value = new CExprParser(lex).expr();
            Token semi = lex.expect(";", "';' after the assignment");
            assign(e, value, source(first, semi), out);
            return;
        }
        Token semi = lex.expect(";", "';' after the statement");
        String written = source(first, semi);
        if (!(e instanceof Expr.Call c)) {
            throw new LitmusError(first.pos(), "this statement has no effect; expected an assignment or a call");
        }
        call(c, written, out);
    }

    /** The statement as written, white space folded, for traces. */
    private String source(Token first, Token last) {
        return text.substring(first.offset(), last.offset() + last.text().length()).replaceAll("\\s+", " ");
    }

    private void ifStatement(List<Stmt> out) {
        Token kw = lex.next();
        lex.expect("(", "'(' after 'if'");
        Expr cond = new CExprParser(lex).expr();
        Token close = lex.expect(")", "')' to close the if condition");
        Expr test = asCond(value(cond, out));
        List<Stmt> then = new ArrayList<>();
        statement(then);
        List<Stmt> otherwise = null;
        if (lex.peek().is("else")) {
            lex.next();
            otherwise = new ArrayList<>();
            statement(otherwise);
        }
        out.add(new Stmt.If(kw.pos(), source(kw, close), test, new Stmt.Block(kw.pos(), List.copyOf(then)),
                otherwise == null ? null : new Stmt.Block(kw.pos(), List.copyOf(otherwise))));
    }

    /** {@code int r1, *r2 = e;}: registers; a constant initial value costs no step. */
    private void declaration(List<Stmt> out) {
        Token first = lex.peek();
        while (CExprParser.isTypeWord(lex.peek())) {
            lex.next();
        }
        do {
            boolean pointer = false;
            while (lex.accept("*")) {
                pointer = true;
            }
            Token name = lex.expectName("a register name in the declaration");
            if (locations.contains(name.text())) {
                throw new LitmusError(name.pos(), "'" + name.text() + "' is already a parameter of this thread");
            }
            if (lex.accept("=")) {
                Expr init = new CExprParser(lex).expr();
                if (init instanceof Expr.IntLit) {
                    t.initReg(name.text(), init, pointer, name.pos());
                } else {
                    t.initReg(name.text(), new Expr.IntLit(name.pos(), 0), pointer, name.pos());
                    Token end = lex.peek();
                    assign(new Expr.Name(name.pos(), name.text(), List.of()), init, source(first, end)
                            .replaceFirst("[;,]$", "").trim() + ";", out);
                }
            } else if (!t.hasReg(name.text())) {
                t.initReg(name.text(), new Expr.IntLit(name.pos(), 0), pointer, name.pos());
            }
        } while (lex.accept(","));
        lex.expect(";", "';' after the declaration");
    }

    private void assign(Expr target, Expr value, String written, List<Stmt> out) {
        SourcePos p = target.pos();
        if (target instanceof Expr.Unary u && u.op().equals("*")) {
            // *x = v: a plain store to x, or through a pointer register
            Expr v = asInt(value(value, out));
            Expr loc = pointer(u.operand(), out);
            if (loc instanceof Expr.Name n) {
                out.add(new Stmt.Assign(p, written, n, "=", v));
            } else {
                out.add(new Stmt.CallStmt(p, written, new Expr.Call(p, "WRITE_ONCE", List.of(loc, v))));
            }
            return;
        }
        if (!(target instanceof Expr.Name n) || locations.contains(n.name())) {
            throw new LitmusError(p, "cannot assign to this; write a register, or store with WRITE_ONCE(*x, v)");
        }
        t.reg(n.name(), p);
        if (value instanceof Expr.Call c && isRmw(c)) {
            Expr call = lowerCall(c, out);
            if (builtin(c).returnsBool()) {
                String tmp = boolTemp(p, call, written, out);
                out.add(new Stmt.Assign(p, written, n, "=", asInt(new Expr.Name(p, tmp, List.of()))));
            } else {
                out.add(new Stmt.Assign(p, written, n, "=", call));
            }
            return;
        }
        out.add(new Stmt.Assign(p, written, n, "=", asInt(value(value, out))));
    }

    private void call(Expr.Call c, String written, List<Stmt> out) {
        Builtins.Builtin b = builtin(c);
        SourcePos p = c.pos();
        if (b.kind() == Builtins.Kind.LOAD || b.kind() == Builtins.Kind.TRYLOCK || b.kind() == Builtins.Kind.RMW) {
            // a value-returning primitive whose value is dropped still happens; .mmx wants it assigned
            Expr call = lowerCall(c, out);
            if (b.returnsBool()) {
                boolTemp(p, call, written, out);
            } else {
                out.add(new Stmt.Assign(p, written, new Expr.Name(p, t.temp(p), List.of()), "=", call));
            }
            return;
        }
        out.add(new Stmt.CallStmt(p, written, (Expr.Call) lowerCall(c, out)));
    }

    private String boolTemp(SourcePos p, Expr call, String written, List<Stmt> out) {
        String tmp = t.temp(p);
        t.regs.put(tmp, new Stmt.Local(p, "bool " + tmp + ";", "bool", tmp, null));
        boolRegs.add(tmp);
        out.add(new Stmt.Assign(p, written, new Expr.Name(p, tmp, List.of()), "=", call));
        return tmp;
    }

    // ---------------------------------------------------------------- expressions

    /**
     * Kernel primitives of the C dialect that the compiler has no instruction
     * for: RCU (the kernel kit's, under the operational models), and SRCU and
     * spin_is_locked, which only the Linux-kernel memory model answers. Each is
     * shaped like a built-in it resembles so that its arguments import alike.
     */
    private static final Map<String, Builtins.Builtin> KERNEL = Map.ofEntries(
            kernel("rcu_read_lock", Builtins.Kind.FENCE, 0, -1, false),
            kernel("rcu_read_unlock", Builtins.Kind.FENCE, 0, -1, false),
            kernel("synchronize_rcu", Builtins.Kind.FENCE, 0, -1, false),
            kernel("synchronize_rcu_expedited", Builtins.Kind.FENCE, 0, -1, false),
            kernel("smp_mb__after_srcu_read_unlock", Builtins.Kind.FENCE, 0, -1, false),
            kernel("srcu_read_lock", Builtins.Kind.LOAD, 1, 0, false),
            kernel("srcu_down_read", Builtins.Kind.LOAD, 1, 0, false),
            kernel("srcu_read_unlock", Builtins.Kind.STORE, 2, 0, false),
            kernel("srcu_up_read", Builtins.Kind.STORE, 2, 0, false),
            kernel("synchronize_srcu", Builtins.Kind.UNLOCK, 1, 0, false),
            kernel("synchronize_srcu_expedited", Builtins.Kind.UNLOCK, 1, 0, false),
            kernel("spin_is_locked", Builtins.Kind.TRYLOCK, 1, 0, true));

    private static Map.Entry<String, Builtins.Builtin> kernel(String name, Builtins.Kind kind, int arity, int loc,
                                                              boolean returnsBool) {
        return Map.entry(name, new Builtins.Builtin(name, kind, arity, loc, Builtins.Order.ONCE, "",
                returnsBool ? Builtins.Result.SUCCESS : Builtins.Result.NONE, -1, 1, returnsBool));
    }

    private Builtins.Builtin builtin(Expr.Call c) {
        Builtins.Builtin b = Builtins.get(c.function());
        if (b == null) {
            b = KERNEL.get(c.function());
        }
        if (b == null || b.kind() == Builtins.Kind.NONDET) {
            throw new LitmusError(c.pos(), "unsupported function '" + c.function() + "'; mmx imports the kernel "
                    + "primitives (READ_ONCE, WRITE_ONCE, smp_mb, xchg, cmpxchg, atomic_*, spin_lock, ...)");
        }
        if (c.args().size() != b.arity()) {
            throw new LitmusError(c.pos(), c.function() + "() takes " + b.arity() + " argument"
                    + (b.arity() == 1 ? "" : "s") + " but is given " + c.args().size());
        }
        return b;
    }

    private boolean isRmw(Expr.Call c) {
        Builtins.Builtin b = builtin(c);
        return b.kind() == Builtins.Kind.RMW || b.kind() == Builtins.Kind.TRYLOCK;
    }

    /** A primitive call with C's arguments turned into .mmx's (location first-class, values as ints). */
    private Expr lowerCall(Expr.Call c, List<Stmt> out) {
        Builtins.Builtin b = builtin(c);
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < c.args().size(); i++) {
            Expr a = c.args().get(i);
            if (i == b.loc()) {
                args.add(LVALUE_ARG.contains(c.function()) ? lvalue(a, out) : pointer(a, out));
            } else {
                args.add(asInt(value(a, out)));
            }
        }
        // an expedited grace period gives the same guarantee (LKMM gives both one meaning), and the
        // kernel kit, which answers RCU under the other models, knows it as synchronize_rcu
        String f = c.function().equals("synchronize_rcu_expedited") ? "synchronize_rcu" : c.function();
        return new Expr.Call(c.pos(), f, List.copyOf(args));
    }

    /** The cell an lvalue names: {@code *x} is x, {@code *r} is what r points to. */
    private Expr lvalue(Expr a, List<Stmt> out) {
        if (a instanceof Expr.Unary u && u.op().equals("*")) {
            return pointer(u.operand(), out);
        }
        if (a instanceof Expr.Name n && locations.contains(n.name())) {
            return n;
        }
        throw new LitmusError(a.pos(), "expected a location like *x here");
    }

    /** The cell a pointer expression points to: a parameter names its location, anything else is dereferenced. */
    private Expr pointer(Expr a, List<Stmt> out) {
        if (a instanceof Expr.Name n && locations.contains(n.name())) {
            return n;
        }
        if (a instanceof Expr.Unary u && u.op().equals("&") && u.operand() instanceof Expr.Name n
                && !locations.contains(n.name())) {
            throw new LitmusError(a.pos(), "'&" + n.name() + "': mmx imports addresses of shared locations "
                    + "(the thread's parameters), not of registers");
        }
        return new Expr.Unary(a.pos(), "*", asInt(value(a, out)));
    }

    /** A C value: a parameter used as a value is its location's address. */
    private Expr value(Expr e, List<Stmt> out) {
        SourcePos p = e.pos();
        if (e instanceof Expr.IntLit) {
            return e;
        }
        if (e instanceof Expr.Name n) {
            if (locations.contains(n.name())) {
                if (mb.isLock(n.name())) {
                    throw new LitmusError(p, "'" + n.name() + "' is a lock; pass it to spin_lock() and friends");
                }
                return new Expr.Unary(p, "&", n);
            }
            t.reg(n.name(), p);
            return n;
        }
        if (e instanceof Expr.Unary u) {
            return switch (u.op()) {
                case "*" -> pointer(u.operand(), out);
                case "&" -> throw new LitmusError(p, "unsupported '&' here; a parameter already is an address");
                case "!" -> new Expr.Unary(p, "!", asCond(value(u.operand(), out)));
                default -> new Expr.Unary(p, u.op(), asInt(value(u.operand(), out)));
            };
        }
        if (e instanceof Expr.Binary b) {
            if (b.op().equals("&&") || b.op().equals("||")) {
                return new Expr.Binary(p, b.op(), asCond(value(b.left(), out)), asCond(value(b.right(), out)));
            }
            return new Expr.Binary(p, b.op(), asInt(value(b.left(), out)), asInt(value(b.right(), out)));
        }
        if (e instanceof Expr.Cond c) {
            return new Expr.Cond(p, asCond(value(c.test(), out)), asInt(value(c.then(), out)),
                    asInt(value(c.otherwise(), out)));
        }
        if (e instanceof Expr.Call c) {
            Builtins.Builtin b = builtin(c);
            if (b.kind() == Builtins.Kind.LOAD) {
                return lowerCall(c, out);
            }
            if (isRmw(c)) {
                Expr call = lowerCall(c, out);
                if (b.returnsBool()) {
                    return new Expr.Name(p, boolTemp(p, call, c.function() + "(...)", out), List.of());
                }
                String tmp = t.temp(p);
                out.add(new Stmt.Assign(p, c.function() + "(...)", new Expr.Name(p, tmp, List.of()), "=", call));
                return new Expr.Name(p, tmp, List.of());
            }
            throw new LitmusError(p, c.function() + "() returns no value, so it cannot be used in an expression");
        }
        throw new LitmusError(p, "unsupported C expression");
    }

    private boolean isBool(Expr e) {
        if (e instanceof Expr.Binary b) {
            return List.of("==", "!=", "<", "<=", ">", ">=", "&&", "||").contains(b.op());
        }
        if (e instanceof Expr.Unary u) {
            return u.op().equals("!");
        }
        if (e instanceof Expr.Name n) {
            return boolRegs.contains(n.name());
        }
        if (e instanceof Expr.Call c) {
            return Builtins.get(c.function()) != null && Builtins.get(c.function()).returnsBool(); // test_bit
        }
        return e instanceof Expr.BoolLit;
    }

    /** C uses ints as truth values; .mmx conditions are bool. */
    private Expr asCond(Expr e) {
        return isBool(e) ? e : new Expr.Binary(e.pos(), "!=", e, new Expr.IntLit(e.pos(), 0));
    }

    private Expr asInt(Expr e) {
        return isBool(e) ? new Expr.Cond(e.pos(), e, new Expr.IntLit(e.pos(), 1), new Expr.IntLit(e.pos(), 0)) : e;
    }
}
