package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The kernel kit's primitives: TLBs, interrupts, RCU and page state, under every memory model. */
class KernelKitTest {
    private static TransitionSystem system(Program p, String mm) {
        return mm.equals("arm") ? new ArmMachine(p, 16) : new Machine(p, mm, 4);
    }

    private static Result check(String text, String mm) {
        Program p = Fixtures.compile("kit.mmx", text, Map.of());
        return Explorer.explore(system(p, mm), Options.defaults().withPor(false));
    }

    private static String verdict(Result r) {
        return switch (r.verdict()) {
            case PASS -> "pass";
            case DEADLOCK -> "deadlock";
            case VIOLATION -> r.violation().property() + ": " + r.violation().message();
            case INCOMPLETE -> "incomplete";
        };
    }

    // CPU 1 holds the page-table lock and flushes; CPU 0 disables interrupts, then spins on that lock.
    private static final String IPI = """
            ghost tlb tlb[1];
            spinlock ptl;
            thread cpu0 {
                local_irq_disable();
                spin_lock(&ptl);
                spin_unlock(&ptl);
                local_irq_enable();
            }
            thread cpu1 {
                spin_lock(&ptl);
                FLUSH(0);
                spin_unlock(&ptl);
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anIpiFlushWaitsForACpuWithInterruptsOffSoItCanDeadlock(String mm) {
        Result r = check(IPI.replace("FLUSH", "flush_tlb_ipi"), mm);
        assertEquals("deadlock", verdict(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aBroadcastFlushDoesNotWait(String mm) {
        assertEquals("pass", verdict(check(IPI.replace("FLUSH", "flush_tlb_broadcast"), mm)));
    }

    @Test
    void anIpiFlushProceedsOnceInterruptsAreBackOn() {
        Result r = check("""
                ghost tlb tlb[1];
                thread cpu0 { local_irq_disable(); local_irq_enable(); }
                thread cpu1 { flush_tlb_ipi(0); }
                """, "sc");
        // cpu0 before, inside or after its irq-off section (3) x cpu1 before or after its flush (2): 6, all
        // reachable (the flush may come before the section), but none by a flush while interrupts are off
        assertEquals("pass", verdict(r));
        assertEquals(6, r.stats().states());
    }

    private static final String STALE = """
            ghost tlb tlb[2];
            ghost page pg[2];
            shared int pte = 2;           // maps pg[1], page number 2
            thread user { tlb_fill(pte, 1); }
            thread reclaim {
                WRITE_ONCE(pte, 0);
                FLUSH
                put_page(&pg[1]);
            }
            invariant safe: no_stale_tlb();
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void freeingAPageATlbStillMapsIsAStaleEntry(String mm) {
        Result r = check(STALE.replace("FLUSH", ""), mm);
        assertEquals("safe: invariant safe (line 10) does not hold", verdict(r));
        // in kernel words, not every TLB cell the property read
        assertEquals(List.of("CPU 0 (user) still caches address 1 -> page 2 (pg[1]), which is freed"),
                r.violation().values());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void flushingTheRangeBeforeTheFreeIsSafe(String mm) {
        assertEquals("pass", verdict(check(STALE.replace("FLUSH", "flush_tlb_range(0, 1);"), mm)));
    }

    @Test
    void aRangeFlushLeavesAddressesOutsideIt() {
        Result r = check(STALE.replace("FLUSH", "flush_tlb_range(0, 0);"), "sc");
        assertEquals("safe: invariant safe (line 10) does not hold", verdict(r));
    }

    @Test
    void fillingFromAPteThatMapsAFreedPageIsAFreedAccess() {
        Result r = check("""
                ghost tlb tlb[1];
                ghost page pg;
                shared int pte = 1;
                thread t { put_page(&pg); tlb_fill(pte, 0); }
                invariant uaf: no_freed_access();
                """, "sc");
        assertEquals("uaf: invariant uaf (line 5) does not hold", verdict(r));
    }

    // The updater unpublishes the object, waits for a grace period and frees it; a reader that found it
    // published must not see it freed.
    private static final String RCU = """
            shared int ptr = 1;
            shared int freed = 0;
            thread reader {
                rcu_read_lock();
                if (READ_ONCE(ptr) == 1) {
                    assert(READ_ONCE(freed) == 0, "use after free");
                }
                rcu_read_unlock();
            }
            thread updater {
                WRITE_ONCE(ptr, 0);
                SYNC
                WRITE_ONCE(freed, 1);
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void synchronizeRcuWaitsForAReaderThatStartedBeforeIt(String mm) {
        assertEquals("pass", verdict(check(RCU.replace("SYNC", "synchronize_rcu();"), mm)));
        assertEquals("assert", check(RCU.replace("SYNC", ""), mm).violation().property());
    }

    @Test
    void synchronizeRcuDoesNotWaitForAReaderThatStartsLater() {
        Result r = check("""
                shared int inside = 0;
                thread reader { rcu_read_lock(); WRITE_ONCE(inside, 1); rcu_read_unlock(); }
                thread updater { int r; synchronize_rcu(); r = READ_ONCE(inside); }
                forall (updater.r == 0);
                """, "sc");
        // the reader began after synchronize_rcu looked, so the grace period ended with it still inside
        assertEquals("forall: a final state breaks forall (updater.r == 0)", verdict(r));
    }

    @Test
    void synchronizeRcuInsideAReaderWaitsForItselfForever() {
        Result r = check("thread t { rcu_read_lock(); synchronize_rcu(); rcu_read_unlock(); }", "sc");
        assertEquals("deadlock", verdict(r));
    }

    @Test
    void thePageCountsAndFlagsFollowTheHelpers() {
        Result r = check("""
                ghost page pg;
                thread t {
                    get_page(&pg);
                    pin_user_page(&pg);
                    SetPageAnonExclusive(&pg);
                    assert(page_count(&pg) == 3 && page_maybe_dma_pinned(&pg) && PageAnonExclusive(&pg));
                    ClearPageAnonExclusive(&pg);
                    unpin_user_page(&pg);
                    put_page(&pg);
                    assert(page_count(&pg) == 1 && !page_maybe_dma_pinned(&pg) && !PageAnonExclusive(&pg));
                    put_page(&pg);
                    assert(PageFreed(&pg));
                }
                """, "sc");
        assertEquals("pass", verdict(r));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void runtimeMisuseIsANamedFault(String mm) {
        Result put = check("ghost page pg;\nthread t { put_page(&pg); put_page(&pg); }", mm);
        Result unpin = check("ghost page pg;\nthread t { unpin_user_page(&pg); }", mm);
        Result unlock = check("thread t { rcu_read_unlock(); }", mm);
        assertEquals(List.of("refcount_underflow", "pincount_underflow", "rcu_unlock_unbalanced"),
                List.of(put.violation().property(), unpin.violation().property(), unlock.violation().property()));
        if (!mm.equals("arm")) { // the arm machine names the fault and the step, without the kit's sentence
            assertEquals("refcount_underflow: put_page() on pg whose refcount is already 0 (t, line 2)", verdict(put));
            assertEquals("pincount_underflow: unpin_user_page() on pg with no pin held (t, line 2)", verdict(unpin));
            assertEquals("rcu_unlock_unbalanced: rcu_read_unlock() outside an RCU read-side critical section "
                    + "(t, line 1)", verdict(unlock));
        }
    }

    @Test
    void aPinKeptOnAPageThatMayBeSharedIsUnreliable() {
        String model = """
                ghost page pg;
                thread t {
                    SetPageAnonExclusive(&pg);
                    pin_user_page(&pg);
                    ClearPageAnonExclusive(&pg);
                    RELEASE
                }
                forall (no_unreliable_pin());
                """;
        assertEquals("forall: a final state breaks forall (no_unreliable_pin())",
                verdict(check(model.replace("RELEASE", ""), "sc")));
        assertEquals(List.of("page 1 (pg) is pinned (pincount 1) but not AnonExclusive: the page a DMA through "
                + "the pin reaches may no longer be the process's"),
                check(model.replace("RELEASE", ""), "sc").violation().values());
        assertEquals("pass", verdict(check(model.replace("RELEASE", "unpin_user_page(&pg);"), "sc")));
        assertEquals("pass", verdict(check(model.replace("ClearPageAnonExclusive(&pg);", "")
                .replace("RELEASE", ""), "sc")));
    }

    // Store buffering through page state: get_page is a relaxed atomic_inc, so on arm t0's later load may be
    // performed before it (which waits, in program order, behind the load of z); put_page is a fully ordered
    // atomic_dec_and_test and holds the load back.
    private static final String ORDER = """
            ghost page pg;
            shared int data = 0;
            shared int z = 0;
            thread t0 { int q; int r; q = READ_ONCE(z); OP(&pg); r = READ_ONCE(data); }
            thread t1 { int c; WRITE_ONCE(data, 1); smp_mb(); c = page_count(&pg); }
            forall (!(t0.r == 0 && t1.c == 1));
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void aRelaxedPagePrimitiveOrdersNothingAfterItOnArm(String mm) {
        assertEquals(mm.equals("arm") ? "forall: a final state breaks forall (!(t0.r == 0 && t1.c == 1))" : "pass",
                verdict(check(ORDER.replace("OP", "get_page"), mm)));
        // put_page takes the count from 1 to 0, so "not yet" is c == 1 here too
        assertEquals("pass", verdict(check(ORDER.replace("OP", "put_page"), mm)));
    }

    @Test
    void theStateSnapshotShowsTlbsPagesInterruptsAndRcu() {
        Program p = Fixtures.compile("kit.mmx", """
                ghost tlb tlb[1];
                ghost page pg;
                thread t { local_irq_disable(); rcu_read_lock(); }
                """, Map.of());
        Machine m = new Machine(p, "sc", 4);
        int[] s = m.next(m.next(m.initial(), 0), 0);
        assertEquals("{irqs_disabled[0]=true, rcu_read_depth[0]=1, rcu_gp_waits_for[0]=0, tlb[0][0]=none, "
                + "pg.refcount=1, pg.pincount=0, pg.anon_exclusive=false, pg.freed=false, pg.freed_access=false}",
                m.snapshot(s).ghosts().toString());
    }

    @Test
    void kitStateAModelNeverUsesIsLeftOut() {
        // no interrupts, no RCU: the state holds only the TLB and the page
        Program p = Fixtures.compile("kit.mmx", """
                ghost tlb tlb[1];
                ghost page pg;
                thread t { get_page(&pg); }
                """, Map.of());
        Machine m = new Machine(p, "sc", 4);
        assertEquals("{tlb[0][0]=none, pg.refcount=1, pg.pincount=0, pg.anon_exclusive=false, pg.freed=false, "
                + "pg.freed_access=false}", m.snapshot(m.initial()).ghosts().toString());
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("kit.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("kit.mmx:1:12: tlb_fill() needs the TLBs declared, like 'ghost tlb tlb[NADDR];' "
                + "(one TLB per CPU, translating addresses 0..NADDR-1)"),
                diagnostics("thread t { tlb_fill(1, 0); }"));
        assertEquals(List.of("kit.mmx:2:21: get_page() needs a page, like get_page(&pg[0]); 'x' is not a page; "
                + "declared pages: pg"),
                diagnostics("ghost page pg[2];\nthread t { get_page(&x); }"));
        assertEquals(List.of("kit.mmx:2:21: 'pg' is an array of pages; name one, like &pg[0]"),
                diagnostics("ghost page pg[2];\nthread t { put_page(&pg); }"));
        assertEquals(List.of("kit.mmx:1:12: TLBs are hardware and runtime state outside the memory model; "
                + "declare it 'ghost tlb tlb'"), diagnostics("shared tlb tlb[2];\nthread t { skip; }"));
        assertEquals(List.of("kit.mmx:2:23: get_page() returns no value; call it as a statement, like get_page(...);"),
                diagnostics("ghost page pg;\nthread t { int r; r = get_page(&pg); }"));
        assertEquals(List.of("kit.mmx:1:12: pages are one page or a one-dimensional array, like 'ghost page pg[2];'"),
                diagnostics("ghost page pg[2][2];\nthread t { skip; }"));
        assertEquals(List.of("kit.mmx:2:11: the TLBs are already declared at line 1"),
                diagnostics("ghost tlb a[2];\nghost tlb b[2];\nthread t { skip; }"));
        assertEquals(List.of("kit.mmx:1:12: 'pg' cannot have an initial value: pages start with refcount 1, no pin and "
                + "no flags"), diagnostics("ghost page pg = 3;\nthread t { skip; }"));
        assertEquals(List.of("kit.mmx:1:12: flush_tlb_page() takes 1 argument but is given 0"),
                diagnostics("thread t { flush_tlb_page(); }"));
    }

    @Test
    void aTraceSaysWhatEachPrimitiveDidAndShowsOnlyWhatChanged() {
        Program p = Fixtures.compile("kit.mmx", """
                ghost tlb tlb[2];
                ghost page pg;
                shared int pte = 1;
                thread user { local_irq_disable(); tlb_fill(pte, 1); local_irq_enable(); }
                thread reclaim { WRITE_ONCE(pte, 0); flush_tlb_page(0); put_page(&pg); }
                invariant safe: no_stale_tlb();
                """, Map.of());
        Machine m = new Machine(p, "sc", 4);
        Result r = Explorer.explore(m, Options.defaults().withPor(false));
        dev.mmx.trace.Trace t = dev.mmx.trace.TraceBuilder.build(m, r.path(), r.violation(), "kit.mmx", "sc",
                p.params(), List.of("user", "reclaim"));
        // the flush of address 0 changes nothing, so it shows only what it did; the entry for 1 stays; under sc
        // the flush is x86's IPI, so it waits until the user CPU has interrupts on again; the violation says in
        // kernel words which CPU caches what, and since when the page is freed
        assertEquals("kit.mmx under sc: violates safe\n"
                + "\n"
                + "     user                                             | reclaim\n"
                + "     -------------------------------------------------+-------------------------------------------------\n"
                + "  1  4: local_irq_disable();                          |\n"
                + "       interrupts off on this CPU                     |\n"
                + "       irqs_disabled[0] = true                        |\n"
                + "  2  4: tlb_fill(pte, 1);                             |\n"
                + "       the MMU walks to pte for address 1 and caches  |\n"
                + "         what it finds                                |\n"
                + "       tlb[0][1] = page 1 (pg)                        |\n"
                + "  3  4: local_irq_enable();                           |\n"
                + "       interrupts on on this CPU                      |\n"
                + "       irqs_disabled[0] = false                       |\n"
                + "  4                                                   | 5: WRITE_ONCE(pte, 0);\n"
                + "                                                      |   pte = 0\n"
                + "  5                                                   | 5: flush_tlb_page(0);\n"
                + "                                                      |   flushes 0 from the TLB of every CPU (x86: by\n"
                + "                                                      |     IPI, once every other CPU has interrupts on;\n"
                + "                                                      |     arm64: by a broadcast TLBI)\n"
                + "  6                                                   | 5: put_page(&pg);\n"
                + "                                                      |   drops a reference on &pg (the last one frees\n"
                + "                                                      |     it)\n"
                + "                                                      |   pg.refcount = 0\n"
                + "                                                      |   pg.freed = true\n"
                + "\n"
                + "VIOLATION of safe: invariant safe (line 6) does not hold\n"
                + "    CPU 0 (user) still caches address 1 -> page 1 (pg), freed at step 6\n",
                dev.mmx.trace.CpuColumns.render(t));
    }
}
