package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.TransitionSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits, interruption, mismatched traces and repeatable output, end to end. */
class RobustnessTest extends CommandTestBase {
    private static final String BIG = "models/bench/ptl_counter.mmx";

    @Test
    void aModelTooBigForTheMemoryLimitEndsIncompleteWithASummary() throws Exception {
        Cli.Run r = run("check", BIG, "-D", "N=5", "-D", "K=4", "--max-memory", 1, "--trace-out",
                tmp.resolve("t.json"));

        assertEquals(3, r.exit());
        assertTrue(r.out().startsWith("incomplete: the memory limit (1 MiB) was reached\n  explored "), r.out());
        assertTrue(r.out().contains("; no violation found so far, which proves nothing\n"
                + "partial result: " + tmp.resolve("t.incomplete.json") + "\n"), r.out());
        JsonObject partial = JsonParser.parseString(Files.readString(tmp.resolve("t.incomplete.json")))
                .getAsJsonObject();
        assertEquals("incomplete", partial.get("verdict").getAsString());
        assertEquals("the memory limit (1 MiB) was reached", partial.get("message").getAsString());
        assertTrue(partial.get("states").getAsLong() > 0);
        assertFalse(r.err().contains("Exception"), r.err());
    }

    @Test
    void theTimeLimitEndsIncomplete() {
        Cli.Run r = run("check", BIG, "-D", "N=6", "-D", "K=4", "--time-limit", "0.01", "--json");

        assertEquals(3, r.exit());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals("incomplete", o.get("verdict").getAsString());
        assertEquals("the time limit (0.01 s) was reached", o.get("message").getAsString());
    }

    @Test
    void aStopRequestEndsTheSearchAsInterrupted() throws Exception {
        // what Ctrl-C does: the shutdown hook sets the stop flag and the explorer ends with what it has
        Pipeline.Loaded loaded = Pipeline.load(Path.of(BIG), Map.of("N", "6", "K", "4"));
        TransitionSystem ts = Pipeline.system(loaded.program(), "sc", Bounds.DEFAULT);
        Options opts = Options.defaults();
        opts.stop().set(true);
        for (Options.Search search : Options.Search.values()) {
            Result r = Explorer.explore(ts, opts.withSearch(search));
            assertEquals(Result.Verdict.INCOMPLETE, r.verdict(), search.toString());
            assertEquals("interrupted", r.incompleteReason(), search.toString());
        }
    }

    @Test
    void aTraceOfAnotherModelIsRejectedAsBadInput() throws Exception {
        Path trace = tmp.resolve("lost.json");
        assertEquals(1, run("check", Fixtures.model("lost_update"), "--trace-out", trace).exit());

        Cli.Run r = run("replay", Fixtures.model("abba"), trace);

        assertEquals(2, r.exit());
        assertEquals("mmx replay: " + trace + " was recorded for a model with threads [cpu[0], cpu[1]], but "
                + Fixtures.model("abba") + " has threads [one, two]; it is not a trace of this model\n", r.err());
    }

    @Test
    void twoRunsOfTheSameCheckPrintTheSameBytes() throws Exception {
        for (String search : new String[] {"bfs", "dfs", "parallel"}) {
            Path a = tmp.resolve(search + "-a.json");
            Path b = tmp.resolve(search + "-b.json");
            Cli.Run first = run("check", "models/gup_fast_anon_exclusive.mmx", "--mm", "arm", "-D", "GUP_MB=0",
                    "--search", search, "--trace-out", a);
            Cli.Run second = run("check", "models/gup_fast_anon_exclusive.mmx", "--mm", "arm", "-D", "GUP_MB=0",
                    "--search", search, "--trace-out", b);
            assertEquals(1, first.exit());
            assertEquals(first.out().replace(a.toString(), "T"), second.out().replace(b.toString(), "T"), search);
            assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b), search);
        }
    }
}
