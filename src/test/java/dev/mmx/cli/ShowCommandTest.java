package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.TraceJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mmx show: the CPU columns of a saved trace, and clear messages for bad files. */
class ShowCommandTest extends CommandTestBase {
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
}
