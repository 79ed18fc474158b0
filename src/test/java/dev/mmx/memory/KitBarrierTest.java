package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.explore.Options;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How each kernel-kit step orders a CPU's accesses, by store buffering: t0
 * stores x, runs the step, loads y; t1 stores y, runs smp_mb(), loads x. Where
 * the language reference makes the step a full barrier (interrupt masking, the
 * RCU primitives, put_page and unpin_user_page; the flushes are in FlushTest),
 * t0's load cannot be performed before the step, nor the step before the
 * store, so r0 = r1 = 0 is unreachable under every model; where the step is
 * unordered (tlb_fill, get_page, pin_user_page, the PageAnonExclusive setters)
 * tso's store buffer and arm's out-of-order load reach it.
 */
class KitBarrierTest {
    private static final String SB = """
            ghost tlb tlb[1];
            ghost page pg;
            shared int x = 0;
            shared int y = 0;
            thread t0 { int r0; BEFORE WRITE_ONCE(x, 1); STEP; r0 = READ_ONCE(y); AFTER }
            thread t1 { int r1; WRITE_ONCE(y, 1); smp_mb(); r1 = READ_ONCE(x); }
            exists (t0.r0 == 0 && t1.r1 == 0);
            """;

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(KitChecks.run("kit.mmx", text, mm, 16, Options.defaults()));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        // before the store | the step | after the load | sc | tso | arm
        " | local_irq_disable() | local_irq_enable(); | pass | pass | pass",
        "local_irq_disable(); | local_irq_enable() | | pass | pass | pass",
        " | rcu_read_lock() | rcu_read_unlock(); | pass | pass | pass",
        "rcu_read_lock(); | rcu_read_unlock() | | pass | pass | pass",
        " | synchronize_rcu() | | pass | pass | pass",
        " | put_page(&pg) | | pass | pass | pass",
        "pin_user_page(&pg); | unpin_user_page(&pg) | | pass | pass | pass",
        " | tlb_fill(y, 0) | | pass | exists | exists",
        " | get_page(&pg) | | pass | exists | exists",
        " | pin_user_page(&pg) | | pass | exists | exists",
        " | SetPageAnonExclusive(&pg) | | pass | exists | exists",
        " | ClearPageAnonExclusive(&pg) | | pass | exists | exists",
        " | skip | | pass | exists | exists",
    })
    void aFullBarrierKitStepKeepsALaterLoadBehindAnEarlierStore(String before, String step, String after, String sc,
                                                                 String tso, String arm) {
        String model = SB.replace("BEFORE", before == null ? "" : before).replace("STEP", step)
                .replace("AFTER", after == null ? "" : after);
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"), verdict(model, "arm")));
    }

    /**
     * synchronize_rcu's second step, the wait for the readers it found, is as
     * strong as smp_mb too (LKMM's RCU guarantee): t1's load of x after it waits
     * for t0's read-side section to end, and so for t0's store inside it, which
     * rcu_read_unlock orders first. If t0 read y == 0, its section began before
     * t1's grace period, so t1 reads x == 1. LKMM forbids r0 = r1 = 0 here.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"sc", "tso", "arm"})
    void aLoadAfterSynchronizeRcuWaitsForTheGracePeriodToEnd(String mm) {
        String model = """
                shared int x = 0;
                shared int y = 0;
                thread t0 { int r0; rcu_read_lock(); WRITE_ONCE(x, 1); r0 = READ_ONCE(y); rcu_read_unlock(); }
                thread t1 { int r1; WRITE_ONCE(y, 1); synchronize_rcu(); r1 = READ_ONCE(x); }
                exists (t0.r0 == 0 && t1.r1 == 0);
                """;
        assertEquals("pass", verdict(model, mm));
    }
}
