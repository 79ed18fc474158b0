package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.cli.Pipeline;
import dev.mmx.memory.Bounds;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The MMU's own fills (a prefetching TLB) are steps of no thread, so partial-
 * order reduction must count them as another actor: with and without it, sc
 * reaches the same final states (memory, ghost state and registers).
 */
class MmuReductionTest {
    private static Set<String> finals(Program p, boolean por) {
        TransitionSystem ts = Pipeline.system(p, "sc", Bounds.DEFAULT);
        Layout l = p.layout();
        Set<String> out = new TreeSet<>();
        Result r = Explorer.finalStates(ts, Options.defaults().withPor(por),
                s -> out.add(Arrays.toString(Arrays.copyOfRange(s, l.memSlot(0), s.length))));
        assertEquals(Result.Verdict.PASS, r.verdict());
        return out;
    }

    @Test
    void reductionKeepsEveryFinalStateOfAModelWhoseMmuWalksByItself() {
        Program mremap = Pipeline.load(Path.of("models/mremap_pageout.mmx"), Map.of("MMU", "1")).program();
        Set<String> full = finals(mremap, false);
        assertEquals(full, finals(mremap, true));
        // a clears the PTE, b does something else: without the MMU as an actor, reduction would run a's step
        // alone first (it is independent of b's) and miss every fill that comes before it
        Program small = Pipeline.loadText("m.mmx", """
                ghost page pg;
                shared int pte = mk_pte(&pg);
                shared int y = 0;
                ghost tlb tlb[1] prefetches {pte};
                thread a { WRITE_ONCE(pte, 0); }
                thread b { int r; r = READ_ONCE(y); }
                """, Map.of()).program();
        Set<String> all = finals(small, false);
        assertEquals(all, finals(small, true));
        // each CPU's entry for address 0 is empty or page 1 at the end: four final states
        assertEquals(4, all.size());
    }
}
