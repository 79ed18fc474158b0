package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Models and litmus tests are UTF-8: a byte-order mark at the start is skipped,
 * and a byte that is not UTF-8 is bad input at the line and column where it stands.
 */
class SourceEncodingTest extends CommandTestBase {
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private Path file(String name, byte[]... parts) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.write(p);
        }
        return Files.write(tmp.resolve(name), b.toByteArray());
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aModelStartingWithAByteOrderMarkIsChecked() throws IOException {
        Path m = file("bom.mmx", BOM, text("shared int x = 0;\nthread t { x = 1; }\nforall (x == 1);\n"));
        Cli.Run r = run("check", m, "--trace-out", tmp.resolve("t.json"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("pass: no violation in 2 states"), r.out());
    }

    @Test
    void aByteOrderMarkTakesNoColumn() throws IOException {
        // the unknown name is reported at column 1 of line 1, not column 2
        Path m = file("bom.mmx", BOM, text("sharred int x = 0;\n"));
        Cli.Run r = run("check", m);
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith(Pipeline.display(m) + ":1:1: "), r.err());
    }

    @Test
    void aModelThatIsNotUtf8NamesTheFirstBadByte() throws IOException {
        // "café" in Latin-1: the é is the single byte 0xE9, after 17 characters of line 2
        Path m = file("latin1.mmx", text("shared int x = 0;\nthread t { // caf"), new byte[] {(byte) 0xE9},
                text("\n x = 1; }\n"));
        Cli.Run r = run("check", m);
        assertEquals(2, r.exit());
        assertEquals(Pipeline.display(m) + ":2:18: the byte 0xE9 is not UTF-8 text; save the file as UTF-8\n",
                r.err());
    }

    @Test
    void theColumnCountsCharactersNotBytes() throws IOException {
        // "é" in UTF-8 is two bytes but one column; the stray 0xFF is the fourth character of the line
        Path m = file("mixed.mmx", BOM, text("// é"), new byte[] {(byte) 0xFF}, text("\n"));
        Cli.Run r = run("check", m);
        assertEquals(2, r.exit());
        assertEquals(Pipeline.display(m) + ":1:5: the byte 0xFF is not UTF-8 text; save the file as UTF-8\n",
                r.err());
    }

    @Test
    void litmusFilesFollowTheSameRules() throws IOException {
        Path ok = file("bom.litmus", BOM, text("C bom\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\n"
                + "exists (x=1)\n"));
        Cli.Run r = run("litmus", ok);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("Test bom Allowed\nStates 1\n[x]=1;\nOk\n"), r.out());
        Path bad = file("bad.litmus", text("C bad\n{}\nP0(int *x)\n{\n\t"), new byte[] {(byte) 0xC3, '('},
                text("\n}\n"));
        r = run("litmus", bad);
        assertEquals(2, r.exit());
        assertEquals(Pipeline.display(bad) + ":5:2: the byte 0xC3 is not UTF-8 text; save the file as UTF-8\n",
                r.err());
    }
}
