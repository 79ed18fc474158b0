package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mmx command itself: help, version and usage errors. */
class MainTest extends CommandTestBase {
    @ParameterizedTest
    @ValueSource(strings = {"check", "show", "replay", "test", "explain", "fences"})
    void helpOfEachCommandExits0WithItsUsage(String command) {
        Cli.Run r = run(command, "--help");

        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: mmx " + command + " [-hV]"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void helpListsTheCommands() {
        Cli.Run r = run("--help");

        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: mmx [-hV] [COMMAND]\n"
                + "Exhaustive model checker for Linux memory-management races.\n"), r.out());
        for (String c : List.of("check", "show", "replay", "test")) {
            assertTrue(r.out().contains("\n  " + c + " "), c);
        }
    }

    @Test
    void versionPrintsTheVersion() {
        Cli.Run r = run("--version");

        assertEquals(0, r.exit());
        assertEquals("mmx 0.1.0\n", r.out());
    }

    @Test
    void noCommandIsAUsageErrorExit2() {
        Cli.Run r = run();

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("missing command: check, show, replay or test\n"), r.err());
    }

    @Test
    void unknownOptionIsAUsageErrorExit2() {
        Cli.Run r = run("check", "--bogus", Fixtures.model("abba"));

        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("Unknown option: '--bogus'\n"), r.err());
    }
}
