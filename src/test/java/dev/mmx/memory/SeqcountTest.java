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

/** Sequence counts: a reader that does not retry saw one writer's update whole, and each barrier matters. */
class SeqcountTest {
    private static final int ARM_WINDOW = 16;

    private static Result run(String text, String mm) {
        return KitChecks.run("seq.mmx", text, mm, ARM_WINDOW, Options.defaults().withPor(false));
    }

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(run(text, mm));
    }

    // The writer updates a and b together inside the count; a reader that finds the count unchanged must have
    // read both before or both after the update.
    private static final String SEQ = """
            shared int s = 0;
            shared int a = 0;
            shared int b = 0;
            thread writer {
                BEGIN
                WRITE_ONCE(a, 1);
                WRITE_ONCE(b, 1);
                END
            }
            thread reader {
                int seq; int ra; int rb; bool retry;
                seq = read_seqcount_begin(&s);
                ra = READ_ONCE(a);
                rb = READ_ONCE(b);
                retry = RETRY(&s, seq);
            }
            forall (reader.retry || reader.ra == reader.rb);
            """;

    private static String seq(String begin, String end, String retry) {
        return SEQ.replace("BEGIN", begin).replace("END", end).replace("RETRY", retry);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        // the kernel's: every model keeps the snapshot whole
        "write_seqcount_begin(&s); | write_seqcount_end(&s); | read_seqcount_retry | pass | pass | pass",
        "raw_write_seqcount_begin(&s); | raw_write_seqcount_end(&s); | read_seqcount_retry | pass | pass | pass",
        // the reader's retry without its smp_rmb: arm performs the count's load before the data's
        "write_seqcount_begin(&s); | write_seqcount_end(&s); | __read_seqcount_retry | pass | pass | forall",
        // the writer's increments without smp_wmb: arm makes the data visible before the odd count
        "WRITE_ONCE(s, READ_ONCE(s) + 1); | WRITE_ONCE(s, READ_ONCE(s) + 1); | read_seqcount_retry"
                + " | pass | pass | forall",
    })
    void aReaderThatDoesNotRetrySawTheUpdateWhole(String begin, String end, String retry, String sc, String tso,
                                                  String arm) {
        String model = seq(begin, end, retry);
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"),
                verdict(model, "arm")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void readSeqcountBeginWaitsForAnEvenCountAndRawReadSeqcountDoesNot(String mm) {
        String model = """
                shared int s = 0;
                thread writer { write_seqcount_begin(&s); write_seqcount_end(&s); }
                thread reader { int seq; seq = READ(&s); }
                forall (reader.seq % 2 == 0);
                """;
        assertEquals("pass", verdict(model.replace("READ", "read_seqcount_begin"), mm));
        assertEquals("forall", verdict(model.replace("READ", "raw_read_seqcount"), mm));
    }

    @Test
    void theWritersBeginIsAnIncrementThenABarrier() {
        // one thread: the initial state, after the load, the store and the barrier
        assertEquals(4, run("shared int s = 0;\nthread t { write_seqcount_begin(&s); }", "sc").stats().states());
    }

    // The per-VMA lock's idiom (mm->mm_lock_seq is a seqcount_t): mmap_write_lock() begins a write of the mm's
    // count, vma_start_write() stamps the VMA with it, and mmap_write_unlock() ends it. A fault under the
    // per-VMA lock proceeds only when the VMA's stamp differs from the mm's count: then no writer holds the
    // VMA, and the VMA it reads is whole.
    private static final String VMA = """
            shared int mm_lock_seq = 0;
            shared int vm_lock_seq = -1;
            shared int vm_start = 0;
            shared int vm_end = 10;
            rwsem mmap_lock;
            rwsem vm_lock;
            thread writer {
                down_write(&mmap_lock);                      // mmap_write_lock()
                raw_write_seqcount_begin(&mm_lock_seq);
                down_write(&vm_lock);                        // vma_start_write()
                WRITE_ONCE(vm_lock_seq, READ_ONCE(mm_lock_seq));
                up_write(&vm_lock);
                WRITE_ONCE(vm_start, 20);                    // the VMA moves
                WRITE_ONCE(vm_end, 30);
                raw_write_seqcount_end(&mm_lock_seq);        // mmap_write_unlock()
                up_write(&mmap_lock);
            }
            thread fault {
                int start; int end; bool locked;
                if (READ_ONCE(vm_lock_seq) != FIRST) {       // vma_start_read()
                    locked = down_read_trylock(&vm_lock);
                    if (locked) {
                        if (SECOND) {
                            up_read(&vm_lock);
                            locked = false;
                        } else {
                            start = READ_ONCE(vm_start);
                            end = READ_ONCE(vm_end);
                            up_read(&vm_lock);
                        }
                    }
                }
            }
            forall (!fault.locked || fault.end - fault.start == 10);
            """;

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void thePerVmaLockIdiomIsWrittenWithSeqcounts(String mm) {
        String vma = VMA.replace("FIRST", "raw_read_seqcount(&mm_lock_seq)");
        assertEquals("pass", verdict(vma.replace("SECOND", "vm_lock_seq == raw_read_seqcount(&mm_lock_seq)"), mm));
        // without the re-check under the VMA lock, a writer that stamped the VMA after the first check (and
        // dropped the VMA lock again, as vma_start_write() does) is missed: the fault reads a torn VMA
        assertEquals("forall", verdict(vma.replace("SECOND", "false"), mm));
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("seq.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("seq.mmx:2:48: read_seqcount_retry() needs the count read_seqcount_begin() returned "
                + "(an int), not bool"),
                diagnostics("shared int s;\nthread t { bool r; r = read_seqcount_retry(&s, true); }"));
        assertEquals(List.of("seq.mmx:2:34: write_seqcount_begin() needs an int variable, but 'f' is bool"),
                diagnostics("shared bool f;\nthread t { write_seqcount_begin(&f); }"));
        assertEquals(List.of("seq.mmx:2:21: write_seqcount_end() is three steps, an increment and a barrier, so "
                + "it cannot appear inside an atomic block"),
                diagnostics("shared int s;\nthread t { atomic { write_seqcount_end(&s); } }"));
        assertEquals(List.of("seq.mmx:2:12: read_seqcount_begin() returns a value; assign it to a register"),
                diagnostics("shared int s;\nthread t { read_seqcount_begin(&s); }"));
    }
}
