package dev.mmx.memory;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.compile.Compiler;
import dev.mmx.lang.ModelParser;
import dev.mmx.resolve.Resolver;
import dev.mmx.system.Step;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A load the compiler inserts for a shared read inside an expression shows its read, not its temporary. */
class HiddenTemporaryTest {
    @Test
    void loadInAConditionShowsOnlyTheRead() {
        ModelParser.Result parsed = ModelParser.parse("t.mmx", """
                shared int x = 7;
                thread t {
                    int r = 0;
                    if (READ_ONCE(x) == 7) {
                        r = READ_ONCE(x);
                    }
                }
                """);
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        Resolver.Result resolved = Resolver.resolve(parsed.model(), Map.of(), MemoryModels.names());
        Compiler.Result compiled = Compiler.compile(resolved.resolved());
        Machine m = new Machine(compiled.program(), "sc", 4);
        int[] s = m.initial();
        Step first = m.describe(s, 0);
        assertEquals("READ_ONCE(x)", first.text());
        assertEquals(List.of("reads x = 7"), first.effects().stream().map(Step.Effect::render).toList());
        Step second = m.describe(m.next(s, 0), 0);
        assertEquals("r = READ_ONCE(x);", second.text());
        assertEquals(List.of("reads x = 7", "r = 7"), second.effects().stream().map(Step.Effect::render).toList());
    }
}
