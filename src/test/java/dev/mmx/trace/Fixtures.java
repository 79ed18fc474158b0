package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.cli.Runs;
import dev.mmx.explore.Options;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Counterexample traces of test models, built the way {@code mmx check} builds them. */
public final class Fixtures {
    private Fixtures() {}

    public static Path model(String name) {
        return Path.of("src/test/resources/models", name);
    }

    public static Trace trace(Path model, String mm) {
        return trace(model, mm, Map.of());
    }

    public static Trace trace(Path model, String mm, Map<String, String> params) {
        Pipeline.Loaded loaded = Pipeline.load(model, params);
        assertTrue(loaded.ok(), () -> "the fixture does not compile: " + loaded.diagnostics());
        Runs.Outcome o = Runs.check(loaded.program(), mm, 4, Options.defaults(), model.toString());
        assertEquals(true, o.trace() != null, model + " under " + mm + " should fail");
        return o.trace();
    }

    /**
     * Message passing where cpu0's second store is performed first, as an ARM
     * model reports it: cpu1 sees the flag but not the data. Written by hand,
     * since the trace only needs the note the ARM model puts on such a step.
     */
    public static Trace outOfOrder() {
        List<Trace.TraceStep> steps = List.of(
                new Trace.TraceStep(1, 0, "cpu0", 6, "WRITE_ONCE(flag, 1);",
                        List.of(new Trace.Effect("write", "flag", "1", "flag = 1")),
                        "out of order: performed before line 5"),
                new Trace.TraceStep(2, 1, "cpu1", 10, "r0 = READ_ONCE(flag);",
                        List.of(new Trace.Effect("read", "flag", "1", "reads flag = 1"),
                                new Trace.Effect("reg", "r0", "1", "r0 = 1")), ""),
                new Trace.TraceStep(3, 1, "cpu1", 11, "r1 = READ_ONCE(data);",
                        List.of(new Trace.Effect("read", "data", "0", "reads data = 0"),
                                new Trace.Effect("reg", "r1", "0", "r1 = 0")), ""),
                new Trace.TraceStep(4, 0, "cpu0", 5, "WRITE_ONCE(data, 1);",
                        List.of(new Trace.Effect("write", "data", "1", "data = 1")), ""));
        List<Map<String, Object>> states = List.of(
                state("0", "0", "0", "0"), state("0", "1", "0", "0"), state("0", "1", "1", "0"),
                state("0", "1", "1", "0"), state("1", "1", "1", "0"));
        return new Trace("mp.mmx", "arm", Map.of(), List.of("cpu0", "cpu1"), "exists",
                "a final state satisfies exists (cpu1.r0 == 1 && cpu1.r1 == 0)",
                List.of("cpu1.r0 = 1", "cpu1.r1 = 0"), steps, new int[] {0, 65536, 65536, 0},
                states.get(4), states);
    }

    private static Map<String, Object> state(String data, String flag, String r0, String r1) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("memory", map("data", data, "flag", flag));
        s.put("registers", map("cpu0", Map.of(), "cpu1", map("r0", r0, "r1", r1)));
        s.put("tlbs", map("cpu0", "empty", "cpu1", "empty"));
        return s;
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
