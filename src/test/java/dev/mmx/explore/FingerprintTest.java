package dev.mmx.explore;

import dev.mmx.memory.MemoryModels;
import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hash compaction against the exact store: on models this small a 64-bit
 * collision is practically impossible, so depth-first search must store the
 * same states and give the same verdict and counterexample either way.
 */
class FingerprintTest {
    @Test
    void fingerprintsFindWhatTheExactStoreFinds() throws Exception {
        List<Path> models;
        try (Stream<Path> s = Files.walk(Path.of("models"))) {
            models = s.filter(p -> p.toString().endsWith(".mmx")).sorted().toList();
        }
        int runs = 0;
        for (Path model : models) {
            Program p = Pipeline.load(model, Map.of()).program();
            for (String mm : MemoryModels.explored()) {
                TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
                Options dfs = Options.defaults().withSearch(Options.Search.DFS).withMaxStates(300_000);
                Result exact = Explorer.explore(ts, dfs);
                Result hashed = Explorer.explore(ts, dfs.withFingerprint(true));
                String where = model + " " + mm;
                assertEquals(exact.verdict(), hashed.verdict(), where);
                assertEquals(exact.stats().states(), hashed.stats().states(), where);
                assertArrayEquals(exact.path(), hashed.path(), where);
                assertTrue(hashed.boundNote().startsWith("fingerprint mode: " + hashed.stats().states()
                        + " states kept as 64-bit hashes"), hashed.boundNote());
                runs++;
            }
        }
        assertTrue(runs >= 24, "runs: " + runs); // 8 models x 3 memory models
    }

    @Test
    void omissionProbabilityIsTheBirthdayBound() {
        FingerprintStore store = new FingerprintStore(2);
        for (int i = 0; i < 1000; i++) {
            assertEquals(i, store.add(new int[] {i, i * 7}));
        }
        assertEquals(-(5 + 1L), store.add(new int[] {5, 35}));
        assertEquals(1000, store.size());
        // 1000 * 999 / 2^65
        assertEquals(999_000 / Math.pow(2, 65), store.omissionProbability(), 1e-30);
        assertThrows(UnsupportedOperationException.class, () -> store.get(0));
    }

    @Test
    void breadthFirstWithFingerprintsSearchesDepthFirst() throws Exception {
        Program p = Pipeline.load(Path.of("models/bench/ptl_counter.mmx"), Map.of("NOLOCK", "1")).program();
        TransitionSystem ts = Pipeline.system(p, "sc", Bounds.DEFAULT);
        Result viaBfs = Explorer.explore(ts, Options.defaults().withPor(false).withFingerprint(true));
        Result viaDfs = Explorer.explore(ts, Options.defaults().withPor(false).withSearch(Options.Search.DFS));
        assertEquals(viaDfs.stats().states(), viaBfs.stats().states());
        assertArrayEquals(viaDfs.path(), viaBfs.path());
    }
}
