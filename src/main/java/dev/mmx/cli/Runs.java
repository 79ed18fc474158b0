package dev.mmx.cli;

import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.memory.Machine;
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
        TransitionSystem ts = Pipeline.system(p, mm, storeBuffer);
        if (ts == null) {
            throw new IllegalArgumentException("memory model " + mm + " is not available");
        }
        Result r = Explorer.explore(ts, opts);
        if (r.verdict() == Result.Verdict.PASS && ts instanceof Machine m && m.memoryModel().boundHit()) {
            r = new Result(Result.Verdict.INCOMPLETE, null, r.path(), r.stats(),
                    m.memoryModel().boundDescription(), null);
        }
        Trace trace = null;
        if (r.violation() != null) {
            List<String> threads = p.threads().stream().map(Program.ThreadCode::name).toList();
            trace = TraceBuilder.build(ts, r.path(), r.violation(), modelName, mm, p.params(), threads);
        }
        return new Outcome(r, trace);
    }
}
