package dev.mmx.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The textbook minimal fixes of the litmus shapes, written as barrier-less
 * models: for each shape the exact fixes under arm and tso, in rank order.
 * On arm a store-to-store pair needs smp_wmb or a release, a load-to-anything
 * pair smp_rmb or an acquire (or a release of a later store), and only a
 * store-to-load pair needs smp_mb; on tso only store-to-load pairs are
 * reordered at all.
 */
class FenceSearchTest {
    private static FenceSearch.Report fences(String shape, String mm) {
        return Advice.fences(Advice.DIR.resolve(shape + ".mmx"), mm, Map.of(), 4);
    }

    @Test
    void storeBufferingNeedsAFullBarrierOnBothSidesUnderTso() {
        FenceSearch.Report r = fences("sb", "tso");

        assertEquals(FenceSearch.Answer.FIXES, r.answer());
        assertEquals(List.of("smp_mb() before line 8 in cpu0; smp_mb() before line 14 in cpu1"), Advice.fixes(r));
        // sc, the failing tso check (both loads pass a buffered store), each smp_mb alone (each leaves the
        // other CPU's reordering), the pair, and the pair again from scratch: 6
        assertEquals(6, r.checks());
        assertEquals(2, r.fixes().get(0).changes().size());
        assertEquals(4, r.fixes().get(0).cost());
        assertEquals("""
                --- a/src/test/resources/advise/sb.mmx
                +++ b/src/test/resources/advise/sb.mmx
                @@ -5,12 +5,14 @@
                 thread cpu0 {
                     int r0;
                     WRITE_ONCE(x, 1);
                +    smp_mb();
                     r0 = READ_ONCE(y);
                 }
                \s
                 thread cpu1 {
                     int r1;
                     WRITE_ONCE(y, 1);
                +    smp_mb();
                     r1 = READ_ONCE(x);
                 }
                \s
                """, r.fixes().get(0).diff());
        // 12 states without the barriers (sc's count); the fenced tso run also holds store-buffer states
        assertEquals(31, r.fixes().get(0).states());
    }

    @Test
    void storeBufferingNeedsAFullBarrierOnBothSidesUnderArm() {
        assertEquals(List.of("smp_mb() before line 8 in cpu0; smp_mb() before line 14 in cpu1"),
                Advice.fixes(fences("sb", "arm")));
    }

    @Test
    void messagePassingNeedsAWriteSideAndAReadSideOrderingUnderArm() {
        FenceSearch.Report r = fences("mp", "arm");

        assertEquals(List.of(
                "smp_wmb() before line 7 in writer; smp_rmb() before line 14 in reader",
                "WRITE_ONCE at line 7 becomes smp_store_release in writer; "
                        + "READ_ONCE at line 13 becomes smp_load_acquire in reader",
                "smp_wmb() before line 7 in writer; READ_ONCE at line 13 becomes smp_load_acquire in reader",
                "WRITE_ONCE at line 7 becomes smp_store_release in writer; smp_rmb() before line 14 in reader",
                "smp_wmb() before line 7 in writer; smp_mb() before line 14 in reader",
                "smp_mb() before line 7 in writer; smp_rmb() before line 14 in reader",
                "WRITE_ONCE at line 7 becomes smp_store_release in writer; smp_mb() before line 14 in reader",
                "smp_mb() before line 7 in writer; READ_ONCE at line 13 becomes smp_load_acquire in reader",
                "smp_mb() before line 7 in writer; smp_mb() before line 14 in reader"), Advice.fixes(r));
        List<Integer> costs = r.fixes().stream().map(FenceSearch.Fix::cost).toList();
        assertEquals(List.of(2, 2, 2, 2, 3, 3, 3, 3, 4), costs);
        // ten candidates (three barriers before each second access, a release of each store, an acquire of each
        // load) make 55 sets of one or two; the counterexamples leave 10 to check, plus sc, the first arm
        // check and the nine re-checks
        assertEquals(21, r.checks());
    }

    @Test
    void messagePassingLoadBufferingWrcIriwAnd2Plus2WNeedNothingUnderTso() {
        for (String shape : List.of("mp", "lb", "wrc", "iriw", "2+2w")) {
            FenceSearch.Report r = fences(shape, "tso");
            assertEquals(FenceSearch.Answer.NOTHING_TO_FIX, r.answer(), shape);
            assertEquals("the model already passes under tso", r.note(), shape);
            assertEquals(2, r.checks(), shape);
        }
    }

    @Test
    void loadBufferingNeedsALoadToStoreOrderingOnBothSidesUnderArm() {
        List<String> fixes = Advice.fixes(fences("lb", "arm"));

        // per side: smp_rmb, acquire of the load, release of the store (cost 1) or smp_mb (cost 2): 4 x 4
        assertEquals(16, fixes.size());
        assertEquals("smp_rmb() before line 8 in cpu0; smp_rmb() before line 14 in cpu1", fixes.get(0));
        assertEquals("READ_ONCE at line 7 becomes smp_load_acquire in cpu0; "
                + "READ_ONCE at line 13 becomes smp_load_acquire in cpu1", fixes.get(1));
        assertEquals("smp_mb() before line 8 in cpu0; smp_mb() before line 14 in cpu1", fixes.get(15));
    }

    @Test
    void wrcNeedsTheRelayAndTheObserverOrderedUnderArm() {
        List<String> fixes = Advice.fixes(fences("wrc", "arm"));

        // cpu1 (load then store): rmb, acquire, release or mb; cpu2 (two loads): rmb, acquire or mb: 4 x 3
        assertEquals(12, fixes.size());
        assertEquals("smp_rmb() before line 12 in cpu1; smp_rmb() before line 19 in cpu2", fixes.get(0));
        assertEquals("smp_mb() before line 12 in cpu1; smp_mb() before line 19 in cpu2", fixes.get(11));
    }

    @Test
    void iriwNeedsBothReadersOrderedUnderArm() {
        List<String> fixes = Advice.fixes(fences("iriw", "arm"));

        // arm is multi-copy atomic: the writers need nothing, each reader rmb, acquire or mb: 3 x 3
        assertEquals(9, fixes.size());
        assertEquals("smp_rmb() before line 17 in r0; smp_rmb() before line 24 in r1", fixes.get(0));
        assertTrue(fixes.stream().noneMatch(f -> f.contains("in w0") || f.contains("in w1")), fixes.toString());
    }

    @Test
    void twoPlusTwoWritesNeedsBothWritersOrderedUnderArm() {
        List<String> fixes = Advice.fixes(fences("2+2w", "arm"));

        // each side smp_wmb, a release of the second store, or smp_mb: 3 x 3
        assertEquals(9, fixes.size());
        assertEquals("smp_wmb() before line 7 in cpu0; smp_wmb() before line 12 in cpu1", fixes.get(0));
    }

    @Test
    void rNeedsOneFullBarrierUnderTsoAndAWriteSideOrderingTooUnderArm() {
        // tso keeps cpu0's two stores in order; only cpu1's store-to-load pair is reordered
        assertEquals(List.of("smp_mb() before line 13 in cpu1"), Advice.fixes(fences("r", "tso")));
        assertEquals(List.of(
                "smp_wmb() before line 7 in cpu0; smp_mb() before line 13 in cpu1",
                "WRITE_ONCE at line 7 becomes smp_store_release in cpu0; smp_mb() before line 13 in cpu1",
                "smp_mb() before line 7 in cpu0; smp_mb() before line 13 in cpu1"), Advice.fixes(fences("r", "arm")));
    }

    @Test
    void aControlDependencyAloneDoesNotOrderTwoLoadsOnArm() {
        // the reader tests the flag and reads the data inside the if: arm may read the data speculatively
        assertEquals(List.of(
                "smp_rmb() before line 14 in reader",
                "READ_ONCE at line 13 becomes smp_load_acquire in reader",
                "smp_mb() before line 14 in reader"), Advice.fixes(fences("mp_ctrl", "arm")));
    }

    @Test
    void aLoadInADeclarationsInitialiserAndTwoStatementsOnOneLineCanBeFenced() {
        FenceSearch.Report r = fences("sb_decl", "tso");

        // cpu1's store and load share line 11: its barrier goes between them on that line
        assertEquals(List.of("smp_mb() before line 7 in cpu0; smp_mb() before line 11 in cpu1"), Advice.fixes(r));
        assertTrue(r.fixes().get(0).diff().contains("""
                -    WRITE_ONCE(y, 1); int r1 = READ_ONCE(x);
                +    WRITE_ONCE(y, 1); smp_mb(); int r1 = READ_ONCE(x);
                """), r.fixes().get(0).diff());
    }

    @Test
    void noFixWithinTheLimitIsAnAnswer() {
        FenceSearch.Report r = Advice.fences(Advice.DIR.resolve("sb.mmx"), "tso", Map.of(), 1);

        assertEquals(FenceSearch.Answer.NO_FIX, r.answer());
        assertEquals("no fix within 1 change", r.note());
        assertEquals(List.of(), r.fixes());
        // sc, the failing tso check, and each smp_mb alone
        assertEquals(4, r.checks());
    }

    @Test
    void aRaceThatFailsUnderScIsNotABarrierProblem() {
        FenceSearch.Report r = fences("lost_update", "arm");

        assertEquals(FenceSearch.Answer.FAILS_UNDER_SC, r.answer());
        assertEquals("the model violates exists under sc, where nothing is reordered, so no barrier can fix it",
                r.note());
        assertEquals(1, r.checks());
    }
}
