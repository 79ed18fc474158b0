package dev.mmx.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Options;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The bitop litmus tests in src/test/resources/litmus-bitops (see its README):
 * each gives, under tso and arm, exactly the final states of its twin written
 * with the LKMM atomic of the same ordering; under lkmm and arm the answer is
 * LKMM's (the twin's header says which), and under tso what LKMM forbids
 * stays forbidden.
 */
class BitopLitmusTest {
    private static final Pattern LKMM = Pattern.compile("\\(\\* LKMM: (Never|Sometimes) ");

    private static Path folder() throws URISyntaxException {
        return Path.of(BitopLitmusTest.class.getResource("/litmus-bitops").toURI());
    }

    private static HerdReport answer(Path file, String mm) throws IOException {
        LitmusParser.Result parsed = LitmusParser.parse(file.getFileName().toString(), Files.readString(file));
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        LitmusRun.Prepared loaded = LitmusRun.prepare(parsed.test(), mm);
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        LitmusRun.Outcome o = mm.equals("lkmm")
                ? LitmusRun.runLkmm(parsed.test(), loaded.program(), loaded.primitives(), Options.defaults())
                : LitmusRun.run(parsed.test(), loaded.program(),
                        Pipeline.system(loaded.program(), mm, LitmusRun.bounds(loaded.program())), Options.defaults());
        assertTrue(o.answered(), o.error());
        return o.report();
    }

    @TestFactory
    Stream<DynamicTest> eachBitopAnswersAsTheAtomicItIsBuiltFrom() throws Exception {
        List<Path> bitops;
        try (Stream<Path> s = Files.list(folder())) {
            bitops = s.filter(p -> p.toString().endsWith(".litmus") && !p.toString().endsWith(".lkmm.litmus"))
                    .sorted().toList();
        }
        assertEquals(10, bitops.size(), "the pairs in litmus-bitops");
        return bitops.stream().flatMap(f -> Stream.of("tso", "arm", "lkmm").map(mm -> DynamicTest.dynamicTest(
                f.getFileName() + " under " + mm, () -> {
                    Path twin = f.resolveSibling(f.getFileName().toString().replace(".litmus", ".lkmm.litmus"));
                    HerdReport bit = answer(f, mm);
                    HerdReport atomic = answer(twin, mm);
                    assertEquals(atomic.states(), bit.states(), "final states of the bitop and of its twin");
                    assertEquals(atomic.observation(), bit.observation());
                    Matcher m = LKMM.matcher(Files.readString(twin));
                    assertTrue(m.find(), twin + " states LKMM's answer");
                    if (mm.equals("arm") || mm.equals("lkmm")) {
                        // mmx's LKMM gives the twin the answer its header states, and the bitop the same;
                        // arm64's compilation of these primitives answers as LKMM does
                        assertEquals(m.group(1), bit.observation(), "LKMM's answer");
                    } else if (m.group(1).equals("Never")) {
                        assertEquals("Never", bit.observation(), "LKMM forbids it");
                    }
                })));
    }
}
