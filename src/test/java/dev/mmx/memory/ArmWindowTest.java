package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What fills a CPU's window of in-flight instructions under arm, and what does not. */
class ArmWindowTest {
    // cpu0 runs three critical sections of four stores each, 24 instructions in all; cpu1 holds the lock
    // once, so cpu0 may wait at any of its spin_lock()s
    private static final String SECTIONS = "spinlock l;\nshared int x[12];\n"
            + "thread cpu0 {\n"
            + "    for (s in 0..2) {\n"
            + "        spin_lock(&l);\n"
            + "        for (i in 0..3) {\n"
            + "            WRITE_ONCE(x[4 * s + i], 1);\n"
            + "        }\n"
            + "        spin_unlock(&l);\n"
            + "    }\n"
            + "}\n"
            + "thread cpu1 {\n"
            + "    spin_lock(&l);\n"
            + "    spin_unlock(&l);\n"
            + "}\n";

    @Test
    void aCpuWaitingForALockDoesNotFetchWhatCannotPassTheLock() {
        Program p = Fixtures.compile("sections.mmx", SECTIONS, Map.of());
        ArmMachine small = new ArmMachine(p, 16);
        Result r16 = Explorer.explore(small, Options.defaults().withPor(false));
        ArmMachine large = new ArmMachine(p, 64);
        Result r64 = Explorer.explore(large, Options.defaults().withPor(false));

        assertEquals(Result.Verdict.PASS, r16.verdict());
        // nothing after an acquire that has not performed can perform before it, so fetch stops there: the
        // window never holds more than one critical section, and a window of 16 is never full
        assertNull(small.boundReached());
        assertNull(large.boundReached());
        assertEquals(r64.stats().states(), r16.stats().states());
        assertEquals(r64.stats().transitions(), r16.stats().transitions());
    }
}
