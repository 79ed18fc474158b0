package dev.mmx.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Operator precedence as C programmers expect it, shown by where the parser puts the parentheses. */
class PrecedenceTest {
    /** Parses {@code invariant i: TEXT;} and prints its expression fully parenthesised. */
    private static String tree(String text) {
        ModelParser.Result r = ModelParser.parse("p.mmx", "invariant i: " + text + ";");
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return show(r.model().all(Decl.Invariant.class).get(0).cond());
    }

    private static String show(Expr e) {
        if (e instanceof Expr.Name n) {
            return n.name();
        } else if (e instanceof Expr.IntLit i) {
            return Long.toString(i.value());
        } else if (e instanceof Expr.Unary u) {
            return "(" + u.op() + show(u.operand()) + ")";
        } else if (e instanceof Expr.Binary b) {
            return "(" + show(b.left()) + " " + b.op() + " " + show(b.right()) + ")";
        } else if (e instanceof Expr.Cond c) {
            return "(" + show(c.test()) + " ? " + show(c.then()) + " : " + show(c.otherwise()) + ")";
        } else if (e instanceof Expr.Quant q) {
            return "(" + (q.forall() ? "forall " : "exists ") + q.var() + ": " + show(q.body()) + ")";
        }
        return e.toString();
    }

    @Test
    void notBindsTighterThanOr() {
        assertEquals("((!freed) || ok)", tree("!freed || ok"));
    }

    @Test
    void negationBindsTighterThanMultiplication() {
        assertEquals("(((-x) * 3) == 6)", tree("-x * 3 == 6"));
    }

    @Test
    void comparisonsBindTighterThanLogic() {
        assertEquals("(((a + 1) < b) && (c == d))", tree("a + 1 < b && c == d"));
    }

    @Test
    void quantifierBodyReachesToTheEnd() {
        assertEquals("(forall c: ((c < 1) || (c >= 1)))", tree("forall c in 0..1: c < 1 || c >= 1"));
    }

    @Test
    void quantifierMayFollowAnOperator() {
        assertEquals("((!freed) || (forall c: (!t)))", tree("!freed || forall c in 0..2: !t"));
    }

    @Test
    void conditionalIsRightAssociative() {
        assertEquals("(a ? b : (c ? d : e))", tree("a ? b : c ? d : e"));
    }
}
