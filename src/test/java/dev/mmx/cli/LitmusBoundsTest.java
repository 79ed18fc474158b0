package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.explore.Options;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.litmus.LitmusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A litmus test longer than the default ARM window: MP without barriers, with
 * sixteen register moves between the two loads of P1. ARMv8 allows the
 * outcome (herd7: Ok, 4 states); a window too small to let the second load
 * overtake the first must make the answer incomplete, never "No".
 */
class LitmusBoundsTest {
    private static final Path TEST = Path.of("src/test/resources/litmus-extra/MP+long.litmus");

    private static LitmusTest parse() throws Exception {
        LitmusParser.Result parsed = LitmusParser.parse(TEST.toString(), Files.readString(TEST));
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        return parsed.test();
    }

    @Test
    void aLongTestGetsAWindowAsLongAsItsThreads() throws Exception {
        LitmusTest test = parse();
        Pipeline.Loaded loaded = Pipeline.compile(test.model(), Map.of());
        LitmusRun.Outcome o = LitmusRun.run(test, loaded.program(),
                Pipeline.system(loaded.program(), "arm", LitmusRun.bounds(loaded.program())), Options.defaults());

        assertTrue(o.answered(), o.error());
        assertEquals(4, o.report().states().size());
        assertTrue(o.report().ok());
        assertEquals(1, o.report().positive());
        assertEquals(3, o.report().negative());
        assertTrue(o.report().lines().contains("Observation MP+long Sometimes 1 3"), o.report().lines().toString());
    }

    @Test
    void aWindowTooSmallIsIncompleteNotNo() throws Exception {
        LitmusTest test = parse();
        Pipeline.Loaded loaded = Pipeline.compile(test.model(), Map.of());
        LitmusRun.Outcome o = LitmusRun.run(test, loaded.program(),
                Pipeline.system(loaded.program(), "arm", new Bounds(4, 8)), Options.defaults());

        assertFalse(o.answered());
        assertTrue(o.incomplete(), o.error());
        assertEquals("incomplete: a CPU had 8 instructions in flight (the --arm-window bound), so it could not look "
                + "further ahead; runs with a larger window may find more reorderings", o.error());
    }
}
