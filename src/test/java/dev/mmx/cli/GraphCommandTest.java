package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.ExternalTool;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphCommandTest {
    @TempDir
    Path dir;

    @Test
    void locksPrintsDotAndNamesTheCycle() {
        Cli.Run r = Cli.run("graph", "models/abba.mmx", "--locks");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("strict digraph lock_order {\n"), r.out());
        assertEquals("lock order: 2 locks, 2 orderings seen in 27 states\n"
                + "cycle (possible deadlock): mmap_lock -> i_mmap -> mmap_lock\n", r.err());
    }

    @Test
    void statesWritesTheFileAndSummarises() throws Exception {
        Path out = dir.resolve("abba.dot");
        Cli.Run r = Cli.run("graph", "models/abba.mmx", "--states", "--max-states", "10", "-o", out.toString());
        assertEquals(0, r.exit());
        // the first 10 breadth-first states already hold the 2-step path; 10 moves run between them
        assertEquals("wrote " + out + "\n"
                + "state graph: 10 states, 10 transitions (stopped at --max-states; dashed states have more successors)\n"
                + "counterexample in red: 2 steps to deadlock\n", r.out());
        assertTrue(Files.readString(out).startsWith("digraph states {\n"));
    }

    @Test
    void aPassingModelSaysSo() {
        Cli.Run r = Cli.run("graph", "models/abba.mmx", "-D", "ORDERED=1", "--states");
        assertEquals(0, r.exit());
        // the same counts as `mmx check models/abba.mmx -D ORDERED=1`: 25 states, 26 transitions
        assertEquals("state graph: 25 states, 26 transitions\nno counterexample: pass\n", r.err());
    }

    @Test
    void oneLockIsSingular() {
        // counter.mmx has one spinlock, never nested: 67 states as `mmx check models/counter.mmx` counts them
        Cli.Run r = Cli.run("graph", "models/counter.mmx", "--locks");
        assertEquals("lock order: 1 lock, 0 orderings seen in 67 states\nno cycle\n", r.err());
    }

    @Test
    void anIncompleteLockGraphExitsThree() {
        Cli.Run r = Cli.run("graph", "models/abba.mmx", "--locks", "--max-states", "3");
        assertEquals(3, r.exit());
        assertTrue(r.err().endsWith("incomplete: the state limit (3 states) was reached, so orderings in "
                + "unexplored behaviour may be missing\n"), r.err());
    }

    @Test
    void svgGoesThroughGraphviz() throws Exception {
        ExternalTool.require(Graphviz.find() != null, "Graphviz's dot");
        Path out = dir.resolve("locks.svg");
        Cli.Run r = Cli.run("graph", "models/abba.mmx", "--locks", "--svg", "-o", out.toString());
        assertEquals(0, r.exit());
        String svg = Files.readString(out);
        assertTrue(svg.contains("<title>lock_order</title>"), svg);
        assertTrue(svg.contains(">fault line 13</text>"), svg);
    }

    @Test
    void usageErrorsExitTwo() {
        Cli.Run neither = Cli.run("graph", "models/abba.mmx");
        assertEquals(2, neither.exit());
        assertTrue(neither.err().startsWith("Error: Missing required argument (specify one of these): "
                + "(--locks | --states)\n"), neither.err());
        Cli.Run both = Cli.run("graph", "models/abba.mmx", "--locks", "--states");
        assertEquals(2, both.exit());
        assertTrue(both.err().startsWith("Error: --locks, --states are mutually exclusive (specify only one)\n"),
                both.err());
        Cli.Run zero = Cli.run("graph", "models/abba.mmx", "--locks", "--max-states", "0");
        assertEquals(2, zero.exit());
        assertEquals("mmx graph: --max-states must be at least 1\n", zero.err());
        Cli.Run mm = Cli.run("graph", "models/abba.mmx", "--locks", "--mm", "power");
        assertEquals(2, mm.exit());
        assertEquals("mmx graph: there is no memory model 'power'\n", mm.err());
        Cli.Run missing = Cli.run("graph", "nope.mmx", "--locks");
        assertEquals(2, missing.exit());
        assertEquals("nope.mmx: no such file\n", missing.err());
    }
}
