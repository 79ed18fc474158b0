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
    void theExecutionLimitOfLkmmIsTheSameRuleAsTheStateLimit() throws IOException {
        // SB with one fence has 4 executions under LKMM (each read sees the initial value or the other CPU's
        // write) and all are allowed: a limit of 4 answers, 3 is incomplete (4 used to be incomplete too)
        Path f = write("SB.litmus", SB);
        assertEquals(0, run("litmus", "--mm", "lkmm", "--max-states", "4", f.toString()));
        assertTrue(out.contains("Positive: 1 Negative: 3\n"), out);
        assertEquals(3, run("litmus", "--mm", "lkmm", "--max-states", "3", f.toString()));
        assertEquals(Pipeline.display(f) + ": incomplete: the execution limit (--max-states) was reached\n", err);
    }

    @Test
    void aTestWithNoConditionIsAnsweredAsForallTrue() throws IOException {
        // herd7 reads a missing final condition as "forall (true)" and shows only the locations a
        // locations [...] line names: here none, so every execution ends in the same, empty, state
        Path f = write("nocond.litmus", """
                C nocond
                {}
                P0(int *x)
                {
                \tWRITE_ONCE(*x, 1);
                }
                P1(int *x)
                {
                \tint r0;
                \tr0 = READ_ONCE(*x);
                }
                """);
        assertEquals(0, run("litmus", f.toString()));
        assertEquals("""
                Test nocond Required
                States 1

                Ok
                Witnesses
                Positive: 1 Negative: 0
                Condition forall (true)
                Observation nocond Always 1 0
                Time nocond T

                mmx litmus: 1 test, 1 answered (1 Ok, 0 No), 0 not answered, T s
                """, out);
        assertEquals("", err);
    }

    @Test
    void aSelfDeadlockHasNoExecutionAsInHerd() throws IOException {
        // LKMM (lock.cat, lock-nest): a spin_lock nested in a critical section of the same lock always
        // deadlocks, so herd7 finds no execution: States 0 and "Never 0 0", the Observation the kernel's
        // judgelitmus.sh reads as "Result: DEADLOCK"
        Path f = write("selfdead.litmus", """
                C selfdead
                {}
                P0(spinlock_t *l)
                {
                \tspin_lock(l);
                \tspin_lock(l);
                }
                """);
        assertEquals(0, run("litmus", f.toString()));
        assertEquals("""
                Test selfdead Required
                States 0
                Ok
                Witnesses
                Positive: 0 Negative: 0
                Condition forall (true)
                Observation selfdead Never 0 0
                Time selfdead T

                mmx litmus: 1 test, 1 answered (1 Ok, 0 No), 0 not answered, T s
                """, out);
        assertEquals(Pipeline.display(f) + ": 1 final state where a thread waits forever (P0 waits at line 6: "
                + "spin_lock(l); l held by P0); like herd7, the answer counts only executions in which every "
                + "thread finishes\n", err);
        // the same answer as LKMM's own rules give (--mm lkmm enumerates executions as herd7 does)
        String operational = out;
        assertEquals(0, run("litmus", "--mm", "lkmm", f.toString()));
        assertEquals(operational, out);
        assertEquals("", err);
    }

    @Test
    void anAbbaDeadlockLeavesOnlyTheExecutionsThatFinish() throws IOException {
        // each CPU takes a and b in opposite orders: the interleavings where both hold their first lock deadlock;
        // the others finish with x written twice, in either order
        Path f = write("abba.litmus", """
                C abba
                {}
                P0(spinlock_t *a, spinlock_t *b, int *x)
                {
                \tspin_lock(a);
                \tspin_lock(b);
                \tWRITE_ONCE(*x, 1);
                \tspin_unlock(b);
                \tspin_unlock(a);
                }
                P1(spinlock_t *a, spinlock_t *b, int *x)
                {
                \tspin_lock(b);
                \tspin_lock(a);
                \tWRITE_ONCE(*x, 2);
                \tspin_unlock(a);
                \tspin_unlock(b);
                }
                exists (x=1)
                """);
        assertEquals(0, run("litmus", "--mm", "sc", f.toString()));
        assertTrue(out.startsWith("""
                Test abba Allowed
                States 2
                [x]=1;
                [x]=2;
                Ok
                Witnesses
                Positive: 1 Negative: 1
                """), out);
        assertTrue(err.startsWith(Pipeline.display(f) + ": 1 final state where a thread waits forever"), err);
    }

    @Test
    void unknownMemoryModelIsBadInput() throws IOException {
        Path f = write("SB.litmus", SB);
        assertEquals(2, run("litmus", "--mm", "power", f.toString()));
        assertEquals("mmx litmus: --mm must be sc, tso, arm or lkmm, not 'power'\n", err);
    }
}
