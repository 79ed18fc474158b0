package dev.mmx.memory;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Whatever another thread can see or change is touched at a step of its own,
 * under every memory model: ghost and kit steps, tests of ghost state,
 * {@code skip} and {@code assert}; and nothing runs in the initial state.
 */
class InterleavingPointsTest {
    private static final List<String> MODELS = MemoryModels.explored();

    private static Program compile(String text) {
        Pipeline.Loaded l = Pipeline.loadText("m.mmx", text, Map.of());
        assertEquals(List.of(), l.diagnostics());
        return l.program();
    }

    private static Result check(Program p, String mm) {
        return Explorer.explore(Pipeline.system(p, mm, Bounds.DEFAULT), Options.defaults().withPor(false));
    }

    /** The values a register or ghost cell ends with, over every final state. */
    private static TreeSet<Integer> finals(Program p, String mm, int slot) {
        return finals(p, mm, slot, Result.Verdict.PASS);
    }

    /** As above, with the verdict the run must end with (incomplete: only by a bound of the memory model). */
    private static TreeSet<Integer> finals(Program p, String mm, int slot, Result.Verdict verdict) {
        TreeSet<Integer> out = new TreeSet<>();
        TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
        Result r = Explorer.finalStates(ts, Options.defaults().withPor(false), s -> out.add(s[slot]));
        assertEquals(verdict, r.verdict(), mm);
        if (verdict == Result.Verdict.INCOMPLETE) {
            assertEquals(ts.boundReached(), r.incompleteReason(), mm);
        }
        return out;
    }

    private static int ghost(Program p, String name) {
        for (int g = 0; g < p.ghosts().size(); g++) {
            if (p.ghosts().get(g).name().equals(name)) {
                return p.layout().ghostSlot(g);
            }
        }
        throw new AssertionError("no ghost cell " + name);
    }

    private static List<String> rendered(Step step) {
        return step.effects().stream().map(Step.Effect::render).toList();
    }

    @Test
    void aTlbFillRacingAPteClearIsSeenUnderEveryModel() {
        // the MMU of b may walk before or after a clears the PTE: tlb[1][0] ends 1 or 0
        Program p = compile("""
                shared int pte = 1;
                ghost tlb tlb[1];
                thread a { WRITE_ONCE(pte, 0); }
                thread b { tlb_fill(pte, 0); }
                exists (tlb[1][0] == 0);
                """);
        // sc and arm: initial; a done; b done (tlb 1); both, in either order: 5 states.
        // tso: a's store is buffered, then written back, and tlb_fill reads memory: initial; buffered;
        // b done; written back; buffered + b done (either order, one state); written back + b done
        // (tlb 0, the outcome); buffered + b done + written back (tlb 1): 7 states.
        Map<String, Long> states = Map.of("sc", 5L, "tso", 7L, "arm", 5L);
        for (String mm : MODELS) {
            Result r = check(p, mm);
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), mm);
            assertEquals("exists", r.violation().property(), mm);
            assertEquals((long) states.get(mm), r.stats().states(), mm);
        }
    }

    @Test
    void aGhostConditionSeesAFlushBetweenTheStepBeforeItAndItself() {
        // fill, then test the TLB entry: a flush on another CPU may come between the two
        Program p = compile("""
                shared int pte = 1;
                ghost tlb tlb[1];
                thread user {
                    int r = 0;
                    tlb_fill(pte, 0);
                    if (tlb[0][0] != 0) {
                        r = 1;
                    }
                }
                thread flusher { flush_tlb_page(0); }
                """);
        int r = p.layout().regSlot(0, 0);
        for (String mm : MODELS) {
            assertEquals(new TreeSet<>(List.of(0, 1)), finals(p, mm, r), mm);
        }
        // sc: user is before the fill, before the test, before r = 1 (test true) or done; flusher before
        // or after its flush, which empties the TLB. Reachable: (fill, F0), (test, F0, tlb 1), (fill, F1),
        // (r=1, F0, tlb 1), (test, F1, tlb 0), (test, F1, tlb 1), (done r=1, F0, tlb 1), (r=1, F1, tlb 0),
        // (done r=0, F1, tlb 0), (r=1, F1, tlb 1), (done r=1, F1, tlb 0), (done r=1, F1, tlb 1): 12 states
        assertEquals(12, check(p, "sc").stats().states());
    }

    @Test
    void aGhostTestIsARowThatShowsWhatItRead() {
        Program p = compile("""
                ghost int mapcount = 1;
                ghost bool freed = false;
                thread pageout {
                    if (mapcount == 0) {
                        freed = true;
                    }
                }
                """);
        for (String mm : MODELS) {
            TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
            Step test = ts.describe(ts.initial(), 0);
            assertEquals("if (mapcount == 0)", test.text(), mm);
            assertEquals(4, test.line(), mm);
            assertEquals(List.of("reads mapcount = 1"), rendered(test), mm);
        }
    }

    @Test
    void aLoopOnGhostStateWaitsForAnotherThreadInsteadOfLivelocking() {
        // each test of g is a step: the loop spins until b sets g (it used to fold into a livelock)
        Program p = compile("""
                ghost int g = 0;
                thread a { while (g == 0) { } }
                thread b { g = 1; }
                """);
        for (String mm : List.of("sc", "tso")) {
            Result r = check(p, mm);
            assertEquals(Result.Verdict.PASS, r.verdict(), mm);
            // a waiting (a failed test comes back to the same state) or done, b before or after, and a
            // can only finish after b: 3 states
            assertEquals(3, r.stats().states(), mm);
        }
        // arm ends the same way: the loop only reads, so it goes round again only with an empty window
        // (SpinLoops) instead of guessing its way around until the window is full, and the run completes
        assertEquals(new TreeSet<>(List.of(1)), finals(p, "arm", p.layout().ghostSlot(0),
                Result.Verdict.PASS));
    }

    @Test
    void armDoesNothingInTheInitialState() {
        // b starts with a kit step, c with a ghost update, d with register work: none has run initially
        Program p = compile("""
                shared int pte = 1;
                ghost tlb tlb[2];
                ghost int g = 0;
                thread a { WRITE_ONCE(pte, 0); }
                thread b { tlb_fill(pte, 0); }
                thread c { g = 1; }
                thread d { int r = 0; r = 5; }
                """);
        TransitionSystem arm = Pipeline.system(p, "arm", Bounds.DEFAULT);
        int[] s = arm.initial();
        int tlb = ghost(p, "tlb[1][0]");
        assertEquals(0, s[tlb]);
        assertEquals(0, s[ghost(p, "g")]);
        assertEquals(0, s[p.layout().regSlot(3, 0)]);
        // every thread has exactly one step to take: a's store, b's fill, c's update, d's retirement of r = 5
        int[] out = new int[arm.maxTransitions()];
        int n = arm.enabled(s, out);
        List<String> steps = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            steps.add(arm.describe(s, out[i]).actor() + ": " + arm.describe(s, out[i]).text());
        }
        assertEquals(List.of("a: WRITE_ONCE(pte, 0);", "b: tlb_fill(pte, 0);", "c: g = 1;", "d: r = 5;"), steps);
        // b fills with the PTE as it is when b moves: before a's clear it caches page 1, after it nothing
        assertEquals(new TreeSet<>(List.of(0, 1)), finals(p, "arm", tlb));
    }

    @Test
    void skipAndAssertAreStepsUnderArm() {
        Program skips = compile("thread a { skip; skip; }\n");
        for (String mm : MODELS) {
            // initial, after one skip, after both
            assertEquals(3, check(skips, mm).stats().states(), mm);
        }
        // the assertion is a step of its own, so b's update can come before it
        Program asserts = compile("""
                ghost int g = 0;
                thread a { assert (g == 0, "g was set"); }
                thread b { g = 1; }
                """);
        for (String mm : MODELS) {
            Result r = check(asserts, mm);
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), mm);
            assertEquals("assert", r.violation().property(), mm);
            assertEquals(2, r.path().length, mm);
        }
    }

    @Test
    void armRegisterWorkAfterAGhostReadUsesTheValueRead() {
        Program p = compile("""
                ghost int g = 0;
                thread a { int r = 0; r = g; r = r + 1; }
                thread b { g = 5; }
                """);
        int r = p.layout().regSlot(0, 0);
        for (String mm : MODELS) {
            assertEquals(new TreeSet<>(List.of(1, 6)), finals(p, mm, r), mm);
        }
    }

    @Test
    void armRetiresALoopOfRegisterUpdatesOnePassPerStepLikeSc() {
        // spin never ends and touches only its register: a cycle of steps under every model, not a livelock,
        // and under arm its full window of finished register work is no reason to call the run incomplete
        Program p = compile("""
                shared int x = 0;
                thread spin { int s = 0; while (true) { s = 1 - s; } }
                thread w { WRITE_ONCE(x, 1); }
                invariant small: x <= 1;
                """);
        for (String mm : List.of("sc", "arm")) {
            Result r = check(p, mm);
            assertEquals(Result.Verdict.PASS, r.verdict(), mm);
            // s is 0 or 1, x is 0 or 1: 4 states
            assertEquals(4, r.stats().states(), mm);
        }
    }

    /**
     * An invariant that reads another CPU's register sees every value sc gives
     * it, each at a step of its own: under arm, register work on a register an
     * invariant reads is not folded into the step before it (t's r = 1 and
     * r = 2 would otherwise retire together, and r == 1 with x == 0 never show).
     */
    @Test
    void registerWorkAnInvariantReadsIsAStepOfItsOwnUnderEveryModel() {
        Program p = compile("""
                shared int x = 0;
                thread t { int r = 0; r = 1; r = 2; WRITE_ONCE(x, r); }
                invariant not_one_yet: t.r != 1;
                """);
        for (String mm : MODELS) {
            Result r = check(p, mm);
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), mm);
            assertEquals("not_one_yet", r.violation().property(), mm);
            assertEquals(1, r.path().length, mm);
        }
    }

    /** The same for register work mixed with loads: r = READ_ONCE(x) + 1 shows r's value before the load's. */
    @Test
    void anInvariantOverRegistersSeesLoadAndAssignmentAsTwoSteps() {
        Program p = compile("""
                shared int x = 0;
                thread t { int r = 0; r = 3; r = READ_ONCE(x); r = r + 1; }
                thread w { WRITE_ONCE(x, 2); }
                invariant never_three_with_x_two: !(t.r == 3 && x == 2);
                """);
        for (String mm : MODELS) {
            Result r = check(p, mm);
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), mm);
            assertEquals("never_three_with_x_two", r.violation().property(), mm);
        }
    }
}
