package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import dev.mmx.advise.Checker;
import dev.mmx.explore.Options;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Model;
import dev.mmx.lang.ModelParser;
import dev.mmx.lang.SourceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What mmx explain and mmx fences share: the model file read and checked by
 * the front end (a bad file is reported with its positions and exit 2), and a
 * {@link Checker} that runs the whole pipeline on a (patched) text with the
 * command line's parameters and default bounds.
 */
public record AdviceInput(String name, String text, Model model, Checker checker) {

    /** The loaded input, or null after printing why there is none. */
    static AdviceInput load(Path file, Map<String, String> defines, PrintWriter err) {
        Pipeline.Loaded loaded = Pipeline.load(file, defines);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.diagnostics()) {
                err.println(d);
            }
            return null;
        }
        String name = Pipeline.display(file);
        SourceFile.Result source;
        try {
            source = SourceFile.read(file, name);
        } catch (IOException e) {
            err.println(name + ": cannot read the file: " + e.getMessage());
            return null;
        }
        Model model = ModelParser.parse(name, source.text()).model();
        return new AdviceInput(name, source.text(), model, checker(name, defines));
    }

    /** The pipeline the command line uses: parse, resolve, compile, explore with partial-order reduction. */
    public static Checker checker(String name, Map<String, String> defines) {
        return (text, mm) -> {
            Pipeline.Loaded l = Pipeline.loadText(name, text, defines);
            if (!l.ok()) {
                return new Checker.Outcome(null, null, null, 0, l.diagnostics(), null);
            }
            Runs.Outcome o = Runs.check(l.program(), mm, Bounds.DEFAULT, Options.defaults().withPor(true),
                    name);
            return new Checker.Outcome(o.result().verdict(), o.trace(), l.program(), o.result().stats().states(),
                    List.of(), o.result().incompleteReason());
        };
    }
}
