package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.system.Program;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The cuts Candidates makes (reads-from choices and coherence orders that
 * coherence or atomicity reject anyway, and the check that a reads-from
 * admits some order) never change an answer: on every C test of the corpus
 * small enough to enumerate without them, the executions the model allows,
 * counted per final state, and the flags raised are the same with and
 * without the cuts. (The cuts are proved safe in the comments where they
 * are made; this checks the code.)
 */
class PruningDifferentialTest {
    /** Uncut candidates a test may have here. */
    private static final long LIMIT = 200_000;

    /** The allowed executions per final state (all of the state, as text), and the flags, or null past LIMIT. */
    private static Map<String, Long> allowed(Program p, Primitives prims, boolean cut, List<String> flags) {
        List<List<dev.mmx.lkmm.Path>> paths = new ArrayList<>();
        for (int t = 0; t < p.threads().size(); t++) {
            paths.add(ThreadPaths.of(p, t, prims));
        }
        Map<String, Long> out = new TreeMap<>();
        long[] candidates = {0};
        Candidates.Sink sink = x -> {
            var f = KernelCat.check(x);
            if (f != null) {
                out.merge(Arrays.toString(Lkmm.finalStateOf(p, x)), 1L, Long::sum);
                f.stream().filter(n -> !flags.contains(n)).forEach(flags::add);
            }
            return ++candidates[0] < LIMIT;
        };
        if (cut) {
            Candidates.enumerate(p, paths, sink);
        } else {
            Candidates.enumerateAll(p, paths, sink);
        }
        return candidates[0] >= LIMIT ? null : out;
    }

    private static List<Path> tests() throws IOException, URISyntaxException {
        List<Path> all = new ArrayList<>();
        for (String dir : List.of("/litmus/C", "/litmus-rmw/C")) {
            Path d = Path.of(PruningDifferentialTest.class.getResource(dir).toURI());
            try (Stream<Path> s = Files.list(d)) {
                s.filter(f -> f.toString().endsWith(".litmus")).sorted().forEach(all::add);
            }
        }
        return all;
    }

    @TestFactory
    Stream<DynamicTest> cutsChangeNoAnswer() throws Exception {
        int[] compared = {0};
        List<String> skipped = new ArrayList<>();
        List<Path> files = tests();
        return Stream.concat(files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> {
            LitmusParser.Result parsed = LitmusParser.parse(f.getFileName().toString(), Files.readString(f));
            LitmusRun.Prepared p = LitmusRun.prepare(parsed.test(), "lkmm");
            List<String> cutFlags = new ArrayList<>();
            List<String> allFlags = new ArrayList<>();
            Map<String, Long> all = allowed(p.program(), p.primitives(), false, allFlags);
            if (all == null) {
                skipped.add(f.getFileName().toString()); // too many uncut candidates for a unit test
                return;
            }
            Map<String, Long> cut = allowed(p.program(), p.primitives(), true, cutFlags);
            assertEquals(all, cut, "allowed executions per final state");
            assertEquals(allFlags.stream().sorted().toList(), cutFlags.stream().sorted().toList(), "flags");
            compared[0]++;
        })), Stream.of(DynamicTest.dynamicTest("all but the largest test are compared", () -> {
            // the 45 C tests of the two corpora; uncut, ManfredSpraul-L1G1xchgnr's three xchg_acquire reads of
            // lcl and its seven writes there have far more candidates than LIMIT
            assertEquals(List.of("C-ManfredSpraul-L1G1xchgnr.litmus"), skipped);
            assertEquals(44, compared[0]);
        })));
    }
}
