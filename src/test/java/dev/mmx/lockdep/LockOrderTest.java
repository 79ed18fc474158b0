package dev.mmx.lockdep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.memory.Machine;
import dev.mmx.system.TransitionSystem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockOrderTest {
    private static TransitionSystem latent(String... defines) {
        Map<String, String> d = new java.util.LinkedHashMap<>();
        for (int i = 0; i < defines.length; i += 2) {
            d.put(defines[i], defines[i + 1]);
        }
        return new Machine(Fixtures.program("latent_abba", d), "sc", 4);
    }

    @Test
    void anInversionIsACycleWithBothAcquisitionPaths() {
        LockOrder o = new LockOrder(List.of("a", "b", "c"));
        o.acquired("t0", 3, "b", List.of("a"));
        o.acquired("t1", 9, "a", List.of("c", "b"));
        o.acquired("t2", 12, "a", List.of("b"));
        List<LockOrder.Cycle> cycles = o.cycles();
        assertEquals(1, cycles.size());
        assertEquals(List.of("a", "b"), cycles.get(0).locks());
        assertEquals(List.of(new LockOrder.Edge("a", "b", List.of(new LockOrder.Site("t0", 3))),
                new LockOrder.Edge("b", "a", List.of(new LockOrder.Site("t1", 9), new LockOrder.Site("t2", 12)))),
                cycles.get(0).edges());
        assertEquals(List.of("lock-order cycle (possible deadlock): a -> b -> a",
                "  b taken while holding a: t0 line 3",
                "  a taken while holding b: t1 line 9, t2 line 12"), LockOrder.describe(cycles.get(0)));
        assertEquals(3, o.edges());
    }

    @Test
    void orderedLockingAndRetakingAHeldLockAreNoCycle() {
        LockOrder o = new LockOrder(List.of("a", "b"));
        o.acquired("t0", 3, "b", List.of("a"));
        o.acquired("t1", 4, "b", List.of("a"));
        o.acquired("t1", 5, "a", List.of("a"));
        assertEquals(List.of(), o.cycles());
        assertEquals(1, o.edges());
    }

    @Test
    void lockdepFindsTheInversionNoInterleavingDeadlocksOn() {
        Lockdep.Result r = Lockdep.run(latent(), 1_000_000);
        assertEquals(1, r.cycles().size());
        assertEquals("mmap_lock -> i_mmap -> mmap_lock", r.cycles().get(0).path());
        assertEquals(List.of(new LockOrder.Site("fault", 21)), r.cycles().get(0).edges().get(0).sites());
        assertEquals(List.of(new LockOrder.Site("truncate", 39)), r.cycles().get(0).edges().get(1).sites());
        // the two threads run one after the other: 12 states, as mmx check counts without reduction
        assertEquals(12, r.states());
        assertTrue(r.complete());
    }

    @Test
    void aTrylockAddsNoEdge() {
        Lockdep.Result r = Lockdep.run(latent("TRY", "1"), 1_000_000);
        assertEquals(List.of(), r.cycles());
        // only fault's mmap_lock -> i_mmap; truncate's trylock of mmap_lock under i_mmap is not an ordering
        assertEquals(1, r.order().edges());
    }

    @Test
    void aReadAcquisitionIsAnOrderingAndAReadHeldLockOrdersLaterOnes() {
        Lockdep.Result r = Lockdep.run(latent("READ", "1"), 1_000_000);
        assertEquals(1, r.cycles().size());
        assertEquals(List.of(new LockOrder.Site("fault", 18)), r.cycles().get(0).edges().get(0).sites());
        assertEquals(List.of(new LockOrder.Site("truncate", 39)), r.cycles().get(0).edges().get(1).sites());
    }

    @Test
    void holdersAreReadFromTheLockWords() {
        assertEquals(List.of(), LockOrder.holders("free"));
        assertEquals(List.of("fault"), LockOrder.holders("held by fault"));
        assertEquals(List.of("cpu[1]"), LockOrder.holders("write-held by cpu[1]"));
        assertEquals(List.of("a", "b"), LockOrder.holders("read-held by a, b"));
    }
}
