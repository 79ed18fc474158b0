package dev.mmx.cli;

import dev.mmx.memory.MemoryModels;
import dev.mmx.memory.Bounds;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lockdep.LockOrder;
import dev.mmx.lockdep.Lockdep;
import dev.mmx.system.TransitionSystem;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.OutputFile;
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

    @Option(names = "--mm", defaultValue = "sc", paramLabel = "MODEL", completionCandidates = ModelNames.class,
            description = "Memory model: ${COMPLETION-CANDIDATES} (lkmm: the Linux-kernel memory model, for models "
                    + "whose threads have no loops) (default: ${DEFAULT-VALUE}).")
    String mm;

    /** The memory models' names, from their registry, for --mm's help and shell completion. */
    public static final class ModelNames extends java.util.ArrayList<String> {
        public ModelNames() {
            super(MemoryModels.names());
        }
    }

    @Option(names = "--search", defaultValue = "bfs", paramLabel = "ORDER",
            description = "bfs (shortest counterexample), dfs, or parallel (bfs on every core, same answer as "
                    + "bfs) (default: ${DEFAULT-VALUE}).")
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

    @Option(names = "--max-states", paramLabel = "N", description = "Store at most N states; a run that needs more is incomplete.")
    long maxStates = Long.MAX_VALUE;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Stop, incomplete, after this long.")
    double timeLimit;

    @Option(names = "--max-memory", paramLabel = "MIB", description = "Stop, incomplete, when the heap exceeds "
            + "this many MiB (default: 85%% of the maximum heap).")
    long maxMemoryMib;

    @Option(names = "--workers", paramLabel = "N", description = "Threads for --search parallel (default: the "
            + "number of cores).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Option(names = "--fingerprint", description = "Keep 64-bit fingerprints of states instead of the states "
            + "(hash compaction: far less memory, depth-first, and a reported probability that a state was missed).")
    boolean fingerprint;

    @Option(names = "--por", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Partial-order reduction (default: on; it never changes a verdict, only the number of "
                    + "states visited). --no-por explores every interleaving.")
    boolean por;

    @Option(names = "--progress", description = "Report progress on stderr every few seconds (the default when "
            + "stderr is a terminal).")
    boolean progress;

    @Option(names = "--store-buffer", paramLabel = "N", defaultValue = "4",
            description = "tso: entries per store buffer (default: ${DEFAULT-VALUE}); a run that fills one is "
                    + "reported as incomplete rather than pass.")
    int storeBuffer;

    @Option(names = "--arm-window", paramLabel = "N", defaultValue = "32",
            description = "arm: instructions a CPU may have in flight (default: ${DEFAULT-VALUE}); a run that fills "
                    + "a window is reported as incomplete rather than pass.")
    int armWindow;

    @Option(names = "--lockdep", description = "Also check lock order as lockdep does: every 'held A, then took B' "
            + "in any reachable state is an ordering, and a cycle of orderings is reported as a potential deadlock "
            + "(exit 1) with the thread and line of each ordering, even when no explored interleaving deadlocks.")
    boolean lockdep;

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
            case "parallel" -> order = Options.Search.PARALLEL;
            default -> {
                err.println("mmx check: --search must be bfs, dfs or parallel, not '" + search + "'");
                return Main.BAD_INPUT;
            }
        }
        MemoryModels.Entry model = MemoryModels.find(mm);
        if (model == null) {
            err.println("mmx check: --mm must be " + MemoryModels.listed(MemoryModels.names()) + ", not '" + mm + "'");
            return Main.BAD_INPUT;
        }
        if (!model.explored()) {
            return LkmmCheck.run(new LkmmCheck.Request(file, defines, json, traceOut, html, maxStates, timeLimit),
                    out, err);
        }
        if (armWindow < 2 || armWindow > 200) {
            err.println("mmx check: --arm-window must be between 2 and 200");
            return Main.BAD_INPUT;
        }
        if (storeBuffer < 1 || storeBuffer > Bounds.MAX_STORE_BUFFER) {
            err.println("mmx check: --store-buffer must be between 1 and " + Bounds.MAX_STORE_BUFFER);
            return Main.BAD_INPUT;
        }
        Pipeline.Loaded loaded = Pipeline.load(file, defines);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.diagnostics()) {
                err.println(d);
            }
            return Main.BAD_INPUT;
        }
        if (maxStates < 1 || timeLimit < 0 || maxMemoryMib < 0 || workers < 1 || workers > 256) {
            err.println("mmx check: --max-states, --time-limit, --max-memory and --workers must be positive "
                    + "(--workers at most 256)");
            return Main.BAD_INPUT;
        }
        Options opts = Options.defaults().withSearch(order).withMaxStates(maxStates).withTimeLimit(timeLimit)
                .withPor(por).withWorkers(workers).withFingerprint(fingerprint);
        if (maxMemoryMib > 0) {
            opts = opts.withMaxMemory(maxMemoryMib << 20);
        }
        if (progress || System.console() != null) {
            opts = opts.withProgress(p -> {
                err.printf(Locale.ROOT, "mmx: %d states, %d transitions, depth %d, frontier %d, %.0f states/s, "
                        + "%d MiB heap%n", p.states(), p.transitions(), p.depth(), p.frontier(),
                        p.states() / Math.max(p.seconds(), 1e-9), p.heapBytes() >> 20);
                err.flush();
            });
        }
        String modelName = Pipeline.display(file);
        Interrupt interrupt = Interrupt.install(opts.stop());
        Runs.Outcome o;
        try {
            o = Runs.check(loaded.program(), mm, new Bounds(storeBuffer, armWindow), opts, modelName);
        } catch (OutOfMemoryError e) {
            // the memory limit is checked every few thousand states; a huge state can still outrun it
            err.println("incomplete: the heap ran out before the memory limit was noticed; give the JVM more heap "
                    + "(-Xmx) or lower --max-memory");
            interrupt.done();
            return Main.INCOMPLETE;
        }
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
        if (r.verdict() == Result.Verdict.INCOMPLETE && !json) {
            written = writePartial(r, modelName, loaded.program().params(), err);
        }
        if (json) {
            JsonObject summary = summary(r, modelName, loaded.program().params(), written);
            summary.addProperty("html", page == null ? null : Pipeline.display(page));
            out.println(JSON.toJson(summary));
        } else {
            printText(out, r, o.trace(), written);
            if (page != null) {
                out.println("view: " + Pipeline.display(page));
            }
            Result.Stats st = r.stats();
            err.printf(Locale.ROOT, "mmx: %.2f s, %d states/s, peak heap %d MiB%n", st.seconds(),
                    st.statesPerSecond(), st.peakHeapBytes() >> 20);
        }
        int code = exitCode(r);
        if (lockdep && !opts.stop().get()) {
            code = lockdep(loaded.program(), out, code);
        }
        out.flush();
        err.flush();
        boolean interrupted = interrupt.done();
        return interrupted ? Main.INTERRUPTED : code;
    }

    /**
     * The lock-order pass after the check: prints every cycle with both (all)
     * acquisition paths; a cycle makes the exit code 1, an incomplete pass over
     * a model that otherwise passed makes it 3.
     */
    private int lockdep(dev.mmx.system.Program p, PrintWriter out, int code) {
        TransitionSystem ts = Pipeline.system(p, mm, new Bounds(storeBuffer, armWindow));
        int limit = (int) Math.min(maxStates, Integer.MAX_VALUE);
        Lockdep.Result locks = Lockdep.run(ts, limit);
        for (LockOrder.Cycle c : locks.cycles()) {
            LockOrder.describe(c).forEach(out::println);
        }
        String coverage = locks.order().locks() + (locks.order().locks() == 1 ? " lock, " : " locks, ")
                + locks.order().edges() + (locks.order().edges() == 1 ? " ordering" : " orderings") + " in "
                + locks.states() + " states";
        if (!locks.cycles().isEmpty()) {
            out.println("lockdep: " + locks.cycles().size() + (locks.cycles().size() == 1 ? " cycle" : " cycles")
                    + " (" + coverage + ")");
            return Main.VIOLATION;
        }
        if (!locks.complete()) {
            out.println("lockdep: no cycle so far, but incomplete: " + locks.incomplete() + " (" + coverage + ")");
            return code == Main.PASS ? Main.INCOMPLETE : code;
        }
        out.println("lockdep: no lock-order cycle (" + coverage + ")");
        return code;
    }

    /** On an incomplete run, the statistics so far as JSON beside the traces, so the work is not lost. */
    private Path writePartial(Result r, String modelName, Map<String, Integer> params, PrintWriter err) {
        String base = Path.of(modelName).getFileName().toString().replaceFirst("\\.mmx$", "");
        StringBuilder name = new StringBuilder(base);
        params.forEach((k, v) -> name.append('-').append(k).append('=').append(v));
        Path p = traceOut != null
                ? traceOut.resolveSibling(traceOut.getFileName().toString().replaceFirst("(\\.json)?$", ".incomplete.json"))
                : Path.of("counterexamples", name + "-" + mm + ".incomplete.json");
        try {
            OutputFile.write(p, JSON.toJson(summary(r, modelName, params, null)) + "\n");
            return p;
        } catch (IOException e) {
            err.println("mmx check: cannot write the partial result: " + e.getMessage());
            return null;
        }
    }

    static int exitCode(Result r) {
        return switch (r.verdict()) {
            case PASS -> Main.PASS;
            case VIOLATION, DEADLOCK -> Main.VIOLATION;
            case INCOMPLETE -> Main.INCOMPLETE;
        };
    }

    /** The verdict on stdout; only counts, never timings, so two runs print the same bytes. */
    private void printText(PrintWriter out, Result r, Trace trace, Path written) {
        Result.Stats s = r.stats();
        if (r.boundNote() != null) {
            out.println(r.boundNote());
        }
        String counts = s.states() + " states, " + s.transitions() + " transitions, depth " + s.maxDepth();
        switch (r.verdict()) {
            case PASS -> out.println("pass: no violation in " + s.states() + " states (" + s.transitions()
                    + " transitions, depth " + s.maxDepth() + ")");
            case INCOMPLETE -> {
                out.println("incomplete: " + r.incompleteReason());
                out.println("  explored " + counts + "; no violation found so far, which proves nothing");
                if (written != null) {
                    out.println("partial result: " + Pipeline.display(written));
                }
            }
            default -> {
                out.println(CpuColumns.render(trace));
                out.println((r.verdict() == Result.Verdict.DEADLOCK ? "deadlock" : "violation: " + trace.property())
                        + " after " + trace.steps().size() + (trace.steps().size() == 1 ? " step (" : " steps (")
                        + counts + ")");
                if (written != null) {
                    out.println("trace: " + Pipeline.display(written));
                }
            }
        }
    }

    /** Nulls are written out so a script sees every field, set or not. */
    private static final Gson JSON = new GsonBuilder().serializeNulls().create();

    static JsonObject summary(Result r, String model, Map<String, Integer> params, Path trace) {
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
        o.addProperty("note", r.boundNote());
        return o;
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
