package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceBuilder;
import java.util.List;

/** One check of a compiled program under one memory model, with its trace when it fails. */
public final class Runs {
    private Runs() {}

    public record Outcome(Result result, Trace trace) {}

    public static Outcome check(Program p, String mm, int storeBuffer, Options opts, String modelName) {
        return check(p, mm, new Bounds(storeBuffer, Bounds.DEFAULT.armWindow()), opts, modelName);
    }

    public static Outcome check(Program p, String mm, Bounds bounds, Options opts, String modelName) {
        TransitionSystem ts = Pipeline.system(p, mm, bounds);
        if (ts == null) {
            throw new IllegalArgumentException("memory model " + mm + " is not available");
        }
        Result r = Explorer.explore(ts, opts); // a pass with a memory-model bound hit comes back incomplete
        Trace trace = null;
        if (r.violation() != null) {
            List<String> threads = p.threads().stream().map(Program.ThreadCode::name).toList();
            trace = TraceBuilder.build(ts, r.path(), r.violation(), modelName, mm, p.params(), threads);
        }
        return new Outcome(r, trace);
    }
}
