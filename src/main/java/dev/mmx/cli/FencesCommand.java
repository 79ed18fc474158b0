package dev.mmx.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.mmx.advise.Change;
import dev.mmx.advise.FenceSearch;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx fences: the smallest sets of barriers and acquire/release upgrades that make a model pass. */
@Command(name = "fences", mixinStandardHelpOptions = true,
        description = "Search the smallest sets of changes (smp_mb, smp_rmb, smp_wmb, smp_mb__before_atomic/"
                + "after_atomic, smp_load_acquire, smp_store_release) that make a model pass under a weak memory "
                + "model; print each as a unified diff, re-checked on the patched model.%n"
                + "Exit codes: 0 fixes found (or nothing to fix), 1 no fix within the limit (or the model fails "
                + "under sc), 2 bad input, 3 incomplete.")
public final class FencesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE.mmx", description = "The model to fix.")
    Path file;

    @Option(names = "--mm", defaultValue = "arm", paramLabel = "MODEL",
            description = "tso, arm, or all (both, one after the other) (default: ${DEFAULT-VALUE}).")
    String mm;

    @Option(names = "-D", paramLabel = "NAME=VALUE", description = "Set a model parameter.")
    Map<String, String> defines = new LinkedHashMap<>();

    @Option(names = "--max-changes", paramLabel = "N", defaultValue = "4",
            description = "Try sets of at most N changes (default: ${DEFAULT-VALUE}).")
    int maxChanges;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> models = switch (mm) {
            case "tso", "arm" -> List.of(mm);
            case "all" -> List.of("tso", "arm");
            default -> null;
        };
        if (models == null) {
            err.println("mmx fences: --mm must be tso, arm or all, not '" + mm + "'");
            return Main.BAD_INPUT;
        }
        if (maxChanges < 1 || maxChanges > 8) {
            err.println("mmx fences: --max-changes must be between 1 and 8");
            return Main.BAD_INPUT;
        }
        AdviceInput in = AdviceInput.load(file, defines, err);
        if (in == null) {
            return Main.BAD_INPUT;
        }
        List<FenceSearch.Report> reports = new ArrayList<>();
        for (String m : models) {
            reports.add(FenceSearch.search(in.name(), in.text(), in.model(), m, in.checker(), maxChanges));
        }
        if (json) {
            out.println(new GsonBuilder().serializeNulls().disableHtmlEscaping().create().toJson(
                    reports.size() == 1 ? json(reports.get(0)) : all(reports)));
        } else {
            for (FenceSearch.Report r : reports) {
                print(r, in.name(), out);
                err.printf(Locale.ROOT, "mmx: %s: %.2f s%n", r.memoryModel(), r.seconds());
            }
        }
        out.flush();
        return reports.stream().mapToInt(FencesCommand::exitCode).max().orElse(Main.PASS);
    }

    static int exitCode(FenceSearch.Report r) {
        return switch (r.answer()) {
            case FIXES, NOTHING_TO_FIX -> Main.PASS;
            case NO_FIX, FAILS_UNDER_SC -> Main.VIOLATION;
            case INCOMPLETE -> Main.INCOMPLETE;
        };
    }

    private static void print(FenceSearch.Report r, String name, PrintWriter out) {
        String checks = r.checks() + (r.checks() == 1 ? " check" : " checks");
        if (r.answer() != FenceSearch.Answer.FIXES) {
            out.println(name + " under " + r.memoryModel() + ": " + r.note() + " (" + checks + ")");
            return;
        }
        int n = r.fixes().size();
        out.println(name + " under " + r.memoryModel() + ": " + n + (n == 1 ? " minimal fix" : " minimal fixes")
                + " (" + checks + ")");
        for (int i = 0; i < n; i++) {
            FenceSearch.Fix f = r.fixes().get(i);
            int k = f.changes().size();
            out.println();
            out.println("fix " + (i + 1) + ": " + k + (k == 1 ? " change" : " changes") + ", cost " + f.cost()
                    + "; passes under " + r.memoryModel() + " in " + f.states() + " states");
            for (Change c : f.changes()) {
                out.println("  " + c.describe());
            }
            out.print(f.diff());
        }
    }

    private static JsonObject json(FenceSearch.Report r) {
        JsonObject o = new JsonObject();
        o.addProperty("memoryModel", r.memoryModel());
        o.addProperty("answer", r.answer().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        o.addProperty("note", r.note());
        JsonArray fixes = new JsonArray();
        for (FenceSearch.Fix f : r.fixes()) {
            JsonObject fo = new JsonObject();
            JsonArray changes = new JsonArray();
            for (Change c : f.changes()) {
                JsonObject co = new JsonObject();
                co.addProperty("primitive", c.kind().primitive());
                co.addProperty("thread", c.owner());
                co.addProperty("line", c.line());
                co.addProperty("text", c.describe());
                changes.add(co);
            }
            fo.add("changes", changes);
            fo.addProperty("cost", f.cost());
            fo.addProperty("diff", f.diff());
            fo.addProperty("states", f.states());
            fixes.add(fo);
        }
        o.add("fixes", fixes);
        o.addProperty("checks", r.checks());
        o.addProperty("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        return o;
    }

    private static JsonObject all(List<FenceSearch.Report> reports) {
        JsonObject o = new JsonObject();
        JsonArray each = new JsonArray();
        reports.forEach(r -> each.add(json(r)));
        o.add("results", each);
        return o;
    }
}
