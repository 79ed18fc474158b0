package dev.mmx.litmus;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Parses the expressions of C litmus threads with C's precedence into raw AST
 * nodes: names, numbers, calls, unary {@code * & ! - ~}, binary operators and
 * {@code ?:}. What the names mean (a location, a register) is settled later.
 */
final class CExprParser {
    private static final List<Set<String>> LEVELS = List.of(Set.of("||"), Set.of("&&"), Set.of("|"), Set.of("^"),
            Set.of("&"), Set.of("==", "!="), Set.of("<", "<=", ">", ">="), Set.of("<<", ">>"), Set.of("+", "-"),
            Set.of("*", "/", "%"));
    private static final Set<String> TYPE_WORDS = Set.of("int", "long", "unsigned", "signed", "short", "char",
            "volatile", "const", "atomic_t", "intptr_t", "uintptr_t", "bool", "_Bool", "void");

    private final Lexer lex;

    CExprParser(Lexer lex) {
        this.lex = lex;
    }

    static boolean isTypeWord(Token t) {
        return t.kind() == Token.Kind.NAME && TYPE_WORDS.contains(t.text());
    }

    Expr expr() {
        Expr test = binary(0);
        if (lex.peek().is("?")) {
            SourcePos p = lex.next().pos();
            Expr a = expr();
            lex.expect(":", "':' of '?:'");
            Expr b = expr();
            return new Expr.Cond(p, test, a, b);
        }
        return test;
    }

    private Expr binary(int level) {
        if (level == LEVELS.size()) {
            return unary();
        }
        Expr left = binary(level + 1);
        while (lex.peek().kind() == Token.Kind.PUNCT && LEVELS.get(level).contains(lex.peek().text())) {
            Token op = lex.next();
            left = new Expr.Binary(op.pos(), op.text(), left, binary(level + 1));
        }
        return left;
    }

    private Expr unary() {
        Token t = lex.peek();
        if (t.is("!") || t.is("-") || t.is("~") || t.is("*") || t.is("&")) {
            lex.next();
            Expr operand = unary();
            if (t.is("-") && operand instanceof Expr.IntLit i) {
                return new Expr.IntLit(t.pos(), -i.value());
            }
            return new Expr.Unary(t.pos(), t.text(), operand);
        }
        if (t.is("(")) {
            lex.next();
            if (isTypeWord(lex.peek())) {
                while (isTypeWord(lex.peek()) || lex.peek().is("*")) {
                    lex.next(); // a cast: values are untyped here
                }
                lex.expect(")", "')' to close the cast");
                return unary();
            }
            Expr e = expr();
            lex.expect(")", "')' to close the '(' at line " + t.pos().line() + ":" + t.pos().column());
            return e;
        }
        return primary();
    }

    private Expr primary() {
        Token t = lex.next();
        if (t.kind() == Token.Kind.NUMBER) {
            return new Expr.IntLit(t.pos(), ConditionParser.number(t));
        }
        if (t.kind() == Token.Kind.NAME) {
            if (lex.peek().is("(")) {
                lex.next();
                List<Expr> args = new ArrayList<>();
                if (!lex.peek().is(")")) {
                    do {
                        args.add(expr());
                    } while (lex.accept(","));
                }
                lex.expect(")", "')' or ',' in the call of " + t.text() + "()");
                return new Expr.Call(t.pos(), t.text(), List.copyOf(args));
            }
            if (t.is("true") || t.is("false")) {
                return new Expr.IntLit(t.pos(), t.is("true") ? 1 : 0);
            }
            return new Expr.Name(t.pos(), t.text(), List.of());
        }
        if (t.is("[") || t.is("->") || t.is(".")) {
            throw new LitmusError(t.pos(), "unsupported C construct " + t.show() + "; mmx imports scalars and "
                    + "pointers, not arrays or structures");
        }
        throw new LitmusError(t.pos(), "found " + t.show() + " where an expression was expected");
    }
}
