package dev.mmx.litmus;

import dev.mmx.lang.SourcePos;

/**
 * Parses a final condition: {@code ~} binds tighter than {@code /\}, which
 * binds tighter than {@code \/}, then {@code =>}; an atom is {@code location=value} (or
 * {@code !=}), where a location is {@code N:reg}, {@code [x]} or {@code x},
 * and a value a number, a location name (its address) or another location.
 */
final class ConditionParser {
    /** Resolves a register as the test writes it ({@code 0:W1}) to the model's name. */
    interface Registers {
        Condition.Reg resolve(int thread, String written, SourcePos pos);
    }

    private final Lexer lex;
    private final Registers regs;

    ConditionParser(Lexer lex, Registers regs) {
        this.lex = lex;
        this.regs = regs;
    }

    /** {@code p => q}, the loosest of all, binding to the right. */
    Condition proposition() {
        Condition c = or();
        if (lex.peek().is("=>")) {
            SourcePos p = lex.next().pos();
            return new Condition.Implies(p, c, proposition());
        }
        return c;
    }

    private Condition or() {
        Condition c = and();
        while (lex.peek().is("\\/")) {
            SourcePos p = lex.next().pos();
            c = new Condition.Or(p, c, and());
        }
        return c;
    }

    private Condition and() {
        Condition c = unary();
        while (lex.peek().is("/\\")) {
            SourcePos p = lex.next().pos();
            c = new Condition.And(p, c, unary());
        }
        return c;
    }

    private Condition unary() {
        Token t = lex.peek();
        if (t.is("~") || t.is("not")) {
            lex.next();
            return new Condition.Not(t.pos(), unary());
        }
        if (t.is("(")) {
            lex.next();
            Condition c = proposition();
            lex.expect(")", "')' to close the '(' at line " + t.pos().line() + ":" + t.pos().column());
            return c;
        }
        if (t.is("true") || t.is("false")) {
            lex.next();
            return new Condition.Bool(t.pos(), t.is("true"));
        }
        Condition.Term left = location();
        Token op = lex.next();
        if (!op.is("=") && !op.is("!=") && !op.is("==")) {
            throw new LitmusError(op.pos(), "found " + op.show() + " where '=' was expected after "
                    + Condition.term(left));
        }
        return new Condition.Atom(t.pos(), left, value(), !op.is("!="));
    }

    /** {@code 0:r1}, {@code [x]} or {@code x}. */
    Condition.Term location() {
        Token t = lex.next();
        if (t.kind() == Token.Kind.NUMBER && lex.peek().is(":")) {
            lex.next();
            Token reg = lex.expectName("a register name after '" + t.text() + ":'");
            return regs.resolve(number(t), reg.text(), reg.pos());
        }
        if (t.is("[")) {
            Token name = lex.expectName("a location name after '['");
            lex.expect("]", "']'");
            return new Condition.Mem(name.text());
        }
        if (t.kind() == Token.Kind.NAME) {
            return new Condition.Mem(t.text());
        }
        throw new LitmusError(t.pos(), "found " + t.show() + " where a location (like x, [x] or 0:r1) was expected");
    }

    private Condition.Term value() {
        Token t = lex.peek();
        if (t.is("-")) {
            lex.next();
            Token n = lex.next();
            if (n.kind() != Token.Kind.NUMBER) {
                throw new LitmusError(n.pos(), "found " + n.show() + " where a number was expected after '-'");
            }
            return new Condition.Num(-number(n));
        }
        if (t.kind() == Token.Kind.NUMBER) {
            lex.next();
            if (lex.peek().is(":")) {
                lex.next();
                Token reg = lex.expectName("a register name after '" + t.text() + ":'");
                return regs.resolve(number(t), reg.text(), reg.pos());
            }
            return new Condition.Num(number(t));
        }
        if (t.is("[")) {
            return location();
        }
        if (t.kind() == Token.Kind.NAME) {
            lex.next();
            return new Condition.Addr(t.text());
        }
        throw new LitmusError(t.pos(), "found " + t.show() + " where a value (a number or a location) was expected");
    }

    static int number(Token t) {
        try {
            long v = Long.decode(t.text());
            if (v > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw new LitmusError(t.pos(), "'" + t.text() + "' is not a number mmx can hold (32-bit integers)");
        }
    }
}
