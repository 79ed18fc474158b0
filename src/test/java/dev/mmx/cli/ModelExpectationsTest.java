package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model in models/ (the regression suite) and every test fixture meets the
 * expectations it states, as 'mmx test' would check them. The models are listed
 * when the test runs, so a model added later is picked up without editing this class.
 */
class ModelExpectationsTest {

    static Stream<Path> models() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir : List.of(Path.of("models"), Fixtures.MODELS)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".mmx")).sorted().forEach(all::add);
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void everyStatedExpectationHolds(Path model) {
        Pipeline.Loaded loaded = Pipeline.load(model, Map.of());
        assertTrue(loaded.ok(), () -> "the model does not compile: " + loaded.diagnostics());

        List<TestCommand.Row> rows = TestCommand.run(model, loaded.resolved(), null);

        assertFalse(rows.isEmpty(), "the model states no expectation");
        for (TestCommand.Row r : rows) {
            assertEquals(r.expected(), r.got(), () -> r.variant() + " under " + r.memoryModel());
        }
    }
}
