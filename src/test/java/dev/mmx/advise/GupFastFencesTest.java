package dev.mmx.advise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * GUP-fast against PageAnonExclusive (models/gup_fast_anon_exclusive.mmx)
 * with its barriers switched off: the fence search must find the kernel's
 * barriers, and nothing to add on x86.
 */
class GupFastFencesTest {
    private static final java.nio.file.Path GUP = Advice.MODELS.resolve("gup_fast_anon_exclusive.mmx");

    @Test
    void withoutTheMbPairArmNeedsAFullBarrierOnEachSide() {
        FenceSearch.Report r = Advice.fences(GUP, "arm", Map.of("KSM_MB", "0", "GUP_MB", "0"), 4);

        // the kernel's pair and nothing else: smp_mb() after KSM's PTE clear (A1), smp_mb__after_atomic() after
        // GUP-fast's pin (B3); an acquire or smp_rmb cannot order a store before a later load
        assertEquals(List.of("smp_mb() before line 67 in ksm; smp_mb__after_atomic() before line 86 in gup_fast"),
                Advice.fixes(r));
        assertEquals(4, r.fixes().get(0).cost());
    }

    @Test
    void withoutTheMbPairTsoNeedsNothing() {
        FenceSearch.Report r = Advice.fences(GUP, "tso", Map.of("KSM_MB", "0", "GUP_MB", "0"), 4);

        // the PTE clear and the pin are locked instructions on x86
        assertEquals(FenceSearch.Answer.NOTHING_TO_FIX, r.answer());
    }

    @Test
    void withoutAnyBarrierTheKernelsFourAreTheCheapestFix() {
        FenceSearch.Report r = Advice.fences(GUP, "arm", Map.of("KSM_MB", "0", "GUP_MB", "0", "WMB_RMB", "0", "PTE_UNCHANGED", "1"), 4);
        List<String> fixes = Advice.fixes(r);

        // both pairs are needed once the PTE is restored to the value GUP-fast read: four changes at least
        assertEquals("smp_mb() before line 67 in ksm; smp_wmb() before line 74 in ksm; "
                + "smp_mb__after_atomic() before line 86 in gup_fast; smp_rmb() before line 92 in gup_fast",
                fixes.get(0));
        // the kernel's set costs 2 + 1 + 2 + 1; no fix is cheaper, and the three of equal cost swap smp_wmb for a
        // release of A4 and/or smp_rmb for an acquire of B4
        assertEquals(6, r.fixes().get(0).cost());
        assertEquals(List.of(6, 6, 6, 6, 7, 7, 7, 7, 8), r.fixes().stream().map(FenceSearch.Fix::cost).toList());
        assertTrue(r.fixes().stream().allMatch(f -> f.changes().size() == 4));
        assertTrue(fixes.stream().allMatch(f -> f.startsWith("smp_mb() before line 67 in ksm;")
                && f.contains("smp_mb__after_atomic() before line 86 in gup_fast")), fixes.toString());
    }
}
