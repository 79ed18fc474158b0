package dev.mmx.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Options;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * C litmus tests with RCU (src/test/resources/litmus-rcu) answered under
 * lkmm, tso and arm. Under tso and arm RCU is the kernel kit's, each of whose
 * steps is as strong as smp_mb (synchronize_rcu's wait for the readers it
 * found too), so neither may allow an outcome LKMM forbids; where LKMM allows
 * one, the hardware may still forbid it (x86 keeps stores and loads in order).
 */
class RcuLitmusTest {
    private static final Path DIR = Path.of("src", "test", "resources", "litmus-rcu");

    private static String observation(String file, String mm) throws IOException {
        Path f = DIR.resolve(file + ".litmus");
        LitmusParser.Result parsed = LitmusParser.parse(f.getFileName().toString(), Files.readString(f));
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        LitmusRun.Prepared p = LitmusRun.prepare(parsed.test(), mm);
        assertEquals(List.of(), p.diagnostics(), mm);
        LitmusRun.Outcome o = mm.equals("lkmm")
                ? LitmusRun.runLkmm(parsed.test(), p.program(), p.primitives(), Options.defaults())
                : LitmusRun.run(parsed.test(), p.program(), Pipeline.system(p.program(), mm,
                        LitmusRun.bounds(p.program())), Options.defaults());
        assertTrue(o.answered(), () -> mm + ": " + o.error());
        return o.report().lines().stream().filter(line -> line.startsWith("Observation ")).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // test, lkmm, tso, arm (Observation words and counts: positive, negative final states or executions)
        // a reader that sees the update's second store sees its first: the grace period is between them
        "RCU-MP, Never 0 3, Never 0 3, Never 0 3",
        // without the grace period LKMM and arm allow it; x86 keeps the stores, and the loads, in order
        "RCU-MP+nogp, Sometimes 1 3, Never 0 3, Sometimes 1 3",
        // store buffering between a reader and an updater: the grace period waits for the reader's store
        "RCU-SB, Never 0 3, Never 0 3, Never 0 3",
        // the updater reads what the reader wrote, in the order the grace period allows (expedited alike)
        "RCU-reader-writes, Never 0 3, Never 0 3, Never 0 3",
        // a cycle through two readers needs two grace periods to be forbidden, one does not suffice
        "RCU-2gp-2rscs, Never 0 15, Never 0 15, Never 0 15",
        "RCU-1gp-2rscs, Sometimes 1 15, Never 0 15, Sometimes 1 15",
    })
    void rcuUnderTsoAndArmNeverAllowsWhatLkmmForbids(String test, String lkmm, String tso, String arm)
            throws IOException {
        String l = observation(test, "lkmm");
        assertEquals("Observation " + test + " " + lkmm, l);
        for (String[] mm : new String[][] {{"tso", tso}, {"arm", arm}}) {
            String got = observation(test, mm[0]);
            assertEquals("Observation " + test + " " + mm[1], got, mm[0]);
            if (l.contains(" Never ")) {
                assertTrue(got.contains(" Never "), mm[0] + " allows what LKMM forbids: " + got);
            }
        }
    }
}
