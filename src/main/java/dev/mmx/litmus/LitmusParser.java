package dev.mmx.litmus;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a herd litmus test (C, X86 or AArch64) into the AST an .mmx file
 * parses to: a header line ({@code ARCH NAME}), optional doc string and
 * {@code key=value} lines, the initial state in braces, the threads, an
 * optional {@code locations [...]} list and the final condition.
 */
public final class LitmusParser {
    /** The outcome: a test when there are no diagnostics. */
    public record Result(LitmusTest test, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    private static final List<String> ARCHES = List.of("C", "X86", "AArch64");

    private final String text;
    private final Lexer lex;
    private final ModelBuilder mb;
    private Front front;

    /** What differs between the flavours: registers' names and the thread code. */
    interface Front {
        /** The .mmx name of a register as the test writes it (arm64's W1 and X1 are one register). */
        String register(String written, SourcePos pos);

        /** Reads the threads, leaving the lexer at what follows them. */
        void threads(Lexer lex, String text);
    }

    private LitmusParser(String file, String text) {
        this.text = text;
        this.lex = new Lexer(file, text);
        this.mb = new ModelBuilder(file);
    }

    public static Result parse(String file, String text) {
        try {
            return new Result(new LitmusParser(file, text).run(), List.of());
        } catch (LitmusError e) {
            return new Result(null, List.of(e.diagnostic));
        }
    }

    private LitmusTest run() {
        Token arch = lex.next();
        if (arch.kind() != Token.Kind.NAME || !ARCHES.contains(arch.text())) {
            throw new LitmusError(arch.pos(), (arch.kind() == Token.Kind.END ? "the file is empty"
                    : "unsupported litmus architecture " + arch.show()) + "; mmx imports C, X86 and AArch64 tests");
        }
        String name = lex.restOfLine().trim();
        if (name.isEmpty()) {
            throw new LitmusError(arch.pos(), "the first line must name the test, as in '" + arch.text() + " SB'");
        }
        name = name.split("\\s+")[0];
        if (name.endsWith(".litmus")) {
            name = name.substring(0, name.length() - ".litmus".length());
        }
        lex.skipTo(lex.offset() + lex.restOfLine().length());
        front = switch (arch.text()) {
            case "X86" -> new X86Front(mb);
            case "AArch64" -> new Arm64Front(mb);
            default -> new CFront(mb);
        };
        skipToInit();
        init();
        front.threads(lex, text);
        if (mb.threadCount() == 0) {
            throw new LitmusError(lex.peek().pos(), "the test has no thread");
        }
        Set<Condition.Term> shown = new LinkedHashSet<>();
        if (lex.peek().is("locations")) {
            locations(shown);
        }
        Token kw = lex.peek();
        Decl.FinalKind kind;
        Condition cond;
        if (lex.atEnd()) {
            // no final condition: herd7 reads the test as "forall (true)" and answers it (a test whose point
            // is that it deadlocks, say); it shows only the locations a locations [...] line names
            kind = Decl.FinalKind.FORALL;
            cond = new Condition.Bool(kw.pos(), true);
        } else {
            kind = quantifier();
            cond = new ConditionParser(lex, this::register).proposition();
        }
        if (lex.peek().is(";")) {
            lex.next(); // herd7 accepts a ';' closing the condition
        }
        if (!lex.atEnd()) {
            Token t = lex.peek();
            throw new LitmusError(t.pos(), "found " + t.show() + " after the final condition; it must come last");
        }
        Condition.locations(cond, shown);
        for (Condition.Term t : shown) {
            declare(t, kw.pos());
        }
        Decl.Final fin = new Decl.Final(kw.pos(), kind, Condition.toExpr(cond), Condition.print(cond));
        String printed = kind.word + " (" + Condition.print(cond) + ")";
        return new LitmusTest(name, arch.text(), mb.build(fin), kind, printed, observed(shown));
    }

    private Condition.Reg register(int thread, String written, SourcePos pos) {
        return new Condition.Reg(thread, front.register(written, pos), written);
    }

    /** Skips the doc string and key=value lines up to the opening brace of the initial state. */
    private void skipToInit() {
        while (true) {
            Token t = lex.next();
            if (t.is("{")) {
                return;
            }
            if (t.kind() == Token.Kind.END) {
                throw new LitmusError(t.pos(), "the test has no initial state; expected '{ ... }' before the threads");
            }
        }
    }

    /** {@code { x=0; y=a; 0:X1=x; int *p=&x; }}: locations, registers, numbers and addresses. */
    private void init() {
        while (!lex.accept("}")) {
            if (lex.accept(";")) {
                continue;
            }
            List<Token> left = new ArrayList<>();
            boolean pointer = false;
            while (!lex.peek().is("=") && !lex.peek().is(";") && !lex.peek().is("}")) {
                Token t = lex.next();
                if (t.kind() == Token.Kind.END) {
                    throw new LitmusError(t.pos(), "the initial state is never closed with '}'");
                }
                if (t.is("*")) {
                    pointer = true;
                } else {
                    left.add(t);
                }
            }
            if (left.isEmpty()) {
                throw new LitmusError(lex.peek().pos(), "expected a location before " + lex.peek().show());
            }
            Expr value = null;
            boolean address = false;
            if (lex.accept("=")) {
                Token v = lex.peek();
                value = initValue();
                address = value instanceof Expr.Unary;
                if (value == null) {
                    throw new LitmusError(v.pos(), "found " + v.show() + " where an initial value (a number or a "
                            + "location) was expected");
                }
            }
            initEntry(left, value, pointer || address);
        }
    }

    private Expr initValue() {
        Token v = lex.next();
        if (v.is("&")) {
            v = lex.next();
        }
        if (v.is("-") && lex.peek().kind() == Token.Kind.NUMBER) {
            Token n = lex.next();
            return new Expr.IntLit(v.pos(), -ConditionParser.number(n));
        }
        if (v.kind() == Token.Kind.NUMBER) {
            return new Expr.IntLit(v.pos(), ConditionParser.number(v));
        }
        if (v.kind() == Token.Kind.NAME && v.text().equals("ATOMIC_INIT") && lex.accept("(")) {
            Expr inner = initValue();
            lex.expect(")", "')' to close ATOMIC_INIT(");
            return inner;
        }
        if (v.kind() == Token.Kind.NAME) {
            mb.shared(v.text(), v.pos());
            return new Expr.Unary(v.pos(), "&", new Expr.Name(v.pos(), v.text(), List.of()));
        }
        return null;
    }

    private void initEntry(List<Token> left, Expr value, boolean loc) {
        int n = left.size();
        Token last = left.get(n - 1);
        if (n >= 3 && left.get(n - 2).is(":") && left.get(n - 3).kind() == Token.Kind.NUMBER) {
            int thread = ConditionParser.number(left.get(n - 3));
            ModelBuilder.ThreadBody t = mb.thread(thread, left.get(n - 3).pos());
            String reg = front.register(last.text(), last.pos());
            t.initReg(reg, value == null ? new Expr.IntLit(last.pos(), 0) : value, loc, last.pos());
            return;
        }
        if (last.kind() != Token.Kind.NAME) {
            throw new LitmusError(last.pos(), "found " + last.show() + " where a location name was expected");
        }
        if (value == null) {
            mb.shared(last.text(), last.pos());
        } else {
            mb.initShared(last.text(), value, loc, last.pos());
        }
    }

    /** {@code locations [x; 0:r1; ...]}: more locations to show in each final state. */
    private void locations(Set<Condition.Term> shown) {
        lex.next();
        lex.expect("[", "'[' after 'locations'");
        ConditionParser cp = new ConditionParser(lex, this::register);
        while (!lex.accept("]")) {
            if (lex.accept(";")) {
                continue;
            }
            shown.add(cp.location());
        }
    }

    private Decl.FinalKind quantifier() {
        Token t = lex.next();
        if (t.is("exists")) {
            return Decl.FinalKind.EXISTS;
        }
        if (t.is("forall")) {
            return Decl.FinalKind.FORALL;
        }
        if (t.is("~") && lex.accept("exists")) {
            return Decl.FinalKind.NOT_EXISTS;
        }
        if (t.is("filter")) {
            throw new LitmusError(t.pos(), "'filter' conditions are not supported by mmx's litmus import");
        }
        throw new LitmusError(t.pos(), "found " + t.show() + " where the final condition (exists, ~exists or "
                + "forall) was expected");
    }

    /** Makes sure every shown register and location exists in the model. */
    private void declare(Condition.Term t, SourcePos pos) {
        if (t instanceof Condition.Reg r) {
            ModelBuilder.ThreadBody body = mb.existingThread(r.thread());
            if (body == null) {
                throw new LitmusError(pos, "the condition reads " + r.thread() + ":" + r.written()
                        + ", but the test has no thread " + r.thread());
            }
            body.reg(r.name(), pos);
        } else if (t instanceof Condition.Mem m) {
            if (mb.isLock(m.name())) {
                throw new LitmusError(pos, "the condition reads '" + m.name() + "', which is a lock");
            }
            mb.shared(m.name(), pos);
        } else if (t instanceof Condition.Addr a) {
            if (mb.isLock(a.name())) {
                throw new LitmusError(pos, "the condition uses the address of '" + a.name() + "', which is a lock");
            }
            mb.shared(a.name(), pos);
        }
    }

    /** herd7's order: registers by thread then name (Xn for arm64's Wn), then memory locations by name. */
    private static List<LitmusTest.Observed> observed(Set<Condition.Term> shown) {
        Map<String, LitmusTest.Observed> byKey = new LinkedHashMap<>();
        for (Condition.Term t : shown) {
            if (t instanceof Condition.Reg r) {
                byKey.putIfAbsent(r.thread() + ":" + r.name(), new LitmusTest.Observed(r.thread(), r.name(),
                        r.thread() + ":" + r.written()));
            } else if (t instanceof Condition.Mem m) {
                byKey.putIfAbsent("[" + m.name(), new LitmusTest.Observed(-1, m.name(), "[" + m.name() + "]"));
            }
        }
        List<LitmusTest.Observed> out = new ArrayList<>(byKey.values());
        out.sort(Comparator.comparing((LitmusTest.Observed o) -> o.memory() ? 1 : 0)
                .thenComparingInt(LitmusTest.Observed::thread)
                .thenComparing(LitmusTest.Observed::name));
        return List.copyOf(out);
    }
}
