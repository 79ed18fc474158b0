package dev.mmx.reference;

import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.ModelVariants;
import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.RandomModels;
import dev.mmx.explore.Result;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.oracle.Behaviour;
import dev.mmx.system.TransitionSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The optimised pipeline under sc against the reference interpreter, on every
 * variant of every model, on models that use every construct, on the litmus
 * corpus and on a thousand seeded random models: the same final states
 * (shared, ghost and register values), the same violated properties, the same
 * deadlocks, and the explorer's verdict among the reference's violations.
 *
 * <p>The pipeline folds what the reference takes as steps of their own: the
 * branch of a condition over registers (and jumps), the clearing of its hidden
 * temporaries, and a load straight into the register it assigns. None of them
 * changes a shared, ghost or declared register's value, and properties read
 * nothing else, so the states only the reference stores are, projected on
 * those values (the pipeline's hidden temporaries and the reference's loaded
 * values are projected away), states both store. Final states and violated
 * invariants must therefore be equal, not merely included. The explorer
 * stops at the first violation in its breadth-first order, which the
 * reference's finer steps may order differently when a model has several; its
 * verdict must be one the reference finds, and pass exactly when there is none.
 */
class ReferenceDifferentialTest {
    private static final int MAX_STATES = 500_000;
    static final int RANDOM_MODELS = 1000;

    /** Counts for the log. */
    private int models;
    private long finals;
    private long referenceStates;
    private long pipelineStates;

    /** The differences between the reference and the pipeline on one model, as sentences (empty: they agree). */
    private List<String> compare(Pipeline.Loaded loaded) {
        Reference.Result ref = Reference.explore(loaded.resolved(), MAX_STATES);
        TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Bounds.DEFAULT);
        Behaviour pipe = Behaviour.of(loaded.program(), ts, MAX_STATES);
        Result verdict = Explorer.explore(ts, Options.defaults());
        List<String> differ = new ArrayList<>();
        Behaviour want = ref.behaviour();
        if (want.incomplete() != null || pipe.incomplete() != null) {
            differ.add("incomplete: reference " + want.incomplete() + ", pipeline " + pipe.incomplete());
            return differ;
        }
        models++;
        finals += want.finals().size();
        referenceStates += want.states();
        pipelineStates += pipe.states();
        if (!want.finals().equals(pipe.finals())) {
            Set<Map<String, String>> all = new HashSet<>(want.finals());
            all.addAll(pipe.finals());
            differ.add("final states: only the reference reaches " + Behaviour.describe(minus(want.finals(),
                    pipe.finals()), all, 3) + "; only the pipeline reaches " + Behaviour.describe(minus(pipe.finals(),
                    want.finals()), all, 3));
        }
        if (!want.safety().equals(pipe.safety())) {
            differ.add("violated: reference " + want.safety() + ", pipeline " + pipe.safety());
        }
        if (want.deadlock() != pipe.deadlock()) {
            differ.add("deadlock: reference " + want.deadlock() + ", pipeline " + pipe.deadlock());
        }
        if (!want.finalConditions().equals(pipe.finalConditions())) {
            differ.add("final conditions broken: reference " + want.finalConditions() + ", pipeline "
                    + pipe.finalConditions());
        }
        TreeSet<String> all = new TreeSet<>(want.safety());
        all.addAll(want.finalConditions());
        if (want.deadlock()) {
            all.add("deadlock");
        }
        String got = verdict.verdict() == Result.Verdict.PASS ? "pass" : verdict.violation().property();
        if (got.equals("pass") ? !all.isEmpty() : !all.contains(got)) {
            differ.add("verdict: the explorer says " + got + ", the reference finds " + (all.isEmpty() ? "none" : all)
                    + " (" + ref.verdict() + " first)");
        }
        return differ;
    }

    private static <T> List<T> minus(Set<T> a, Set<T> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    @Test
    void everyModelVariantAgreesWithTheReference() {
        long started = System.nanoTime();
        List<String> differ = new ArrayList<>();
        List<ModelVariants.Variant> variants = ModelVariants.everywhere();
        for (ModelVariants.Variant v : variants) {
            Pipeline.Loaded loaded = Pipeline.load(v.model(), v.params());
            compare(loaded).forEach(d -> differ.add(v + ": " + d));
        }
        long files = variants.stream().map(ModelVariants.Variant::model).distinct().count();
        System.out.printf("reference interpreter: %d models, %d variants, %d final states compared, %d reference "
                + "states, %d pipeline states, %d differ, %.1f s%n", files, models, finals, referenceStates, pipelineStates,
                differ.size(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), differ);
    }

    /** Hand-written models that use every construct of the language. */
    @Test
    void everyConstructAgreesWithTheReference() {
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < Constructs.MODELS.size(); i++) {
            String text = Constructs.MODELS.get(i);
            String name = "construct " + i;
            Pipeline.Loaded loaded = Pipeline.loadText("construct-" + i + ".mmx", text, Map.of());
            assertTrue(loaded.ok(), name + ": " + loaded.diagnostics() + "\n" + text);
            compare(loaded).forEach(d -> differ.add(name + ": " + d + "\n" + text));
        }
        System.out.printf("reference interpreter: %d construct models, %d differ%n", Constructs.MODELS.size(),
                differ.size());
        assertEquals(List.of(), differ);
    }

    /**
     * {@code g = xchg(&x, 1)}, {@code x = choose(0, 2)}, {@code ok = spin_trylock(&l)}
     * with a ghost or shared target: the primitive's result must reach the
     * target. The compiler frees (and clears) the hidden register holding the
     * result inside the primitive, before the write that reads it, so the
     * target gets 0: this model's forall fails in every final state.
     */
    @Test
    void aValuePrimitivesResultReachesAGhostOrSharedTarget() {
        Pipeline.Loaded loaded = Pipeline.loadText("value-into-ghost.mmx", Constructs.VALUE_INTO_GHOST_AND_SHARED,
                Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        // t0 is the only thread to take l, so its trylock succeeds in every execution
        assertEquals("pass", Reference.explore(loaded.resolved(), MAX_STATES).verdict());
        assertEquals(List.of(), compare(loaded));
    }

    /** The litmus corpus under sc: imported tests use addresses in registers, cmpxchg, trylocks, branches. */
    @Test
    void everyLitmusTestAgreesWithTheReference() throws IOException {
        long started = System.nanoTime();
        List<Path> tests;
        try (Stream<Path> s = Files.walk(Path.of("src", "test", "resources", "litmus"))) {
            tests = s.filter(p -> p.toString().endsWith(".litmus")).sorted().toList();
        }
        List<String> differ = new ArrayList<>();
        for (Path f : tests) {
            LitmusParser.Result parsed = LitmusParser.parse(f.getFileName().toString(),
                    Files.readString(f));
            assertTrue(parsed.ok(), f + ": " + parsed.diagnostics());
            Pipeline.Loaded loaded = Pipeline.compile(parsed.test().model(), Map.of());
            compare(loaded).forEach(d -> differ.add(f.getFileName() + ": " + d));
        }
        System.out.printf("reference interpreter: %d litmus tests under sc, %d differ, %.1f s%n", tests.size(),
                differ.size(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), differ);
    }

    @Test
    void randomModelsAgreeWithTheReference() {
        long started = System.nanoTime();
        List<String> differ = new ArrayList<>();
        for (long seed = 1; seed <= RANDOM_MODELS; seed++) {
            String text = RandomModels.generate(seed);
            Pipeline.Loaded loaded = Pipeline.loadText("random-" + seed + ".mmx", text, Map.of());
            assertTrue(loaded.ok(), "seed " + seed + ": " + loaded.diagnostics() + "\n" + text);
            List<String> d = compare(loaded);
            if (!d.isEmpty()) {
                differ.add("seed " + seed + ": " + String.join("; ", d) + "\n" + text);
            }
        }
        System.out.printf("reference interpreter: %d random models, %d final states compared, %d reference states, "
                + "%d pipeline states, %d differ, %.1f s%n", RANDOM_MODELS, finals, referenceStates, pipelineStates,
                differ.size(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), differ.stream().limit(5).toList(), differ.size() + " random models differ");
    }
}
