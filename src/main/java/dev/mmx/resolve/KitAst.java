package dev.mmx.resolve;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.List;

/** Small builders of syntax trees, for the kernel kit's expansions. */
final class KitAst {
    private KitAst() {}

    static Stmt check(SourcePos p, Expr cond, String message, String fault) {
        return new Stmt.Assert(p, "", cond, message, fault);
    }

    static Expr.Name field(Expr.Name page, String field) {
        return new Expr.Name(page.pos(), page.name() + "." + field, page.indices());
    }

    static Stmt set(SourcePos p, Expr target, Expr value) {
        return new Stmt.Assign(p, "", (Expr.Name) target, "=", value);
    }

    static Expr.Name name(SourcePos p, String n, Expr... indices) {
        return new Expr.Name(p, n, List.of(indices));
    }

    static Expr num(SourcePos p, long v) {
        return new Expr.IntLit(p, v);
    }

    static Expr eq(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "==", a, b);
    }

    static Expr ne(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "!=", a, b);
    }

    static Expr gt(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), ">", a, b);
    }

    static Expr ge(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), ">=", a, b);
    }

    static Expr and(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "&&", a, b);
    }

    static Expr or(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "||", a, b);
    }

    static Expr not(Expr a) {
        return new Expr.Unary(a.pos(), "!", a);
    }

    static Expr bit(SourcePos p, Expr n) {
        return new Expr.Binary(p, "<<", num(p, 1), n);
    }

    static Expr bitAnd(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "&", a, b);
    }

    static Expr bitOr(Expr a, Expr b) {
        return new Expr.Binary(a.pos(), "|", a, b);
    }

    static Expr bitClear(Expr a, Expr mask) {
        return new Expr.Binary(a.pos(), "&", a, new Expr.Unary(a.pos(), "~", mask));
    }
}
