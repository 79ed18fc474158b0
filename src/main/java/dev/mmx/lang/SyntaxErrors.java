package dev.mmx.lang;

import dev.mmx.lang.antlr.MmxParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.Vocabulary;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns ANTLR's reports into sentences that say what was found and what was
 * expected, in the words of the language ("a statement", "an expression")
 * rather than as a list of every token that could follow.
 */
final class SyntaxErrors extends BaseErrorListener {
    private static final int MAX_LISTED = 6;

    private final String file;
    private final List<Diagnostic> errors;

    SyntaxErrors(String file, List<Diagnostic> errors) {
        this.file = file;
        this.errors = errors;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col, String msg,
                            RecognitionException e) {
        if (!errors.isEmpty() && errors.get(errors.size() - 1).pos().line() == line) {
            return; // one error per line: later ones are usually echoes of the first
        }
        SourcePos at = new SourcePos(file, line, col + 1);
        if (!(offending instanceof Token token) || !(recognizer instanceof Parser parser)) {
            // lexer errors: "token recognition error at: '#'"
            int i = msg.indexOf("at: ");
            errors.add(new Diagnostic(at, "unexpected character " + (i >= 0 ? msg.substring(i + 4) : msg)));
            return;
        }
        errors.add(describe(parser, token, at, e));
    }

    private Diagnostic describe(Parser parser, Token token, SourcePos at, RecognitionException e) {
        String text = token.getText();
        if (text.length() > 40) {
            text = text.substring(0, 37) + "..."; // a runaway string or number: its start is enough
        }
        String found = token.getType() == Token.EOF ? "end of file" : "'" + text + "'";
        // the token just before the offending one (after a failed prediction the stream is rewound, so not LT(-1))
        int i = token.getTokenIndex();
        Token previous = i > 0 ? parser.getInputStream().get(i - 1) : null;
        // a failed prediction (NoViableAlt) has no meaningful expected set at the failing token
        IntervalSet expected = e == null || e instanceof InputMismatchException ? parser.getExpectedTokens() : null;
        if (expected != null && expected.contains(keyword(parser.getVocabulary(), ";"))) {
            // a declaration may go on with a TLB's page walks, but ';' is what its writer forgot
            expected = expected.subtract(IntervalSet.of(keyword(parser.getVocabulary(), "walks")))
                    .subtract(IntervalSet.of(keyword(parser.getVocabulary(), "prefetches")));
        }
        if (expected == null || expected.isNil()) {
            String rule = ruleWord(parser.getContext());
            return new Diagnostic(at, "unexpected " + found + (previous == null ? "" : " after '"
                    + previous.getText() + "'") + (rule == null ? "" : " in " + rule));
        }
        if (expected.size() == 1 && expected.contains(keyword(parser.getVocabulary(), ";")) && previous != null
                && previous.getLine() < token.getLine()) {
            // a forgotten ';' is found only on the next line; point at the end of the statement instead
            SourcePos after = new SourcePos(file, previous.getLine(),
                    previous.getCharPositionInLine() + previous.getText().length() + 1);
            return new Diagnostic(after, "missing ';' after '" + previous.getText() + "'");
        }
        return new Diagnostic(at, "found " + found + " where " + expectation(expected, parser.getVocabulary())
                + " was expected" + keywordHint(token, expected, parser.getVocabulary()));
    }

    /** "a statement or '}'", "an expression", "a declaration", or the tokens themselves. */
    private static String expectation(IntervalSet expected, Vocabulary v) {
        if (expected.contains(MmxParser.ID) && expected.contains(keyword(v, "if"))
                && expected.contains(keyword(v, "while"))) {
            return "a statement" + (expected.contains(keyword(v, "}")) ? " or '}'" : "");
        }
        if (expected.contains(keyword(v, "thread")) && expected.contains(keyword(v, "param"))) {
            return "a declaration (param, const, enum, shared, ghost, a lock, proc, thread, invariant, exists, "
                    + "expect)" + (expected.contains(Token.EOF) ? " or the end of the file" : "");
        }
        if (expected.contains(MmxParser.ID) && expected.contains(MmxParser.INT)
                && expected.contains(keyword(v, "("))) {
            return "an expression";
        }
        List<String> names = new ArrayList<>();
        for (int t : expected.toList()) {
            names.add(tokenWord(v, t));
        }
        if (names.size() == 1) {
            return names.get(0);
        }
        if (names.size() > MAX_LISTED) {
            return "one of " + String.join(", ", names.subList(0, MAX_LISTED)) + ", ...";
        }
        return "one of " + String.join(", ", names);
    }

    private static String tokenWord(Vocabulary v, int type) {
        return switch (type) {
            case Token.EOF -> "end of file";
            case MmxParser.ID -> "a name";
            case MmxParser.INT -> "a number";
            case MmxParser.STRING -> "a string";
            default -> v.getLiteralName(type) != null ? v.getLiteralName(type) : v.getSymbolicName(type);
        };
    }

    /** "; did you mean 'thread'?" when a mistyped word is close to a keyword that fits here. */
    private static String keywordHint(Token token, IntervalSet expected, Vocabulary v) {
        if (token.getType() != MmxParser.ID) {
            return "";
        }
        List<String> keywords = new ArrayList<>();
        for (int t : expected.toList()) {
            String lit = t > 0 ? v.getLiteralName(t) : null;
            if (lit != null && lit.length() > 2 && Character.isLetter(lit.charAt(1))) {
                keywords.add(lit.substring(1, lit.length() - 1));
            }
        }
        return Names.suggest(token.getText(), keywords);
    }

    private static int keyword(Vocabulary v, String word) {
        String quoted = "'" + word + "'";
        for (int t = 0; t <= v.getMaxTokenType(); t++) {
            if (quoted.equals(v.getLiteralName(t))) {
                return t;
            }
        }
        throw new IllegalStateException("no token " + quoted + " in the grammar");
    }

    private static String ruleWord(ParserRuleContext ctx) {
        if (ctx instanceof MmxParser.StmtContext) {
            return "a statement";
        }
        if (ctx instanceof MmxParser.ExprContext || ctx instanceof MmxParser.PrimaryContext) {
            return "an expression";
        }
        if (ctx instanceof MmxParser.DeclContext) {
            return "a declaration";
        }
        return null;
    }
}
