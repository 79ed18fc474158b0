package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.ModelVariants;
import dev.mmx.cli.Pipeline;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Partial-order reduction must never change a verdict: every model (and every
 * variant its expectations name), under every memory model, with BFS and DFS,
 * is checked with and without reduction, and so are hundreds of random models.
 * A disagreement prints the seed or the model and the two answers.
 */
class PorDifferentialTest {
    private static final List<String> MEMORY_MODELS = List.of("sc", "tso", "arm");

    /** The verdict and, for a violation, which property: what reduction must keep. */
    private static String answer(Program p, String mm, Options.Search search, boolean por) {
        TransitionSystem ts = Pipeline.system(p, mm, Pipeline.Bounds.DEFAULT);
        Result r = Explorer.explore(ts, Options.defaults().withSearch(search).withPor(por)
                .withMaxStates(400_000));
        return r.verdict() + (r.violation() == null ? "" : " " + r.violation().property());
    }

    @Test
    void reductionKeepsEveryModelsVerdict() {
        int runs = 0;
        List<String> differ = new ArrayList<>();
        for (ModelVariants.Variant v : ModelVariants.all()) {
            Program p = Pipeline.load(v.model(), v.params()).program();
            for (String mm : MEMORY_MODELS) {
                for (Options.Search search : Options.Search.values()) {
                    String full = answer(p, mm, search, false);
                    String reduced = answer(p, mm, search, true);
                    runs++;
                    if (!full.equals(reduced)) {
                        differ.add(v + " " + mm + " " + search + ": " + full + " vs " + reduced);
                    }
                }
            }
        }
        System.out.println("por differential: " + runs + " model runs, " + differ.size() + " differ");
        assertEquals(List.of(), differ);
    }

    /**
     * The ignoring problem: the spinning thread's steps are independent of the
     * writer's and invisible, so a reduction without a cycle proviso would go
     * round the spinner's loop forever and never let the writer break the invariant.
     */
    @Test
    void theCycleProvisoKeepsASpinningThreadFromHidingAViolation() {
        String text = "shared int x = 0;\n"
                + "thread spin {\n    int s = 0;\n    while (true) {\n        s = 1 - s;\n    }\n}\n"
                + "thread writer {\n    WRITE_ONCE(x, 1);\n}\n"
                + "invariant x_stays_0: x == 0;\n";
        Pipeline.Loaded loaded = Pipeline.loadText("ignoring.mmx", text, Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Pipeline.Bounds.DEFAULT);
        for (Options.Search search : Options.Search.values()) {
            Result r = Explorer.explore(ts, Options.defaults().withSearch(search).withPor(true));
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), search.toString());
            assertEquals("x_stays_0", r.violation().property(), search.toString());
        }
    }

    @Test
    void reductionKeepsRandomModelsVerdicts() {
        int cases = 300;
        int reducedSomething = 0;
        List<String> differ = new ArrayList<>();
        for (long seed = 1; seed <= cases; seed++) {
            String text = RandomModels.generate(seed);
            Pipeline.Loaded loaded = Pipeline.loadText("random-" + seed + ".mmx", text, Map.of());
            assertTrue(loaded.ok(), "seed " + seed + ": " + loaded.diagnostics() + "\n" + text);
            for (Options.Search search : Options.Search.values()) {
                TransitionSystem plain = Pipeline.system(loaded.program(), "sc", Pipeline.Bounds.DEFAULT);
                Result full = Explorer.explore(plain, Options.defaults().withSearch(search).withPor(false));
                Result reduced = Explorer.explore(plain, Options.defaults().withSearch(search).withPor(true));
                String a = full.verdict() + (full.violation() == null ? "" : " " + full.violation().property());
                String b = reduced.verdict() + (reduced.violation() == null ? "" : " " + reduced.violation().property());
                if (!a.equals(b)) {
                    differ.add("seed " + seed + " " + search + ": " + a + " without reduction, " + b + " with\n" + text);
                }
                if (full.verdict() == Result.Verdict.PASS && reduced.stats().states() < full.stats().states()) {
                    reducedSomething++;
                }
            }
        }
        System.out.println("por random differential: " + cases + " models x " + Options.Search.values().length
                + " searches, " + differ.size()
                + " differ, " + reducedSomething + " passing runs reduced");
        assertEquals(List.of(), differ);
        assertTrue(reducedSomething > 0, "reduction never reduced anything: the test would prove nothing");
    }
}
