package dev.mmx.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LockGraphTest {
    private static final String ABBA = "models/abba.mmx";
    private static final String LOCK_ORDER = "src/test/resources/models/lock_order.mmx";

    @Test
    void theAbbaDeadlockIsACycleDrawnInRed() {
        LockGraph.Result g = LockGraph.build(Models.load(ABBA, "sc", Map.of()), 1_000_000);
        assertEquals(List.of(List.of("mmap_lock", "i_mmap")), g.cycles());
        assertEquals(2, g.locks());
        assertEquals(2, g.edges());
        // every reachable state, not just the 7 the checker needs to find the deadlock
        assertEquals(27, g.states());
        assertTrue(g.complete());
        String red = " color=\"#c62828\" fontcolor=\"#c62828\" penwidth=\"2\" ];\n";
        assertEquals("strict digraph lock_order {\n"
                + "  rankdir=LR;\n"
                + "  n0 [ shape=\"box\" fontname=\"monospace\" label=\"mmap_lock\"" + red
                + "  n1 [ shape=\"box\" fontname=\"monospace\" label=\"i_mmap\"" + red
                + "  n0 -> n1 [ fontname=\"monospace\" fontsize=\"10\" label=\"fault line 13\"" + red
                + "  n1 -> n0 [ fontname=\"monospace\" fontsize=\"10\" label=\"truncate line 25\"" + red
                + "}\n", g.dot());
    }

    @Test
    void theDocumentedOrderHasOneEdgeWithBothSites() {
        LockGraph.Result g = LockGraph.build(Models.load(ABBA, "sc", Map.of("ORDERED", "1")), 1_000_000);
        assertEquals(List.of(), g.cycles());
        assertEquals("strict digraph lock_order {\n"
                + "  rankdir=LR;\n"
                + "  n0 [ shape=\"box\" fontname=\"monospace\" label=\"mmap_lock\" ];\n"
                + "  n1 [ shape=\"box\" fontname=\"monospace\" label=\"i_mmap\" ];\n"
                + "  n0 -> n1 [ fontname=\"monospace\" fontsize=\"10\" label=\"fault line 13\\ntruncate line 22\" ];\n"
                + "}\n", g.dot());
    }

    @Test
    void aTrylockAddsNoOrderingButAWaitingLockDoes() {
        LockGraph.Result trying = LockGraph.build(Models.load(LOCK_ORDER, "sc", Map.of()), 1_000_000);
        assertEquals(List.of(), trying.cycles());
        assertEquals(1, trying.edges());
        assertEquals(35, trying.states());
        LockGraph.Result waiting = LockGraph.build(Models.load(LOCK_ORDER, "sc", Map.of("SPIN", "1")), 1_000_000);
        // "sem for read" and "sem for write" are both the lock sem
        assertEquals(List.of(List.of("sem", "lock")), waiting.cycles());
        assertTrue(waiting.dot().contains("n1 -> n0 [ fontname=\"monospace\" fontsize=\"10\" label=\"shrinker line 25\""));
    }

    @Test
    void aStateLimitMakesTheGraphIncomplete() {
        LockGraph.Result g = LockGraph.build(Models.load(ABBA, "sc", Map.of()), 5);
        assertEquals(5, g.states());
        assertEquals(false, g.complete());
    }
}
