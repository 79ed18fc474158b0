package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** mmx replay: re-executes a saved trace against the model and says whether it still fails the same way. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Re-execute a trace against its model.%n"
                + "Exit codes: 0 still a valid counterexample, 1 no longer, 2 bad file.")
public final class ReplayCommand implements Callable<Integer> {
    @Parameters(arity = "1..2", paramLabel = "[MODEL.mmx] TRACE.json",
            description = "The trace, optionally preceded by the model (default: the model the trace names).")
    java.util.List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** What a replay found: still failing, or where it diverged. */
    public record Verdict(boolean valid, String message) {}

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path traceFile = files.get(files.size() - 1);
        Trace t;
        try {
            t = TraceJson.read(traceFile);
        } catch (TraceJson.BadTrace e) {
            err.println("mmx replay: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (t.memoryModel().equals("lkmm")) {
            err.println("mmx replay: " + Pipeline.display(traceFile) + " is one execution the Linux-kernel memory "
                    + "model allows, not an interleaving of steps, so there is nothing to re-execute; check the "
                    + "model again with mmx check --mm lkmm");
            return Main.BAD_INPUT;
        }
        Path model = files.size() == 2 ? files.get(0) : Path.of(t.model());
        Pipeline.Loaded plain = Pipeline.load(model, Map.of());
        if (plain.ok() && !plain.program().params().keySet().containsAll(t.params().keySet())) {
            err.println("mmx replay: " + Pipeline.display(traceFile) + " was recorded with params "
                    + t.params().keySet() + ", which " + Pipeline.display(model) + " does not declare; it is not a "
                    + "trace of this model (it names " + t.model() + ")");
            return Main.BAD_INPUT;
        }
        Map<String, String> params = new LinkedHashMap<>();
        t.params().forEach((k, v) -> params.put(k, Integer.toString(v)));
        Pipeline.Loaded loaded = Pipeline.load(model, params);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.diagnostics()) {
                err.println(d);
            }
            return Main.BAD_INPUT;
        }
        java.util.List<String> threads = loaded.program().threads().stream()
                .map(dev.mmx.system.Program.ThreadCode::name).toList();
        if (!threads.equals(t.threads())) {
            err.println("mmx replay: " + Pipeline.display(traceFile) + " was recorded for a model with threads "
                    + t.threads() + ", but " + Pipeline.display(model) + " has threads " + threads
                    + "; it is not a trace of this model");
            return Main.BAD_INPUT;
        }
        // the trace does not record check's --store-buffer; a larger bound only enables more steps and numbers
        // transitions the same way, so the largest bound check accepts replays a trace found under any of them
        TransitionSystem ts = Pipeline.system(loaded.program(), t.memoryModel(),
                new Bounds(Bounds.MAX_STORE_BUFFER, Bounds.DEFAULT.armWindow()));
        if (ts == null) {
            err.println("mmx replay: the trace is for memory model '" + t.memoryModel() + "', which mmx does not have");
            return Main.BAD_INPUT;
        }
        Verdict v = replay(ts, t);
        out.println(v.message());
        out.flush();
        return v.valid() ? Main.PASS : Main.VIOLATION;
    }

    public static Verdict replay(TransitionSystem ts, Trace t) {
        int[] s = ts.initial();
        int[] buf = new int[ts.maxTransitions()];
        for (int i = 0; i < t.transitions().length; i++) {
            Trace.TraceStep want = t.steps().get(i);
            int tr = t.transitions()[i];
            int n = ts.enabled(s, buf);
            boolean enabled = false;
            for (int k = 0; k < n; k++) {
                enabled |= buf[k] == tr;
            }
            String where = "step " + (i + 1) + " (" + want.actor() + (want.line() > 0 ? ", line " + want.line() : "")
                    + ": " + want.op() + ")";
            if (!enabled) {
                return new Verdict(false, "diverges at " + where + ": that step is not possible any more");
            }
            Step got = ts.describe(s, tr);
            if (got.line() != want.line() || !got.text().equals(want.op())) {
                return new Verdict(false, "diverges at " + where + ": the model now does " + got.actor()
                        + (got.line() > 0 ? ", line " + got.line() : "") + ": " + got.text());
            }
            s = ts.next(s, tr);
            if (s == null) {
                return new Verdict(false, "diverges at " + where + ": the execution is now discarded by an assume");
            }
        }
        Violation v = ts.check(s);
        if (v == null && ts.enabled(s, buf) == 0) {
            v = ts.checkTerminal(s);
        }
        if (v == null) {
            return new Verdict(false, "no longer a counterexample: after all " + t.steps().size()
                    + " steps no property is violated (the trace expected " + t.property() + ")");
        }
        if (!v.property().equals(t.property())) {
            return new Verdict(false, "no longer the same counterexample: the steps now violate " + v.property()
                    + ", not " + t.property());
        }
        return new Verdict(true, "still a valid counterexample: " + t.steps().size()
                + (t.steps().size() == 1 ? " step reproduces " : " steps reproduce ")
                + v.property() + " (" + v.message() + ")");
    }
}
