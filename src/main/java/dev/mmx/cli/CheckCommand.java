package dev.mmx.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx check: explore every reachable state of a model and report the first violation. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Explore every reachable state of a model under a memory model.%n"
                + "Exit codes: 0 pass, 1 violation or deadlock, 2 bad input, 3 incomplete.")
public final class CheckCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.mmx", description = "The model to check.")
    Path file;

    @Option(names = "--mm", defaultValue = "sc", paramLabel = "MODEL",
            description = "Memory model: sc or tso (default: ${DEFAULT-VALUE}).")
    String mm;

    @Option(names = "--search", defaultValue = "bfs", paramLabel = "ORDER",
            description = "bfs (shortest counterexample) or dfs (default: ${DEFAULT-VALUE}).")
    String search;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "Set a model parameter.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Option(names = "--trace-out", paramLabel = "FILE", description = "Where to write the counterexample "
            + "(default: counterexamples/MODEL[-PARAMS]-MM.json).")
    Path traceOut;

    @Option(names = "--html", description = "Also write the counterexample as an HTML page beside the JSON trace.")
    boolean html;

    @Option(names = "--max-states", paramLabel = "N", description = "Stop, incomplete, after N states.")
    long maxStates = Long.MAX_VALUE;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop, incomplete, after this long.")
    double timeLimit;

    @Option(names = "--store-buffer", paramLabel = "N", defaultValue = "4",
            description = "tso: entries per store buffer (default: ${DEFAULT-VALUE}); a run that fills one is "
                    + "reported as incomplete rather than pass.")
    int storeBuffer;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Options.Search order;
        switch (search) {
            case "bfs" -> order = Options.Search.BFS;
            case "dfs" -> order = Options.Search.DFS;
            default -> {
                err.println("mmx check: --search must be bfs or dfs, not '" + search + "'");
                return Main.BAD_INPUT;
            }
        }
        if (!List.of("sc", "tso").contains(mm)) {
            err.println("mmx check: --mm must be sc or tso" + (mm.equals("arm") ? " (arm is not available yet)"
                    : ", not '" + mm + "'"));
            return Main.BAD_INPUT;
        }
        if (storeBuffer < 1 || storeBuffer > 64) {
            err.println("mmx check: --store-buffer must be between 1 and 64");
            return Main.BAD_INPUT;
        }
        Pipeline.Loaded loaded = Pipeline.load(file, defines);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.diagnostics()) {
                err.println(d);
            }
            return Main.BAD_INPUT;
        }
        Options opts = Options.defaults().withSearch(order).withMaxStates(maxStates).withTimeLimit(timeLimit);
        String modelName = Pipeline.display(file);
        Runs.Outcome o = Runs.check(loaded.program(), mm, storeBuffer, opts, modelName);
        Result r = o.result();
        Path written = null;
        if (o.trace() != null) {
            try {
                written = traceOut != null ? traceOut : defaultTracePath(o.trace());
                TraceJson.write(o.trace(), written);
            } catch (IOException e) {
                err.println("mmx check: cannot write the trace: " + e.getMessage());
                written = null;
            }
        }
        Path page = null;
        if (html && written != null) {
            page = ShowCommand.htmlBeside(written);
            try {
                HtmlPage.write(o.trace(), page);
            } catch (IOException e) {
                err.println("mmx check: cannot write the HTML page: " + e.getMessage());
                page = null;
            }
        }
        if (json) {
            out.println(json(r, modelName, loaded.program().params(), written));
        } else {
            printText(out, r, o.trace(), written);
            if (page != null) {
                out.println("view: " + Pipeline.display(page));
            }
        }
        out.flush();
        return exitCode(r);
    }

    static int exitCode(Result r) {
        return switch (r.verdict()) {
            case PASS -> Main.PASS;
            case VIOLATION, DEADLOCK -> Main.VIOLATION;
            case INCOMPLETE -> Main.INCOMPLETE;
        };
    }

    private void printText(PrintWriter out, Result r, Trace trace, Path written) {
        Result.Stats s = r.stats();
        String counts = String.format(Locale.ROOT, "%d states, %d transitions, depth %d, %.2f s, %d states/s",
                s.states(), s.transitions(), s.maxDepth(), s.seconds(), s.statesPerSecond());
        switch (r.verdict()) {
            case PASS -> out.println("pass: no violation in " + s.states() + " states (" + s.transitions()
                    + String.format(Locale.ROOT, " transitions, depth %d, %.2f s, %d states/s)", s.maxDepth(),
                    s.seconds(), s.statesPerSecond()));
            case INCOMPLETE -> {
                out.println("incomplete: " + r.incompleteReason());
                out.println("  explored " + counts + "; no violation found so far, which proves nothing");
            }
            default -> {
                out.println(CpuColumns.render(trace));
                out.println((r.verdict() == Result.Verdict.DEADLOCK ? "deadlock" : "violation: " + trace.property())
                        + " after " + trace.steps().size() + " steps (" + counts + ")");
                if (written != null) {
                    out.println("trace: " + Pipeline.display(written));
                }
            }
        }
    }

    static String json(Result r, String model, Map<String, Integer> params, Path trace) {
        JsonObject o = new JsonObject();
        o.addProperty("model", model);
        o.add("params", new GsonBuilder().create().toJsonTree(params));
        o.addProperty("verdict", r.verdict().word());
        o.addProperty("property", r.violation() == null ? null : r.violation().property());
        o.addProperty("message", r.violation() != null ? r.violation().message() : r.incompleteReason());
        Result.Stats s = r.stats();
        o.addProperty("states", s.states());
        o.addProperty("transitions", s.transitions());
        o.addProperty("maxDepth", s.maxDepth());
        o.addProperty("seconds", Math.round(s.seconds() * 1000) / 1000.0);
        o.addProperty("statesPerSecond", s.statesPerSecond());
        o.addProperty("peakHeapBytes", s.peakHeapBytes());
        o.addProperty("storeBytes", s.storeBytes());
        o.addProperty("steps", r.violation() == null ? 0 : r.path().length);
        o.addProperty("trace", trace == null ? null : Pipeline.display(trace));
        return new GsonBuilder().serializeNulls().create().toJson(o);
    }

    /** counterexamples/NAME[-P=V...]-MM.json; never overwrites another model's trace. */
    static Path defaultTracePath(Trace t) {
        String base = Path.of(t.model()).getFileName().toString().replaceFirst("\\.mmx$", "");
        StringBuilder name = new StringBuilder(base);
        t.params().forEach((k, v) -> name.append('-').append(k).append('=').append(v));
        name.append('-').append(t.memoryModel());
        Path dir = Path.of("counterexamples");
        Path p = dir.resolve(name + ".json");
        if (Files.exists(p)) {
            try {
                Trace old = TraceJson.read(p);
                if (old.model().equals(t.model())) {
                    return p;
                }
            } catch (TraceJson.BadTrace e) {
                // an unreadable file under our name: keep it, write beside it
            }
            String tag = Integer.toHexString(t.model().hashCode() & 0xfffff);
            p = dir.resolve(name + "-" + tag + ".json");
        }
        return p;
    }
}
