package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.memory.Machine;
import dev.mmx.system.Program;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceBuilder;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every counterexample either search finds, on every fixture and memory model,
 * rebuilds into a trace that survives a JSON round trip and replays to the same
 * property: the transition order is deterministic, as traces require.
 */
class CounterexampleReplayTest {

    static Stream<Arguments> runs() throws IOException {
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Fixtures.MODELS)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".mmx")).sorted().toList()) {
                String name = p.getFileName().toString().replace(".mmx", "");
                for (String mm : List.of("sc", "tso")) {
                    for (Options.Search search : Options.Search.values()) {
                        out.add(Arguments.of(name, mm, search));
                    }
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("runs")
    void counterexampleReplaysToTheSameProperty(String fixture, String mm, Options.Search search) throws Exception {
        Program p = Fixtures.program(fixture);
        Machine m = new Machine(p, mm, 4);
        Result r = Explorer.explore(m, Options.defaults().withSearch(search));
        if (r.violation() == null) {
            assertEquals(Result.Verdict.PASS, r.verdict());
            return;
        }
        List<String> threads = p.threads().stream().map(Program.ThreadCode::name).toList();
        Trace built = TraceBuilder.build(m, r.path(), r.violation(), fixture, mm, p.params(), threads);
        Trace t = TraceJson.parse(fixture, TraceJson.toJson(built));

        assertEquals(r.path().length, t.steps().size());
        assertEquals(r.violation().property(), t.property());
        ReplayCommand.Verdict v = ReplayCommand.replay(new Machine(Fixtures.program(fixture, Map.of()), mm, 4), t);
        assertTrue(v.valid(), v.message());
    }
}
