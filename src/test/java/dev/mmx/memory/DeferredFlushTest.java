package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deferred-flush protocol as the kernel spells it (tlb_gather_mmu,
 * tlb_remove_page, tlb_finish_mmu, and the tlb_flush_pending count), pages'
 * contents (a lost write after a migration copy), and smp_processor_id().
 */
class DeferredFlushTest {
    private static final int ARM_WINDOW = 16;

    private static Result run(String text, String mm) {
        return KitChecks.run("gather.mmx", text, mm, ARM_WINDOW, Options.defaults().withPor(false));
    }

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(run(text, mm));
    }

    // zap_pte_range() clears the PTE and gathers the page; the page is freed only after the flush in
    // tlb_finish_mmu(), so no CPU's TLB maps a freed page. put_page() in place of the gather frees it too early.
    private static final String ZAP = """
            ghost page pg;
            shared int pte = mk_pte(&pg);
            ghost tlb tlb[1] walks {pte};
            thread user { bool ok; ok = user_read(0); }
            thread zap {
                tlb_gather_mmu();
                WRITE_ONCE(pte, 0);
                FREE(&pg);
                tlb_finish_mmu();
            }
            invariant safe: no_stale_tlb() && no_freed_access();
            """;

    @ParameterizedTest
    @CsvSource({"tlb_remove_page, sc, pass", "tlb_remove_page, tso, pass", "tlb_remove_page, arm, pass",
            "put_page, sc, safe", "put_page, tso, safe", "put_page, arm, safe"})
    void aGatheredPageIsFreedOnlyAfterTheFlush(String free, String mm, String expected) {
        assertEquals(expected, verdict(ZAP.replace("FREE", free), mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void theFlushPendingCountIsUpWhileAGatherIsInFlight(String mm) {
        // a CPU that finds the PTE cleared must also find the flush pending, until tlb_finish_mmu() ends it
        assertEquals("pass", verdict("""
                ghost page pg;
                shared int pte = mk_pte(&pg);
                ghost tlb tlb[1] walks {pte};
                thread zap { tlb_gather_mmu(); smp_mb(); WRITE_ONCE(pte, 0); tlb_finish_mmu(); }
                thread other {
                    bool pending = true;
                    if (READ_ONCE(pte) == 0) {
                        smp_rmb();
                        pending = mm_tlb_flush_pending();
                    }
                    assert(pending || tlb[0][0] == 0, "a stale entry while nothing says a flush is pending");
                }
                forall (!mm_tlb_flush_pending());
                """, mm));
    }

    // inc_tlb_flush_pending() is a relaxed atomic_inc: on arm a later store may become visible before it (P1
    // sees x = 1 and then, behind smp_rmb, no flush pending), unless smp_mb__after_atomic() follows it. On x86
    // it is a LOCK INC, a full barrier.
    private static final String INC = """
            shared int x = 0;
            thread p0 { inc_tlb_flush_pending(); AFTER WRITE_ONCE(x, 1); }
            thread p1 { int r1; bool r2; r1 = READ_ONCE(x); smp_rmb(); r2 = mm_tlb_flush_pending(); }
            exists (p1.r1 == 1 && !p1.r2);
            """;

    // dec_tlb_flush_pending() is a relaxed atomic_dec: on arm an earlier store may become visible after it (P1
    // sees the count go up and back down, and then misses x), unless smp_mb__before_atomic() precedes it.
    private static final String DEC = """
            shared int x = 0;
            thread p0 { inc_tlb_flush_pending(); smp_mb(); WRITE_ONCE(x, 1); BEFORE dec_tlb_flush_pending(); }
            thread p1 {
                bool r1; bool r2; int r3;
                r1 = mm_tlb_flush_pending(); smp_rmb(); r2 = mm_tlb_flush_pending(); smp_rmb(); r3 = READ_ONCE(x);
            }
            exists (p1.r1 && !p1.r2 && p1.r3 == 0);
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "           | pass | pass | exists",
        "smp_mb__after_atomic(); | pass | pass | pass",
    })
    void incrementingTheFlushPendingCountOrdersNothingAfterItOnArm(String after, String sc, String tso,
            String arm) {
        String model = INC.replace("AFTER", after == null ? "" : after);
        assertEquals(List.of(sc, tso, arm),
                List.of(verdict(model, "sc"), verdict(model, "tso"), verdict(model, "arm")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "                         | pass | pass | exists",
        "smp_mb__before_atomic(); | pass | pass | pass",
    })
    void decrementingTheFlushPendingCountOrdersNothingBeforeItOnArm(String before, String sc, String tso,
            String arm) {
        String model = DEC.replace("BEFORE", before == null ? "" : before);
        assertEquals(List.of(sc, tso, arm),
                List.of(verdict(model, "sc"), verdict(model, "tso"), verdict(model, "arm")));
    }

    @Test
    void theTlbFinishIsAFlushAndFreeStepThenTheDecrement() {
        // zap alone: the initial state, after the increment, the PTE clear, tlb_remove_page, the flush-and-free
        // and the decrement
        Result r = run(ZAP.replace("FREE", "tlb_remove_page").replace("thread user { bool ok; ok = user_read(0); }",
                ""), "sc");
        assertEquals(6, r.stats().states());
    }

    // Migration puts a migration entry in the PTE, copies the page's contents to the new page and points the
    // PTE at it. The user CPU cached a writable, dirty entry for the old page (its read filled it), so its write
    // needs no walk: after the copy it lands in the old page and is lost, unless the TLBs were flushed when the
    // migration entry went in (then the write walks to the migration entry and faults, to be retried).
    private static final String MIGRATE = """
            ghost page pg[2];
            shared int pte = pte_mkdirty(pte_mkwrite(mk_pte(&pg[0])));
            shared int x = 0;
            ghost tlb tlb[1] walks {pte};
            thread user { bool ok; int r; user_read(0); r = READ_ONCE(x); ok = user_write(0, 1); }
            thread migrate {
                WRITE_ONCE(pte, make_migration_entry(&pg[0]));
                FLUSH
                copy_highpage(&pg[1], &pg[0]);
                WRITE_ONCE(pte, pte_mkwrite(mk_pte(&pg[1])));
            }
            // a write that happened is in the page the PTE maps at the end
            forall (!user.ok || page_data(&pg[1]) == 1);
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aWriteThroughAStaleEntryAfterTheMigrationCopyIsLost(String mm) {
        assertEquals("forall", verdict(MIGRATE.replace("FLUSH", ""), mm));
        assertEquals("pass", verdict(MIGRATE.replace("FLUSH", "flush_tlb_page(0);"), mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void smpProcessorIdIsTheCpuAThreadRunsOn(String mm) {
        assertEquals("pass", verdict("""
                ghost int seen[3];
                thread a { seen[smp_processor_id()] = 1; }
                thread b[2] as i { int me; me = smp_processor_id(); seen[me] = me + 1; }
                forall (seen[0] == 1 && seen[1] == 2 && seen[2] == 3);
                """, mm));
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("gather.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("gather.mmx:2:14: smp_processor_id() is the CPU a thread runs on; a property runs on "
                + "none"), diagnostics("thread t { skip; }\nforall (0 == smp_processor_id());"));
        assertEquals(List.of("gather.mmx:1:28: tlb_remove_page() needs a page, like tlb_remove_page(&pg[0]); 'x' "
                + "is not a page; the model declares no page (declare one: 'ghost page pg[2];')"),
                diagnostics("thread t { tlb_remove_page(&x); }"));
        assertEquals(List.of("gather.mmx:2:12: copy_highpage() takes 2 arguments but is given 1"),
                diagnostics("ghost page pg;\nthread t { copy_highpage(&pg); }"));
    }
}
