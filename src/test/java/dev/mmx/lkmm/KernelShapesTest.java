package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The classic shapes under LKMM, each with and without the ordering that
 * forbids its outcome; the verdicts are those the kernel's
 * tools/memory-model/litmus-tests give in their Result comments. Every
 * count is of executions, as herd7 counts them: with one write per
 * location, an execution is one choice of write for every read, so a test
 * with k reads of locations written once has 2^k candidates, of which the
 * model forbids the ones named in each comment.
 */
class KernelShapesTest {
    private static String sb(String fence) {
        return """
                C SB
                {}
                P0(int *x, int *y)
                {
                \tint r0;
                \tWRITE_ONCE(*x, 1);
                \t%s
                \tr0 = READ_ONCE(*y);
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tWRITE_ONCE(*y, 1);
                \t%s
                \tr0 = READ_ONCE(*x);
                }
                exists (0:r0=0 /\\ 1:r0=0)
                """.formatted(fence, fence);
    }

    @Test
    void storeBufferingIsAllowedWithoutStrongFences() {
        // SB+poonceonces: Sometimes; all 4 candidates are consistent
        assertEquals("""
                States 4
                0:r0=0; 1:r0=0;
                0:r0=0; 1:r0=1;
                0:r0=1; 1:r0=0;
                0:r0=1; 1:r0=1;
                Ok
                Witnesses
                Positive: 1 Negative: 3
                Condition exists (0:r0=0 /\\ 1:r0=0)
                Observation SB Sometimes 1 3""", LkmmFixture.lines(sb("")));
    }

    @Test
    void storeBufferingIsForbiddenBySmpMb() {
        // SB+fencembonceonces: Never; pb (prop ; strong-fence) is cyclic for the both-zero candidate
        assertEquals("""
                States 3
                0:r0=0; 1:r0=1;
                0:r0=1; 1:r0=0;
                0:r0=1; 1:r0=1;
                No
                Witnesses
                Positive: 0 Negative: 3
                Condition exists (0:r0=0 /\\ 1:r0=0)
                Observation SB Never 0 3""", LkmmFixture.lines(sb("smp_mb();")));
    }

    @Test
    void storeBufferingIsAllowedWithWmb() {
        // smp_wmb() orders stores against stores only, not a store against a later load
        assertEquals("Observation SB Sometimes 1 3", last(LkmmFixture.lines(sb("smp_wmb();"))));
    }

    private static String mp(String writer, String reader, String w, String r) {
        return """
                C MP
                {}
                P0(int *x, int *y)
                {
                \tWRITE_ONCE(*x, 1);
                \t%s
                \t%s(y, 1);
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tint r1;
                \tr0 = %s(y);
                \t%s
                \tr1 = READ_ONCE(*x);
                }
                exists (1:r0=1 /\\ 1:r1=0)
                """.formatted(writer, w, r, reader);
    }

    @Test
    void messagePassingNeedsOrderingOnBothSides() {
        // MP+poonceonces: Sometimes (4 of 4); one side ordered is not enough
        assertEquals("Observation MP Sometimes 1 3", last(LkmmFixture.lines(mp("", "", "WRITE_ONCE", "READ_ONCE"))));
        assertEquals("Observation MP Sometimes 1 3",
                last(LkmmFixture.lines(mp("smp_wmb();", "", "WRITE_ONCE", "READ_ONCE"))));
        assertEquals("Observation MP Sometimes 1 3",
                last(LkmmFixture.lines(mp("", "smp_rmb();", "WRITE_ONCE", "READ_ONCE"))));
    }

    @Test
    void messagePassingIsForbiddenByWmbAndRmb() {
        // MP+fencewmbonceonce+fencermbonceonce: Never; the r0=1, r1=0 candidate makes hb cyclic
        assertEquals("""
                States 3
                1:r0=0; 1:r1=0;
                1:r0=0; 1:r1=1;
                1:r0=1; 1:r1=1;
                No
                Witnesses
                Positive: 0 Negative: 3
                Condition exists (1:r0=1 /\\ 1:r1=0)
                Observation MP Never 0 3""",
                LkmmFixture.lines(mp("smp_wmb();", "smp_rmb();", "WRITE_ONCE", "READ_ONCE")));
    }

    @Test
    void messagePassingIsForbiddenByReleaseAndAcquire() {
        // MP+pooncerelease+poacquireonce: Never
        assertEquals("Observation MP Never 0 3",
                last(LkmmFixture.lines(mp("", "", "smp_store_release", "smp_load_acquire"))));
    }

    @Test
    void loadBufferingIsAllowedWithoutDependencies() {
        // LB+poonceonces: Sometimes; 4 candidates, none rejected (no ppo from a read to a later write)
        String lb = """
                C LB
                {}
                P0(int *x, int *y)
                {
                \tint r0;
                \tr0 = READ_ONCE(*x);
                \tWRITE_ONCE(*y, 1);
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tr0 = READ_ONCE(*y);
                \tWRITE_ONCE(*x, 1);
                }
                exists (0:r0=1 /\\ 1:r0=1)
                """;
        assertEquals("Observation LB Sometimes 1 3", last(LkmmFixture.lines(lb)));
        // LB+poacquireonce+pooncerelease: Never (acq-po and po-rel are in ppo)
        assertEquals("Observation LB Never 0 3", last(LkmmFixture.lines(lb
                .replace("r0 = READ_ONCE(*x);", "r0 = smp_load_acquire(x);")
                .replace("WRITE_ONCE(*x, 1);", "smp_store_release(x, 1);"))));
    }

    private static final String WRC = """
            C WRC
            {}
            P0(int *x)
            {
            \tWRITE_ONCE(*x, 1);
            }
            P1(int *x, int *y)
            {
            \tint r0;
            \tr0 = READ_ONCE(*x);
            \tWRITE_ONCE(*y, 1);
            }
            P2(int *x, int *y)
            {
            \tint r0;
            \tint r1;
            \tr0 = READ_ONCE(*y);
            \tr1 = READ_ONCE(*x);
            }
            exists (1:r0=1 /\\ 2:r0=1 /\\ 2:r1=0)
            """;

    @Test
    void writeToReadCausalityNeedsCumulativeRelease() {
        // WRC+poonceonces+Once: Sometimes, 8 of 8 candidates
        assertEquals("Observation WRC Sometimes 1 7", last(LkmmFixture.lines(WRC)));
        // WRC+pooncerelease+fencermbonceonce+Once: Never; release is A-cumulative, so 7 of 8 remain
        String ordered = WRC.replace("\tWRITE_ONCE(*y, 1);", "\tsmp_store_release(y, 1);")
                .replace("\tr1 = READ_ONCE(*x);", "\tsmp_rmb();\n\tr1 = READ_ONCE(*x);");
        assertEquals("Observation WRC Never 0 7", last(LkmmFixture.lines(ordered)));
    }

    private static String iriw(String fence) {
        return """
                C IRIW
                {}
                P0(int *x)
                {
                \tWRITE_ONCE(*x, 1);
                }
                P1(int *x, int *y)
                {
                \tint r0;
                \tint r1;
                \tr0 = READ_ONCE(*x);
                \t%s
                \tr1 = READ_ONCE(*y);
                }
                P2(int *y)
                {
                \tWRITE_ONCE(*y, 1);
                }
                P3(int *x, int *y)
                {
                \tint r0;
                \tint r1;
                \tr0 = READ_ONCE(*y);
                \t%s
                \tr1 = READ_ONCE(*x);
                }
                exists (1:r0=1 /\\ 1:r1=0 /\\ 3:r0=1 /\\ 3:r1=0)
                """.formatted(fence, fence);
    }

    @Test
    void independentReadsOfIndependentWritesNeedFullBarriers() {
        // IRIW+poonceonces+OnceOnce: Sometimes, 16 of 16; IRIW+fencembonceonces+OnceOnce: Never, 15 of 16;
        // smp_rmb() is not enough (IRIW shows LKMM is not multicopy-atomic for it)
        assertEquals("Observation IRIW Sometimes 1 15", last(LkmmFixture.lines(iriw(""))));
        assertEquals("Observation IRIW Sometimes 1 15", last(LkmmFixture.lines(iriw("smp_rmb();"))));
        assertEquals("Observation IRIW Never 0 15", last(LkmmFixture.lines(iriw("smp_mb();"))));
    }

    static String last(String lines) {
        return lines.substring(lines.lastIndexOf('\n') + 1);
    }
}
