package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.trace.HtmlTrace;
import dev.mmx.trace.TraceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlCommandsTest {
    private static final String MODEL = "src/test/resources/models/sb_lock.mmx";

    @TempDir
    Path dir;

    @Test
    void checkWritesThePageBesideTheTrace() throws Exception {
        Path json = dir.resolve("sb.json");
        Cli.Run r = Cli.run("check", MODEL, "--mm", "tso", "--trace-out", json.toString(), "--html");
        assertEquals(1, r.exit());
        Path page = dir.resolve("sb.html");
        assertTrue(r.out().endsWith("trace: " + json + "\nview: " + page + "\n"), r.out());
        assertEquals(HtmlTrace.render(TraceJson.read(json)), Files.readString(page));
    }

    @Test
    void checkWithoutAViolationWritesNoPage() {
        Cli.Run r = Cli.run("check", MODEL, "--mm", "sc", "--trace-out", dir.resolve("sb.json").toString(), "--html");
        assertEquals(0, r.exit());
        assertFalse(Files.exists(dir.resolve("sb.html")));
    }

    @Test
    void showWritesThePageWhereAsked() throws Exception {
        Path json = dir.resolve("sb.json");
        assertEquals(1, Cli.run("check", MODEL, "--mm", "tso", "--trace-out", json.toString()).exit());
        Path page = dir.resolve("out/view.html");
        Cli.Run r = Cli.run("show", json.toString(), "--html", "-o", page.toString());
        assertEquals(0, r.exit());
        assertEquals("wrote " + page + "\n", r.out());
        assertEquals(HtmlTrace.render(TraceJson.read(json)), Files.readString(page));

        Cli.Run beside = Cli.run("show", json.toString(), "--html");
        assertEquals("wrote " + dir.resolve("sb.html") + "\n", beside.out());
    }

    @Test
    void outputWithoutHtmlIsAUsageError() {
        Cli.Run r = Cli.run("show", "whatever.json", "-o", "x.html");
        assertEquals(2, r.exit());
        assertEquals("mmx show: -o names the HTML page; use it with --html\n", r.err());
    }

    @Test
    void aBrokenTraceIsABadInputNotACrash() throws Exception {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"mmxTrace\": 1, ");
        Cli.Run r = Cli.run("show", json.toString(), "--html");
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("mmx show: " + json + ": the file ends early at line 1"), r.err());
        assertFalse(Files.exists(dir.resolve("bad.html")));
    }
}
