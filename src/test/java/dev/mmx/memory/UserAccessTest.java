package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.Program;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PTE permissions, the user program's accesses through the TLB, the MMU's own
 * walks, and the properties on them: stale writes and freed accesses.
 */
class UserAccessTest {
    private static Result run(String text, String mm, boolean por) {
        return KitChecks.run("user.mmx", text, mm, 16, Options.defaults().withPor(por));
    }

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(run(text, mm, false));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void thePteHelpersBuildAndTestEntriesWithoutTouchingThePageNumber(String mm) {
        assertEquals("pass", verdict("""
                ghost page pg[3];
                shared int pte = pte_mkwrite(mk_pte(&pg[2]));
                thread t {
                    int v; int w;
                    v = READ_ONCE(pte);
                    assert(pte_present(v) && pte_write(v) && !pte_dirty(v) && pte_pfn(v) == 3);
                    assert(pte_pfn(v) == page_to_pfn(&pg[2]) && !pte_none(v) && !pte_protnone(v));
                    w = pte_mkdirty(pte_mkyoung(pte_wrprotect(v)));
                    assert(!pte_write(w) && pte_dirty(w) && pte_young(w) && pte_pfn(w) == 3);
                    w = pte_mkclean(pte_mkold(w));
                    assert(!pte_dirty(w) && !pte_young(w) && w == mk_pte(&pg[2]));
                    w = pte_modify(v, PAGE_NONE);
                    assert(pte_present(w) && pte_protnone(w) && !pte_write(w) && pte_pfn(w) == 3);
                    w = make_migration_entry(&pg[0]);
                    assert(!pte_present(w) && is_migration_entry(w) && pte_pfn(w) == 1 && !pte_none(w));
                    assert(pte_none(0) && !pte_present(0));
                }
                """, mm));
    }

    // One CPU writes through its TLB; the PTE says what the write may do.
    private static final String ONE = """
            ghost page pg;
            shared int pte = PTE;
            ghost tlb tlb[1] walks {pte};
            thread t { bool ok; ok = user_write(0); }
            forall (FINAL);
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // writable: a walk, the MMU sets the dirty bit in the PTE and caches the entry
        "pte_mkwrite(mk_pte(&pg))          | t.ok && pte_dirty(pte) && tlb[0][0] == pte",
        // read-only, none, PROT_NONE, a migration entry: a page fault, no access and no entry
        "mk_pte(&pg)                       | !t.ok && !pte_dirty(pte) && tlb[0][0] == 0",
        "0                                 | !t.ok && tlb[0][0] == 0",
        "pte_modify(pte_mkwrite(mk_pte(&pg)), PAGE_NONE) | !t.ok && tlb[0][0] == 0",
        "make_migration_entry(&pg)         | !t.ok && tlb[0][0] == 0",
    })
    void aWriteGoesThroughAWritablePteAndFaultsOnAnyOther(String pte, String fin) {
        for (String mm : List.of("sc", "tso", "arm")) {
            assertEquals("pass", verdict(ONE.replace("PTE", pte).replace("FINAL", fin), mm), mm);
        }
    }

    @Test
    void aReadNeedsOnlyAPresentPteAndAWriteThroughAReadOnlyEntryFaultsAndDropsIt() {
        assertEquals("pass", verdict("""
                ghost page pg;
                shared int pte = mk_pte(&pg);
                ghost tlb tlb[1] walks {pte};
                thread t { bool r; bool w; r = user_read(0); w = user_write(0); }
                forall (t.r && !t.w && tlb[0][0] == 0 && !pte_dirty(pte));
                """, "sc"));
    }

    // mprotect(PROT_READ) write-protects the PTE and flushes; a user CPU that cached a writable entry keeps
    // writing until the flush reaches it. A flush of every CPU's TLB closes that; a local flush does not, and
    // the next write goes through the stale entry. (The user's load between its writes keeps them two points
    // in time under arm too, where a kit step may otherwise retire inside the step before it.)
    private static final String MPROTECT = """
            ghost page pg;
            shared int pte = pte_mkwrite(mk_pte(&pg));
            shared int x = 0;
            ghost tlb tlb[1] walks {pte};
            thread user { int r; user_write(0); r = READ_ONCE(x); user_write(0); }
            thread mprotect {
                WRITE_ONCE(pte, pte_wrprotect(READ_ONCE(pte)));
                FLUSH(0);
            }
            invariant writes_stop: no_stale_write();
            """;

    @ParameterizedTest
    @CsvSource({"flush_tlb_page, pass", "local_flush_tlb_page, writes_stop"})
    void aWriteThroughAnEntryAFlushShouldHaveDroppedIsAStaleWrite(String flush, String expected) {
        for (String mm : List.of("sc", "tso", "arm")) {
            assertEquals(expected, verdict(MPROTECT.replace("FLUSH", flush), mm), mm);
        }
        if (expected.equals("writes_stop")) {
            Result r = run(MPROTECT.replace("FLUSH", flush), "sc", false);
            assertEquals(List.of("CPU 0 (user) wrote address 0 through a stale TLB entry (its PTE had changed and a "
                    + "flush of the address had run, but not on this CPU)"), r.violation().values());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aWriteThroughAStaleEntryToAFreedPageIsAFreedAccess(String mm) {
        // the page is freed while CPU 0 still caches it: its next write reaches the freed page
        Result r = run("""
                ghost page pg;
                shared int pte = pte_mkwrite(mk_pte(&pg));
                shared int x = 0;
                ghost tlb tlb[1] walks {pte};
                thread user { int r; user_write(0); r = READ_ONCE(x); user_write(0); }
                thread reclaim { WRITE_ONCE(pte, 0); put_page(&pg); }
                invariant uaf: no_freed_access();
                """, mm, false);
        assertEquals("uaf", r.violation().property());
        assertEquals(List.of("page 1 (pg) was used after it was freed (taken, pinned, flagged, walked to by an MMU "
                + "or accessed by a user program)"), r.violation().values());
    }

    // The dirty-bit race: page_mkclean cleans the PTE (write-protecting it) and the page is written back. A CPU
    // that cached a writable, dirty entry writes without the MMU marking the PTE dirty again, unless the clean
    // flushed the TLBs: the write is lost to writeback.
    private static final String CLEAN = """
            ghost page pg;
            shared int pte = pte_mkwrite(mk_pte(&pg));
            shared int written_back = 0;
            shared int x = 0;
            ghost tlb tlb[1] walks {pte};
            thread user { int r; user_write(0); r = READ_ONCE(x); user_write(0); }
            thread writeback {
                int v;
                v = READ_ONCE(pte);
                if (pte_dirty(v)) {
                    WRITE_ONCE(pte, pte_wrprotect(pte_mkclean(v)));   // page_mkclean()
                    FLUSH
                    WRITE_ONCE(written_back, 1);
                }
            }
            // once written back, every write went through a PTE marked dirty again, or faulted
            forall (written_back == 0 || pte_dirty(pte) || tlb[0][0] == 0 || !pte_dirty(tlb[0][0]));
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void cleaningAPteWithoutAFlushLetsADirtyEntryWriteUnseen(String mm) {
        assertEquals("forall", verdict(CLEAN.replace("FLUSH", ""), mm));
        assertEquals("pass", verdict(CLEAN.replace("FLUSH", "flush_tlb_page(0);"), mm));
    }

    // The MMU walks by itself: with prefetches, no thread fills the TLB, yet an entry for a page that is then
    // freed without a flush is found. With walks only, nothing fills it.
    private static final String PREFETCH = """
            ghost page pg;
            shared int pte = mk_pte(&pg);
            ghost tlb tlb[2] WALK {pte, 0};
            thread reclaim { WRITE_ONCE(pte, 0); FLUSH put_page(&pg); }
            invariant safe: no_stale_tlb();
            """;

    @ParameterizedTest
    @CsvSource({"sc, true", "sc, false", "tso, false", "arm, false"})
    void anMmuThatPrefetchesFillsWithoutAnyThread(String mm, boolean por) {
        Result r = run(PREFETCH.replace("WALK", "prefetches").replace("FLUSH", ""), mm, por);
        assertEquals("safe", r.violation().property());
        assertEquals(List.of("CPU 0 (reclaim) still caches address 0 -> page 1 (pg), which is freed"),
                r.violation().values());
        assertEquals("PASS", run(PREFETCH.replace("WALK", "prefetches").replace("FLUSH", "flush_tlb_page(0);"), mm,
                por).verdict().toString());
        assertEquals("PASS", run(PREFETCH.replace("WALK", "walks").replace("FLUSH", ""), mm, por).verdict()
                .toString());
    }

    @Test
    void theMmuFillIsAStepOfTheMemorySubsystemInItsCpusColumn() {
        Program p = Fixtures.compile("user.mmx", PREFETCH.replace("WALK", "prefetches").replace("FLUSH", ""),
                Map.of());
        Machine m = new Machine(p, "sc", 4);
        Result r = Explorer.explore(m, Options.defaults().withPor(false));
        dev.mmx.trace.Trace t = dev.mmx.trace.TraceBuilder.build(m, r.path(), r.violation(), "user.mmx", "sc",
                p.params(), List.of("reclaim"));
        // shortest: CPU 0's MMU fills address 0, then reclaim clears the PTE (step 2) and frees the page (step 3)
        assertEquals("(MMU walk)", t.steps().get(0).op());
        assertEquals("reclaim", t.steps().get(0).actor());
        assertEquals(List.of("CPU 0 (reclaim) still caches address 0 -> page 1 (pg), freed at step 3"), t.values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aTlbStartsWithTheEntriesItsInitialiserGives(String mm) {
        assertEquals("safe", verdict("""
                ghost page pg;
                shared int pte = mk_pte(&pg);
                ghost tlb tlb[1] = {0, 1};        // CPU 1 caches address 0 -> page 1 from the start
                thread cpu0 { WRITE_ONCE(pte, 0); put_page(&pg); }
                thread cpu1 { skip; }
                invariant safe: no_stale_tlb();
                """, mm));
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("user.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("user.mmx:2:12: user_write() needs the page walk of each address declared with the "
                + "TLBs, like 'ghost tlb tlb[2] walks {pte0, pte1};' (the PTE each address translates through)"),
                diagnostics("ghost tlb tlb[1];\nthread t { user_write(0); }"));
        assertEquals(List.of("user.mmx:2:18: walks names 2 PTEs, but the TLBs translate another number of "
                + "addresses; name one PTE per address (or one for all)"),
                diagnostics("shared int a; shared int b;\nghost tlb tlb[3] walks {a, b};\nthread t { skip; }"));
        assertEquals(List.of("user.mmx:1:14: only the TLB declaration names page walks, like "
                + "'ghost tlb tlb[2] walks {pte0, pte1};'"),
                diagnostics("shared int x walks {x};\nthread t { skip; }"));
        assertEquals(List.of("user.mmx:2:25: mk_pte() needs a page, like mk_pte(&pg[0]); 'x' is not a page; the "
                + "model declares no page (declare one: 'ghost page pg[2];')"),
                diagnostics("shared int x;\nshared int pte = mk_pte(&x);\nthread t { skip; }"));
        assertEquals(List.of("user.mmx:2:12: user_read() takes 1 argument but is given 0"),
                diagnostics("ghost tlb tlb[1] walks {0};\nthread t { user_read(); }"));
    }
}
