package dev.mmx.lang;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelParserTest {

    /** The one-line rendering of every diagnostic the parser reports for {@code text} (file name t.mmx). */
    private static List<String> errors(String text) {
        ModelParser.Result r = ModelParser.parse("t.mmx", text);
        assertNull(r.model(), "a model with syntax errors has no AST");
        return r.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void goodModelParsesToItsDeclarationsInSourceOrder() {
        String text = Fixtures.text(Fixtures.model("store_buffering"));
        ModelParser.Result r = ModelParser.parse("store_buffering.mmx", text);

        assertTrue(r.ok(), () -> r.diagnostics().toString());
        List<String> kinds = r.model().decls().stream().map(d -> d.getClass().getSimpleName() + " " + d.name())
                .toList();
        assertEquals(List.of("Param FENCED", "Var x", "Var y", "Thread t0", "Thread t1", "Final exists",
                "Expect expect", "Expect expect", "Expect expect"), kinds);
        Decl.Thread t0 = r.model().all(Decl.Thread.class).get(0);
        // int r0 = 0; WRITE_ONCE(x, 1); if (...) { smp_mb(); }; r0 = READ_ONCE(y);
        assertEquals(4, t0.body().body().size());
        // line 11 of the fixture, column 8: the thread's name
        assertEquals(new SourcePos("store_buffering.mmx", 11, 8), t0.pos());
        Decl.Expect last = r.model().all(Decl.Expect.class).get(2);
        assertEquals(List.of("sc", "tso"), last.memoryModels());
        assertEquals("pass", last.outcome());
        assertEquals("FENCED", last.variant().get(0).name());
    }

    @Test
    void operatorsBindAsInC() {
        ModelParser.Result r = ModelParser.parse("t.mmx", "invariant i: a == 0 && 1 + 2 * 3 == 7;\n");
        Expr e = r.model().all(Decl.Invariant.class).get(0).cond();

        Expr.Binary and = assertInstanceOf(Expr.Binary.class, e);
        assertEquals("&&", and.op());
        Expr.Binary right = assertInstanceOf(Expr.Binary.class, and.right());
        assertEquals("==", right.op());
        Expr.Binary sum = assertInstanceOf(Expr.Binary.class, right.left());
        assertEquals("+", sum.op());
        assertEquals("*", assertInstanceOf(Expr.Binary.class, sum.right()).op());
    }

    @Test
    void missingSemicolonIsReportedAtTheEndOfTheStatementNotOnTheNextLine() {
        assertEquals(List.of("t.mmx:3:10: missing ';' after '1'"),
                errors("shared int x = 0;\nthread t {\n    x = 1\n}\n"));
    }

    @Test
    void missingSemicolonBeforeABraceOnTheSameLineNamesBoth() {
        assertEquals(List.of("t.mmx:2:29: found '}' where ';' was expected"),
                errors("shared int x = 0;\nthread t { r = READ_ONCE(x) }\n"));
    }

    @Test
    void missingOperandSaysAnExpressionWasExpected() {
        assertEquals(List.of("t.mmx:3:12: found ';' where an expression was expected"),
                errors("shared int x = 0;\nthread t {\n    x = 1 +;\n}\n"));
    }

    @Test
    void unclosedBlockSaysAStatementOrBraceWasExpected() {
        assertEquals(List.of("t.mmx:4:1: found end of file where a statement or '}' was expected"),
                errors("shared int x = 0;\nthread t {\n    x = 1;\n"));
    }

    @Test
    void mistypedKeywordIsSuggested() {
        assertEquals(List.of("t.mmx:2:1: found 'thred' where a declaration (param, const, enum, shared, ghost, "
                        + "a lock, proc, thread, invariant, exists, expect) or the end of the file was expected; "
                        + "did you mean 'thread'?"),
                errors("shared int x = 0;\nthred t { x = 1; }\n"));
    }

    @Test
    void ifWithoutParenthesesSaysParenthesisExpected() {
        assertEquals(List.of("t.mmx:2:15: found 'x' where '(' was expected"),
                errors("shared int x = 0;\nthread t { if x == 1 { x = 2; } }\n"));
    }

    @Test
    void unclosedParenthesisSaysCloseParenthesisExpected() {
        assertEquals(List.of("t.mmx:3:15: found ';' where ')' was expected"),
                errors("shared int x = 0;\nthread t {\n    x = (1 + 2;\n}\n"));
    }

    @Test
    void tokenThatFitsNoStatementNamesWhatItFollows() {
        assertEquals(List.of("t.mmx:2:14: unexpected ':' after 'x' in a statement"),
                errors("shared int x = 0;\nthread t { x := 1; }\n"));
    }

    @Test
    void strayCharacterIsReportedWhereItStands() {
        assertEquals(List.of("t.mmx:1:18: found '#' where ';' was expected"),
                errors("shared int x = 0 #;\nthread t { x = 1; }\n"));
    }

    @Test
    void numberBeyond32BitsIsAnError() {
        assertEquals(List.of("t.mmx:2:16: the number 99999999999 is too large; values are 32-bit signed integers"),
                errors("shared int x = 0;\nthread t { x = 99999999999; }\n"));
    }

    @Test
    void errorsOnSeparateLinesAreAllReported() {
        // column 16 is the ';' in "thread a { x = ; }"
        assertEquals(List.of("t.mmx:2:16: found ';' where an expression was expected",
                        "t.mmx:3:16: found ';' where an expression was expected"),
                errors("shared int x = 0;\nthread a { x = ; }\nthread b { x = ; }\n"));
    }
}
