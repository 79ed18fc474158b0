package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reader-writer sharing and trylock, with state spaces counted by hand. */
class LockTest {

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void rwsemLetsReadersShareAndKeepsTheWriterAlone(String mm) {
        Result r = Fixtures.explore(Fixtures.program("rwsem_sharing"), mm, Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // the lock word and both ghost counters follow from the three positions (0..4 each; 1..3 hold the
        // lock). Writer not holding (at 0 or 4): readers anywhere, 2 x 25; writer holding (1..3): readers at 0
        // or 4, 3 x 4. 50 + 12 = 62
        assertEquals(62, r.stats().states());
        // readers before up_read move unless the writer holds (40 per writer position 0 and 4), the writer
        // at 0 moves only with both readers out (4), the holding writer moves (12): 40 + 4 + 40 + 12
        assertEquals(96, r.stats().transitions());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void twoReadersCanHoldTheRwsemTogether(String mm) {
        Program p = Fixtures.program("rwsem_sharing", Map.of("SHOW_SHARING", "1"));
        Result r = Fixtures.explore(p, mm, Options.Search.BFS);

        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("one_reader", r.violation().property());
        assertEquals("invariant one_reader (line 26) does not hold", r.violation().message());
        // each reader: down_read, then readers + 1
        assertEquals(4, r.path().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void exactlyOneOfTwoTrylocksSucceeds(String mm) {
        Program p = Fixtures.compile("t.mmx", "spinlock l;\nghost int wins = 0;\nthread t[2] {\n"
                + "    bool ok = false;\n    ok = spin_trylock(&l);\n    if (ok) {\n        wins = wins + 1;\n"
                + "    }\n}\ninvariant one_winner: wins <= 1;\nforall (wins == 1);\n", Map.of());
        Result r = Fixtures.explore(p, mm, Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // nobody unlocks, so the first trylock wins and the other fails. After t[0] wins: it has or has not
        // counted its win, t[1] has or has not failed: 4 states; the same after t[1] wins; plus the start: 9
        assertEquals(9, r.stats().states());
        // 2 choices at the start and in each of the 2 states where the winner has not counted and the other
        // has not tried; 1 in the 4 states where one thread is left: 6 + 4
        assertEquals(10, r.stats().transitions());
    }
}
