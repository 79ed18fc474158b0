package dev.mmx.lang;

import dev.mmx.lang.antlr.MmxLexer;
import dev.mmx.lang.antlr.MmxParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.NoViableAltException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Front door of the language: .mmx text to an AST, or positioned syntax errors. */
public final class ModelParser {
    private ModelParser() {}

    /** The outcome of parsing: a model when there are no diagnostics. */
    public record Result(Model model, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    public static Result parse(String file, String text) {
        List<Diagnostic> errors = new ArrayList<>();
        MmxLexer lexer = new MmxLexer(CharStreams.fromString(text, file));
        SyntaxErrors listener = new SyntaxErrors(file, errors);
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        Diagnostic tooDeep = nesting(file, tokens);
        if (tooDeep != null) {
            errors.add(tooDeep);
        }
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        MmxParser parser = new MmxParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        MmxParser.ModelContext tree;
        try {
            tree = parser.model();
        } catch (StackOverflowError e) {
            errors.add(new Diagnostic(new SourcePos(file, 1, 1), "the model is nested too deeply to parse"));
            return new Result(null, errors);
        }
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        AstBuilder builder = new AstBuilder(file, text, errors);
        Model model;
        try {
            model = builder.build(tree);
        } catch (StackOverflowError e) {
            errors.add(new Diagnostic(new SourcePos(file, 1, 1), "the model is nested too deeply to parse"));
            return new Result(null, errors);
        }
        return errors.isEmpty() ? new Result(model, List.of()) : new Result(null, List.copyOf(errors));
    }

    /** No real model nests this deep; refusing early keeps the parser's error recovery fast. */
    static final int MAX_NESTING = 200;

    private static Diagnostic nesting(String file, CommonTokenStream tokens) {
        int depth = 0;
        for (Token t : tokens.getTokens()) {
            String text = t.getText();
            if (text.equals("(") || text.equals("[") || text.equals("{")) {
                if (++depth > MAX_NESTING) {
                    return new Diagnostic(new SourcePos(file, t.getLine(), t.getCharPositionInLine() + 1),
                            "brackets nest more than " + MAX_NESTING + " deep here; split the expression or block");
                }
            } else if (text.equals(")") || text.equals("]") || text.equals("}")) {
                depth = Math.max(0, depth - 1);
            }
        }
        return null;
    }

    /** Turns ANTLR's reports into sentences that say what was found and what was expected. */
    private static final class SyntaxErrors extends BaseErrorListener {
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
            String text = describe(recognizer, offending, msg, e);
            errors.add(new Diagnostic(new SourcePos(file, line, col + 1), text));
        }

        private static String describe(Recognizer<?, ?> recognizer, Object offending, String msg,
                                       RecognitionException e) {
            if (!(offending instanceof Token token)) {
                // lexer errors: "token recognition error at: '#'"
                int at = msg.indexOf("at: ");
                String what = at >= 0 ? msg.substring(at + 4) : msg;
                return "unexpected character " + what;
            }
            String text = token.getText();
            if (text.length() > 40) {
                text = text.substring(0, 37) + "...";
            }
            String found = token.getType() == Token.EOF ? "end of file" : "'" + text + "'";
            if (recognizer instanceof Parser parser) {
                IntervalSet expected = e instanceof NoViableAltException ? null : parser.getExpectedTokens();
                if (e instanceof InputMismatchException || e == null) {
                    expected = parser.getExpectedTokens();
                }
                if (expected != null && !expected.isNil()) {
                    String names = expected.toString(parser.getVocabulary());
                    return "found " + found + " where " + friendly(names) + " was expected";
                }
            }
            return "unexpected " + found;
        }

        private static String friendly(String names) {
            String s = names.startsWith("{") && names.endsWith("}") ? names.substring(1, names.length() - 1) : names;
            if (s.contains("INT") && s.contains("ID") && s.contains("'('")) {
                return "an expression";
            }
            s = s.replace("ID", "a name").replace("INT", "a number").replace("STRING", "a string")
                    .replace("<EOF>", "end of file");
            String[] parts = s.split(", ");
            if (parts.length > 6) {
                return "one of " + String.join(", ", java.util.Arrays.copyOf(parts, 6)) + ", ...";
            }
            return parts.length == 1 ? parts[0] : "one of " + s;
        }
    }
}
