package dev.mmx.lang;

import dev.mmx.lang.antlr.MmxLexer;
import dev.mmx.lang.antlr.MmxParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;

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
}
