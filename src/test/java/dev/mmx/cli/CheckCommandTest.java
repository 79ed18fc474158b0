package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mmx.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** mmx check: exit codes, text and JSON output, diagnostics on stderr. */
class CheckCommandTest extends CommandTestBase {
    @Test
    void checkOfAPassingModelExits0() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--trace-out", tmp.resolve("t.json"));

        assertEquals(0, r.exit());
        assertEquals("pass: no violation in 13 states (12 transitions, depth 6)\n", normal(r.out()));
        // timings go to stderr, so stdout is the same bytes on every run
        assertTrue(normal(r.err()).startsWith("mmx: <time>, peak heap "), r.err());
        assertFalse(Files.exists(tmp.resolve("t.json")), "a pass writes no trace");
    }

    @Test
    void checkOfAViolationExits1AndWritesTheTrace() {
        Cli.Run r = run("check", Fixtures.model("lost_update"), "--trace-out", tmp.resolve("t.json"));

        assertEquals(1, r.exit());
        // the violating state is final, at depth 4, so BFS has stored all states: (0,0); one load (2); both
        // loads, one store (2); (1,1); one thread done, the other loaded before or after its store (2 x 2);
        // final counter 2 in either order or 1 when both read 0 (3): 13. Transitions: 2 from each of the 4
        // states where both threads can move, 1 from each of the 6 where only one can: 14
        assertTrue(normal(r.out()).endsWith("violation: forall after 4 steps (13 states, 14 transitions, depth 4)"
                + "\ntrace: <tmp>/t.json\n"), r.out());
        assertTrue(Files.exists(tmp.resolve("t.json")));
    }

    @Test
    void checkOfADeadlockExits1() {
        Cli.Run r = run("check", Fixtures.model("abba"), "--trace-out", tmp.resolve("t.json"));

        assertEquals(1, r.exit());
        assertTrue(normal(r.out()).contains("\nDEADLOCK: no thread can move, and 2 have not finished\n"), r.out());
        assertTrue(Files.exists(tmp.resolve("t.json")));
    }

    @Test
    void checkOfABadModelExits2WithThePositionedMessageAndNoStackTrace() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.mmx"), "shared int x = 0;\nthread t {\n    x = 1\n}\n");
        Cli.Run r = run("check", bad);

        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("<tmp>/bad.mmx:3:10: missing ';' after '1'\n", normal(r.err()));
    }

    @Test
    void checkOfATypeErrorExits2() throws IOException {
        Path bad = Files.writeString(tmp.resolve("bad.mmx"), "shared int counter = 0;\nthread t { countr = 1; }\n");
        Cli.Run r = run("check", bad);

        assertEquals(2, r.exit());
        assertEquals("<tmp>/bad.mmx:2:12: unknown name 'countr'; did you mean 'counter'?\n", normal(r.err()));
    }

    @Test
    void checkOfAMissingFileExits2() {
        Cli.Run r = run("check", tmp.resolve("none.mmx"));

        assertEquals(2, r.exit());
        assertEquals("<tmp>/none.mmx: no such file\n", normal(r.err()));
    }

    @Test
    void checkOfADirectoryPointsToMmxTest() {
        Cli.Run r = run("check", tmp);

        assertEquals(2, r.exit());
        assertEquals("<tmp>: is a directory, not a model; 'mmx test <tmp>' checks every model in it\n",
                normal(r.err()));
    }

    @Test
    void checkWithAnUnknownMemoryModelExits2() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--mm", "pso");

        assertEquals(2, r.exit());
        assertEquals("mmx check: --mm must be sc, tso, arm or lkmm, not 'pso'\n", r.err());
    }

    @Test
    void checkWithAnUnknownDefineExits2() {
        Cli.Run r = run("check", Fixtures.model("abba"), "-D", "ORDRED=1");

        assertEquals(2, r.exit());
        assertEquals("<command line>: -D ORDRED: the model has no param 'ORDRED'; its params are ORDERED; "
                + "did you mean 'ORDERED'?\n", r.err());
    }

    @Test
    void checkThatHitsTheStateLimitExits3() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--max-states", 10, "--no-por",
                "--trace-out", tmp.resolve("t.json"));

        assertEquals(3, r.exit());
        // BFS levels of critical_section hold 1, 2, 2, 2, ... states: the 10th state is found while expanding
        // the first state of depth 4, after 9 transitions that each found a new state; the 10th transition finds
        // an 11th, one more than the run may store
        assertEquals("incomplete: the state limit (10 states) was reached\n"
                + "  explored 10 states, 10 transitions, depth 4; no violation found so far, which proves nothing\n"
                + "partial result: <tmp>/t.incomplete.json\n", normal(r.out()));
        assertTrue(Files.exists(tmp.resolve("t.incomplete.json")));
    }

    @Test
    void checkJsonReportsVerdictStatisticsAndTrace() {
        Cli.Run r = run("check", Fixtures.model("store_buffering"), "--mm", "tso", "--json", "--trace-out",
                tmp.resolve("sb.json"));

        assertEquals(1, r.exit());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("src/test/resources/models/store_buffering.mmx", o.get("model").getAsString());
        assertEquals(0, o.getAsJsonObject("params").get("FENCED").getAsInt());
        assertEquals("violation", o.get("verdict").getAsString());
        assertEquals("exists", o.get("property").getAsString());
        assertEquals("a final state satisfies exists (t0.r0 == 0 && t1.r1 == 0)", o.get("message").getAsString());
        // the violating state is final, so BFS meets it only at the last depth, 6, after storing every state:
        // per thread {before store, buffered, written back} x the same: 9; one load done (with r = 0, or 0/1 once
        // the other store is visible), other not: 8 + 8; both done: 1 + 2 + 2 + 4 = 9. 9 + 16 + 9 = 34
        assertEquals(34, o.get("states").getAsLong());
        // summing the enabled transitions (store: 1; buffered: load or write-back; written back: load;
        // loaded while buffered: write-back) over those 34 states: 24 + 14 + 14 + 6
        assertEquals(58, o.get("transitions").getAsLong());
        assertEquals(6, o.get("maxDepth").getAsInt());
        assertTrue(o.get("seconds").getAsDouble() >= 0);
        assertTrue(o.get("statesPerSecond").getAsLong() >= 0);
        assertEquals(6, o.get("steps").getAsInt());
        assertEquals(tmp.resolve("sb.json").toString(), o.get("trace").getAsString());
    }

    @Test
    void checkJsonOfAPassHasNoPropertyAndNoTrace() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--json");

        assertEquals(0, r.exit());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("pass", o.get("verdict").getAsString());
        assertTrue(o.get("property").isJsonNull());
        assertTrue(o.get("trace").isJsonNull());
        assertEquals(13, o.get("states").getAsLong());
        assertEquals(12, o.get("transitions").getAsLong());
        assertEquals(6, o.get("maxDepth").getAsInt());
    }

    @Test
    void lockdepReportsALatentInversionWithBothPathsAndExits1() {
        Cli.Run r = run("check", Fixtures.model("latent_abba"), "--lockdep", "--trace-out", tmp.resolve("t.json"));

        assertEquals(1, r.exit());
        assertEquals("pass: no violation in 12 states (11 transitions, depth 11)\n"
                + "lock-order cycle (possible deadlock): mmap_lock -> i_mmap -> mmap_lock\n"
                + "  i_mmap taken while holding mmap_lock: fault line 21\n"
                + "  mmap_lock taken while holding i_mmap: truncate line 39\n"
                + "lockdep: 1 cycle (2 locks, 2 orderings in 12 states)\n", normal(r.out()));
    }

    @Test
    void lockdepIsSilentOnOrderedLocking() {
        Cli.Run r = run("check", Fixtures.model("latent_abba"), "-D", "TRY=1", "--lockdep");

        assertEquals(0, r.exit());
        // the trylock always succeeds here (fault has finished), one step fewer than the waiting acquire
        assertEquals("pass: no violation in 11 states (10 transitions, depth 10)\n"
                + "lockdep: no lock-order cycle (2 locks, 1 ordering in 11 states)\n", normal(r.out()));
    }
}
