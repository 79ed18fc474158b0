package dev.mmx.resolve;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.ModelParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every mistake the resolver and type checker catch, with its exact position and sentence. */
class ResolverTest {

    private static void assertError(String expected, String text) {
        assertError(expected, text, Map.of());
    }

    private static void assertError(String expected, String text, Map<String, String> defines) {
        List<String> got = Fixtures.diagnostics("t.mmx", text, defines).stream().map(Diagnostic::toString).toList();
        assertEquals(List.of(expected), got);
    }

    @Test
    void goodModelResolvesWithParamsAndExpectations() {
        ModelParser.Result parsed = ModelParser.parse("sb.mmx", Fixtures.text(Fixtures.model("store_buffering")));
        Resolver.Result r = Resolver.resolve(parsed.model(), Map.of("FENCED", "1"), MemoryModels.names());

        assertTrue(r.ok(), () -> r.diagnostics().toString());
        assertEquals(Map.of("FENCED", 1), r.resolved().params());
        assertEquals(List.of("x", "y"), List.copyOf(r.resolved().variables().keySet()));
        assertEquals(3, r.resolved().expectations().size());
        Resolved.Expectation tso = r.resolved().expectations().get(1);
        assertEquals(Map.of("FENCED", 0), tso.variant());
        assertEquals(List.of("tso"), tso.memoryModels());
        assertEquals("violates", tso.outcome());
        assertEquals("exists", tso.property());
    }

    @Test
    void unknownNameSuggestsTheNearestDeclaredOne() {
        assertError("t.mmx:3:5: unknown name 'countr'; did you mean 'counter'?",
                "shared int counter = 0;\nthread t {\n    countr = 1;\n}\n");
    }

    @Test
    void unknownLockListsTheDeclaredLocks() {
        // column 17: four spaces, "mutex_lock(&" (12 characters), then the name
        assertError("t.mmx:4:17: unknown lock 'ptl'; declared locks: mmap_lock, i_mmap",
                "mutex mmap_lock;\nmutex i_mmap;\nthread t {\n    mutex_lock(&ptl);\n}\n");
    }

    @Test
    void procedureCalledWithTooFewArguments() {
        assertError("t.mmx:4:5: 'f' takes 2 arguments (a, b) but is given 1",
                "shared int x = 0;\nproc f(a, b) { x = a + b; }\nthread t {\n    f(1);\n}\n");
    }

    @Test
    void primitiveStatementWithTooFewArguments() {
        assertError("t.mmx:3:5: WRITE_ONCE() takes 2 arguments but is given 1",
                "shared int x = 0;\nthread t {\n    WRITE_ONCE(x);\n}\n");
    }

    @Test
    void valueReturningPrimitiveWithTooFewArguments() {
        assertError("t.mmx:4:9: xchg() takes 2 arguments but is given 1",
                "shared int x = 0;\nthread t {\n    int r = 0;\n    r = xchg(&x);\n}\n");
    }

    @Test
    void assignmentToAConstantIsRejected() {
        assertError("t.mmx:3:5: cannot assign to 'N': it is a constant", "const N = 2;\nthread t {\n    N = 3;\n}\n");
    }

    @Test
    void lockOperationOnAVariable() {
        assertError("t.mmx:3:16: 'x' is a variable, not a lock",
                "shared int x = 0;\nthread t {\n    spin_lock(&x);\n}\n");
    }

    @Test
    void spinLockOnAMutexNamesTheMutexPrimitives() {
        assertError("t.mmx:3:5: spin_lock() does not apply to 'm', which is a mutex; use mutex_lock, mutex_unlock, "
                + "mutex_trylock", "mutex m;\nthread t {\n    spin_lock(&m);\n}\n");
    }

    @Test
    void upReadOnASpinlockNamesTheSpinlockPrimitives() {
        assertError("t.mmx:2:12: up_read() does not apply to 'l', which is a spinlock; use spin_lock, spin_unlock, "
                + "spin_trylock", "spinlock l;\nthread t { up_read(&l); }\n");
    }

    @Test
    void boolAssignedToAnInt() {
        assertError("t.mmx:3:9: cannot assign a bool value to 'x', which is int",
                "shared int x = 0;\nthread t {\n    x = true;\n}\n");
    }

    @Test
    void intAssignedToABool() {
        assertError("t.mmx:3:9: cannot assign an int value to 'b', which is bool",
                "shared bool b = false;\nthread t {\n    b = 1;\n}\n");
    }

    @Test
    void xchgAndCmpxchgReturnTheTypeOfTheirLocation() {
        List<Diagnostic> none = Fixtures.diagnostics("t.mmx", "enum St { FREE, USED };\nshared St s = FREE;\n"
                + "shared bool b = false;\nthread t {\n    St old = FREE;\n    bool was = false;\n"
                + "    old = cmpxchg(&s, FREE, USED);\n    was = xchg(&b, true);\n}\n", Map.of());

        assertEquals(List.of(), none);
    }

    @Test
    void xchgOfABoolIntoAnIntRegister() {
        assertError("t.mmx:2:27: cannot assign a bool value to 'r', which is int",
                "shared bool b = false;\nthread t { int r = 0; r = xchg(&b, true); }\n");
    }

    @Test
    void boolComparedWithAnInt() {
        assertError("t.mmx:3:9: cannot compare bool with int using '=='",
                "shared bool b = false;\nthread t {\n    if (b == 1) { skip; }\n}\n");
    }

    @Test
    void intConditionAsksForAnExplicitComparison() {
        assertError("t.mmx:2:16: an if condition must be bool, but this is int; compare it explicitly, e.g. '!= 0'",
                "shared int x = 0;\nthread t { if (x) { skip; } }\n");
    }

    @Test
    void arithmeticOnABool() {
        assertError("t.mmx:2:27: '+' needs int operands, not int and bool",
                "shared int x = 0;\nthread t { int r = 0; r = x + true; }\n");
    }

    @Test
    void procedureCallingItselfIsRecursion() {
        assertError("t.mmx:1:12: procedure 'f' calls itself; procedures are inlined, so recursion is not allowed",
                "proc f() { f(); }\nthread t { f(); }\n");
    }

    @Test
    void procedureCallingItselfThroughAnotherNamesTheOther() {
        assertError("t.mmx:1:12: procedure 'f' calls itself (through g); procedures are inlined, so recursion is "
                + "not allowed", "proc f() { g(); }\nproc g() { f(); }\nthread t { f(); }\n");
    }

    @Test
    void unknownDefineSuggestsTheParam() {
        assertError("<command line>: -D LOCKD: the model has no param 'LOCKD'; its params are LOCKED; "
                + "did you mean 'LOCKED'?", "param LOCKED = 1;\nshared int x = 0;\nthread t { x = 1; }\n",
                Map.of("LOCKD", "0"));
    }

    @Test
    void defineOfAConstSaysOnlyParamsCanBeSet() {
        assertError("<command line>: -D N: 'N' is a const (line 2); only a param can be set from the command line",
                "param LOCKED = 1;\nconst N = 2;\nshared int x = 0;\nthread t { x = 1; }\n", Map.of("N", "3"));
    }

    @Test
    void defineWithAWordForAnIntParam() {
        assertError("<command line>: -D N=yes: expected an integer",
                "param N = 1;\nshared int x = 0;\nthread t { x = 1; }\n", Map.of("N", "yes"));
    }

    @Test
    void expectationWithAnUnknownMemoryModel() {
        assertError("t.mmx:3:1: unknown memory model 'pso'; expected sc, tso, arm or lkmm; did you mean 'tso'?",
                "shared int x = 0;\nthread t { x = 1; }\nexpect sc, pso: pass;\n");
    }

    @Test
    void expectationWithAnUnknownProperty() {
        assertError("t.mmx:4:1: unknown property 'smal'; expected an invariant name or one of deadlock, assert, "
                + "index_out_of_range, division_by_zero, unlock_not_held, double_lock, livelock, refcount_underflow, pincount_underflow, rcu_unlock_unbalanced, exists, forall; "
                + "did you mean 'small'?",
                "shared int x = 0;\nthread t { x = 1; }\ninvariant small: x < 2;\nexpect sc: violates smal;\n");
    }

    @Test
    void expectationSettingSomethingThatIsNotAParam() {
        assertError("t.mmx:3:9: expect sets 'N', which is not a param",
                "shared int x = 0;\nthread t { x = 1; }\nexpect [N=1] sc: pass;\n");
    }

    @Test
    void violatesWithoutAPropertyName() {
        assertError("t.mmx:3:1: 'violates' needs the name of the property, e.g. 'violates deadlock'",
                "shared int x = 0;\nthread t { x = 1; }\nexpect sc: violates;\n");
    }

    @Test
    void duplicateGlobalNamesTheFirstDeclaration() {
        assertError("t.mmx:2:12: 'x' is already declared at line 1",
                "shared int x = 0;\nshared int x = 1;\nthread t { x = 1; }\n");
    }

    @Test
    void threadWithTheNameOfAVariableIsADuplicate() {
        assertError("t.mmx:2:8: 'x' is already declared at line 1", "shared int x = 0;\nthread x { skip; }\n");
    }

    @Test
    void duplicateProcedure() {
        assertError("t.mmx:3:6: 'f' is already declared at line 2",
                "shared int x = 0;\nproc f() { x = 1; }\nproc f() { x = 2; }\nthread t { f(); }\n");
    }

    @Test
    void duplicateRegisterInAThread() {
        assertError("t.mmx:2:27: 'r' is already declared in this thread at line 2",
                "shared int x = 0;\nthread t { int r = 0; int r = 1; }\n");
    }
}
