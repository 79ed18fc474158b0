package dev.mmx.resolve;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.Stmt;
import java.util.Set;

/**
 * The names of every function a model calls, in statements and in expressions,
 * so the kit knows what is used; each also as {@code name/arity}.
 */
final class KitScan {
    private KitScan() {}

    static void calls(Model model, Set<String> out) {
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Thread t) {
                stmt(t.body(), out);
            } else if (d instanceof Decl.Proc p) {
                stmt(p.body(), out);
            } else if (d instanceof Decl.Invariant inv) {
                expr(inv.cond(), out);
            } else if (d instanceof Decl.Final f) {
                expr(f.cond(), out);
            } else if (d instanceof Decl.Var v && v.init() != null) {
                v.init().forEach(e -> expr(e, out));
            }
        }
    }

    private static void stmt(Stmt s, Set<String> out) {
        if (s instanceof Stmt.Block b) {
            b.body().forEach(x -> stmt(x, out));
        } else if (s instanceof Stmt.If i) {
            expr(i.cond(), out);
            stmt(i.then(), out);
            if (i.otherwise() != null) {
                stmt(i.otherwise(), out);
            }
        } else if (s instanceof Stmt.While w) {
            expr(w.cond(), out);
            stmt(w.body(), out);
        } else if (s instanceof Stmt.For f) {
            stmt(f.body(), out);
        } else if (s instanceof Stmt.Atomic a) {
            stmt(a.body(), out);
        } else if (s instanceof Stmt.Either e) {
            e.branches().forEach(x -> stmt(x, out));
        } else if (s instanceof Stmt.CallStmt c) {
            expr(c.call(), out);
        } else if (s instanceof Stmt.Assign a) {
            expr(a.value(), out);
        } else if (s instanceof Stmt.Local l && l.init() != null) {
            expr(l.init(), out);
        } else if (s instanceof Stmt.Await a) {
            expr(a.cond(), out);
        } else if (s instanceof Stmt.Assume a) {
            expr(a.cond(), out);
        } else if (s instanceof Stmt.Assert a) {
            expr(a.cond(), out);
        }
    }

    private static void expr(Expr e, Set<String> out) {
        if (e instanceof Expr.Call c) {
            out.add(c.function());
            out.add(c.function() + "/" + c.args().size());
            c.args().forEach(a -> expr(a, out));
        } else if (e instanceof Expr.Unary u) {
            expr(u.operand(), out);
        } else if (e instanceof Expr.Binary b) {
            expr(b.left(), out);
            expr(b.right(), out);
        } else if (e instanceof Expr.Cond c) {
            expr(c.test(), out);
            expr(c.then(), out);
            expr(c.otherwise(), out);
        } else if (e instanceof Expr.Quant q) {
            expr(q.body(), out);
        } else if (e instanceof Expr.Name n) {
            n.indices().forEach(i -> expr(i, out));
        }
    }
}
