package dev.mmx.cli;

import dev.mmx.memory.MemoryModels;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lockdep.Lockdep;
import dev.mmx.resolve.Resolved;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx test: checks every model's stated expectations and prints the model × variant × memory-model table. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run the expectations of every .mmx model in the given files and directories.%n"
                + "Exit codes: 0 all as expected, 1 some differ, 2 bad input.")
public final class TestCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Models, and directories searched recursively "
            + "for models.")
    List<Path> paths;

    @Option(names = "--mm", paramLabel = "MODEL", completionCandidates = CheckCommand.ModelNames.class,
            description = "Run only this memory model (${COMPLETION-CANDIDATES}), or all: "
            + "run every variant under every memory model, showing results without expectations too.")
    String mm;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The memory models --mm all runs: every one explored as a transition system. */
    static final List<String> AVAILABLE = MemoryModels.explored();

    /** The result word when the check passes but lockdep finds a cycle. */
    static final String LOCK_ORDER_CYCLE = "lock-order cycle";

    /** A bound on the lock-order pass, so a huge model's row ends; past it the row says incomplete. */
    private static final int LOCKDEP_STATES = 1_000_000;

    /** One cell of the table. */
    public record Row(String model, String variant, String memoryModel, String expected, String got, boolean ok) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mm != null && !mm.equals("all") && MemoryModels.find(mm) == null) {
            List<String> choices = new ArrayList<>(MemoryModels.names());
            choices.add("all");
            err.println("mmx test: --mm must be " + MemoryModels.listed(choices));
            return Main.BAD_INPUT;
        }
        java.util.Set<Path> found = new java.util.LinkedHashSet<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> s = Files.walk(path)) {
                    s.filter(p -> p.toString().endsWith(".mmx")).sorted().forEach(p -> found.add(p.normalize()));
                }
            } else if (Files.exists(path)) {
                found.add(path.normalize());
            } else {
                err.println("mmx test: " + path + ": no such file or directory");
                return Main.BAD_INPUT;
            }
        }
        List<Path> models = List.copyOf(found);
        List<Row> rows = new ArrayList<>();
        boolean bad = false;
        for (Path m : models) {
            Pipeline.Loaded base = Pipeline.load(m, Map.of());
            if (!base.ok()) {
                for (Diagnostic d : base.diagnostics()) {
                    err.println(d);
                }
                bad = true;
                continue;
            }
            rows.addAll(run(m, base.resolved(), mm));
        }
        out.print(table(rows));
        long failed = rows.stream().filter(r -> !r.ok()).count();
        long checked = rows.stream().filter(r -> !r.expected().isEmpty()).count();
        out.println();
        out.println(checked + (checked == 1 ? " expectation" : " expectations") + " checked in " + models.size()
                + (models.size() == 1 ? " model: " : " models: ") + (checked - failed)
                + " as expected, " + failed + " differ");
        out.flush();
        if (bad) {
            return Main.BAD_INPUT;
        }
        return failed == 0 ? Main.PASS : Main.VIOLATION;
    }

    /**
     * Runs one model's expectations (and, with --mm all, every memory model for every
     * variant); with --mm, a model without expectations runs with its default parameters.
     */
    public static List<Row> run(Path model, Resolved r, String only) {
        Map<Map<String, Integer>, Map<String, String>> plan = new LinkedHashMap<>();
        for (Resolved.Expectation e : r.expectations()) {
            Map<String, String> byMm = plan.computeIfAbsent(e.variant(), k -> new LinkedHashMap<>());
            for (String m : e.memoryModels()) {
                // "deadlock" and "lockorder" for one cell expect both: the deadlock and its lock-order cycle
                byMm.merge(m, expectedWord(e), (a, b) -> a.equals(b) ? a
                        : a.equals(LOCK_ORDER_CYCLE) ? b + " + " + a : a + " + " + b);
            }
        }
        if (plan.isEmpty() && only != null) {
            // a model that states no expectation still runs under the asked-for memory models, as it is
            plan.put(Map.of(), new LinkedHashMap<>());
        }
        List<Row> rows = new ArrayList<>();
        String name = Pipeline.display(model);
        for (Map.Entry<Map<String, Integer>, Map<String, String>> v : plan.entrySet()) {
            List<String> mms = new ArrayList<>();
            if ("all".equals(only)) {
                mms.addAll(AVAILABLE);
            } else if (only != null) {
                mms.add(only);
            } else {
                mms.addAll(v.getValue().keySet());
            }
            Map<String, String> overrides = new LinkedHashMap<>();
            v.getKey().forEach((k, x) -> overrides.put(k, Integer.toString(x)));
            String variant = overrides.isEmpty() ? "-" : String.join(",", overrides.entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).toList());
            Pipeline.Loaded loaded = Pipeline.load(model, overrides);
            for (String m : mms) {
                String expected = v.getValue().getOrDefault(m, "");
                if (m.equals("lkmm")) {
                    // the Linux-kernel memory model answers loop-free models only, so "all" leaves it out
                    String got = LkmmCheck.verdict(model, overrides);
                    rows.add(new Row(name, variant, m, expected, got, expected.isEmpty() || expected.equals(got)));
                    continue;
                }
                if (!AVAILABLE.contains(m)) {
                    rows.add(new Row(name, variant, m, expected, "unavailable", expected.isEmpty()));
                    continue;
                }
                if (!loaded.ok()) {
                    rows.add(new Row(name, variant, m, expected, "error: " + loaded.diagnostics().get(0), false));
                    continue;
                }
                Runs.Outcome o = Runs.check(loaded.program(), m, 4, Options.defaults(), name);
                String got = describe(o.result());
                if ((got.equals("pass") || got.equals("deadlock")) && lockCount(loaded.program()) >= 2) {
                    // lockdep is always on here: a latent lock-order cycle fails a model that otherwise passes,
                    // and a deadlock that comes from one says so
                    Lockdep.Result locks = Lockdep.run(Pipeline.system(loaded.program(), m, 4), LOCKDEP_STATES);
                    if (!locks.cycles().isEmpty()) {
                        got = got.equals("pass") ? LOCK_ORDER_CYCLE : got + " + " + LOCK_ORDER_CYCLE;
                    } else if (!locks.complete() && got.equals("pass")) {
                        got = "incomplete";
                    }
                }
                rows.add(new Row(name, variant, m, expected, got, expected.isEmpty() || expected.equals(got)));
            }
        }
        return rows;
    }

    /** How a table cell words an expectation; {@code lockorder} reads as the result it expects. */
    private static String expectedWord(Resolved.Expectation e) {
        return switch (e.outcome()) {
            case "violates" -> "violates " + e.property();
            case "lockorder" -> LOCK_ORDER_CYCLE;
            default -> e.outcome();
        };
    }

    /** A lock-order cycle needs two locks (taking a held lock again is double_lock). */
    private static long lockCount(dev.mmx.system.Program p) {
        return p.memory().stream().filter(c -> c.kind().lock()).count();
    }

    static String describe(Result r) {
        return switch (r.verdict()) {
            case PASS -> "pass";
            case DEADLOCK -> "deadlock";
            case VIOLATION -> "violates " + r.violation().property();
            case INCOMPLETE -> "incomplete";
        };
    }

    static String table(List<Row> rows) {
        int wm = "model".length();
        int wv = "variant".length();
        for (Row r : rows) {
            wm = Math.max(wm, r.model().length());
            wv = Math.max(wv, r.variant().length());
        }
        StringBuilder sb = new StringBuilder();
        String fmt = "%-" + wm + "s  %-" + wv + "s  %-4s  %-28s  %s%n";
        sb.append(String.format(fmt, "model", "variant", "mm", "result", "expected"));
        for (Row r : rows) {
            String mark = r.expected().isEmpty() ? "(no expectation)" : r.ok() ? "ok" : "DIFFERS: expected "
                    + r.expected();
            sb.append(String.format(fmt, r.model(), r.variant(), r.memoryModel(), r.got(), mark));
        }
        return sb.toString();
    }
}
