package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.litmus.LitmusParser;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The address, data and control dependencies ThreadPaths gives events, as
 * herd7's C front end computes them (herd/CSem.ml, herd/modelUtils.ml):
 * through registers, control over an if's arms only, and herd7's way with
 * read-modify-write results.
 */
class DependenciesTest {
    /** The paths of thread 0 of a one-thread C test. */
    private static List<Path> paths(String body) {
        String litmus = "C deps\n{}\nP0(int *x, int *y, int *z, int **p, spinlock_t *s)\n{\n" + body + "\n}\n"
                + "exists (x=0)\n";
        LitmusParser.Result parsed = LitmusParser.parse("t.litmus", litmus);
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        LitmusRun.Prepared p = LitmusRun.prepare(parsed.test(), "lkmm");
        assertTrue(p.ok(), () -> p.diagnostics().toString());
        return ThreadPaths.of(p.program(), 0, p.primitives());
    }

    /** Each event as KIND{tags} with its dependencies, e.g. "W[once] addr{0} data{} ctrl{}". */
    private static List<String> shape(Path path) {
        List<String> out = new ArrayList<>();
        for (Path.Event e : path.events()) {
            out.add(e.kind() + Tag.names(e.tags()).toString() + " addr" + set(e.addr()) + " data" + set(e.data())
                    + " ctrl" + set(e.ctrl()));
        }
        return out;
    }

    private static String set(BitSet b) {
        return b.toString();
    }

    @Test
    void controlDependencyCoversTheArmsOfTheIfOnly() {
        List<Path> ps = paths("int r0; r0 = READ_ONCE(*x);"
                + " if (r0) { WRITE_ONCE(*y, 1); } else { WRITE_ONCE(*y, 2); } WRITE_ONCE(*z, 1);");
        assertEquals(2, ps.size());
        for (Path p : ps) {
            assertEquals(List.of("READ[once] addr{} data{} ctrl{}", "WRITE[once] addr{} data{} ctrl{0}",
                    "WRITE[once] addr{} data{} ctrl{}"), shape(p));
        }
    }

    @Test
    void addressAndDataDependenciesFlowThroughRegisters() {
        List<Path> ps = paths("int *r1; int r2; int r3; r1 = READ_ONCE(*p); r2 = READ_ONCE(*r1); r3 = r2 + 1;"
                + " WRITE_ONCE(*y, r3); WRITE_ONCE(*r1, 0);");
        assertEquals(List.of("READ[once] addr{} data{} ctrl{}", "READ[once] addr{0} data{} ctrl{}",
                "WRITE[once] addr{} data{1} ctrl{}", "WRITE[once] addr{0} data{} ctrl{}"), shape(ps.get(0)));
    }

    @Test
    void xchgHandsOnItsReadButTheAtomicOpsDoNot() {
        // herd7's linux_exch outputs the read; build_atomic_op outputs the write, which starts no dependency,
        // and an atomic op's write is data-dependent on its read
        List<Path> xchg = paths("int r1; r1 = xchg(x, 1); WRITE_ONCE(*y, r1);");
        assertEquals(List.of("READ[mb, atomic] addr{} data{} ctrl{}", "WRITE[mb, atomic] addr{} data{} ctrl{}",
                "WRITE[once] addr{} data{0} ctrl{}"), shape(xchg.get(0)));
        List<Path> add = paths("int r1; r1 = atomic_fetch_add(1, x); WRITE_ONCE(*y, r1);");
        assertEquals(List.of("READ[mb, atomic] addr{} data{} ctrl{}", "WRITE[mb, atomic] addr{} data{0} ctrl{}",
                "WRITE[once] addr{} data{} ctrl{}"), shape(add.get(0)));
    }

    @Test
    void everyReadOfAnIfConditionIsAControlSource() {
        // herd7 takes the control dependency from every event of the condition, so the xchg's operand counts
        List<Path> ps = paths("int r1; r1 = READ_ONCE(*z); if (xchg(x, r1)) WRITE_ONCE(*y, 1);");
        Path taken = ps.stream().filter(p -> p.events().size() == 4).findFirst().orElseThrow();
        assertEquals("WRITE[once] addr{} data{} ctrl{0, 1}", shape(taken).get(3));
    }

    @Test
    void aFailedTrylockStartsAControlDependencyAndASuccessfulOneDoesNot() {
        List<Path> ps = paths("if (spin_trylock(s)) { WRITE_ONCE(*x, 1); spin_unlock(s); } else { WRITE_ONCE(*y, 1); }");
        assertEquals(2, ps.size());
        List<List<String>> shapes = ps.stream().map(DependenciesTest::shape).toList();
        assertTrue(shapes.contains(List.of("LOCK_READ[] addr{} data{} ctrl{}", "LOCK_WRITE[] addr{} data{} ctrl{}",
                "WRITE[once] addr{} data{} ctrl{}", "UNLOCK[] addr{} data{} ctrl{}")), shapes.toString());
        assertTrue(shapes.contains(List.of("LOCK_FAIL[] addr{} data{} ctrl{}", "WRITE[once] addr{} data{} ctrl{0}")),
                shapes.toString());
    }

    @Test
    void aFailedCmpxchgIsOneRead() {
        // linux_cmpexch_no: the read alone, under the guard that it found another value
        List<Path> ps = paths("int r1; r1 = cmpxchg(x, 0, 1);");
        assertEquals(2, ps.size());
        assertEquals(List.of(2, 1), ps.stream().map(p -> p.events().size()).toList());
        assertEquals("[Guard[cond=Binary[op=EQ, left=Read[slot=0], right=Const[value=0]], holds=false]]",
                ps.get(1).guards().toString());
    }
}
