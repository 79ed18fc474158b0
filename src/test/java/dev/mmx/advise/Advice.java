package dev.mmx.advise;

import dev.mmx.cli.AdviceInput;
import dev.mmx.lang.Model;
import dev.mmx.lang.ModelParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The advise fixtures under src/test/resources/advise, and a checker that runs the real pipeline on them. */
final class Advice {
    static final Path DIR = Path.of("src", "test", "resources", "advise");
    static final Path MODELS = Path.of("models");

    private Advice() {}

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Model model(String name, String text) {
        return ModelParser.parse(name, text).model();
    }

    /** The pipeline the command line uses (its own checker, not a copy). */
    static Checker checker(String name, Map<String, String> params) {
        return AdviceInput.checker(name, params);
    }

    static FenceSearch.Report fences(Path file, String mm, Map<String, String> params, int maxChanges) {
        String name = file.toString();
        String text = text(file);
        return FenceSearch.search(name, text, model(name, text), mm, checker(name, params), maxChanges);
    }

    /** Each fix as "change; change" in the order printed. */
    static List<String> fixes(FenceSearch.Report r) {
        return r.fixes().stream()
                .map(f -> String.join("; ", f.changes().stream().map(Change::describe).toList())).toList();
    }
}
