package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.litmus.HerdReport;
import dev.mmx.litmus.LitmusParser;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RCU, SRCU, spinlocks (lock.cat) and plain accesses (data races) under
 * LKMM. Verdicts follow the kernel's Documentation/litmus-tests and
 * tools/memory-model/litmus-tests shapes; each count is of executions, hand
 * counted in the comment beside it.
 */
class KernelPrimitivesTest {
    private static String rcu(String reader, String grace) {
        return """
                C RCU
                {}
                P0(int *x, int *y)
                {
                \t%s
                \tWRITE_ONCE(*x, 1);
                \tWRITE_ONCE(*y, 1);
                \t%s
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tint r1;
                \tr0 = READ_ONCE(*x);
                \t%s
                \tr1 = READ_ONCE(*y);
                }
                exists (1:r0=1 /\\ 1:r1=0)
                """.formatted(reader.isEmpty() ? "" : reader + "_lock();", reader.isEmpty() ? "" : reader
                + "_unlock();", grace);
    }

    @Test
    void aReadSideCriticalSectionCannotSpanAGracePeriod() {
        // RCU+sync+read: Never. 4 candidates (each read: the initial value or P0's write); the
        // critical section overlapping the grace period on both sides (r0=1, r1=0) is rb-cyclic
        assertEquals("""
                States 3
                1:r0=0; 1:r1=0;
                1:r0=0; 1:r1=1;
                1:r0=1; 1:r1=1;
                No
                Witnesses
                Positive: 0 Negative: 3
                Condition exists (1:r0=1 /\\ 1:r1=0)
                Observation RCU Never 0 3""", LkmmFixture.lines(rcu("rcu_read", "synchronize_rcu();")));
    }

    @Test
    void withoutTheGracePeriodOrTheReaderNothingIsOrdered() {
        // the same shape with no synchronize_rcu(), or no read-side critical section: all 4 candidates
        assertEquals("Observation RCU Sometimes 1 3",
                KernelShapesTest.last(LkmmFixture.lines(rcu("rcu_read", ""))));
        assertEquals("Observation RCU Sometimes 1 3",
                KernelShapesTest.last(LkmmFixture.lines(rcu("", "synchronize_rcu();"))));
    }

    @Test
    void synchronizeRcuIsAFullBarrierByItself() {
        // gp is in strong-fence: SB with synchronize_rcu() for smp_mb() is Never, 3 of 4
        String sb = """
                C SB+sync
                {}
                P0(int *x, int *y)
                {
                \tint r0;
                \tWRITE_ONCE(*x, 1);
                \tsynchronize_rcu();
                \tr0 = READ_ONCE(*y);
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tWRITE_ONCE(*y, 1);
                \tsynchronize_rcu_expedited();
                \tr0 = READ_ONCE(*x);
                }
                exists (0:r0=0 /\\ 1:r0=0)
                """;
        assertEquals("Observation SB+sync Never 0 3", KernelShapesTest.last(LkmmFixture.lines(sb)));
    }

    private static String srcu(String readerStruct, String writerStruct) {
        return """
                C SRCU
                {}
                P0(int *x, int *y, struct srcu_struct *s, struct srcu_struct *t)
                {
                \tint idx;
                \tidx = srcu_read_lock(%s);
                \tWRITE_ONCE(*x, 1);
                \tWRITE_ONCE(*y, 1);
                \tsrcu_read_unlock(%s, idx);
                }
                P1(int *x, int *y, struct srcu_struct *s, struct srcu_struct *t)
                {
                \tint r0;
                \tint r1;
                \tr0 = READ_ONCE(*x);
                \tsynchronize_srcu(%s);
                \tr1 = READ_ONCE(*y);
                }
                exists (1:r0=1 /\\ 1:r1=0)
                """.formatted(readerStruct, readerStruct, writerStruct);
    }

    @Test
    void srcuGracePeriodsOrderOnlyTheirOwnStruct() {
        // srcu_read_lock() reads the struct: its own later srcu_read_unlock() is po-later, so the initial
        // value is its only source, and x and y give the 4 candidates. rcu-order's srcu terms hold only
        // "& loc": the same struct gives Never (3), another struct Sometimes (4)
        assertEquals("Observation SRCU Never 0 3", KernelShapesTest.last(LkmmFixture.lines(srcu("s", "s"))));
        assertEquals("Observation SRCU Sometimes 1 3", KernelShapesTest.last(LkmmFixture.lines(srcu("s", "t"))));
    }

    @Test
    void srcuUnlockWithAnotherIndexIsFlagged() {
        // srcu-rscs pairs a lock with the unlock its value flows to; an unlock given a constant matches none
        String bad = srcu("s", "s").replace("srcu_read_unlock(s, idx);", "srcu_read_unlock(s, 0);");
        assertEquals(List.of("unmatched-srcu-lock", "unmatched-srcu-unlock"), LkmmFixture.answer(bad).flags());
    }

    @Test
    void unmatchedRcuUnlockIsFlagged() {
        String bad = rcu("", "rcu_read_unlock();");
        assertEquals(List.of("unmatched-rcu-unlock"), LkmmFixture.answer(bad).flags());
    }

    @Test
    void lockedMessagePassingIsForbidden() {
        // MP+polocks: Never. Two lock orders. P0 first: P1 must then see both stores (1 execution);
        // P1 first: P1's critical section misses y, and the read of x after it may see either (2)
        String mp = """
                C MP+locks
                {}
                P0(int *x, int *y, spinlock_t *s)
                {
                \tWRITE_ONCE(*x, 1);
                \tspin_lock(s);
                \tWRITE_ONCE(*y, 1);
                \tspin_unlock(s);
                }
                P1(int *x, int *y, spinlock_t *s)
                {
                \tint r0;
                \tint r1;
                \tspin_lock(s);
                \tr0 = READ_ONCE(*y);
                \tspin_unlock(s);
                \tr1 = READ_ONCE(*x);
                }
                exists (1:r0=1 /\\ 1:r1=0)
                """;
        assertEquals("""
                States 3
                1:r0=0; 1:r1=0;
                1:r0=0; 1:r1=1;
                1:r0=1; 1:r1=1;
                No
                Witnesses
                Positive: 0 Negative: 3
                Condition exists (1:r0=1 /\\ 1:r1=0)
                Observation MP+locks Never 0 3""", LkmmFixture.lines(mp));
    }

    @Test
    void spinIsLockedReadsTheLockWithoutOrdering() {
        // RL (true) reads P0's LKW, RU (false) the initial value or P0's UL: 3 choices, times 2 for x.
        // Neither orders the later read, so all 6 are consistent; r0=0, r1=1 comes from 2 of them
        String t = """
                C is-locked
                {}
                P0(int *x, spinlock_t *s)
                {
                \tspin_lock(s);
                \tWRITE_ONCE(*x, 1);
                \tspin_unlock(s);
                }
                P1(int *x, spinlock_t *s)
                {
                \tint r0;
                \tint r1;
                \tr0 = spin_is_locked(s);
                \tr1 = READ_ONCE(*x);
                }
                exists (1:r0=0 /\\ 1:r1=1)
                """;
        assertEquals("""
                States 4
                1:r0=0; 1:r1=0;
                1:r0=0; 1:r1=1;
                1:r0=1; 1:r1=0;
                1:r0=1; 1:r1=1;
                Ok
                Witnesses
                Positive: 2 Negative: 4
                Condition exists (1:r0=0 /\\ 1:r1=1)
                Observation is-locked Sometimes 2 4""", LkmmFixture.lines(t));
    }

    @Test
    void aNestedSpinLockHasNoExecution() {
        // lock.cat's lock-nest check: spin_lock() of a lock the thread holds deadlocks
        String t = """
                C nested
                {}
                P0(int *x, spinlock_t *s)
                {
                \tspin_lock(s);
                \tspin_lock(s);
                \tWRITE_ONCE(*x, 1);
                }
                exists (x=1)
                """;
        assertEquals("""
                States 0
                No
                Witnesses
                Positive: 0 Negative: 0
                Condition exists ([x]=1)
                Observation nested Never 0 0""", LkmmFixture.lines(t));
    }

    private static final String PLAIN_MP = """
            C MP+plain
            {}
            P0(int *x, int *y)
            {
            \t*x = 1;
            \t%s(y, 1);
            }
            P1(int *x, int *y)
            {
            \tint r0;
            \tint r1 = 0;
            \tr0 = %s(y);
            \tif (r0)
            \t\tr1 = *x;
            }
            exists (1:r0=1 /\\ 1:r1=0)
            """;

    @Test
    void plainAccessesRaceWithoutOrdering() {
        // P1 reads x only when it saw y: 1 candidate without (r0=0) and 2 with (x: initial or P0's);
        // all 3 consistent, and P0's plain store races with P1's plain load
        HerdReport r = LkmmFixture.answer(PLAIN_MP.formatted("WRITE_ONCE", "READ_ONCE"));
        assertEquals(List.of("data-race"), r.flags());
        assertEquals("Flag data-race", r.lines().get(r.states().size() + 5));
        assertEquals("Observation MP+plain Sometimes 1 2", r.lines().get(r.lines().size() - 2));
    }

    @Test
    void releaseAndAcquireMakePlainAccessesRaceFree() {
        // the same with release/acquire on y: r1=0 after r0=1 is forbidden (2 of 3), and no race is left
        HerdReport r = LkmmFixture.answer(PLAIN_MP.formatted("smp_store_release", "smp_load_acquire"));
        assertEquals(List.of(), r.flags());
        assertEquals("Observation MP+plain Never 0 2", r.lines().get(r.lines().size() - 2));
    }

    @Test
    void anAllowedExecutionThatDereferencesNullIsAnError() {
        String t = """
                C null
                {}
                P0(int **p)
                {
                \tint *r0;
                \tint r1;
                \tr0 = READ_ONCE(*p);
                \tr1 = READ_ONCE(*r0);
                }
                exists (0:r1=0)
                """;
        LitmusRun.Outcome o = LkmmFixture.outcome(t);
        assertFalse(o.answered());
        // worded as under sc, tso and arm
        assertEquals("an execution faults: P0 line 8: *r0 dereferences NULL", o.error());
    }

    @Test
    void otherMemoryModelsRejectLkmmOnlyPrimitives() {
        LitmusParser.Result parsed = LitmusParser.parse("t.litmus", srcu("s", "s"));
        assertTrue(parsed.ok());
        LitmusRun.Prepared p = LitmusRun.prepare(parsed.test(), "tso");
        assertEquals("t.litmus:6:8: srcu_read_lock() is a primitive only the Linux-kernel memory model answers; "
                + "run with --mm lkmm", p.diagnostics().get(0).toString());
        // RCU is the kernel kit's under the other models (RcuLitmusTest checks it against LKMM)
        LitmusParser.Result rcu = LitmusParser.parse("t.litmus", rcu("rcu_read", "synchronize_rcu();"));
        assertEquals(List.of(), LitmusRun.prepare(rcu.test(), "arm").diagnostics());
    }
}
