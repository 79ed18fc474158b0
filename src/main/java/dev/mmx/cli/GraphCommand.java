package dev.mmx.cli;

import dev.mmx.explore.Options;
import dev.mmx.graph.LockGraph;
import dev.mmx.graph.StateGraph;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.TransitionSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx graph: the lock-order graph or a small state graph of a model, as DOT (or SVG through Graphviz). */
@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Write the lock-order graph (--locks) or a small reachable state graph (--states) of a "
                + "model as DOT; lock-order cycles and the counterexample path are drawn in red.%n"
                + "Exit codes: 0 written, 2 bad input, 3 the lock graph is incomplete (a limit or a memory-model bound reached).")
public final class GraphCommand implements Callable<Integer> {
    private static final int LOCK_STATES = 1_000_000;
    private static final int STATE_GRAPH_STATES = 100;
    /** How far the search for the counterexample to highlight may go. */
    private static final long PATH_SEARCH_STATES = 1_000_000;

    @Parameters(index = "0", paramLabel = "FILE.mmx", description = "The model.")
    Path file;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Kind kind;

    static final class Kind {
        @Option(names = "--locks", required = true, description = "The lock-order graph: A -> B when a thread "
                + "takes B while holding A, in any reachable state.")
        boolean locks;

        @Option(names = "--states", required = true, description = "The reachable states, breadth-first up to "
                + "--max-states, with the counterexample path.")
        boolean states;
    }

    @Option(names = "--mm", defaultValue = "sc", paramLabel = "MODEL", description = "Memory model, as for mmx check "
            + "(default: ${DEFAULT-VALUE}).")
    String mm;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "Set a model parameter.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--max-states", paramLabel = "N", description = "At most N states (default: "
            + LOCK_STATES + " for --locks, " + STATE_GRAPH_STATES + " for --states).")
    Integer maxStates;

    @Option(names = "--store-buffer", paramLabel = "N", defaultValue = "4",
            description = "tso: entries per store buffer (default: ${DEFAULT-VALUE}).")
    int storeBuffer;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write here instead of to stdout.")
    Path output;

    @Option(names = "--svg", description = "Render with Graphviz's dot and write SVG instead of DOT.")
    boolean svg;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        if (maxStates != null && maxStates < 1) {
            err.println("mmx graph: --max-states must be at least 1");
            return Main.BAD_INPUT;
        }
        Path dot = svg ? Graphviz.find() : null;
        if (svg && dot == null) {
            err.println("mmx graph: --svg needs Graphviz's dot on the PATH (Debian: apt-get install graphviz); "
                    + "without --svg mmx writes DOT");
            return Main.BAD_INPUT;
        }
        Pipeline.Loaded loaded = Pipeline.load(file, defines);
        if (!loaded.ok()) {
            for (Diagnostic d : loaded.diagnostics()) {
                err.println(d);
            }
            return Main.BAD_INPUT;
        }
        // whatever memory models the pipeline has, so a new one needs no change here
        TransitionSystem ts = Pipeline.system(loaded.program(), mm, storeBuffer);
        if (ts == null) {
            err.println("mmx graph: there is no memory model '" + mm + "'");
            return Main.BAD_INPUT;
        }
        List<String> summary = new ArrayList<>();
        String text;
        int code = Main.PASS;
        if (kind.locks) {
            LockGraph.Result g = LockGraph.build(ts, maxStates != null ? maxStates : LOCK_STATES);
            text = g.dot();
            summary.addAll(lockSummary(g));
            code = g.complete() ? Main.PASS : Main.INCOMPLETE;
        } else {
            Runs.Outcome o = Runs.check(loaded.program(), mm, storeBuffer,
                    Options.defaults().withMaxStates(PATH_SEARCH_STATES), Pipeline.display(file));
            int[] path = o.trace() != null ? o.result().path() : new int[0];
            StateGraph.Result g = StateGraph.build(ts, maxStates != null ? maxStates : STATE_GRAPH_STATES, path);
            text = g.dot();
            summary.add("state graph: " + g.states() + " states, " + g.edges() + " transitions"
                    + (g.truncated() ? " (stopped at --max-states; dashed states have more successors)" : ""));
            summary.add(o.trace() != null ? "counterexample in red: " + path.length + " steps to "
                    + o.trace().property() : "no counterexample: " + o.result().verdict().word());
        }
        return write(text, dot, summary, code);
    }

    static List<String> lockSummary(LockGraph.Result g) {
        List<String> out = new ArrayList<>();
        out.add("lock order: " + g.locks() + (g.locks() == 1 ? " lock, " : " locks, ") + g.edges()
                + (g.edges() == 1 ? " ordering" : " orderings") + " seen in " + g.states() + " states");
        for (List<String> c : g.cycles()) {
            out.add("cycle (possible deadlock): " + String.join(" -> ", c) + " -> " + c.get(0));
        }
        if (g.cycles().isEmpty()) {
            out.add("no cycle");
        }
        if (!g.complete()) {
            out.add("incomplete: " + g.incomplete() + ", so orderings in unexplored behaviour may be missing");
        }
        return out;
    }

    private int write(String text, Path dot, List<String> summary, int code) throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (dot != null) {
                text = Graphviz.svg(dot, text);
            }
            if (output == null) {
                out.print(text);
                out.flush();
                summary.forEach(err::println);
                return code;
            }
            Path dir = output.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Files.writeString(output, text);
        } catch (IOException e) {
            err.println("mmx graph: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        out.println("wrote " + Pipeline.display(output));
        summary.forEach(out::println);
        out.flush();
        return code;
    }
}
