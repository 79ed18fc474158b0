package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** ABBA lock order deadlocks, with each blocked thread named; the ordered twin does not. */
class DeadlockTest {

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void abbaReportsADeadlockListingTheBlockedThreadsAndTheHolders(String mm) {
        Result r = Fixtures.explore(Fixtures.program("abba"), mm, Options.Search.BFS);

        assertEquals(Result.Verdict.DEADLOCK, r.verdict());
        assertEquals("deadlock", r.violation().property());
        assertEquals("no thread can move, and 2 have not finished", r.violation().message());
        // lines 11 and 22 of abba.mmx are each thread's second lock
        assertEquals(List.of("one waits at line 11: mutex_lock(&b);", "two waits at line 22: mutex_lock(&a);",
                "a held by one", "b held by two"), r.violation().values());
        assertEquals(2, r.path().length); // one takes a, two takes b
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void orderedTwinPasses(String mm) {
        Result r = Fixtures.explore(Fixtures.program("abba", Map.of("ORDERED", "1")), mm, Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // both take a first, so whoever gets it runs before the other starts: (0,0), one's 4 steps with two at
        // 0, then two's 4; two first likewise; both orders end in the same state: 1 + 4 + 4 + 4 + 3 = 16.
        // Plus one: two releases a before b, so one can take a while two still holds b: 17.
        // Mutexes never go through a store buffer (every mutex operation is a locked one), so tso agrees.
        assertEquals(17, r.stats().states());
        // 16 non-final states with one transition each, and a second one in the initial state and in the
        // state where two holds only b: 16 + 2
        assertEquals(18, r.stats().transitions());
    }
}
