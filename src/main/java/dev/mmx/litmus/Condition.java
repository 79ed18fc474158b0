package dev.mmx.litmus;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import java.util.List;
import java.util.Set;

/**
 * A litmus final condition's proposition: atoms {@code loc=value} joined by
 * {@code /\}, {@code \/} and {@code ~}. It prints the way herd7 prints it and
 * turns into an .mmx property expression.
 */
sealed interface Condition {
    SourcePos pos();

    /** Where a term reads: a thread's register, a memory location, a number or an address. */
    sealed interface Term {}

    /** {@code 1:r0}; {@code thread} numbers the test's processes. */
    record Reg(int thread, String name, String written) implements Term {}

    record Mem(String name) implements Term {}

    record Num(int value) implements Term {}

    /** A location used as a value ({@code h=new}: h holds the address of new). */
    record Addr(String name) implements Term {}

    record Atom(SourcePos pos, Term left, Term right, boolean equal) implements Condition {}

    record Not(SourcePos pos, Condition operand) implements Condition {}

    record And(SourcePos pos, Condition left, Condition right) implements Condition {}

    record Or(SourcePos pos, Condition left, Condition right) implements Condition {}

    record Implies(SourcePos pos, Condition left, Condition right) implements Condition {}

    record Bool(SourcePos pos, boolean value) implements Condition {}

    /** herd7's rendering: minimal parentheses, {@code not (...)}, memory as {@code [x]}. */
    static String print(Condition c) {
        return print(c, 0);
    }

    private static String print(Condition c, int outer) {
        if (c instanceof Atom a) {
            return term(a.left()) + (a.equal() ? "=" : "!=") + term(a.right());
        }
        if (c instanceof Not n) {
            return "not (" + print(n.operand(), 0) + ")";
        }
        if (c instanceof And a) {
            String s = print(a.left(), 2) + " /\\ " + print(a.right(), 2);
            return outer > 2 ? "(" + s + ")" : s;
        }
        if (c instanceof Or o) {
            String s = print(o.left(), 1) + " \\/ " + print(o.right(), 1);
            return outer > 1 ? "(" + s + ")" : s;
        }
        if (c instanceof Implies i) {
            // herd7 brackets an implication inside /\ or \/, not inside another implication
            String s = print(i.left(), -1) + " => " + print(i.right(), -1);
            return outer > 0 ? "(" + s + ")" : s;
        }
        return ((Bool) c).value() ? "true" : "false";
    }

    static String term(Term t) {
        if (t instanceof Reg r) {
            return r.thread() + ":" + r.written();
        }
        if (t instanceof Mem m) {
            return "[" + m.name() + "]";
        }
        if (t instanceof Num n) {
            return Integer.toString(n.value());
        }
        return ((Addr) t).name();
    }

    /** The .mmx property: registers as {@code P1.r0}, memory read directly, addresses as {@code &x}. */
    static Expr toExpr(Condition c) {
        SourcePos p = c.pos();
        if (c instanceof Atom a) {
            return new Expr.Binary(p, a.equal() ? "==" : "!=", expr(a.left(), p), expr(a.right(), p));
        }
        if (c instanceof Not n) {
            return new Expr.Unary(p, "!", toExpr(n.operand()));
        }
        if (c instanceof And a) {
            return new Expr.Binary(p, "&&", toExpr(a.left()), toExpr(a.right()));
        }
        if (c instanceof Or o) {
            return new Expr.Binary(p, "||", toExpr(o.left()), toExpr(o.right()));
        }
        if (c instanceof Implies i) {
            return new Expr.Binary(p, "||", new Expr.Unary(p, "!", toExpr(i.left())), toExpr(i.right()));
        }
        return new Expr.BoolLit(p, ((Bool) c).value());
    }

    private static Expr expr(Term t, SourcePos p) {
        if (t instanceof Reg r) {
            return new Expr.ThreadReg(p, "P" + r.thread(), List.of(), r.name());
        }
        if (t instanceof Mem m) {
            return new Expr.Name(p, m.name(), List.of());
        }
        if (t instanceof Num n) {
            return new Expr.IntLit(p, n.value());
        }
        return new Expr.Unary(p, "&", new Expr.Name(p, ((Addr) t).name(), List.of()));
    }

    /** Every register, memory location and address the condition mentions. */
    static void locations(Condition c, Set<Term> out) {
        if (c instanceof Atom a) {
            for (Term t : List.of(a.left(), a.right())) {
                if (!(t instanceof Num)) {
                    out.add(t);
                }
            }
        } else if (c instanceof Not n) {
            locations(n.operand(), out);
        } else if (c instanceof And a) {
            locations(a.left(), out);
            locations(a.right(), out);
        } else if (c instanceof Or o) {
            locations(o.left(), out);
            locations(o.right(), out);
        } else if (c instanceof Implies i) {
            locations(i.left(), out);
            locations(i.right(), out);
        }
    }
}
