package dev.mmx.reference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The reference interpreter alone, on models whose answers are counted by hand. */
class ReferenceTest {
    private static Reference.Result run(String text) {
        Pipeline.Loaded loaded = Pipeline.loadText("ref.mmx", text, Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        return Reference.explore(loaded.resolved(), 100_000);
    }

    /** The final states, each shown by the given keys only, sorted. */
    private static Set<String> finals(Reference.Result r, String... keys) {
        Set<String> out = new TreeSet<>();
        for (Map<String, String> f : r.behaviour().finals()) {
            StringBuilder sb = new StringBuilder();
            for (String k : keys) {
                sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(f.get(k));
            }
            out.add(sb.toString());
        }
        return out;
    }

    @Test
    void twoRacingStoresMakeFiveStates() {
        Reference.Result r = run("shared int x = 0;\nthread a { x = 1; }\nthread b { x = 2; }\n");
        // the start, a done, b done, and both done in either order (x = 2 or x = 1)
        assertEquals(5, r.behaviour().states());
        assertEquals(Set.of("x=1", "x=2"), finals(r, "x"));
        assertEquals("pass", r.verdict());
    }

    /** An atomic block's leading await that faults is the fault, not a pass (its guard lets a fault through). */
    @Test
    void anAtomicBlocksLeadingAwaitThatFaultsIsAFault() {
        Reference.Result r = run("""
                ghost int g[2];
                thread t {
                    int i = 3;
                    atomic { await (g[i] == 0); }
                }
                """);
        assertEquals("violates index_out_of_range", r.verdict());
    }

    @Test
    void theSharedReadsOfAStatementAreStepsOfTheirOwnLeftToRight() {
        Reference.Result r = run("""
                shared int x = 0;
                shared int y = 0;
                thread a { int v = READ_ONCE(x) * 10 + READ_ONCE(y); }
                thread b { WRITE_ONCE(x, 1); WRITE_ONCE(y, 1); }
                """);
        // x is loaded before y: b's two stores can both fall between the loads (v = 1), an outcome no single
        // snapshot of (x, y) gives; with b's order, (x, y) is (0, 0), (1, 0) or (1, 1) otherwise: 0, 10, 11
        assertEquals(Set.of("a.v=0", "a.v=1", "a.v=10", "a.v=11"), finals(r, "a.v"));
    }

    @Test
    void aConditionOverGhostStateIsReadAtItsOwnStep() {
        Reference.Result r = run("""
                shared int x = 0;
                ghost int g = 0;
                thread a { int r = 0; WRITE_ONCE(x, 1); if (g == 0) { r = 1; } }
                thread b { int s = READ_ONCE(x); g = 1; }
                """);
        // b may read a's store and set g between a's store and a's test, so a sees g == 1 after b saw x == 1;
        // folding the test into the store would lose s=1 r=0
        assertEquals(Set.of("a.r=0 b.s=0", "a.r=0 b.s=1", "a.r=1 b.s=0", "a.r=1 b.s=1"), finals(r, "a.r", "b.s"));
    }

    @Test
    void aValuePrimitiveWritesAGhostOrSharedTargetInAFurtherStep() {
        Reference.Result r = run("""
                shared int x = 5;
                shared int y = 0;
                ghost int g = 0;
                thread a { g = xchg(&x, 7); y = choose(1, 2); }
                thread b { int s = g; }
                """);
        // b reads g before a's write (0) or after it (5); y is either choice
        assertEquals(Set.of("b.s=0 g=5 x=7 y=1", "b.s=0 g=5 x=7 y=2", "b.s=5 g=5 x=7 y=1", "b.s=5 g=5 x=7 y=2"),
                finals(r, "b.s", "g", "x", "y"));
    }

    @Test
    void aFailedAssumptionDropsItsExecution() {
        Reference.Result r = run("thread t { int v = choose(0, 2); assume (v != 1); }\n");
        assertEquals(Set.of("t.v=0", "t.v=2"), finals(r, "t.v"));
        assertEquals("pass", r.verdict());
    }

    @Test
    void aLoopOverRegistersThatReachesNoStepIsALivelock() {
        Reference.Result r = run("thread t { int r = 0; while (r == 0) { } }\n");
        assertEquals("violates livelock", r.verdict());
        assertEquals(Set.of("livelock"), r.behaviour().safety());
        assertEquals(Set.of(), r.behaviour().finals());
    }

    @Test
    void aLoopOverGhostStateThatAnotherCpuEndsIsNoLivelock() {
        Reference.Result r = run("ghost int g = 0;\nthread t { while (g == 0) { } }\nthread u { g = 1; }\n");
        assertEquals("pass", r.verdict());
        assertEquals(Set.of("g=1"), finals(r, "g"));
    }

    @Test
    void anAbbaDeadlockAndWhereItIsFound() {
        Reference.Result r = run("""
                spinlock a;
                spinlock b;
                thread t0 { spin_lock(&a); spin_lock(&b); spin_unlock(&b); spin_unlock(&a); }
                thread t1 { spin_lock(&b); spin_lock(&a); spin_unlock(&a); spin_unlock(&b); }
                """);
        assertEquals("deadlock", r.verdict());
        assertTrue(r.behaviour().deadlock());
        assertEquals(1, r.behaviour().finals().size());
    }

    @Test
    void anInvariantFalseAtTheStartIsTheVerdict() {
        Reference.Result r = run("shared int x = 1;\nthread t { x = 0; }\ninvariant zero: x == 0;\n");
        assertEquals("violates zero", r.verdict());
        // the walk goes on past the broken invariant: the final state is still reached
        assertEquals(Set.of("x=0"), finals(r, "x"));
    }

    @Test
    void proceduresReadTheirArgumentsAsTheCallerWroteThem() {
        Reference.Result r = run("""
                shared int a[2];
                proc put(cell, k, v) { int old = cell[k]; cell[k] = old + v; }
                thread t { int r = 3; put(a, 1, r); put(a, 1, r + 1); }
                """);
        // one register t.put.old for both calls; a[1] = 3 + 4
        assertEquals(Set.of("a[0]=0 a[1]=7 t.put.old=3 t.r=3"), finals(r, "a[0]", "a[1]", "t.put.old", "t.r"));
    }

    @Test
    void readersShareAnRwsemAndAWriterExcludesThem() {
        Reference.Result r = run("""
                rwsem s;
                ghost int inside = 0;
                ghost int most = 0;
                ghost int seen = 0;
                thread reader[2] {
                    down_read(&s);
                    inside++;
                    most = inside > most ? inside : most;
                    inside--;
                    up_read(&s);
                }
                thread writer { down_write(&s); seen = seen + inside; up_write(&s); }
                """);
        // the two readers may overlap or not; the writer never sees one inside
        assertEquals(Set.of("most=1 seen=0", "most=2 seen=0"), finals(r, "most", "seen"));
        assertEquals(List.of(), List.copyOf(r.behaviour().safety()));
    }
}
