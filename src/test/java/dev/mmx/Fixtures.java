package dev.mmx;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mmx.compile.Compiler;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.ModelParser;
import dev.mmx.memory.Machine;
import dev.mmx.resolve.Resolver;
import dev.mmx.system.Program;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The small models under src/test/resources/models, and the front end run on
 * them stage by stage (no CLI), so each stage's tests can start from text.
 */
public final class Fixtures {
    /** Read from the source tree, so golden files refreshed by a test land where they are reviewed. */
    public static final Path MODELS = Path.of("src", "test", "resources", "models");

    private Fixtures() {}

    public static Path model(String name) {
        return MODELS.resolve(name + ".mmx");
    }

    public static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The diagnostics of the first front-end stage that reports any; empty when the model compiles. */
    public static List<Diagnostic> diagnostics(String file, String text, Map<String, String> defines) {
        ModelParser.Result parsed = ModelParser.parse(file, text);
        if (!parsed.ok()) {
            return parsed.diagnostics();
        }
        Resolver.Result resolved = Resolver.resolve(parsed.model(), defines, MemoryModels.names());
        if (!resolved.ok()) {
            return resolved.diagnostics();
        }
        return Compiler.compile(resolved.resolved()).diagnostics();
    }

    /** Compiles model text; a diagnostic fails the test, since the test meant a good model. */
    public static Program compile(String file, String text, Map<String, String> defines) {
        ModelParser.Result parsed = ModelParser.parse(file, text);
        if (!parsed.ok()) {
            fail("fixture does not parse: " + parsed.diagnostics());
        }
        Resolver.Result resolved = Resolver.resolve(parsed.model(), defines, MemoryModels.names());
        if (!resolved.ok()) {
            fail("fixture does not resolve: " + resolved.diagnostics());
        }
        Compiler.Result compiled = Compiler.compile(resolved.resolved());
        if (!compiled.ok()) {
            fail("fixture does not compile: " + compiled.diagnostics());
        }
        return compiled.program();
    }

    public static Program program(String name, Map<String, String> defines) {
        Path file = model(name);
        return compile(file.toString(), text(file), defines);
    }

    public static Program program(String name) {
        return program(name, Map.of());
    }

    /** Explores a program under sc or tso (store buffers of 4, as the CLI's default) in one search order. */
    public static Result explore(Program p, String memoryModel, Options.Search search) {
        return Explorer.explore(new Machine(p, memoryModel, 4), Options.defaults().withSearch(search).withPor(false));
    }
}
