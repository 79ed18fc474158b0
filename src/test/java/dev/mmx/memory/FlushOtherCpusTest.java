package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mmx.cli.Pipeline;
import dev.mmx.oracle.Behaviour;
import dev.mmx.system.Program;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A TLB flush drops the address from the TLB of every CPU, not only its own:
 * two CPUs cache addresses 1 and 0, a third caches 0, waits until all three
 * entries for 0 are there (so that no fill can come after its store, even
 * where a later access may overtake a fill), clears the PTE and flushes. Each model then has one final state,
 * whatever the interleaving, and it says exactly which entries the flush dropped.
 */
class FlushOtherCpusTest {
    private static final String MODEL = """
            shared int pte = 1;
            ghost tlb tlb[2];
            thread user[2] {
                tlb_fill(pte, 1);
                tlb_fill(pte, 0);
            }
            thread reclaim {
                tlb_fill(pte, 0);
                await (tlb[0][0] != 0 && tlb[1][0] != 0 && tlb[2][0] != 0);
                WRITE_ONCE(pte, 0);
                FLUSH;
            }
            """;

    /** The TLB entries of the final states: "CPU0 addr0, CPU0 addr1 / CPU1 ... / CPU2 ...". */
    private static Set<String> finalTlbs(String flush, String mm) {
        Pipeline.Loaded loaded = Pipeline.loadText("flush.mmx", MODEL.replace("FLUSH", flush), Map.of());
        assertEquals(List.of(), loaded.diagnostics());
        Program p = loaded.program();
        Behaviour b = Behaviour.of(p, Pipeline.system(p, mm, Bounds.DEFAULT), 100_000);
        assertNull(b.incomplete());
        assertEquals(Set.of(), b.safety());
        return b.finals().stream().map(f -> {
            Map<String, String> t = new TreeMap<>(f);
            return cached(t, "tlb[0][0]") + cached(t, "tlb[0][1]") + " " + cached(t, "tlb[1][0]")
                    + cached(t, "tlb[1][1]") + " " + cached(t, "tlb[2][0]") + cached(t, "tlb[2][1]");
        }).collect(Collectors.toSet());
    }

    /** 1 when the entry caches page 1 (entries print decoded: "page 1", "none"), 0 when empty. */
    private static String cached(Map<String, String> tlbs, String cell) {
        String v = tlbs.get(cell);
        return v.equals("none") ? "0" : v.equals("page 1") ? "1" : "?" + v;
    }

    @ParameterizedTest(name = "{0} under {1}")
    @CsvSource({
        // every CPU drops address 0 and keeps address 1 (page 1 cached by the two users, nothing by reclaim)
        "'flush_tlb_page(0)', sc, '01 01 00'",
        "'flush_tlb_page(0)', tso, '01 01 00'",
        "'flush_tlb_page(0)', arm, '01 01 00'",
        "'flush_tlb_range(0, 0)', sc, '01 01 00'",
        "'flush_tlb_range(0, 0)', arm, '01 01 00'",
        "'flush_tlb_ipi(0)', tso, '01 01 00'",
        "'flush_tlb_broadcast(0)', arm, '01 01 00'",
        // every address of every CPU
        "'flush_tlb_mm()', sc, '00 00 00'",
        "'flush_tlb_mm()', arm, '00 00 00'",
        // only the flushing CPU's own entry
        "'local_flush_tlb_page(0)', sc, '11 11 00'",
        "'local_flush_tlb_page(0)', arm, '11 11 00'",
        // no flush: every entry stays
        "'skip', sc, '11 11 10'",
        "'skip', tso, '11 11 10'",
        "'skip', arm, '11 11 10'",
    })
    void aFlushDropsTheAddressFromEveryCpusTlb(String flush, String mm, String tlbs) {
        assertEquals(Set.of(tlbs), finalTlbs(flush, mm));
    }
}
