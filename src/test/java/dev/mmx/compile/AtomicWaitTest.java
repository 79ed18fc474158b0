package dev.mmx.compile;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.ModelParser;
import dev.mmx.resolve.Resolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An atomic block may wait only at its start, also when the wait comes from a procedure. */
class AtomicWaitTest {
    private static List<String> errors(String text) {
        ModelParser.Result parsed = ModelParser.parse("a.mmx", text);
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        Resolver.Result resolved = Resolver.resolve(parsed.model(), Map.of(), MemoryModels.names());
        assertTrue(resolved.ok(), () -> resolved.diagnostics().toString());
        return Compiler.compile(resolved.resolved()).diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void blockingLockAfterTheStartIsAnError() {
        // written directly in the block, the type checker catches it before the compiler
        assertEquals(List.of("a.mmx:3:28: an atomic block can only wait at its start; move spin_lock() to the top "
                        + "of the block"),
                errors("spinlock l;\nshared int x;\nthread b { atomic { x = 2; spin_lock(&l); } }\n"));
    }

    @Test
    void awaitInsideAProcedureAfterTheStartIsAnError() {
        assertEquals(List.of("a.mmx:2:12: an atomic block can only wait at its start, and 'await (x == 1);' may "
                        + "wait; move it to the top of the block or use a trylock"),
                errors("shared int x;\nproc w() { await (x == 1); }\nthread b { atomic { x = 2; w(); } }\n"));
    }

    @Test
    void lockAtTheStartAndTrylockLaterAreFine() {
        assertEquals(List.of(), errors("spinlock l;\nspinlock m;\nthread b {\n    bool ok;\n"
                + "    atomic { spin_lock(&l); ok = spin_trylock(&m); }\n}\n"));
    }
}
