package dev.mmx.resolve;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Names;
import dev.mmx.system.CExpr;

/** Evaluates constant expressions: array sizes, initial values, params, consts. */
final class ConstEval {
    private final Resolver r;

    ConstEval(Resolver r) {
        this.r = r;
    }

    /** The value, or null after reporting why the expression is not constant. */
    Integer eval(Expr e) {
        if (e instanceof Expr.IntLit i) {
            return (int) i.value();
        }
        if (e instanceof Expr.BoolLit b) {
            return b.value() ? 1 : 0;
        }
        if (e instanceof Expr.Name n) {
            Integer v = r.constants().get(n.name());
            if (v != null && n.indices().isEmpty()) {
                return v;
            }
            Decl d = r.declared().get(n.name());
            if (d == null) {
                r.error(n.pos(), "unknown name '" + n.name() + "'" + Names.suggest(n.name(), r.constants().keySet()));
            } else {
                r.error(n.pos(), "'" + n.name() + "' is not a constant; a constant expression may use numbers, "
                        + "consts, params and enum members");
            }
            return null;
        }
        if (e instanceof Expr.Unary u) {
            Integer v = eval(u.operand());
            if (v == null) {
                return null;
            }
            return switch (u.op()) {
                case "-" -> -v;
                case "!" -> v == 0 ? 1 : 0;
                case "~" -> ~v;
                default -> {
                    r.error(u.pos(), "'" + u.op() + "' cannot appear in a constant expression");
                    yield null;
                }
            };
        }
        if (e instanceof Expr.Binary b) {
            Integer x = eval(b.left());
            Integer y = eval(b.right());
            if (x == null || y == null) {
                return null;
            }
            if ((b.op().equals("/") || b.op().equals("%")) && y == 0) {
                r.error(b.pos(), "division by zero in a constant expression");
                return null;
            }
            return CExpr.Op.of(b.op()).apply(x, y);
        }
        if (e instanceof Expr.Cond c) {
            Integer t = eval(c.test());
            if (t == null) {
                return null;
            }
            return t != 0 ? eval(c.then()) : eval(c.otherwise());
        }
        r.error(e.pos(), "expected a constant expression here");
        return null;
    }

    /** The type of a constant expression, without reporting anything (null if unknown). */
    Type type(Expr e) {
        if (e instanceof Expr.BoolLit) {
            return Type.BOOL;
        }
        if (e instanceof Expr.IntLit) {
            return Type.INT;
        }
        if (e instanceof Expr.Name n) {
            return r.constantTypes().get(n.name());
        }
        if (e instanceof Expr.Unary u) {
            return u.op().equals("!") ? Type.BOOL : Type.INT;
        }
        if (e instanceof Expr.Binary b) {
            CExpr.Op op = CExpr.Op.of(b.op());
            return op.comparison() || op.logical() ? Type.BOOL : Type.INT;
        }
        if (e instanceof Expr.Cond c) {
            return type(c.then());
        }
        return null;
    }
}
