package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Message passing with a control dependency only: ARMv8 lets the reader's
 * second load run ahead of the first past the branch, so the outcome is
 * reachable. When the window is exactly full at that branch no guess can be
 * taken; the run must then say it is incomplete instead of passing.
 */
class ArmWindowBranchTest {
    private static final String MODEL = "shared int x = 0;\n"
            + "shared int y = 0;\n"
            + "thread writer { WRITE_ONCE(x, 1); smp_wmb(); WRITE_ONCE(y, 1); }\n"
            + "thread reader {\n"
            + "    int r0 = 0; int r2 = 1; int a = 0; int b = 0; int c = 0;\n"
            + "    r0 = READ_ONCE(y);\n"
            + "    a = r0 + 1;\n"
            + "    b = a + 1;\n"
            + "    c = b + 1;\n"
            + "    if (r0 == 1) { r2 = READ_ONCE(x); }\n"
            + "}\n"
            + "exists (reader.r0 == 1 && reader.r2 == 0);\n";

    private static Result check(int window) {
        Pipeline.Loaded loaded = Pipeline.loadText("mp_ctrl.mmx", MODEL, Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        return Explorer.explore(new ArmMachine(loaded.program(), window), Options.defaults());
    }

    @Test
    void aWideEnoughWindowFindsTheOutcome() {
        Result r = check(16);
        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("exists", r.violation().property());
    }

    @Test
    void aWindowFullAtTheBranchIsReportedNotPassed() {
        // the load of y and three register updates fill a window of 4 right before the branch
        ArmMachine m = new ArmMachine(Pipeline.loadText("mp_ctrl.mmx", MODEL, Map.of()).program(), 4);
        Result r = Explorer.explore(m, Options.defaults());
        // the search core applies the bound rule itself, so every caller gets incomplete, not only the CLI
        assertEquals(Result.Verdict.INCOMPLETE, r.verdict());
        assertTrue(r.incompleteReason().startsWith("a CPU had 4 instructions in flight"), r.incompleteReason());
        assertEquals(m.boundReached(), r.incompleteReason());
    }

    @Test
    void aGuessThatLeadsIntoAnotherUnresolvedBranchNamesThatBranch() {
        // guessing the first if taken runs straight into the second (line 5), whose
        // register is still unresolved: describing that step (as traces and lockdep do)
        // names line 5 instead of failing; the other guesses continue at the load of y
        // (line 6) or after both ifs (line 7)
        String model = "shared int x = 0;\n"
                + "shared int y = 0;\n"
                + "thread reader2 { int r = 0; int q = 0;\n"
                + "    r = READ_ONCE(x);\n"
                + "    if (r == 0) { if (r == 0) {\n q = READ_ONCE(y); } }\n"
                + "    q = 2;\n"
                + "}\n";
        ArmMachine m = new ArmMachine(Pipeline.loadText("guess2.mmx", model, Map.of()).program(), 16);
        java.util.Set<String> notes = new java.util.TreeSet<>();
        java.util.Set<java.util.List<Integer>> seen = new java.util.HashSet<>();
        java.util.ArrayDeque<int[]> todo = new java.util.ArrayDeque<>();
        todo.add(m.initial());
        int[] out = new int[64];
        while (!todo.isEmpty()) {
            int[] s = todo.poll();
            if (!seen.add(java.util.Arrays.stream(s).boxed().toList())) {
                continue;
            }
            int n = m.enabled(s, out);
            for (int i = 0; i < n; i++) {
                dev.mmx.system.Step step = m.describe(s, out[i]);
                if (step.text().startsWith("speculates")) {
                    step.effects().forEach(e -> notes.add(e.value()));
                }
                int[] next = m.next(s, out[i]);
                if (next != null) {
                    todo.add(next);
                }
            }
        }
        assertEquals(java.util.Set.of("guesses the branch continues at line 5",
                "guesses the branch continues at line 6", "guesses the branch continues at line 7"), notes);
    }
}
