package dev.mmx.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.system.TransitionSystem;
import java.nio.file.Path;
import java.util.Map;

/** Transition systems of model files, for the graph tests. */
final class Models {
    private Models() {}

    static TransitionSystem load(String file, String mm, Map<String, String> params) {
        Pipeline.Loaded loaded = Pipeline.load(Path.of(file), params);
        assertTrue(loaded.ok(), () -> file + " does not compile: " + loaded.diagnostics());
        return Pipeline.system(loaded.program(), mm, 4);
    }
}
