package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.Pipeline;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An await whose condition faults reports the fault, under every memory model,
 * as any other step does: it must not pass as if the condition held. An await
 * is enabled when its condition holds or when evaluating it faults, and the
 * step then reports the fault; a leading await of an atomic block is evaluated
 * again by the block for the same reason.
 */
class AwaitFaultTest {

    private static Result check(String text, String mm) {
        Pipeline.Loaded loaded = Pipeline.loadText("await-fault.mmx", text, Map.of());
        assertTrue(loaded.ok(), () -> loaded.diagnostics().toString());
        return Explorer.explore(Pipeline.system(loaded.program(), mm, Bounds.DEFAULT), Options.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anAwaitIndexingOutOfRangeIsAFault(String mm) {
        Result r = check("""
                shared int a[2] = 1;
                thread t {
                    int i = 2;
                    await (READ_ONCE(a[i]) == 1);
                }
                """, mm);
        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("index_out_of_range", r.violation().property());
        assertEquals(1, r.path().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anAwaitDividingByZeroIsAFault(String mm) {
        Result r = check("""
                shared int x = 4;
                thread t {
                    int d = 0;
                    await (READ_ONCE(x) / d == 1);
                }
                """, mm);
        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("division_by_zero", r.violation().property());
        assertEquals(1, r.path().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anAtomicBlocksLeadingAwaitThatFaultsIsAFault(String mm) {
        Result r = check("""
                ghost int g[2];
                ghost int done;
                thread t {
                    int i = 3;
                    atomic {
                        await (g[i] == 0);
                        done = 1;
                    }
                }
                """, mm);
        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("index_out_of_range", r.violation().property());
        assertEquals(1, r.path().length);
    }
}
