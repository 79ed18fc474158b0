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

/** Wait queues: sleeping and waking as the kernel writes it, and the lost wake-up through waitqueue_active. */
class WaitQueueTest {
    private static final int ARM_WINDOW = 16;

    private static Result run(String text, String mm) {
        return KitChecks.run("wq.mmx", text, mm, ARM_WINDOW, Options.defaults().withPor(false));
    }

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(run(text, mm));
    }

    private static final String LOST = """
            shared bool done = false;
            shared wait_queue_head wq;
            thread waiter { wait_event(wq, READ_ONCE(done)); }
            thread waker {
                WRITE_ONCE(done, true);
                BARRIER
                if (waitqueue_active(&wq)) { wake_up(&wq); }
            }
            """;

    @ParameterizedTest
    @CsvSource({"sc, pass", "tso, deadlock", "arm, deadlock"})
    void waitqueueActiveWithoutABarrierLosesTheWakeUp(String mm, String expected) {
        assertEquals(expected, verdict(LOST.replace("BARRIER", ""), mm));
        assertEquals("pass", verdict(LOST.replace("BARRIER", "smp_mb();"), mm));
    }

    @Test
    void aLostWakeUpNamesTheSleepingTaskAndItsQueue() {
        Result r = run(LOST.replace("BARRIER", ""), "tso");
        assertEquals("no thread can move, and one has not finished: a lost wake-up, waiter sleeps forever",
                r.violation().message());
        assertEquals(List.of("waiter sleeps at line 3: wait_event(wq, READ_ONCE(done)): schedule() (on wq), and "
                + "no CPU is left to wake it"), r.violation().values());
    }

    // Without the lockless check, wake_up takes the queue's lock: whichever of prepare_to_wait and wake_up
    // comes second sees the other, so no memory model loses the wake-up.
    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anUnconditionalWakeUpIsNeverLost(String mm) {
        assertEquals("pass", verdict("""
                shared bool done = false;
                shared wait_queue_head wq;
                thread waiter { wait_event(wq, READ_ONCE(done)); }
                thread waker { WRITE_ONCE(done, true); wake_up(&wq); }
                """, mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void scheduleReturnsAtOnceWhenTheWakeUpCameAfterPrepareToWait(String mm) {
        // the waker's wake_up runs only after the waiter is queued: schedule() must not sleep past it
        Result r = run("""
                shared wait_queue_head wq;
                thread waiter {
                    prepare_to_wait(&wq);
                    schedule();
                    finish_wait(&wq);
                }
                thread waker {
                    await(waitqueue_active(&wq));
                    wake_up(&wq);
                }
                forall (!waitqueue_active(&wq) && task_state[0] == TASK_RUNNING);
                """, mm);
        assertEquals("PASS", r.verdict().toString());
    }

    @Test
    void wakeUpWakesEveryQueuedTaskAndTakesItOff() {
        Result r = run("""
                shared bool done = false;
                shared wait_queue_head wq;
                thread waiter[2] { wait_event(wq, READ_ONCE(done)); }
                thread waker { WRITE_ONCE(done, true); wake_up(&wq); }
                forall (!waitqueue_active(&wq));
                """, "sc");
        assertEquals("PASS", r.verdict().toString());
    }

    @Test
    void aTaskThatSleepsWithNobodyToWakeItIsALostWakeUp() {
        Result r = run("""
                shared wait_queue_head wq[2];
                thread t { prepare_to_wait(&wq[1]); schedule(); finish_wait(&wq[1]); }
                """, "sc");
        assertEquals("deadlock", r.violation().property());
        assertEquals(List.of("t sleeps at line 2: schedule(); (on wq[1]), and no CPU is left to wake it"),
                r.violation().values());
    }

    // Each step of the wait-queue protocol is a full barrier (the queue's lock with set_current_state's or
    // try_to_wake_up's smp_mb, or the runqueue lock): store buffering across one is impossible.
    private static final String SB = """
            shared int x = 0;
            shared int y = 0;
            shared wait_queue_head wq;
            thread t0 { int r0; WRITE_ONCE(x, 1); OP; r0 = READ_ONCE(y); }
            thread t1 { int r1; WRITE_ONCE(y, 1); smp_mb(); r1 = READ_ONCE(x); }
            exists (t0.r0 == 0 && t1.r1 == 0);
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "prepare_to_wait(&wq); finish_wait(&wq) | pass | pass   | pass",
        "finish_wait(&wq)                       | pass | pass   | pass",
        "wake_up(&wq)                           | pass | pass   | pass",
        "schedule()                             | pass | pass   | pass",
        "bool a; a = waitqueue_active(&wq)      | pass | exists | exists",
        "skip                                   | pass | exists | exists",
    })
    void theProtocolStepsAreFullBarriersAndTheLocklessCheckIsNot(String op, String sc, String tso, String arm) {
        String model = SB.replace("OP", op);
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"),
                verdict(model, "arm")));
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("wq.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("wq.mmx:1:23: a wait queue's list is memory, read without its lock by "
                + "waitqueue_active(); declare it 'shared wait_queue_head wq'"),
                diagnostics("ghost wait_queue_head wq;\nthread t { skip; }"));
        assertEquals(List.of("wq.mmx:1:24: 'wq' cannot have an initial value: a wait queue starts empty"),
                diagnostics("shared wait_queue_head wq = 1;\nthread t { skip; }"));
        assertEquals(List.of("wq.mmx:3:28: prepare_to_wait() needs a wait queue, like prepare_to_wait(&wq); "
                + "'x' is not a wait queue; declared wait queues: wq"),
                diagnostics("shared wait_queue_head wq;\nshared int x;\nthread t { prepare_to_wait(&x); }"));
        assertEquals(List.of("wq.mmx:3:42: waitqueue_active() needs a wait queue, like waitqueue_active(&wq); "
                + "'x' is not one (declare one: 'shared wait_queue_head wq;')"),
                diagnostics("shared wait_queue_head wq;\nshared int x;\nthread t { bool b; b = waitqueue_active(&x); }"));
        assertEquals(List.of("wq.mmx:2:12: wait_event() takes 2 arguments but is given 1"),
                diagnostics("shared wait_queue_head wq;\nthread t { wait_event(wq); }"));
        assertEquals(List.of("wq.mmx:2:20: 'wq' is an array of wait queues; name one, like &wq[0]"),
                diagnostics("shared wait_queue_head wq[2];\nthread t { wake_up(&wq); }"));
        assertEquals(List.of("wq.mmx:2:24: schedule() returns no value; call it as a statement, like schedule();"),
                diagnostics("shared wait_queue_head wq;\nthread t { bool b; b = schedule(); }"));
    }
}
