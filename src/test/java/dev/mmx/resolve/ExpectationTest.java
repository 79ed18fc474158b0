package dev.mmx.resolve;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.ModelParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** expect lines name the outcome as mmx check reports it. */
class ExpectationTest {
    private static Resolver.Result resolve(String expect) {
        ModelParser.Result parsed = ModelParser.parse("e.mmx", "thread t { skip; }\n" + expect + "\n");
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        return Resolver.resolve(parsed.model(), Map.of(), MemoryModels.names());
    }

    private static String outcome(String expect) {
        Resolver.Result r = resolve(expect);
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        Resolved.Expectation e = r.resolved().expectations().get(0);
        return e.outcome() + (e.property() == null ? "" : " " + e.property());
    }

    @Test
    void assertionFailureCanBeExpected() {
        assertEquals("violates assert", outcome("expect sc: violates assert;"));
    }

    @Test
    void violatesDeadlockMeansDeadlock() {
        assertEquals("deadlock", outcome("expect sc, tso: violates deadlock;"));
    }

    @Test
    void livelockIsAProperty() {
        assertEquals("violates livelock", outcome("expect sc: violates livelock;"));
    }

    @Test
    void unknownPropertyListsTheBuiltInOnes() {
        List<Diagnostic> d = resolve("expect sc: violates livelok;").diagnostics();
        assertEquals(List.of("e.mmx:2:1: unknown property 'livelok'; expected an invariant name or one of deadlock, "
                + "assert, index_out_of_range, division_by_zero, unlock_not_held, double_lock, livelock, refcount_underflow, pincount_underflow, rcu_unlock_unbalanced, exists, "
                + "forall; did you mean 'livelock'?"), d.stream().map(Diagnostic::toString).toList());
    }
}
