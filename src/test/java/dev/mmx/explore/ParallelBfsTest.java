package dev.mmx.explore;

import dev.mmx.memory.MemoryModels;
import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * Parallel BFS must answer exactly as sequential BFS: same verdict, same
 * property, and the same counterexample path, whatever the number of
 * workers; passing runs store the same number of states.
 */
class ParallelBfsTest {
    @Test
    void parallelBfsAnswersAsSequentialBfs() {
        int runs = 0;
        List<String> differ = new ArrayList<>();
        for (ModelVariants.Variant variant : ModelVariants.all()) {
            Program p = Pipeline.load(variant.model(), variant.params()).program();
            for (String mm : MemoryModels.explored()) {
                TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
                Options plain = Options.defaults().withPor(false).withMaxStates(300_000);
                Result seq = Explorer.explore(ts, plain);
                for (int workers : new int[] {1, 2, 3}) {
                    Result par = Explorer.explore(ts, plain.withSearch(Options.Search.PARALLEL)
                            .withWorkers(workers));
                    runs++;
                    String where = variant + " " + mm + " workers=" + workers;
                    if (seq.verdict() != par.verdict()) {
                        differ.add(where + ": " + seq.verdict() + " vs " + par.verdict());
                        continue;
                    }
                    if (seq.violation() != null) {
                        assertEquals(seq.violation().property(), par.violation().property(), where);
                        assertArrayEquals(seq.path(), par.path(), where);
                    } else if (seq.verdict() == Result.Verdict.PASS) {
                        assertEquals(seq.stats().states(), par.stats().states(), where);
                        assertEquals(seq.stats().transitions(), par.stats().transitions(), where);
                    }
                }
            }
        }
        System.out.println("parallel bfs: " + runs + " runs against sequential bfs, " + differ.size() + " differ");
        assertEquals(List.of(), differ);
        assertTrue(runs > 100, "too few runs to mean anything: " + runs);
    }
}
