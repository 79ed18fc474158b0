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
 * The kernel's bitops on an int word, with the orderings of
 * Documentation/atomic_bitops.txt: their values, their atomicity (the __ forms
 * are a load and a store), and what each orders on x86 (every atomic bitop is
 * a LOCK-prefixed instruction) and arm64.
 */
class BitopsTest {
    // the default window: eachBitopChangesAndReturnsWhatTheKernelSays's thread is 28 instructions long, and
    // a window it fills makes the run incomplete (a bound hit is never a pass)
    private static final int ARM_WINDOW = 32;

    private static Result run(String text, String mm) {
        return KitChecks.run("bits.mmx", text, mm, ARM_WINDOW, Options.defaults().withPor(false));
    }

    private static String verdict(String text, String mm) {
        return KitChecks.verdict(run(text, mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void eachBitopChangesAndReturnsWhatTheKernelSays(String mm) {
        String model = """
                shared int w = 0x81;
                thread t {
                    bool a; bool b; bool c; bool d; bool e; bool f; bool g; bool h; bool n; int v;
                    set_bit(1, &w);                            // 0x83
                    clear_bit(0, &w);                          // 0x82
                    change_bit(2, &w);                         // 0x86
                    a = test_and_set_bit(3, &w);               // false, 0x8e
                    b = test_and_set_bit(3, &w);               // true
                    c = test_and_clear_bit(1, &w);             // true, 0x8c
                    d = test_and_change_bit(4, &w);            // false, 0x9c
                    e = test_and_set_bit_lock(5, &w);          // false, 0xbc
                    f = test_and_set_bit_lock(5, &w);          // true, unchanged
                    clear_bit_unlock(5, &w);                   // 0x9c
                    n = clear_bit_unlock_is_negative_byte(4, &w);  // 0x8c: bit 7 is set
                    __set_bit(0, &w);                          // 0x8d
                    __clear_bit(2, &w);                        // 0x89
                    __change_bit(1, &w);                       // 0x8b
                    __clear_bit_unlock(7, &w);                 // 0x0b
                    g = test_bit(3, &w);                       // true
                    h = test_bit_acquire(2, &w);               // false
                    v = READ_ONCE(w);
                }
                forall (!t.a && t.b && t.c && !t.d && !t.e && t.f && t.n && t.g && !t.h && t.v == 0x0b);
                """;
        assertEquals("pass", verdict(model, mm));
        assertEquals("forall", verdict(model.replace("__clear_bit(2, &w)", "__clear_bit(3, &w)"), mm));
    }

    // Two CPUs change different bits of one word. Atomic bitops never lose either change; the __ forms are a
    // load and a store, so a CPU may store back a word read before the other CPU's change.
    private static final String TWO_BITS = """
            shared int w = 0;
            thread a { A(0, &w); }
            thread b { set_bit(1, &w); }
            forall (w == 3);
            """;

    @ParameterizedTest
    @CsvSource({
        "set_bit, sc, pass", "set_bit, tso, pass", "set_bit, arm, pass",
        "__set_bit, sc, forall", "__set_bit, tso, forall", "__set_bit, arm, forall",
    })
    void onlyTheNonAtomicFormLosesAnotherCpusBit(String op, String mm, String expected) {
        assertEquals(expected, verdict(TWO_BITS.replace("A(", op + "("), mm));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void releasingWithTheNonAtomicUnlockLosesABitSetMeanwhile(String mm) {
        String model = """
                shared int w = 1;
                thread owner { UNLOCK(0, &w); }
                thread other { set_bit(1, &w); }
                forall (w == 2);
                """;
        assertEquals("pass", verdict(model.replace("UNLOCK", "clear_bit_unlock"), mm));
        assertEquals("forall", verdict(model.replace("UNLOCK", "__clear_bit_unlock"), mm));
    }

    @Test
    void theNonAtomicFormIsTwoSteps() {
        // one thread, one __set_bit: the initial state, after the load, after the store
        assertEquals(3, run("shared int w = 0;\nthread t { __set_bit(0, &w); }", "sc").stats().states());
        // set_bit is one step: the initial state and after it
        assertEquals(2, run("shared int w = 0;\nthread t { set_bit(0, &w); }", "sc").stats().states());
    }

    // Does an access after the bitop wait for it? P0 publishes d and then f = 2 behind smp_wmb; P1's bitop on
    // f reads P0's f (final f says so) while P1's later load of d misses P0's d. Ordered after the bitop's
    // read (acquire, full), that is impossible; relaxed and release bitops allow it on arm. Every atomic bitop
    // is a LOCK-prefixed instruction on x86, so tso forbids it throughout.
    private static final String LATER = """
            shared int d = 0;
            shared int f = 0;
            thread p0 { WRITE_ONCE(d, 1); smp_wmb(); WRITE_ONCE(f, 2); }
            thread p1 { int r; OP; r = READ_ONCE(d); }
            exists (FINAL && p1.r == 0);
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "set_bit(0, &f)                                      | f == 3 | pass | pass | exists",
        "set_bit(0, &f); smp_mb__after_atomic()              | f == 3 | pass | pass | pass",
        "change_bit(0, &f)                                   | f == 3 | pass | pass | exists",
        "clear_bit(1, &f)                                    | f == 0 | pass | pass | exists",
        "clear_bit_unlock(1, &f)                             | f == 0 | pass | pass | exists",
        "bool b; b = clear_bit_unlock_is_negative_byte(1, &f) | f == 0 | pass | pass | exists",
        "bool b; b = test_and_set_bit(0, &f)                 | f == 3 | pass | pass | pass",
        "bool b; b = test_and_clear_bit(1, &f)               | f == 0 | pass | pass | pass",
        "bool b; b = test_and_change_bit(0, &f)              | f == 3 | pass | pass | pass",
        "bool b; b = test_and_set_bit_lock(0, &f)            | f == 3 | pass | pass | pass",
        // finding its bit set, it is the generic version's READ_ONCE: nothing waits for it on arm
        "bool b; b = test_and_set_bit_lock(1, &f)            | p1.b   | pass | pass | exists",
        "bool b; b = test_bit(1, &f)                         | p1.b   | pass | pass | exists",
        "bool b; b = test_bit_acquire(1, &f)                 | p1.b   | pass | pass | pass",
    })
    void whatABitopOrdersAfterIt(String op, String fin, String sc, String tso, String arm) {
        String model = LATER.replace("OP", op).replace("FINAL", fin);
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"),
                verdict(model, "arm")));
    }

    // Does an access before the bitop become visible first? P0 writes d, then its bitop changes f (bit 0
    // starts set); P1 reads f with acquire and then d. Seeing the bitop's f and missing d is impossible when
    // the bitop's write is ordered after earlier accesses (release, full); relaxed and acquire bitops allow it
    // on arm. On x86 the atomic bitops are locked instructions, and __clear_bit's plain store stays behind the
    // earlier store in the store buffer's order.
    private static final String EARLIER = """
            shared int d = 0;
            shared int f = 1;
            thread p0 { WRITE_ONCE(d, 1); OP; }
            thread p1 { int r1; int r2; r1 = smp_load_acquire(&f); r2 = READ_ONCE(d); }
            exists (p1.r1 == SEEN && p1.r2 == 0);
            """;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "clear_bit_unlock(0, &f)                              | 0 | pass | pass | pass",
        "clear_bit(0, &f)                                     | 0 | pass | pass | exists",
        "smp_mb__before_atomic(); clear_bit(0, &f)            | 0 | pass | pass | pass",
        "set_bit(1, &f)                                       | 3 | pass | pass | exists",
        "change_bit(1, &f)                                    | 3 | pass | pass | exists",
        "bool b; b = clear_bit_unlock_is_negative_byte(0, &f) | 0 | pass | pass | pass",
        "bool b; b = test_and_clear_bit(0, &f)                | 0 | pass | pass | pass",
        "bool b; b = test_and_set_bit(1, &f)                  | 3 | pass | pass | pass",
        "bool b; b = test_and_change_bit(1, &f)               | 3 | pass | pass | pass",
        "bool b; b = test_and_set_bit_lock(1, &f)             | 3 | pass | pass | exists",
        "__clear_bit_unlock(0, &f)                            | 0 | pass | pass | pass",
        "__clear_bit(0, &f)                                   | 0 | pass | pass | exists",
        "__set_bit(1, &f)                                     | 3 | pass | pass | exists",
    })
    void whatABitopOrdersBeforeIt(String op, String seen, String sc, String tso, String arm) {
        String model = EARLIER.replace("OP", op).replace("SEEN", seen);
        assertEquals(List.of(sc, tso, arm), List.of(verdict(model, "sc"), verdict(model, "tso"),
                verdict(model, "arm")));
    }

    // A bit spinlock: test_and_set_bit_lock takes bit 0, clear_bit_unlock releases it, and no increment of the
    // data it guards is lost. Released with the relaxed clear_bit instead, arm lets the critical section's
    // store become visible after the unlock, and the other CPU's increment overwrites it. The lock is taken as
    // models/bit_spinlock.mmx takes it: a failed attempt only reads, so the CPU waits for the bit to be clear
    // and an execution whose attempt still fails is dropped (a loop of attempts would fill arm's window).
    private static final String BIT_SPINLOCK = """
            shared int lock = 0;
            shared int data = 0;
            thread cpu[2] {
                bool busy;
                int v;
                await (!test_bit(0, &lock));
                busy = test_and_set_bit_lock(0, &lock);
                assume (!busy);
                v = READ_ONCE(data);
                WRITE_ONCE(data, v + 1);
                UNLOCK(0, &lock);
            }
            forall (data == 2);
            """;

    @ParameterizedTest
    @CsvSource({
        "clear_bit_unlock, sc, pass", "clear_bit_unlock, tso, pass", "clear_bit_unlock, arm, pass",
        "clear_bit, sc, pass", "clear_bit, tso, pass", "clear_bit, arm, forall",
    })
    void aBitSpinlockNeedsTheReleaseOfClearBitUnlock(String unlock, String mm, String expected) {
        assertEquals(expected, verdict(BIT_SPINLOCK.replace("UNLOCK", unlock), mm));
    }

    @Test
    void aBitNumberOutsideTheWordIsAFault() {
        Result r = run("shared int w = 0;\nthread t { int n = 32; set_bit(n, &w); }", "sc");
        assertEquals("index_out_of_range", r.violation().property());
        assertEquals("index 32 is out of range for bits[32] (valid: 0..31) (t, line 2)", r.violation().message());
    }

    private static List<String> diagnostics(String text) {
        return Fixtures.diagnostics("bits.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void misuseIsAPositionedDiagnostic() {
        assertEquals(List.of("bits.mmx:2:20: bit 32 is out of range: set_bit() works on one int word, bits 0..31"),
                diagnostics("shared int w;\nthread t { set_bit(32, &w); }"));
        assertEquals(List.of("bits.mmx:2:24: set_bit() needs an int variable, but 'f' is bool"),
                diagnostics("shared bool f;\nthread t { set_bit(0, &f); }"));
        assertEquals(List.of("bits.mmx:2:22: clear_bit() needs a bit number (an int), not bool"),
                diagnostics("shared int w;\nthread t { clear_bit(true, &w); }"));
        assertEquals(List.of("bits.mmx:2:12: test_bit() returns a value; assign it to a register"),
                diagnostics("shared int w;\nthread t { test_bit(0, &w); }"));
        assertEquals(List.of("bits.mmx:2:16: test_and_set_bit() cannot be used inside an expression; it must "
                + "stand alone on the right of an assignment: r = test_and_set_bit(...);"),
                diagnostics("shared int w;\nthread t { if (test_and_set_bit(0, &w)) { skip; } }"));
        assertEquals(List.of("bits.mmx:2:21: __set_bit() is two steps, a load and a store, so it cannot appear "
                + "inside an atomic block; use the atomic form there"),
                diagnostics("shared int w;\nthread t { atomic { __set_bit(0, &w); } }"));
        assertEquals(List.of("bits.mmx:2:12: set_bit() takes 2 arguments but is given 1"),
                diagnostics("shared int w;\nthread t { set_bit(&w); }"));
        assertEquals(List.of("bits.mmx:2:24: 'g' is ghost state, outside the memory model; read and write it "
                + "directly instead of through set_bit()"),
                diagnostics("ghost int g;\nthread t { set_bit(0, &g); }"));
    }
}
