package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** mmx replay: still a counterexample, diverged at a named step, or a bad file. */
class ReplayCommandTest extends CommandTestBase {
    @Test
    void replayOfAValidTraceExits0() {
        Path trace = tmp.resolve("sb.json");
        run("check", Fixtures.model("store_buffering"), "--mm", "tso", "--trace-out", trace);
        Cli.Run r = run("replay", Fixtures.model("store_buffering"), trace);

        assertEquals(0, r.exit());
        assertEquals("still a valid counterexample: 6 steps reproduce exists (a final state satisfies exists "
                + "(t0.r0 == 0 && t1.r1 == 0))\n", r.out());
    }

    @Test
    void replayFindsTheModelNamedInTheTrace() throws IOException {
        Path model = copy("lost_update");
        Path trace = tmp.resolve("lu.json");
        run("check", model, "--trace-out", trace);
        Cli.Run r = run("replay", trace);

        assertEquals(0, r.exit());
        assertEquals("still a valid counterexample: 4 steps reproduce forall (a final state breaks forall "
                + "(counter == 2))\n", r.out());
    }

    @Test
    void replayAfterTheModelChangedExits1NamingTheStepThatDiverges() throws IOException {
        Path model = copy("store_buffering");
        Path trace = tmp.resolve("sb.json");
        assertEquals(1, run("check", model, "--mm", "tso", "--trace-out", trace).exit());
        Files.writeString(model, Files.readString(model).replace("r0 = READ_ONCE(y);", "r0 = READ_ONCE(x);"));
        Cli.Run r = run("replay", model, trace);

        assertEquals(1, r.exit());
        // BFS's trace: t0 stores x (step 1), then loads (step 2, line 17), which now reads another variable
        assertEquals("diverges at step 2 (t0, line 17: r0 = READ_ONCE(y);): the model now does t0, line 17: "
                + "r0 = READ_ONCE(x);\n", r.out());
    }

    @Test
    void replayAcceptsATraceThatNeededALargerStoreBufferThanTheDefault() throws IOException {
        // store buffering where a buffers five stores before its load: BFS's trace issues all five first
        Path model = Files.writeString(tmp.resolve("sb5.mmx"), "shared int x[5];\nshared int y = 0;\n"
                + "thread a {\n    int r = 0;\n    for (i in 0..4) {\n        WRITE_ONCE(x[i], 1);\n    }\n"
                + "    r = READ_ONCE(y);\n}\nthread b {\n    int r = 0;\n    WRITE_ONCE(y, 1);\n"
                + "    r = READ_ONCE(x[0]);\n}\nexists (a.r == 0 && b.r == 0);\n");
        Path trace = tmp.resolve("sb5.json");
        assertEquals(1, run("check", model, "--mm", "tso", "--store-buffer", 8, "--trace-out", trace).exit());
        Cli.Run r = run("replay", model, trace);

        assertEquals(0, r.exit(), r.out());
        // 5 + 1 + 1 + 1 instructions, 6 write-backs
        assertEquals("still a valid counterexample: 14 steps reproduce exists (a final state satisfies exists "
                + "(a.r == 0 && b.r == 0))\n", r.out());
    }

    @Test
    void replayOfAOneStepFaultSaysOneStep() {
        Path trace = tmp.resolve("ix.json");
        run("check", Fixtures.model("index_out_of_range"), "--trace-out", trace);
        Cli.Run r = run("replay", Fixtures.model("index_out_of_range"), trace);

        assertEquals(0, r.exit());
        assertEquals("still a valid counterexample: 1 step reproduces index_out_of_range (index 2 is out of range "
                + "for a[2] (valid: 0..1) (t, line 7))\n", r.out());
    }

    @Test
    void replayOfAFileThatIsNotATraceExits2() throws IOException {
        Path trace = Files.writeString(tmp.resolve("junk.json"), "hello");
        Cli.Run r = run("replay", Fixtures.model("store_buffering"), trace);

        assertEquals(2, r.exit());
        assertEquals("mmx replay: <tmp>/junk.json: not an mmx trace (expected a JSON object)\n", normal(r.err()));
    }

    @Test
    void replayOfAMissingTraceExits2() {
        Cli.Run r = run("replay", tmp.resolve("none.json"));

        assertEquals(2, r.exit());
        assertEquals("mmx replay: <tmp>/none.json: no such file\n", normal(r.err()));
    }
}
