package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.mmx.Fixtures;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line end to end, in-process: exit codes, what goes to stdout and stderr, trace files. */
class MainTest {
    @TempDir
    Path tmp;

    private Cli.Run run(Object... args) {
        return Cli.run(args);
    }

    private String normal(String text) {
        return Cli.normalise(text, tmp);
    }

    private Path copy(String fixture) throws IOException {
        return Files.copy(Fixtures.model(fixture), tmp.resolve(fixture + ".mmx"));
    }

    // ---------------------------------------------------------------- check

    @Test
    void checkOfAPassingModelExits0() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--trace-out", tmp.resolve("t.json"));

        assertEquals(0, r.exit());
        assertEquals("pass: no violation in 13 states (12 transitions, depth 6, <time>)\n", normal(r.out()));
        assertEquals("", r.err());
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
        assertTrue(normal(r.out()).endsWith("violation: forall after 4 steps (13 states, 14 transitions, depth 4, "
                + "<time>)\ntrace: <tmp>/t.json\n"), r.out());
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
    void checkWithAnUnknownMemoryModelExits2() {
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--mm", "pso");

        assertEquals(2, r.exit());
        assertEquals("mmx check: --mm must be sc or tso, not 'pso'\n", r.err());
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
        Cli.Run r = run("check", Fixtures.model("critical_section"), "--max-states", 10);

        assertEquals(3, r.exit());
        // BFS levels of critical_section hold 1, 2, 2, 2, ... states: the 10th state is found while expanding
        // the first state of depth 4, after 9 transitions that each found a new state
        assertEquals("incomplete: the state limit (10 states) was reached\n"
                + "  explored 10 states, 9 transitions, depth 4, <time>; no violation found so far, which proves "
                + "nothing\n", normal(r.out()));
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

    // ---------------------------------------------------------------- show

    @Test
    void showPrintsTheCpuColumnsOfASavedTrace() throws Exception {
        Path trace = tmp.resolve("sb.json");
        assertEquals(1, run("check", Fixtures.model("store_buffering"), "--mm", "tso", "--trace-out", trace).exit());
        Cli.Run r = run("show", trace);

        assertEquals(0, r.exit());
        assertEquals(CpuColumns.render(TraceJson.read(trace)), r.out());
        assertTrue(r.out().startsWith("src/test/resources/models/store_buffering.mmx under tso (FENCED=0): "
                + "violates exists\n"), r.out());
    }

    @Test
    void showWithStateAlsoPrintsTheFinalState() throws Exception {
        Path trace = tmp.resolve("sb.json");
        run("check", Fixtures.model("store_buffering"), "--mm", "tso", "--trace-out", trace);
        Cli.Run r = run("show", "--state", trace);

        assertEquals(0, r.exit());
        assertEquals(CpuColumns.render(TraceJson.read(trace)) + "\nfinal state:\n"
                + "memory:\n    x = 1\n    y = 1\n"
                + "registers:\n    t0.r0 = 0\n    t1.r1 = 0\n"
                + "positions:\n    t0 = done\n    t1 = done\n"
                + "storeBuffers:\n    t0: empty\n    t1: empty\n", r.out());
    }

    @Test
    void showOfATruncatedTraceExits2() throws IOException {
        Path trace = tmp.resolve("sb.json");
        run("check", Fixtures.model("store_buffering"), "--mm", "tso", "--trace-out", trace);
        List<String> lines = Files.readAllLines(trace);
        // keep the first 10 lines, as an interrupted write would
        Files.write(trace, lines.subList(0, 10));
        Cli.Run r = run("show", trace);

        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals("mmx show: <tmp>/sb.json: the file ends early at line 11, column 1; it is truncated "
                + "(an interrupted write?)\n", normal(r.err()));
    }

    @Test
    void showOfACorruptTraceExits2() throws IOException {
        Path trace = Files.writeString(tmp.resolve("bad.json"), "{ \"mmxTrace\": 1, bad }");
        Cli.Run r = run("show", trace);

        assertEquals(2, r.exit());
        // Gson reports the column after the token it choked on: the '}' after "bad" is at 22
        assertEquals("mmx show: <tmp>/bad.json: not valid JSON at line 1, column 23; the file is corrupt\n",
                normal(r.err()));
    }

    @Test
    void showOfAJsonFileThatIsNotATraceExits2() throws IOException {
        Path trace = Files.writeString(tmp.resolve("other.json"), "{ \"name\": \"not a trace\" }");
        Cli.Run r = run("show", trace);

        assertEquals(2, r.exit());
        assertEquals("mmx show: <tmp>/other.json: not an mmx trace (no \"mmxTrace\" field)\n", normal(r.err()));
    }

    // ---------------------------------------------------------------- replay

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

    // ---------------------------------------------------------------- test

    /** The table's rows, each split into model, variant, mm, result, verdict. */
    private List<List<String>> rows(String out) {
        return Arrays.stream(normal(out).split("\n")).skip(1).takeWhile(l -> !l.isEmpty())
                .map(l -> List.of(l.trim().split(" {2,}"))).toList();
    }

    @Test
    void testExits0WhenEveryExpectationHolds() throws IOException {
        copy("lost_update");
        copy("critical_section");
        Cli.Run r = run("test", tmp);

        assertEquals(0, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/critical_section.mmx", "-", "sc", "pass", "ok"),
                List.of("<tmp>/lost_update.mmx", "-", "sc", "violates forall", "ok"),
                List.of("<tmp>/lost_update.mmx", "-", "tso", "violates forall", "ok")), rows(r.out()));
        assertTrue(r.out().endsWith("\n3 expectations checked in 2 models: 3 as expected, 0 differ\n"), r.out());
    }

    @Test
    void testOfOneModelFileSaysOneModel() {
        Cli.Run r = run("test", Fixtures.model("critical_section"));

        assertEquals(0, r.exit());
        assertTrue(r.out().endsWith("\n1 expectation checked in 1 model: 1 as expected, 0 differ\n"), r.out());
    }

    @Test
    void testExits1WhenAnExpectationDiffers() throws IOException {
        copy("critical_section");
        Files.writeString(tmp.resolve("wrong.mmx"), Fixtures.text(Fixtures.model("lost_update"))
                .replace("expect sc, tso: violates forall;", "expect sc: pass;"));
        Cli.Run r = run("test", tmp);

        assertEquals(1, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/critical_section.mmx", "-", "sc", "pass", "ok"),
                List.of("<tmp>/wrong.mmx", "-", "sc", "violates forall", "DIFFERS: expected pass")), rows(r.out()));
        assertTrue(r.out().endsWith("\n2 expectations checked in 2 models: 1 as expected, 1 differ\n"), r.out());
    }

    // ---------------------------------------------------------------- help and version

    @ParameterizedTest
    @ValueSource(strings = {"check", "show", "replay", "test"})
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
