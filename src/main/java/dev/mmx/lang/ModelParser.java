package dev.mmx.lang;

import dev.mmx.lang.antlr.MmxLexer;
import dev.mmx.lang.antlr.MmxParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;

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
}
