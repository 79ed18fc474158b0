package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --mm lkmm end to end: mmx litmus on C tests, mmx check on loop-free models, traces, and the errors. */
class LkmmCommandsTest extends CommandTestBase {
    private static final Path CORPUS = Path.of("src/test/resources/litmus");

    @Test
    void litmusUnderLkmmPrintsHerdsAnswer() throws Exception {
        Path test = CORPUS.resolve("C/C-rel-seq1.litmus");
        Cli.Run r = run("litmus", "--mm", "lkmm", test);
        assertEquals(Main.PASS, r.exit());
        List<String> want = Files.readAllLines(Path.of(test + ".expected"));
        List<String> got = List.of(r.out().split("\n"));
        assertEquals(want, got.subList(0, want.size()));
        assertTrue(got.get(want.size()).startsWith("Time C-rel-seq1 "));
        assertEquals("", r.err());
    }

    @Test
    void lkmmAnswersCTestsOnly() {
        Cli.Run r = run("litmus", "--mm", "lkmm", CORPUS.resolve("X86/2+2W+mfence+po.litmus"));
        assertEquals(Main.BAD_INPUT, r.exit());
        assertEquals("src/test/resources/litmus/X86/2+2W+mfence+po.litmus:1:1: --mm lkmm answers C litmus tests (the "
                + "Linux-kernel memory model), and this is an X86 test; answer it under --mm tso\n", r.err());
    }

    @Test
    void litmusTraceShowsTheReadsFromAndCoherenceChoices() {
        Cli.Run r = run("litmus", "--mm", "lkmm", "--trace", CORPUS.resolve("C/C-w+ro-wo+wo-ro.litmus"));
        assertEquals(Main.PASS, r.exit());
        String trace = r.out().substring(r.out().indexOf("src/test/resources"), r.out().lastIndexOf("mmx litmus:"));
        // the allowed outcome y=2, 1:r1=1, 2:r4=0: P1 reads P0's x, P2 misses it, and P1's y is co-before P2's
        assertEquals("""
                src/test/resources/litmus/C/C-w+ro-wo+wo-ro.litmus under lkmm: violates exists

                     P0                                   | P1                                   | P2
                     -------------------------------------+--------------------------------------+-------------------------------------
                  1  10: WRITE_ONCE(*x, 1);               |                                      |
                       x = 1                              |                                      |
                  2                                       | 15: int r1 = READ_ONCE(*x);          |
                                                          |   reads x = 1, written by P0 line 10 |
                  3                                       | 16: WRITE_ONCE(*y, 1);               |
                                                          |   y = 1 (coherence: write 1 of 2)    |
                  4                                       |                                      | 22: WRITE_ONCE(*y, 2);
                                                          |                                      |   y = 2 (coherence: write 2 of 2)
                  5                                       |                                      | 23: r4 = READ_ONCE(*x);
                                                          |                                      |   reads x = 0, the initial value

                VIOLATION of exists: LKMM allows an execution whose final state satisfies exists ([y]=2 /\\ 1:r1=1 /\\ 2:r4=0)
                    1:r1 = 1
                    2:r4 = 0
                    [y] = 2
                    coherence of y: 0 (initial) -> 1 (P1 line 16) -> 2 (P2 line 22)


                """, trace);
    }

    private static final String SB = """
            param MB = 0;
            shared int x = 0;
            shared int y = 0;
            thread a {
                int r0;
                WRITE_ONCE(x, 1);
                if (MB == 1) { smp_mb(); }
                r0 = READ_ONCE(y);
            }
            thread b {
                int r1;
                WRITE_ONCE(y, 1);
                if (MB == 1) { smp_mb(); }
                r1 = READ_ONCE(x);
            }
            ~exists (a.r0 == 0 && b.r1 == 0);
            """;

    @Test
    void checkUnderLkmmPassesWithFullBarriers() throws Exception {
        Path m = Files.writeString(tmp.resolve("sb.mmx"), SB);
        Cli.Run r = run("check", m, "--mm", "lkmm", "-D", "MB=1");
        assertEquals(Main.PASS, r.exit());
        // SB with smp_mb() on both sides: 3 of the 4 candidate executions are allowed
        assertEquals("pass: no violation in 3 executions LKMM allows, of 4 candidates\n", r.out());
    }

    @Test
    void checkUnderLkmmFindsStoreBuffering() throws Exception {
        Path m = Files.writeString(tmp.resolve("sb.mmx"), SB);
        Path json = tmp.resolve("sb.json");
        Cli.Run r = run("check", m, "--mm", "lkmm", "--trace-out", json, "--html");
        assertEquals(Main.VIOLATION, r.exit());
        assertTrue(r.out().contains("VIOLATION of exists: a final state satisfies ~exists (a.r0 == 0 && b.r1 == 0)\n"
                + "    a.r0 = 0\n    b.r1 = 0\n"), r.out());
        assertTrue(r.out().endsWith("trace: " + normalPath(json) + "\nview: " + normalPath(tmp.resolve("sb.html"))
                + "\n"), r.out());
        Trace t = TraceJson.read(json);
        assertEquals("lkmm", t.memoryModel());
        assertEquals(List.of("a", "b"), t.threads());
        assertEquals(4, t.steps().size());
        assertTrue(Files.readString(tmp.resolve("sb.html")).contains("lkmm"));

        Cli.Run replay = run("replay", json);
        assertEquals(Main.BAD_INPUT, replay.exit());
        assertTrue(replay.err().contains("is one execution the Linux-kernel memory model allows, not an "
                + "interleaving of steps"), replay.err());
    }

    private static String normalPath(Path p) {
        return Pipeline.display(p);
    }

    @Test
    void checkUnderLkmmRejectsLoopsWithTheirPosition() throws Exception {
        Path m = Files.writeString(tmp.resolve("loop.mmx"), """
                shared int x = 0;
                thread a {
                    int r = 0;
                    while (r == 0) {
                        r = READ_ONCE(x);
                    }
                }
                thread b {
                    WRITE_ONCE(x, 1);
                }
                """);
        Cli.Run r = run("check", m, "--mm", "lkmm");
        assertEquals(Main.BAD_INPUT, r.exit());
        assertEquals(normalPath(m) + ":4:5: this loop cannot be answered under lkmm: LKMM, like herd7, answers "
                + "threads without loops (unroll the loop by hand, or check it under sc, tso or arm)\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aFaultInAnAllowedExecutionIsAViolation() throws Exception {
        // t reads x = 1 (u's write) in one of the two executions, and a[2] is past the end
        Path m = Files.writeString(tmp.resolve("idx.mmx"), """
                shared int a[2];
                shared int x = 0;
                thread t {
                    int i;
                    int r;
                    i = READ_ONCE(x);
                    r = READ_ONCE(a[i + 1]);
                }
                thread u {
                    WRITE_ONCE(x, 1);
                }
                """);
        Cli.Run r = run("check", m, "--mm", "lkmm", "--trace-out", tmp.resolve("idx.json"));
        assertEquals(Main.VIOLATION, r.exit());
        assertTrue(r.out().contains("VIOLATION of index_out_of_range: t line 7: index 2 is out of range for a[2] "
                + "(valid: 0..1)\n"), r.out());
    }

    @Test
    void checkUnderLkmmSaysInvariantsAreCheckedAtTheEnd() throws Exception {
        Path m = Files.writeString(tmp.resolve("inv.mmx"), """
                shared int x = 0;
                ghost bool done = false;
                thread a {
                    WRITE_ONCE(x, 1);
                    done = true;
                }
                invariant finished: !done || x == 1;
                """);
        Cli.Run r = run("check", m, "--mm", "lkmm");
        assertEquals(Main.PASS, r.exit());
        assertEquals("pass: no violation in 1 execution LKMM allows, of 1 candidates\n"
                + "note: under lkmm an execution has no intermediate states; invariants are checked on the final "
                + "state of each execution\n", r.out());
    }
}
