package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.cli.Runs;
import dev.mmx.explore.Options;
import java.nio.file.Path;
import java.util.Map;

/** Counterexample traces of test models, built the way {@code mmx check} builds them. */
public final class Fixtures {
    private Fixtures() {}

    public static Path model(String name) {
        return Path.of("src/test/resources/models", name);
    }

    public static Trace trace(Path model, String mm) {
        Pipeline.Loaded loaded = Pipeline.load(model, Map.of());
        assertTrue(loaded.ok(), () -> "the fixture does not compile: " + loaded.diagnostics());
        Runs.Outcome o = Runs.check(loaded.program(), mm, 4, Options.defaults(), model.toString());
        assertEquals(true, o.trace() != null, model + " under " + mm + " should fail");
        return o.trace();
    }
}
