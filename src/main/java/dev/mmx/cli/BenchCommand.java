package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.TransitionSystem;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * mmx bench: the benchmark matrix of ../shared/bench/spin (the same models,
 * parameters and step granularity as the Promela files) run in one JVM, with
 * SPIN's measured figures beside mmx's when its RESULTS.tsv is at hand.
 * Times are medians of several runs; the first run of each row also warms
 * the JIT and is not counted when more than one is asked for.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure states, transitions, states/s, bytes per stored state, peak heap and the "
                + "partial-order reduction ratio on models/bench, beside SPIN's figures.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--quick", description = "Skip the large rows (the ones that take seconds).")
    boolean quick;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3",
            description = "Timed runs per row; the median is reported (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--spin", paramLabel = "TSV", defaultValue = "../shared/bench/spin/RESULTS.tsv",
            description = "SPIN's results to compare with (default: ${DEFAULT-VALUE}).")
    Path spin;

    @Option(names = "--models", paramLabel = "DIR", defaultValue = "models/bench",
            description = "Where philo.mmx, ptl_counter.mmx and mremap_pageout.mmx are (default: ${DEFAULT-VALUE}).")
    Path models;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One benchmark row: a model and its SPIN-style parameters ("N=13 ORDERED"). */
    record Row(String model, String params, boolean large) {}

    static final List<Row> ROWS = List.of(
            new Row("philo", "N=4", false), new Row("philo", "N=8", false),
            new Row("philo", "N=4 ORDERED", false), new Row("philo", "N=5 ORDERED", false),
            new Row("philo", "N=6 ORDERED", false), new Row("philo", "N=7 ORDERED", false),
            new Row("philo", "N=8 ORDERED", false), new Row("philo", "N=13 ORDERED", true),
            new Row("ptl_counter", "N=3 K=2", false), new Row("ptl_counter", "N=3 K=4", false),
            new Row("ptl_counter", "N=4 K=3", false), new Row("ptl_counter", "N=5 K=4", false),
            new Row("ptl_counter", "N=3 K=2 NOLOCK", false), new Row("ptl_counter", "N=6 K=4", true),
            new Row("mremap_pageout", "NCPU=1 NPAGE=1", false), new Row("mremap_pageout", "NCPU=1 NPAGE=1 FIX", false),
            new Row("mremap_pageout", "NCPU=2 NPAGE=2", false), new Row("mremap_pageout", "NCPU=2 NPAGE=2 FIX", false),
            new Row("mremap_pageout", "NCPU=3 NPAGE=4 FIX", true));

    /** What one configuration of one row measured. */
    record Measure(String verdict, long states, long transitions, double seconds, long storeBytes, long peakHeap) {
        double statesPerSecond() {
            return seconds <= 0 ? Double.NaN : states / seconds;
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (repeat < 1 || repeat > 20) {
            err.println("mmx bench: --repeat must be between 1 and 20");
            return Main.BAD_INPUT;
        }
        Map<String, Map<String, String[]>> spinRows = readSpin(err);
        int cores = Runtime.getRuntime().availableProcessors();
        out.println("| model | params | verdict | states (mmx = SPIN?) | transitions | mmx states/s | SPIN states/s "
                + "| ratio | mmx B/state | SPIN COLLAPSE B/state | mmx POR states | SPIN POR states | mmx POR ratio "
                + "| parallel x" + cores + " speedup |");
        out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : ROWS) {
            if (quick && row.large()) {
                continue;
            }
            Map<String, String> defines = defines(row.params());
            Pipeline.Loaded loaded = Pipeline.load(models.resolve(row.model() + ".mmx"), defines);
            if (!loaded.ok()) {
                for (Diagnostic d : loaded.diagnostics()) {
                    err.println(d);
                }
                return Main.BAD_INPUT;
            }
            TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Bounds.DEFAULT);
            err.println("mmx bench: " + row.model() + " " + row.params());
            // SPIN's NOREDUCE and POR runs are depth-first and stop at the first error: so do these
            Measure plain = timed(ts, Options.defaults().withSearch(Options.Search.DFS).withPor(false));
            Measure reduced = once(ts, Options.defaults().withSearch(Options.Search.DFS).withPor(true));
            String speedup = "";
            if (row.large()) {
                Measure bfs = timed(ts, Options.defaults().withPor(false));
                Measure par = timed(ts, Options.defaults().withSearch(Options.Search.PARALLEL).withPor(false)
                        .withWorkers(cores));
                speedup = String.format(Locale.ROOT, "%.2f", bfs.seconds() / par.seconds());
            }
            Map<String, String[]> spinRow = spinRows.getOrDefault(row.model() + " " + row.params(), Map.of());
            String[] noReduce = spinRow.get("NOREDUCE");
            String[] collapse = spinRow.get("COLLAPSE");
            String[] por = spinRow.get("POR");
            String spinStates = noReduce == null ? "" : noReduce[4];
            String same = noReduce == null ? "" : Long.toString(plain.states()).equals(spinStates) ? " (=)"
                    : " (SPIN " + spinStates + ")";
            double spinRate = noReduce == null ? Double.NaN : parse(noReduce[8]);
            out.printf(Locale.ROOT, "| %s | %s | %s | %d%s | %d | %s | %s | %s | %.1f | %s | %d | %s | %.2f | %s |%n",
                    row.model(), row.params(), plain.verdict(), plain.states(), same, plain.transitions(),
                    rate(plain.statesPerSecond()), rate(spinRate), ratio(plain.statesPerSecond(), spinRate),
                    (double) plain.storeBytes() / plain.states(), collapse == null ? "" : collapse[9],
                    reduced.states(), por == null ? "" : por[4], (double) plain.states() / reduced.states(), speedup);
            out.flush();
        }
        out.println();
        out.println("states/s: median of " + repeat + " runs after a warm-up, depth-first without reduction, "
                + "as SPIN's NOREDUCE; B/state: bytes of the visited set per stored state (table, offsets and "
                + "packed states); violating rows stop at the first error, so their counts depend on search order.");
        return Main.PASS;
    }

    private Measure timed(TransitionSystem ts, Options opts) {
        List<Measure> runs = new ArrayList<>();
        Measure warm = once(ts, opts);
        if (repeat == 1) {
            return warm;
        }
        for (int i = 0; i < repeat; i++) {
            runs.add(once(ts, opts));
        }
        double[] secs = runs.stream().mapToDouble(Measure::seconds).sorted().toArray();
        Measure m = runs.get(0);
        return new Measure(m.verdict(), m.states(), m.transitions(), secs[secs.length / 2], m.storeBytes(),
                runs.stream().mapToLong(Measure::peakHeap).max().orElse(0));
    }

    private static Measure once(TransitionSystem ts, Options opts) {
        System.gc();
        Result r = Explorer.explore(ts, opts);
        String verdict = r.violation() == null ? r.verdict().word() : r.violation().property();
        return new Measure(verdict, r.stats().states(), r.stats().transitions(), r.stats().seconds(),
                r.stats().storeBytes(), r.stats().peakHeapBytes());
    }

    /** "N=13 ORDERED" to -D N=13 -D ORDERED=1, as spin -DN=13 -DORDERED. */
    static Map<String, String> defines(String params) {
        Map<String, String> d = new LinkedHashMap<>();
        for (String p : params.split(" ")) {
            int eq = p.indexOf('=');
            d.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "1" : p.substring(eq + 1));
        }
        return d;
    }

    private Map<String, Map<String, String[]>> readSpin(PrintWriter err) {
        Map<String, Map<String, String[]>> rows = new HashMap<>();
        if (!Files.exists(spin)) {
            err.println("mmx bench: " + spin + " not found; SPIN's columns stay empty");
            return rows;
        }
        try {
            for (String line : Files.readAllLines(spin)) {
                String[] f = line.split("\t");
                if (f.length < 10 || f[0].equals("model")) {
                    continue;
                }
                rows.computeIfAbsent(f[0] + " " + f[1], k -> new HashMap<>()).put(f[2], Arrays.copyOf(f, f.length));
            }
        } catch (IOException e) {
            err.println("mmx bench: cannot read " + spin + ": " + e.getMessage());
        }
        return rows;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String rate(double perSecond) {
        return Double.isNaN(perSecond) || Double.isInfinite(perSecond) ? "" : String.format(Locale.ROOT, "%,.0f",
                perSecond);
    }

    private static String ratio(double mine, double theirs) {
        return Double.isNaN(mine) || Double.isNaN(theirs) || theirs == 0 ? "" : String.format(Locale.ROOT, "%.2f",
                mine / theirs);
    }
}
