package dev.mmx.explore;

import dev.mmx.memory.MemoryModels;
import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.ModelVariants;
import dev.mmx.cli.LitmusRun;
import dev.mmx.cli.Pipeline;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.oracle.Behaviour;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Partial-order reduction must never change an answer. Every model (and every
 * variant its expectations name) and hundreds of random models are checked
 * with and without reduction under sc, tso and arm: the verdict with BFS, DFS
 * and parallel BFS, and the set of final states (shared, ghost and register
 * values, and the deadlocked ends) whenever the search sees them all, that
 * is when no safety violation stops it. Every litmus test of the corpus is
 * answered with and without reduction, under sc and under its own
 * architecture's model. A model that can violate several properties may
 * stop at a different one with reduction; each must then still be found both
 * ways by a search that ignores the others. A disagreement prints the seed or
 * the model and the two answers. (Today only sc reduces; tso and arm run the same search both
 * ways, which keeps a future reduction there honest.)
 */
class PorDifferentialTest {
    private static final List<String> MEMORY_MODELS = MemoryModels.explored();
    private static final int RANDOM_SC = 300;
    private static final int RANDOM_WEAK = 100;
    private static final double SECONDS_PER_RUN = 60;

    /** The verdict and, for a violation, which property: what reduction must keep. */
    private static String answer(TransitionSystem ts, Options.Search search, boolean por) {
        Result r = Explorer.explore(ts, Options.defaults().withSearch(search).withPor(por).withMaxStates(400_000));
        return r.verdict() + (r.violation() == null ? "" : " " + r.violation().property());
    }

    /** What a breadth-first walk over every terminal state sees, with or without reduction. */
    private record Ends(String verdict, Set<Map<String, String>> finals, Set<Map<String, String>> deadlocks) {}

    private static Ends ends(TransitionSystem ts, boolean por) {
        Set<Map<String, String>> finals = new HashSet<>();
        Set<Map<String, String>> deadlocks = new HashSet<>();
        Result r = Explorer.finalStates(ts, Options.defaults().withPor(por).withMaxStates(400_000)
                .withTimeLimit(SECONDS_PER_RUN), s -> {
            Violation v = ts.checkTerminal(s);
            boolean stuck = v != null && v.property().equals(Violation.DEADLOCK);
            (stuck ? deadlocks : finals).add(Behaviour.project(ts.snapshot(s)));
        });
        return new Ends(r.verdict() + (r.violation() == null ? "" : " " + r.violation().property()), finals,
                deadlocks);
    }

    /** Counts for the log. */
    private int runs;
    private int comparedEnds;
    private long finalsCompared;
    private int reducedSomething;

    /** The differences reduction makes on one program under one memory model (empty: none). */
    private List<String> differences(Program p, String mm, boolean allSearches) {
        List<String> out = new ArrayList<>();
        TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
        for (Options.Search search : allSearches ? List.of(Options.Search.values()) : List.of(Options.Search.BFS)) {
            String full = answer(ts, search, false);
            String reduced = answer(ts, search, true);
            runs++;
            if (!full.equals(reduced) && !sameViolationsReachable(ts, search, full, reduced)) {
                out.add(mm + " " + search + ": " + full + " without reduction, " + reduced + " with");
            }
        }
        Ends full = ends(ts, false);
        Ends reduced = ends(ts, true);
        if (!full.verdict().equals(reduced.verdict())
                && !sameViolationsReachable(ts, Options.Search.BFS, full.verdict(), reduced.verdict())) {
            out.add(mm + " final-state walk: " + full.verdict() + " without reduction, " + reduced.verdict()
                    + " with");
        } else if (full.verdict().equals("PASS")) {
            comparedEnds++;
            finalsCompared += full.finals().size() + full.deadlocks().size();
            if (!full.finals().equals(reduced.finals())) {
                out.add(mm + ": reduction changes the final states: " + full.finals().size() + " without, "
                        + reduced.finals().size() + " with; lost "
                        + Behaviour.describe(minus(full.finals(), reduced.finals()), full.finals(), 3));
            }
            if (!full.deadlocks().equals(reduced.deadlocks())) {
                out.add(mm + ": reduction changes the deadlocked ends: " + full.deadlocks().size() + " without, "
                        + reduced.deadlocks().size() + " with");
            }
        }
        return out;
    }

    /**
     * A model that violates several properties may stop a search at a different
     * one with reduction than without (the reduced graph's shortest path to a
     * violation need not be the full graph's). That is no disagreement when
     * each of the two properties is still found, with and without reduction,
     * by a search that ignores every other violation.
     */
    private static boolean sameViolationsReachable(TransitionSystem ts, Options.Search search, String full,
            String reduced) {
        String v = Result.Verdict.VIOLATION + " ";
        if (!full.startsWith(v) || !reduced.startsWith(v)) {
            return false;
        }
        for (String property : List.of(full.substring(v.length()), reduced.substring(v.length()))) {
            TransitionSystem only = new OnlyViolation(ts, property);
            if (!answer(only, search, false).equals(v + property) || !answer(only, search, true).equals(v + property)) {
                return false;
            }
        }
        return true;
    }

    /** A system whose states violating any other property than one are dead ends, not violations. */
    private record OnlyViolation(TransitionSystem ts, String property) implements TransitionSystem {
        private boolean other(int[] s) {
            Violation v = ts.check(s);
            return v != null && !v.property().equals(property);
        }

        @Override
        public int[] initial() {
            return ts.initial();
        }

        @Override
        public int maxTransitions() {
            return ts.maxTransitions();
        }

        @Override
        public int enabled(int[] s, int[] out) {
            return other(s) ? 0 : ts.enabled(s, out);
        }

        @Override
        public int[] next(int[] s, int transition) {
            return ts.next(s, transition);
        }

        @Override
        public Violation check(int[] s) {
            return other(s) ? null : ts.check(s);
        }

        @Override
        public Violation checkTerminal(int[] s) {
            if (other(s)) {
                return null;
            }
            Violation v = ts.checkTerminal(s);
            return v == null || v.property().equals(property) ? v : null;
        }

        @Override
        public dev.mmx.system.Step describe(int[] s, int transition) {
            return ts.describe(s, transition);
        }

        @Override
        public dev.mmx.system.Snapshot snapshot(int[] s) {
            return ts.snapshot(s);
        }

        @Override
        public int ample(int[] s, int[] enabled, int count, int[] out) {
            return ts.ample(s, enabled, count, out);
        }

        @Override
        public String boundReached() {
            return ts.boundReached();
        }
    }

    private static List<Map<String, String>> minus(Set<Map<String, String>> a, Set<Map<String, String>> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }

    @Test
    void reductionKeepsEveryModelsVerdictAndFinalStates() {
        long started = System.nanoTime();
        List<String> differ = new ArrayList<>();
        for (ModelVariants.Variant v : ModelVariants.everywhere()) {
            Program p = Pipeline.load(v.model(), v.params()).program();
            for (String mm : MEMORY_MODELS) {
                differences(p, mm, true).forEach(d -> differ.add(v + " " + d));
            }
        }
        System.out.printf("por differential: %d model runs, final states compared in %d walks (%d final states), "
                + "%d differ, %.1f s%n", runs, comparedEnds, finalsCompared, differ.size(),
                (System.nanoTime() - started) / 1e9);
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
        TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Bounds.DEFAULT);
        for (Options.Search search : Options.Search.values()) {
            Result r = Explorer.explore(ts, Options.defaults().withSearch(search).withPor(true));
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), search.toString());
            assertEquals("x_stays_0", r.violation().property(), search.toString());
        }
    }

    /**
     * Random models under sc (where reduction acts; one in eight has a thread
     * spinning forever, for the cycle proviso), and a hundred loop-free ones
     * under tso and arm (a spinning CPU fills arm's window).
     */
    @Test
    void reductionKeepsRandomModelsVerdictsAndFinalStates() {
        long started = System.nanoTime();
        List<String> differ = new ArrayList<>();
        for (long seed = 1; seed <= RANDOM_SC; seed++) {
            check(seed, RandomModels.generate(seed), List.of("sc"), differ);
        }
        for (long seed = 1; seed <= RANDOM_WEAK; seed++) {
            check(seed, RandomModels.generateLoopFree(seed), List.of("tso", "arm"), differ);
        }
        System.out.printf("por random differential: %d models under sc, %d under tso and arm, %d runs, final states "
                + "compared in %d walks (%d final states), %d differ, %d passing runs reduced, %.1f s%n", RANDOM_SC,
                RANDOM_WEAK, runs, comparedEnds, finalsCompared, differ.size(), reducedSomething,
                (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), differ.stream().limit(5).toList(), differ.size() + " random models differ");
        assertTrue(reducedSomething > 0, "reduction never reduced anything: the test would prove nothing");
    }

    private void check(long seed, String text, List<String> mms, List<String> differ) {
        Pipeline.Loaded loaded = Pipeline.loadText("random-" + seed + ".mmx", text, Map.of());
        assertTrue(loaded.ok(), "seed " + seed + ": " + loaded.diagnostics() + "\n" + text);
        for (String mm : mms) {
            List<String> d;
            try {
                d = differences(loaded.program(), mm, mm.equals("sc"));
            } catch (RuntimeException e) {
                d = List.of(mm + " crashed: " + e);
            }
            if (!d.isEmpty()) {
                differ.add("seed " + seed + ": " + String.join("; ", d) + "\n" + text);
            }
        }
        if (mms.contains("sc")) {
            TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Bounds.DEFAULT);
            Result full = Explorer.explore(ts, Options.defaults().withPor(false));
            Result reduced = Explorer.explore(ts, Options.defaults().withPor(true));
            if (full.verdict() == Result.Verdict.PASS && reduced.stats().states() < full.stats().states()) {
                reducedSomething++;
            }
        }
    }

    /**
     * Every litmus test of the corpus gives the same answer (the herd7-style
     * report: states, Ok/No, witnesses, observation) with and without
     * reduction, under sc and under its architecture's model (C under tso and arm).
     */
    @Test
    void reductionKeepsEveryLitmusAnswer() throws IOException {
        long started = System.nanoTime();
        Path corpus = Path.of("src", "test", "resources", "litmus");
        List<Path> tests;
        try (Stream<Path> s = Files.walk(corpus)) {
            tests = s.filter(p -> p.toString().endsWith(".litmus")).sorted().toList();
        }
        List<String> differ = new ArrayList<>();
        int answers = 0;
        for (Path f : tests) {
            LitmusParser.Result parsed = LitmusParser.parse(f.getFileName().toString(), Files.readString(f));
            assertTrue(parsed.ok(), f + ": " + parsed.diagnostics());
            Pipeline.Loaded loaded = Pipeline.compile(parsed.test().model(), Map.of());
            assertTrue(loaded.ok(), f + ": " + loaded.diagnostics());
            String arch = parsed.test().arch();
            List<String> mms = arch.equals("C") ? List.of("sc", "tso", "arm") : List.of("sc",
                    parsed.test().defaultMemoryModel());
            for (String mm : mms) {
                TransitionSystem ts = Pipeline.system(loaded.program(), mm, LitmusRun.bounds(loaded.program()));
                String full = litmusAnswer(parsed.test(), loaded.program(), ts, false);
                String reduced = litmusAnswer(parsed.test(), loaded.program(), ts, true);
                answers++;
                if (!full.equals(reduced)) {
                    differ.add(f.getFileName() + " under " + mm + ":\n  without reduction: " + full
                            + "\n  with reduction:    " + reduced);
                }
            }
        }
        System.out.printf("por litmus differential: %d tests, %d answers with and without reduction, %d differ, "
                + "%.1f s%n", tests.size(), answers, differ.size(), (System.nanoTime() - started) / 1e9);
        assertEquals(List.of(), differ);
    }

    /** The report's lines but its time, or why there is no answer. */
    private static String litmusAnswer(dev.mmx.litmus.LitmusTest test, Program p, TransitionSystem ts, boolean por) {
        LitmusRun.Outcome o = LitmusRun.run(test, p, ts, Options.defaults().withPor(por));
        if (!o.answered()) {
            return "no answer: " + o.error();
        }
        return String.join(" | ", o.report().lines().stream().filter(l -> !l.startsWith("Time ")).toList());
    }
}
