package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.cli.Pipeline;
import dev.mmx.lockdep.Lockdep;
import dev.mmx.memory.Bounds;
import dev.mmx.memory.Machine;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The limits and the incomplete rule live in one place (the search core), so
 * every search order, and the reachable-set walk behind lockdep and the
 * graphs, stops at the same state limit with the same words, and none calls
 * a run cut short by a memory-model bound a pass.
 */
class StateLimitTest {
    private static final Options PLAIN = Options.defaults().withPor(false).withWorkers(2);

    /**
     * Each order at {@code limit}, each on a fresh system (a bound hit is remembered by
     * the system): verdict, stored states and reason, one line per order.
     */
    private static List<String> everyOrder(Supplier<TransitionSystem> system, long limit) {
        List<String> out = new ArrayList<>();
        Options o = PLAIN.withMaxStates(limit);
        out.add("bfs " + line(Explorer.explore(system.get(), o)));
        out.add("dfs " + line(Explorer.explore(system.get(), o.withSearch(Options.Search.DFS))));
        out.add("parallel " + line(Explorer.explore(system.get(), o.withSearch(Options.Search.PARALLEL))));
        out.add("fingerprint " + line(Explorer.explore(system.get(), o.withSearch(Options.Search.DFS)
                .withFingerprint(true))));
        out.add("walk " + line(new Reachable().explore(system.get(), o, id -> true, (from, s, t, to) -> { })));
        Lockdep.Result locks = Lockdep.run(system.get(), (int) limit);
        out.add("lockdep " + locks.states() + " " + (locks.complete() ? "complete" : locks.incomplete()));
        return out;
    }

    private static String line(Result r) {
        return r.verdict().word() + " " + r.stats().states()
                + (r.incompleteReason() == null ? "" : " " + r.incompleteReason());
    }

    private static List<String> expected(String every) {
        List<String> out = new ArrayList<>();
        for (String order : List.of("bfs", "dfs", "parallel", "fingerprint", "walk")) {
            out.add(order + " " + every);
        }
        return out;
    }

    @Test
    void aModelWithExactlyTheLimitPassesInEveryOrder() {
        // the default independent fixture has 3^3 = 27 states (three threads at one of three positions each)
        Program p = Fixtures.program("independent");
        List<String> want = expected("pass 27");
        want.add("lockdep 27 complete");
        assertEquals(want, everyOrder(() -> new Machine(p, "sc", 4), 27));
    }

    @Test
    void oneStateFewerIsIncompleteInEveryOrderAtTheLimit() {
        Program p = Fixtures.program("independent");
        List<String> want = expected("incomplete 26 the state limit (26 states) was reached");
        want.add("lockdep 26 the state limit (26 states) was reached");
        assertEquals(want, everyOrder(() -> new Machine(p, "sc", 4), 26));
    }

    @Test
    void aLimitInTheMiddleOfALevelStopsEveryOrderAtTheLimit() {
        // 6^5 = 7776 states; 5000 falls inside a BFS level and past the interval of the periodic checks,
        // and parallel BFS takes the level in one batch, so it must cut inside the batch
        Program p = Fixtures.program("independent", Map.of("N", "5", "K", "5"));
        List<String> want = expected("incomplete 5000 the state limit (5000 states) was reached");
        want.add("lockdep 5000 the state limit (5000 states) was reached");
        assertEquals(want, everyOrder(() -> new Machine(p, "sc", 4), 5000));
    }

    /**
     * At every limit from 1 up to past the violation, parallel BFS answers as BFS:
     * it stops at the same state, so it finds the violation exactly when BFS does.
     */
    @Test
    void parallelBfsMeetsTheLimitWhereBfsDoes() {
        for (String fixture : List.of("lost_update", "abba", "store_buffering")) {
            Program p = Fixtures.program(fixture);
            for (String mm : List.of("sc", "tso")) {
                TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
                long all = Explorer.explore(ts, PLAIN).stats().states();
                for (long limit = 1; limit <= all + 1; limit++) {
                    Options o = PLAIN.withMaxStates(limit);
                    Result seq = Explorer.explore(ts, o);
                    for (int workers : new int[] {1, 2, 3}) {
                        Result par = Explorer.explore(ts, o.withSearch(Options.Search.PARALLEL).withWorkers(workers));
                        String where = fixture + " " + mm + " limit " + limit + " workers " + workers;
                        assertEquals(seq.verdict(), par.verdict(), where);
                        assertEquals(seq.incompleteReason(), par.incompleteReason(), where);
                        if (seq.violation() != null) {
                            assertEquals(seq.violation().property(), par.violation().property(), where);
                            assertEquals(seq.path().length, par.path().length, where);
                        } else {
                            assertEquals(seq.stats().states(), par.stats().states(), where);
                        }
                    }
                }
            }
        }
    }

    /**
     * Under tso with one store-buffer entry, a thread's second store has to wait
     * for the first to drain: the bound cuts behaviour off, so no order and not the
     * walk may call the run a pass (the walk used to, which let lockdep and the
     * lock graph say "no cycle" over a cut-down system).
     */
    @Test
    void aMemoryModelBoundIsNeverAPassInAnyOrder() {
        Program p = Fixtures.compile("bound.mmx", """
                shared int x = 0;
                shared int y = 0;
                thread writer {
                    WRITE_ONCE(x, 1);
                    WRITE_ONCE(y, 1);
                }
                thread reader {
                    int r = 0;
                    r = READ_ONCE(y);
                }
                """, Map.of());
        TransitionSystem unbounded = Pipeline.system(p, "tso", new Bounds(4, 32));
        assertEquals(Result.Verdict.PASS, Explorer.explore(unbounded, PLAIN).verdict());
        TransitionSystem once = Pipeline.system(p, "tso", new Bounds(1, 32));
        Explorer.explore(once, PLAIN);
        String bound = once.boundReached();
        assertNotNull(bound);
        assertTrue(bound.startsWith("a store buffer held 1 stores"), bound);
        List<String> got = everyOrder(() -> Pipeline.system(p, "tso", new Bounds(1, 32)), 1000);
        assertEquals(6, got.size());
        for (String line : got) {
            assertTrue(line.endsWith(" " + bound), line);
            assertTrue(line.startsWith("lockdep ") || line.contains(" incomplete "), line);
        }
    }
}
