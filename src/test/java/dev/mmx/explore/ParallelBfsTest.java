package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parallel BFS must answer exactly as sequential BFS: same verdict, same
 * property, and the same counterexample path, whatever the number of
 * workers; passing runs store the same number of states.
 */
class ParallelBfsTest {
    @Test
    void parallelBfsAnswersAsSequentialBfs() throws Exception {
        List<Path> models;
        try (Stream<Path> s = Files.walk(Path.of("models"))) {
            models = s.filter(p -> p.toString().endsWith(".mmx")).sorted().toList();
        }
        int runs = 0;
        List<String> differ = new ArrayList<>();
        for (Path model : models) {
            Pipeline.Loaded base = Pipeline.load(model, Map.of());
            List<Map<String, String>> variants = new ArrayList<>();
            variants.add(Map.of());
            base.resolved().expectations().forEach(e -> {
                Map<String, String> v = new LinkedHashMap<>();
                e.variant().forEach((k, x) -> v.put(k, Integer.toString(x)));
                if (!variants.contains(v)) {
                    variants.add(v);
                }
            });
            for (Map<String, String> v : variants) {
                Program p = Pipeline.load(model, v).program();
                for (String mm : List.of("sc", "tso", "arm")) {
                    TransitionSystem ts = Pipeline.system(p, mm, Pipeline.Bounds.DEFAULT);
                    Options base2 = Options.defaults().withPor(false).withMaxStates(300_000);
                    Result seq = Explorer.explore(ts, base2);
                    for (int workers : new int[] {1, 2, 3}) {
                        Result par = Explorer.explore(ts, base2.withSearch(Options.Search.PARALLEL)
                                .withWorkers(workers));
                        runs++;
                        String where = model + " " + v + " " + mm + " workers=" + workers;
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
        }
        System.out.println("parallel bfs: " + runs + " runs against sequential bfs, " + differ.size() + " differ");
        assertEquals(List.of(), differ);
        assertTrue(runs > 100, "too few runs to mean anything: " + runs);
    }
}
