package dev.mmx.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.TransitionSystem;
import dev.mmx.trace.Golden;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StateGraphTest {
    private static final Path GOLDEN = Path.of("src/test/resources/graphs");

    private static int[] counterexample(TransitionSystem ts) {
        Result r = Explorer.explore(ts, Options.defaults());
        return r.path();
    }

    @Test
    void theAbbaStateGraphShowsTheDeadlockPath() throws Exception {
        TransitionSystem ts = Models.load("models/abba.mmx", "sc", Map.of());
        int[] path = counterexample(ts);
        assertEquals(2, path.length);
        StateGraph.Result g = StateGraph.build(ts, 100, path);
        assertEquals(27, g.states());
        assertEquals(30, g.edges());
        assertFalse(g.truncated());
        Golden.check(g.dot(), GOLDEN.resolve("abba-states.dot"));
        // two red moves: fault takes mmap_lock, truncate takes i_mmap; the deadlocked state is filled
        assertEquals(2, g.dot().lines().filter(l -> l.contains(" -> ") && l.contains("#c62828")).count());
        assertTrue(g.dot().contains("label=\"s4\\lfault:13 truncate:25\\lvmas=0\\lmmap_lock held by fault "
                + "i_mmap held by truncate\\l\" color=\"#c62828\" penwidth=\"2\" fillcolor=\"#fdecea\" style=\"filled\""));
    }

    @Test
    void aTruncatedGraphStillCarriesTheWholeCounterexample() throws Exception {
        TransitionSystem ts = Models.load("src/test/resources/models/sb_lock.mmx", "tso", Map.of());
        int[] path = counterexample(ts);
        assertEquals(18, path.length);
        StateGraph.Result g = StateGraph.build(ts, 30, path);
        // 30 breadth-first states plus the 9 states of the path past them
        assertEquals(39, g.states());
        assertEquals(46, g.edges());
        assertTrue(g.truncated());
        assertEquals(18, g.dot().lines().filter(l -> l.contains(" -> ") && l.contains("#c62828")).count());
        Golden.check(g.dot(), GOLDEN.resolve("sb_lock-tso-states.dot"));
    }

    @Test
    void aPassingModelHasNoRedPath() {
        TransitionSystem ts = Models.load("models/abba.mmx", "sc", Map.of("ORDERED", "1"));
        StateGraph.Result g = StateGraph.build(ts, 100, new int[0]);
        assertEquals(25, g.states());
        assertFalse(g.dot().contains("#c62828"));
    }
}
