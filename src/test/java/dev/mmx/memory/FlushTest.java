package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Options;
import dev.mmx.lang.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLB flushes: the kernel's flush_tlb_page, flush_tlb_range and flush_tlb_mm do
 * what the memory model's architecture does (an IPI shootdown on x86, sc
 * following it; a broadcast TLBI on arm64), flush_tlb_ipi and
 * flush_tlb_broadcast force one of them, and local_flush_tlb_page flushes only
 * the calling CPU. Every flush is a full barrier.
 */
class FlushTest {
    static String verdict(String text, String mm) {
        return KitChecks.verdict(KitChecks.run("flush.mmx", text, mm, 16, Options.defaults().withPor(false)));
    }

    // CPU 1 flushes while holding the page-table lock; CPU 0 disables interrupts, then spins on that lock.
    // An IPI cannot be delivered to CPU 0, which cannot get the lock: a deadlock wherever the flush waits.
    private static final String IPI = """
            ghost tlb tlb[2];
            spinlock ptl;
            thread cpu0 {
                local_irq_disable();
                spin_lock(&ptl);
                spin_unlock(&ptl);
                local_irq_enable();
            }
            thread cpu1 {
                spin_lock(&ptl);
                FLUSH;
                spin_unlock(&ptl);
            }
            """;

    @ParameterizedTest
    @CsvSource({
        "flush_tlb_page(0),       sc, deadlock", "flush_tlb_page(0),       tso, deadlock",
        "flush_tlb_page(0),       arm, pass",
        "flush_tlb_range(0 1),    sc, deadlock", "flush_tlb_range(0 1),    tso, deadlock",
        "flush_tlb_range(0 1),    arm, pass",
        "flush_tlb_mm(),          sc, deadlock", "flush_tlb_mm(),          tso, deadlock",
        "flush_tlb_mm(),          arm, pass",
        "flush_tlb_ipi(0),        sc, deadlock", "flush_tlb_ipi(0),        tso, deadlock",
        "flush_tlb_ipi(0),        arm, deadlock",
        "flush_tlb_broadcast(0),  sc, pass",     "flush_tlb_broadcast(0),  tso, pass",
        "flush_tlb_broadcast(0),  arm, pass",
        "local_flush_tlb_page(0), sc, pass",     "local_flush_tlb_page(0), tso, pass",
        "local_flush_tlb_page(0), arm, pass",
    })
    void aFlushWaitsForCpusWithInterruptsOffExactlyWhereItIsAnIpi(String flush, String mm, String expected) {
        assertEquals(expected, verdict(IPI.replace("FLUSH", flush.replace(' ', ',')), mm));
    }

    // The reclaimer clears the PTE, flushes and frees the page while the user's MMU walks the PTE. The walk
    // reads memory directly, so a flush that let the PTE store wait behind it (in tso's store buffer, or
    // performed late on arm) would let the walk cache the old page after the flush: each flush must be a
    // full barrier for this to pass.
    private static final String STALE = """
            ghost tlb tlb[2];
            ghost page pg[2];
            shared int pte = 2;           // address 1 maps pg[1], page number 2
            thread user { tlb_fill(pte, 1); }
            thread reclaim {
                WRITE_ONCE(pte, 0);
                FLUSH;
                put_page(&pg[1]);
            }
            invariant safe: no_stale_tlb();
            """;

    @ParameterizedTest
    @CsvSource({
        "flush_tlb_page(1), sc", "flush_tlb_page(1), tso", "flush_tlb_page(1), arm",
        "flush_tlb_range(1 1), sc", "flush_tlb_range(1 1), tso", "flush_tlb_range(1 1), arm",
        "flush_tlb_mm(), sc", "flush_tlb_mm(), tso", "flush_tlb_mm(), arm",
        "flush_tlb_ipi(1), sc", "flush_tlb_ipi(1), tso", "flush_tlb_ipi(1), arm",
        "flush_tlb_broadcast(1), sc", "flush_tlb_broadcast(1), tso", "flush_tlb_broadcast(1), arm",
    })
    void aFlushOnEveryCpuBeforeTheFreeIsSafe(String flush, String mm) {
        assertEquals("pass", verdict(STALE.replace("FLUSH", flush.replace(' ', ',')), mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aFlushOfOtherAddressesOrOfThisCpuOnlyLeavesTheEntry(String mm) {
        assertEquals("safe", verdict(STALE.replace("FLUSH", "flush_tlb_page(0)"), mm));
        assertEquals("safe", verdict(STALE.replace("FLUSH", "flush_tlb_range(0, 0)"), mm));
        assertEquals("safe", verdict(STALE.replace("FLUSH", "local_flush_tlb_page(1)"), mm));
    }

    // A CPU that changes a PTE, flushes its own TLB and walks again must see the new PTE: on x86 INVLPG is
    // serialising (the store buffer drains first), on arm64 DSB NSHST orders the store before the TLBI, and
    // every kit step runs after the CPU's earlier accesses. Without the flush, tso's walk reads the old PTE
    // from memory behind the buffered store.
    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aLocalFlushOrdersTheCpusOwnNextWalkAfterItsStore(String mm) {
        String model = """
                ghost tlb tlb[1];
                shared int pte = 1;
                thread t {
                    tlb_fill(pte, 0);
                    WRITE_ONCE(pte, 2);
                    local_flush_tlb_page(0);
                    tlb_fill(pte, 0);
                }
                forall (tlb[0][0] == 2);
                """;
        assertEquals("pass", verdict(model, mm));
        assertEquals(mm.equals("tso") ? "forall" : "pass", verdict(model.replace("local_flush_tlb_page(0);", ""), mm));
    }

    // Store buffering with a kit step between one CPU's store and load. A flush to every CPU is a full
    // barrier on both architectures (an IPI, or DSB ISH after the TLBI), so r0 = r1 = 0 is unreachable;
    // without it tso and arm reach it. The local flush is INVLPG on x86, serialising; on arm64 its DSB NSH
    // orders nothing for other CPUs, so arm still reaches it.
    private static final String SB = """
            ghost page pg;
            ghost tlb tlb[1] walks {0};
            shared int x = 0;
            shared int y = 0;
            thread t0 { int r0; WRITE_ONCE(x, 1); FLUSH; r0 = READ_ONCE(y); }
            thread t1 { int r1; WRITE_ONCE(y, 1); smp_mb(); r1 = READ_ONCE(x); }
            exists (t0.r0 == 0 && t1.r1 == 0);
            """;

    @ParameterizedTest
    @CsvSource({
        "flush_tlb_page(0), pass, pass, pass", "flush_tlb_range(0 0), pass, pass, pass",
        "flush_tlb_mm(), pass, pass, pass", "flush_tlb_ipi(0), pass, pass, pass",
        "flush_tlb_broadcast(0), pass, pass, pass", "local_flush_tlb_page(0), pass, pass, exists",
        "skip, pass, exists, exists",
        // the end of a gather flushes and frees: a full barrier; its start is atomic_inc, a relaxed void atomic
        // (a locked instruction on x86)
        "tlb_finish_mmu(), pass, pass, pass", "tlb_gather_mmu(), pass, pass, exists",
        // the user program's access and the MMU's walk order nothing
        "user_read(0), pass, exists, exists", "user_write(0), pass, exists, exists",
        "tlb_fill(0), pass, exists, exists",
        "tlb_remove_page(&pg), pass, exists, exists",
        // the migration copy is published behind folio_mark_uptodate()'s smp_wmb(): the kit makes it a full barrier
        "copy_highpage(&pg &pg), pass, pass, pass",
    })
    void everyFlushToAllCpusIsAFullBarrier(String flush, String sc, String tso, String arm) {
        String model = SB.replace("FLUSH", flush.replace(' ', ','));
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"),
                verdict(model, "arm")));
    }

    @Test
    void flushTlbMmDropsEveryAddressOfEveryCpu() {
        // a and b fill three entries on two CPUs, then d flushes the whole address space
        String flat = """
                ghost tlb tlb[3];
                shared int pte = 1;
                ghost int done = 0;
                thread a { tlb_fill(pte, 0); tlb_fill(pte, 2); done += 1; }
                thread b { tlb_fill(pte, 1); done += 1; }
                thread d { await(done == 2); flush_tlb_mm(); }
                forall (forall c in 0..2: forall x in 0..2: tlb[c][x] == 0);
                """;
        assertEquals("pass", verdict(flat, "sc"));
        assertEquals("forall", verdict(flat.replace("flush_tlb_mm()", "flush_tlb_range(0, 1)"), "sc"));
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("flush.mmx:1:12: flush_tlb_mm() needs the TLBs declared, like 'ghost tlb tlb[NADDR];' "
                + "(one TLB per CPU, translating addresses 0..NADDR-1)"),
                diagnostics("thread t { flush_tlb_mm(); }"));
        assertEquals(List.of("flush.mmx:2:12: flush_tlb_mm() takes 0 arguments but is given 1"),
                diagnostics("ghost tlb tlb[1];\nthread t { flush_tlb_mm(0); }"));
        assertEquals(List.of("flush.mmx:2:12: local_flush_tlb_page() takes 1 argument but is given 2"),
                diagnostics("ghost tlb tlb[1];\nthread t { local_flush_tlb_page(0, 1); }"));
        assertEquals(List.of("flush.mmx:2:23: flush_tlb_broadcast() returns no value; call it as a statement, "
                + "like flush_tlb_broadcast(...);"),
                diagnostics("ghost tlb tlb[1];\nthread t { int r; r = flush_tlb_broadcast(0); }"));
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("flush.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }
}
