package dev.mmx.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.trace.CpuColumns;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** mmx explain's reading of a weak counterexample: which accesses of which CPU took effect out of order. */
class ExplainTest {
    private static Explain.Explanation explain(String shape, String mm) {
        String name = Advice.DIR.resolve(shape + ".mmx").toString();
        return Explain.run(Advice.text(Advice.DIR.resolve(shape + ".mmx")), mm, Advice.checker(name, Map.of()));
    }

    private static List<String> sentences(Explain.Explanation x) {
        return x.reorderings().stream().map(Reordering::sentence).toList();
    }

    @Test
    void storeBufferingUnderTsoIsEachLoadPassingItsCpusBufferedStore() {
        Explain.Explanation x = explain("sb", "tso");

        assertEquals(List.of(
                "cpu0's load at line 8 (r0 = READ_ONCE(y);) was performed before its store at line 7 "
                        + "(WRITE_ONCE(x, 1);) became visible to other CPUs: the store was still in the store buffer "
                        + "(step 2).",
                "cpu1's load at line 14 (r1 = READ_ONCE(x);) was performed before its store at line 13 "
                        + "(WRITE_ONCE(y, 1);) became visible to other CPUs: the store was still in the store buffer "
                        + "(step 4)."), sentences(x));
        assertEquals("Keeping line 7 before line 8 in cpu0 rules this trace out: smp_mb() between them.",
                x.reorderings().get(0).edge("tso"));
        assertEquals("store buffering", x.reorderings().get(0).shape());
        // the marks sit on the steps that performed the loads, in the CPU columns and so in the HTML page
        List<String> lines = CpuColumns.render(x.marked()).lines()
                .map(l -> l.strip().replaceAll(" +", " ")).toList();
        int step2 = lines.indexOf("2 8: r0 = READ_ONCE(y); |");
        assertEquals(List.of("reads y = 0 |", "r0 = 0 |", "[1] store buffering: before line 7 |"),
                lines.subList(step2 + 1, step2 + 4));
        assertEquals("| [2] store buffering: before line 13", lines.get(lines.indexOf("| r1 = 0") + 1));
    }

    @Test
    void messagePassingUnderArmIsTheWritersTwoStoresReordered() {
        Explain.Explanation x = explain("mp", "arm");

        assertEquals(List.of("writer's store at line 7 (WRITE_ONCE(flag, 1);) became visible before its earlier "
                + "store at line 6 (WRITE_ONCE(data, 1);): two stores reordered (step 1)."), sentences(x));
        assertEquals("Keeping line 6 before line 7 in writer rules this trace out: smp_wmb() between them or "
                + "smp_store_release() for line 7.", x.reorderings().get(0).edge("arm"));
    }

    @Test
    void aLoadReadSpeculativelyPastABranchIsNamedSo() {
        Explain.Explanation x = explain("mp_ctrl", "arm");

        assertEquals(List.of("reader's load at line 14 (r1 = READ_ONCE(data);) was performed before its earlier load "
                + "at line 13 (READ_ONCE(flag)), speculatively, past the unresolved branch at line 13 (step 2)."),
                sentences(x));
        assertEquals("a load performed early past an unresolved branch", x.reorderings().get(0).shape());
    }

    @Test
    void loadBufferingUnderArmIsAStorePassingAnEarlierLoad() {
        Explain.Explanation x = explain("lb", "arm");

        assertEquals("a store passed an earlier load", x.reorderings().get(0).shape());
        assertEquals("Keeping line 7 before line 8 in cpu0 rules this trace out: smp_rmb() between them, "
                + "smp_load_acquire() for line 7 or smp_store_release() for line 8.", x.reorderings().get(0).edge("arm"));
    }

    @Test
    void aModelThatPassesHasNothingToExplain() {
        Explain.Explanation x = explain("mp", "tso");

        assertTrue(x.weak().passes());
        assertEquals(List.of(), x.reorderings());
        assertNull(x.marked());
    }

    @Test
    void aRaceUnderScNeedsNoReorderingAndShowsScsTrace() {
        Explain.Explanation x = explain("lost_update", "arm");

        assertTrue(x.sc().fails());
        assertEquals(List.of(), x.reorderings());
        assertEquals("sc", x.marked().memoryModel());
    }

    @Test
    void gupFastWithoutTheMbPairReliesOnKsmsAccessesPassingThePteClear() {
        String name = Advice.MODELS.resolve("gup_fast_anon_exclusive.mmx").toString();
        Explain.Explanation x = Explain.run(Advice.text(Advice.MODELS.resolve("gup_fast_anon_exclusive.mmx")), "arm",
                Advice.checker(name, Map.of("KSM_MB", "0", "GUP_MB", "0")));

        // the shortest counterexample reads the pin count (A2) and clears PageAnonExclusive (A3) before the
        // PTE clear (A1) has taken effect: the missing smp_mb is KSM's
        assertEquals(List.of(
                "ksm's load at line 70 (READ_ONCE(pincount)) took effect before its earlier read-modify-write at "
                        + "line 66 (old = xchg_relaxed(&pte, NONE);) (step 1).",
                "ksm's store at line 73 (WRITE_ONCE(anon_exclusive, false);) took effect before its earlier "
                        + "read-modify-write at line 66 (old = xchg_relaxed(&pte, NONE);) (step 2)."), sentences(x));
        assertEquals("Keeping line 66 before line 70 in ksm rules this trace out: smp_mb() between them.",
                x.reorderings().get(0).edge("arm"));
    }
}
