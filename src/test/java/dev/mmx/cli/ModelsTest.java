package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.explore.Options;
import dev.mmx.system.TransitionSystem;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

    /** Committed counterexamples that have a rendering beside them. */
    static Stream<Path> renderedCounterexamples() throws IOException {
        return Files.list(Path.of("counterexamples")).filter(p -> p.toString().endsWith(".json"))
                .filter(p -> Files.exists(txt(p))).sorted();
    }

    private static Path txt(Path json) {
        return json.resolveSibling(json.getFileName().toString().replaceFirst("\\.json$", ".txt"));
    }

    @ParameterizedTest
    @MethodSource("renderedCounterexamples")
    void committedCounterexampleStillReplaysAndMatchesItsRendering(Path json) throws Exception {
        // a model edit that moves a line or changes a step must come with regenerated traces
        Trace t = TraceJson.read(json);
        assertEquals(Files.readString(txt(json)), CpuColumns.render(t));
        Map<String, String> params = new LinkedHashMap<>();
        t.params().forEach((k, v) -> params.put(k, Integer.toString(v)));
        Pipeline.Loaded loaded = Pipeline.load(Path.of(t.model()), params);
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        TransitionSystem ts = Pipeline.system(loaded.program(), t.memoryModel(), Bounds.DEFAULT);
        ReplayCommand.Verdict v = ReplayCommand.replay(ts, t);
        assertTrue(v.valid(), v.message());
    }

    /** The README's mremap/pageout race, without the walk-completeness check so that it ends in the stale TLB entry. */
    private static Runs.Outcome mremap(String rmapLock, String mm, boolean por) {
        Path model = Path.of("models/mremap_pageout.mmx");
        Pipeline.Loaded loaded = Pipeline.load(model, Map.of("RMAP_LOCK", rmapLock, "WALK_CHECK", "0"));
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        return Runs.check(loaded.program(), mm, 4, Options.defaults().withPor(por), Pipeline.display(model));
    }

    @Test
    void mremapCounterexampleIsTheCommittedOne() throws IOException {
        // the committed trace is what `mmx check` gives by default, partial-order reduction on
        Runs.Outcome o = mremap("0", "sc", true);
        // 266: pageout's "if (mapcount == 0)" reads ghost state, so it is a step of its own; the same model
        // with that test written as "m = mapcount; if (m == 0)" gave 266 when such tests were still folded
        assertEquals(266, mremap("0", "sc", false).result().stats().states());
        String committed = Files.readString(
                Path.of("counterexamples/mremap_pageout-RMAP_LOCK=0-UNLOCK_EARLY=0-WALK_CHECK=0-MMU=0-sc.txt"));
        assertEquals(committed, CpuColumns.render(o.trace()));
    }

    @Test
    void mremapFixPassesInAFewHundredStates() {
        // state counts of the fixed variant; a change means the model's step granularity changed. The ghost
        // test "if (mapcount == 0)" is a step: written out as "m = mapcount; if (m == 0)" the model gave the
        // same 128 and 178 when such tests were still folded into the step before
        assertEquals(128, mremap("1", "sc", false).result().stats().states());
        assertEquals(178, mremap("1", "tso", false).result().stats().states());
    }
}
