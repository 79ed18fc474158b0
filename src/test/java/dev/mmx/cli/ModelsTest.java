package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.explore.Options;
import dev.mmx.trace.CpuColumns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The example models in models/: their own expectations, and the committed mremap counterexample. */
class ModelsTest {
    static Stream<Path> models() throws IOException {
        return Files.list(Path.of("models")).filter(p -> p.toString().endsWith(".mmx")).sorted();
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyExpectationHolds(Path model) {
        Pipeline.Loaded loaded = Pipeline.load(model, Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        List<TestCommand.Row> rows = TestCommand.run(model, loaded.resolved(), null);
        assertTrue(rows.size() >= 2, "a model states at least a buggy and a fixed expectation");
        for (TestCommand.Row r : rows) {
            assertEquals(r.expected(), r.got(), r.model() + " " + r.variant() + " " + r.memoryModel());
        }
    }

    private static Runs.Outcome mremap(String rmapLock, String mm) {
        Path model = Path.of("models/mremap_pageout.mmx");
        Pipeline.Loaded loaded = Pipeline.load(model, Map.of("RMAP_LOCK", rmapLock));
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        return Runs.check(loaded.program(), mm, 4, Options.defaults(), Pipeline.display(model));
    }

    @Test
    void mremapCounterexampleIsTheCommittedOne() throws IOException {
        Runs.Outcome o = mremap("0", "sc");
        assertEquals(214, o.result().stats().states());
        String committed = Files.readString(Path.of("counterexamples/mremap_pageout-RMAP_LOCK=0-sc.txt"));
        assertEquals(committed, CpuColumns.render(o.trace()));
    }

    @Test
    void mremapFixPassesInAFewHundredStates() {
        // state counts of the fixed variant; a change means the model's step granularity changed
        assertEquals(92, mremap("1", "sc").result().stats().states());
        assertEquals(126, mremap("1", "tso").result().stats().states());
    }
}
