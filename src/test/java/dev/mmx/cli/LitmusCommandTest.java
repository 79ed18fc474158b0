package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** mmx litmus end to end: herd7-shaped output, several files in one run, exit codes. */
class LitmusCommandTest {
    @TempDir
    Path dir;

    private String out;
    private String err;

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            // times vary from run to run
            out = o.toString(StandardCharsets.UTF_8).replaceAll("(Time \\S+) [0-9.]+", "$1 T")
                    .replaceAll(", [0-9.]+ s\\n", ", T s\n");
            err = e.toString(StandardCharsets.UTF_8);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static final String SB = """
            C SB
            {}
            P0(int *x, int *y)
            {
            \tint r0;
            \tWRITE_ONCE(*x, 1);
            \tr0 = READ_ONCE(*y);
            }
            P1(int *x, int *y)
            {
            \tint r0;
            \tWRITE_ONCE(*y, 1);
            \tsmp_mb();
            \tr0 = READ_ONCE(*x);
            }
            exists (0:r0=0 /\\ 1:r0=0)
            """;

    @Test
    void tsoAllowsStoreBufferingWithOneFence() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(0, run("litmus", f.toString()));
        // x86-TSO: P0's store may still sit in its buffer when it reads y; P1's smp_mb does not help P0
        assertEquals("""
                Test SB Allowed
                States 4
                0:r0=0; 1:r0=0;
                0:r0=0; 1:r0=1;
                0:r0=1; 1:r0=0;
                0:r0=1; 1:r0=1;
                Ok
                Witnesses
                Positive: 1 Negative: 3
                Condition exists (0:r0=0 /\\ 1:r0=0)
                Observation SB Sometimes 1 3
                Time SB T

                mmx litmus: 1 test, 1 answered (1 Ok, 0 No), 0 not answered, T s
                """, out);
        assertEquals("", err);
    }

    @Test
    void scForbidsStoreBuffering() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(0, run("litmus", "--mm", "sc", f.toString()));
        assertTrue(out.contains("\nNo\nWitnesses\nPositive: 0 Negative: 3\n"), out);
    }

    @Test
    void traceShowsHowTheConditionIsReached() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(0, run("litmus", "--trace", f.toString()));
        assertTrue(out.contains(Pipeline.display(f) + " under tso: violates exists\n"), out);
        assertTrue(out.contains("(store buffer write-back)"), out);
    }

    @Test
    void badFilesAreReportedAndTheRestStillAnswered() throws IOException {
        Path good = write("SB.litmus", SB);
        Path bad = write("bad.litmus", "X86 bad\n{ }\n P0 ;\n CMPXCHG [x],EAX ;\nexists (0:EAX=0)\n");
        assertEquals(2, run("litmus", bad.toString(), good.toString(), dir.resolve("none.litmus").toString()));
        assertEquals(Pipeline.display(bad) + ":4:2: unsupported X86 instruction 'CMPXCHG'; mmx imports MOV, MFENCE, "
                + "XCHG and LOCK ADD/SUB/INC/DEC/XCHG\n" + Pipeline.display(dir.resolve("none.litmus"))
                + ": no such file\n", err);
        assertTrue(out.endsWith("mmx litmus: 3 tests, 1 answered (1 Ok, 0 No), 2 not answered, T s\n"), out);
    }

    @Test
    void aLimitMakesTheAnswerIncomplete() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(3, run("litmus", "--max-states", "1", f.toString()));
        assertEquals(Pipeline.display(f) + ": incomplete: the state limit (1 state) was reached\n", err);
    }

    @Test
    void unknownMemoryModelIsBadInput() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(2, run("litmus", "--mm", "power", f.toString()));
        assertEquals("mmx litmus: --mm must be sc, tso, arm or lkmm, not 'power'\n", err);
    }
}
