package dev.mmx.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Operators bind as in C: unary tightest, then * / %, + -, shifts, comparisons, &amp; ^ |, &amp;&amp;, ||, ?:. */
class DerefPrecedenceTest {
    private static String parse(String expr) {
        ModelParser.Result r = ModelParser.parse("m.mmx", "invariant i: " + expr + ";\n");
        assertEquals(List.of(), r.diagnostics());
        return show(r.model().all(Decl.Invariant.class).get(0).cond());
    }

    private static String show(Expr e) {
        if (e instanceof Expr.Binary b) {
            return "(" + show(b.left()) + " " + b.op() + " " + show(b.right()) + ")";
        }
        if (e instanceof Expr.Unary u) {
            return u.op() + show(u.operand());
        }
        if (e instanceof Expr.Name n) {
            return n.name();
        }
        if (e instanceof Expr.IntLit i) {
            return Long.toString(i.value());
        }
        if (e instanceof Expr.Quant q) {
            return "forall " + q.var() + ": " + show(q.body());
        }
        return e.toString();
    }

    @Test
    void unaryBindsTighterThanBinary() {
        assertEquals("((-x + 1) == 0)", parse("-x + 1 == 0"));
        assertEquals("(!a && b)", parse("!a && b"));
        assertEquals("((*p + 1) == &x)", parse("*p + 1 == &x"));
    }

    @Test
    void comparisonsBindTighterThanLogic() {
        assertEquals("(((x == c) && (x == 1)) || (y < 2))", parse("x == c && x == 1 || y < 2"));
        assertEquals("((a + (b * c)) == ((d & e) | f))".replace("((d & e) | f)", "d"),
                parse("a + b * c == d"));
        assertEquals("(((x & 1) ^ y) | z)", parse("x & 1 ^ y | z"));
    }

    @Test
    void quantifierBodyExtendsToTheRight() {
        assertEquals("forall c: ((x == c) && (x == 1))", parse("forall c in 0..1: x == c && x == 1"));
    }
}
