package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry of memory models, and the fault word every machine writes the same way. */
class MemoryModelsTest {

    @Test
    void registryListsEveryModelOnceAndBuildsEachExploredOne() {
        assertEquals(List.of("sc", "tso", "arm", "lkmm"), MemoryModels.names());
        assertEquals(List.of("sc", "tso", "arm"), MemoryModels.explored());
        assertEquals("sc, tso, arm or lkmm", MemoryModels.listed(MemoryModels.names()));
        Program p = Fixtures.program("double_lock");
        TransitionSystem sc = MemoryModels.system(p, "sc", Bounds.DEFAULT);
        TransitionSystem tso = MemoryModels.system(p, "tso", Bounds.DEFAULT);
        assertInstanceOf(Machine.class, sc);
        assertEquals("sc", ((Machine) sc).memoryModel().name());
        assertEquals("tso", ((Machine) tso).memoryModel().name());
        assertInstanceOf(ArmMachine.class, MemoryModels.system(p, "arm", Bounds.DEFAULT));
        assertNull(MemoryModels.system(p, "lkmm", Bounds.DEFAULT)); // answered axiomatically, not explored
        assertNull(MemoryModels.system(p, "pso", Bounds.DEFAULT));
        assertFalse(MemoryModels.find("lkmm").explored());
        assertThrows(IllegalArgumentException.class, () -> new Machine(p, "arm", 1));
    }

    @Test
    void onlyAModelWhoseAccessesActAtOnceIsReduced() {
        Program p = Fixtures.program("independent");
        int[] enabled = new int[64];
        int[] out = new int[64];
        for (String mm : List.of("sc", "tso")) {
            Machine m = new Machine(p, mm, 4);
            int[] s = m.initial();
            int count = m.enabled(s, enabled);
            int ample = m.ample(s, enabled, count, out);
            // independent.mmx: two threads touching different variables; sc may take one thread's steps alone
            assertEquals(mm.equals("sc"), ample > 0 && ample < count, mm + ": " + ample + " of " + count);
        }
    }

    @Test
    void faultWordKeepsPropertyThreadAndLine() {
        int w = Semantics.status("double_lock", 2, 17);
        assertEquals("double_lock", Semantics.faultProperty(w));
        assertEquals(2, Semantics.faultThread(w));
        assertEquals(17, Semantics.faultLine(w));
        assertThrows(IllegalStateException.class, () -> Semantics.status("no_such_fault", 0, 1));
    }

    @Test
    void everyMachineWritesTheSameFaultWord() {
        // double_lock.mmx: thread t's second spin_lock, on line 7, takes a lock it holds
        Program p = Fixtures.program("double_lock");
        int expected = Semantics.status("double_lock", 0, 7);
        for (String mm : MemoryModels.explored()) {
            TransitionSystem ts = MemoryModels.system(p, mm, Bounds.DEFAULT);
            Result r = Explorer.explore(ts, Options.defaults());
            assertEquals(Result.Verdict.VIOLATION, r.verdict(), mm);
            int[] s = ts.initial();
            for (int step : r.path()) {
                s = ts.next(s, step);
            }
            assertEquals(expected, s[Layout.STATUS], mm);
            assertTrue(r.violation().message().contains("line 7"), mm + ": " + r.violation().message());
        }
    }
}
