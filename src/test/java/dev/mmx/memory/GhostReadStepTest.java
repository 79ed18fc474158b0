package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.oracle.Behaviour;
import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A ghost read inside a statement that also touches memory or a lock (a
 * store's value, an address, a primitive's arguments) is a step of its own,
 * into a hidden temporary, before the statement's step, as a shared read is:
 * the access's step touches nothing else another CPU sees, under every model,
 * and arm, which may perform the access out of program order, reads the ghost
 * state in program order.
 */
class GhostReadStepTest {

    private static Program compile(String text) {
        Pipeline.Loaded l = Pipeline.loadText("m.mmx", text, Map.of());
        assertEquals(List.of(), l.diagnostics());
        return l.program();
    }

    /** Every final state, as "x=.. r=.." over the named shared cell 0 and register 0 of thread 1. */
    private static Set<String> finals(Program p, String mm) {
        Set<String> out = new TreeSet<>();
        int x = p.layout().memSlot(0);
        int r = p.layout().regSlot(1, 0);
        Result res = Explorer.finalStates(Pipeline.system(p, mm, Bounds.DEFAULT),
                Options.defaults().withPor(false), s -> out.add("x=" + s[x] + " r=" + s[r]));
        assertEquals(Result.Verdict.PASS, res.verdict(), mm);
        return out;
    }

    @Test
    void aStoreOfAGhostValueReadsItAtAStepOfItsOwn() {
        Program p = compile("""
                shared int x = 0;
                ghost int g = 0;
                thread t { WRITE_ONCE(x, g); }
                """);
        Instr[] code = p.threads().get(0).code();
        Instr.Assign read = assertInstanceOf(Instr.Assign.class, code[0]);
        assertEquals("g", read.src().text());
        assertTrue(p.threads().get(0).regs().get(read.target().base() - p.layout().regSlot(0, 0)).hidden());
        Instr.Store store = assertInstanceOf(Instr.Store.class, code[1]);
        assertEquals(new dev.mmx.system.CExpr.Slot(read.target().base()), store.value());
    }

    /**
     * t reads g (0), b sets g and reads x (5), t stores the 0 it read: x = 0 with
     * r = 5, which a store that read g at its own step could not give (it would
     * have stored before b's read, or stored 1).
     */
    @Test
    void anotherCpuMayMoveBetweenTheGhostReadAndTheStore() {
        Program p = compile("""
                shared int x = 5;
                ghost int g = 0;
                thread t { WRITE_ONCE(x, g); }
                thread b { int r; g = 1; r = READ_ONCE(x); }
                """);
        Set<String> want = Set.of("x=0 r=0", "x=0 r=5", "x=1 r=1", "x=1 r=5");
        for (String mm : List.of("sc", "tso", "arm")) {
            assertEquals(want, finals(p, mm), mm);
        }
    }

    /**
     * Under arm t's store may be performed before its earlier load of y, but the
     * ghost read it stores is a step in program order, after that load: if t read
     * y == 1, b had set g, so x == 1. A store that read g when it performed could
     * store 0 before b set g, then t's load take b's y.
     */
    @Test
    void armReadsGhostStateInProgramOrderEvenWhenTheStoreRunsAhead() {
        Program p = compile("""
                shared int x = 0;
                shared int y = 0;
                ghost int g = 0;
                thread t { int r = READ_ONCE(y); WRITE_ONCE(x, g); }
                thread b { atomic { g = 1; } WRITE_ONCE(y, 1); }
                exists (t.r == 1 && x == 0);
                """);
        for (String mm : List.of("sc", "tso", "arm")) {
            Result r = Explorer.explore(Pipeline.system(p, mm, Bounds.DEFAULT), Options.defaults());
            assertEquals(Result.Verdict.PASS, r.verdict(), mm);
        }
    }

    /**
     * An await that tests ghost state is a ghost test: under arm it is performed
     * at the head of the window, after t's load of y. If that load took b's y,
     * b had set g and the await never passes (a deadlock, not a final state), as
     * under sc; an await performed ahead of the load would pass on g == 0 first.
     */
    @Test
    void armTestsGhostStateInAnAwaitInProgramOrder() {
        Program p = compile("""
                shared int y = 0;
                ghost int g = 0;
                thread t { int r = READ_ONCE(y); await (g == 0); }
                thread b { atomic { g = 1; } WRITE_ONCE(y, 1); }
                """);
        for (String mm : List.of("sc", "tso", "arm")) {
            Behaviour b = Behaviour.of(p, Pipeline.system(p, mm, Bounds.DEFAULT), 10_000);
            assertEquals(Set.of("0"), b.finals().stream().map(f -> f.get("t.r")).collect(Collectors.toSet()), mm);
            assertTrue(b.deadlock(), mm);
        }
    }

    /** The trace shows the ghost read as its own row that reads g. */
    @Test
    void theTraceShowsTheGhostReadAsARowOfItsOwn() {
        Program p = compile("""
                shared int x = 0;
                ghost int g = 3;
                thread t { WRITE_ONCE(x, g); }
                """);
        for (String mm : List.of("sc", "arm")) {
            TransitionSystem ts = Pipeline.system(p, mm, Bounds.DEFAULT);
            int[] out = new int[ts.maxTransitions()];
            int[] s = ts.initial();
            assertEquals(1, ts.enabled(s, out), mm);
            Step read = ts.describe(s, out[0]);
            assertEquals("g", read.text(), mm);
            assertEquals(List.of("reads g = 3"), read.effects().stream().map(Step.Effect::render).toList(), mm);
            s = ts.next(s, out[0]);
            assertEquals(1, ts.enabled(s, out), mm);
            Step store = ts.describe(s, out[0]);
            assertEquals("WRITE_ONCE(x, g);", store.text(), mm);
            assertEquals(List.of("x = 3"), store.effects().stream().map(Step.Effect::render).toList(), mm);
        }
    }
}
