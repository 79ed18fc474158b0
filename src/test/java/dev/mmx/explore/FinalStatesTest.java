package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.cli.Pipeline;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Explorer.finalStates hands over every terminal state once and stops only at a safety violation. */
class FinalStatesTest {
    private static Program compile(String text) {
        Pipeline.Loaded l = Pipeline.loadText("m.mmx", text, Map.of());
        assertEquals(List.of(), l.diagnostics());
        return l.program();
    }

    @Test
    void everyTerminalStateOnce() {
        // two racing stores: the last one wins, so x ends as 1 or 2; an exists that holds does not stop the search
        Program p = compile("shared int x = 0;\nthread a { x = 1; }\nthread b { x = 2; }\nexists (x == 2);\n");
        TransitionSystem ts = Pipeline.system(p, "sc", 4);
        List<Integer> finals = new ArrayList<>();
        Result r = Explorer.finalStates(ts, Options.defaults(), s -> finals.add(s[p.layout().memSlot(0)]));
        assertEquals(Result.Verdict.PASS, r.verdict());
        assertEquals(List.of(2, 1), finals);
        // initial, a done, b done, both done twice (x=2 after a then b, x=1 after b then a)
        assertEquals(5, r.stats().states());
    }

    @Test
    void stopsAtAFaultWithItsPath() {
        Program p = compile("shared int x = 0;\nthread a { x = 1; }\nthread b { int r = x; assert(r == 0); }\n");
        Result r = Explorer.finalStates(Pipeline.system(p, "sc", 4), Options.defaults(), s -> { });
        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("assert", r.violation().property());
        assertEquals(3, r.path().length);
    }
}
