package dev.mmx.compile;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The shape of compiled code: which statements become steps, and which fold away. */
class CompilerTest {

    private static Program compile(String text) {
        return Fixtures.compile("t.mmx", text, Map.of());
    }

    private static Instr[] code(Program p) {
        return p.threads().get(0).code();
    }

    @Test
    void readOnceIntoARegisterIsOneLoad() {
        Program p = compile("shared int x = 0;\nthread t {\n    int r = 0;\n    r = READ_ONCE(x);\n}\n");
        Instr[] code = code(p);

        assertEquals(2, code.length); // the Load, then End
        Instr.Load load = assertInstanceOf(Instr.Load.class, code[0]);
        assertEquals(p.layout().regSlot(0, 0), load.reg());
        assertTrue(load.ref().memory());
        assertEquals(0, load.ref().base()); // x is memory cell 0
        assertEquals(Instr.Access.ONCE, load.access());
        assertEquals(4, load.src().line());
        assertInstanceOf(Instr.End.class, code[1]);
    }

    @Test
    void sharedReadInsideAnExpressionIsALoadThenAStoreThenAFoldedClear() {
        Program p = compile("shared int x = 0;\nshared int y = 0;\nthread t {\n    x = y + 1;\n}\n");
        Instr[] code = code(p);

        assertEquals(4, code.length);
        Instr.Load load = assertInstanceOf(Instr.Load.class, code[0]);
        assertEquals(1, load.ref().base()); // y is memory cell 1
        assertEquals(Instr.Access.PLAIN, load.access());
        assertTrue(p.threads().get(0).regs().get(0).hidden(), "the load goes to a hidden temporary");

        Instr.Store store = assertInstanceOf(Instr.Store.class, code[1]);
        assertEquals(0, store.ref().base());
        assertEquals(Instr.Access.PLAIN, store.access());
        assertEquals(new CExpr.Binary(CExpr.Op.ADD, new CExpr.Slot(load.reg()), new CExpr.Const(1)), store.value());

        Instr.Clear clear = assertInstanceOf(Instr.Clear.class, code[2]);
        assertArrayEquals(new int[] {load.reg()}, clear.slots());
        assertTrue(Instr.folded(clear), "zeroing the dead temporary is not a step of its own");
        assertInstanceOf(Instr.End.class, code[3]);
    }

    @Test
    void ifOverRegistersOnlyAddsNoStep() {
        Program p = compile("ghost int g = 0;\nthread t {\n    int r = 1;\n    if (r == 1) {\n        g = 1;\n"
                + "    }\n}\n");
        Instr[] code = code(p);

        assertEquals(3, code.length);
        Instr.Branch branch = assertInstanceOf(Instr.Branch.class, code[0]);
        assertTrue(Instr.folded(branch));
        assertEquals(2, branch.elseTarget());
        assertInstanceOf(Instr.Assign.class, code[1]);
        // the branch is taken inside the initial state, so the only step is g = 1: two states, one transition
        Result r = Fixtures.explore(p, "sc", Options.Search.BFS);
        assertEquals(2, r.stats().states());
        assertEquals(1, r.stats().transitions());
    }

    @Test
    void constantRegisterInitialisersAreInitialValuesNotSteps() {
        Program p = compile("thread t {\n    int r = 5;\n    bool b = true;\n    int s = 2 * 3 + 1;\n}\n");

        assertEquals(1, code(p).length); // just End
        int[] initial = p.initialState();
        assertEquals(5, initial[p.layout().regSlot(0, 0)]);
        assertEquals(1, initial[p.layout().regSlot(0, 1)]);
        assertEquals(7, initial[p.layout().regSlot(0, 2)]);
    }

    /**
     * The resolver's constant expressions include {@code ?:}, and the language
     * reference says a constant initialiser is no step: {@code int r = C ? 1 : 2;}
     * with a param C holds its value in the initial state, as {@code int r = 1;}
     * does (the other branch, a division by zero, is never evaluated).
     */
    @Test
    void constantConditionalInitialiserIsAnInitialValueNotAStep() {
        Program p = compile("param C = true;\nthread t {\n    int r = C ? 1 : 2;\n    int s = !C ? 1 / 0 : 3;\n}\n");

        assertEquals(1, code(p).length); // just End
        assertEquals(1, p.initialState()[p.layout().regSlot(0, 0)]);
        assertEquals(3, p.initialState()[p.layout().regSlot(0, 1)]);
    }

    /** A primitive's shared reads are loads left to right as its arguments are written, the location's among them. */
    @Test
    void primitiveArgumentsAreLoadedLeftToRight() {
        Program p = compile("""
                shared int x = 0;
                shared int y = 0;
                shared int z = 0;
                shared int a[2];
                thread t {
                    cmpxchg(&x, READ_ONCE(y), READ_ONCE(z));
                    atomic_add(READ_ONCE(y), &a[READ_ONCE(z)]);
                    atomic_add_unless(&a[READ_ONCE(x)], READ_ONCE(y), READ_ONCE(z));
                    set_bit(READ_ONCE(y), &a[READ_ONCE(z)]);
                    __set_bit(READ_ONCE(y), &a[READ_ONCE(z)]);
                    bool b = test_bit(READ_ONCE(y), &a[READ_ONCE(z)]);
                }
                """);
        Instr[] code = code(p);
        int[] loaded = java.util.Arrays.stream(code).filter(i -> i instanceof Instr.Load)
                .mapToInt(i -> ((Instr.Load) i).ref().base()).toArray();
        // cells: x 0, y 1, z 2, a 3; a bitop's number comes before its word's index, as written, and
        // __set_bit and test_bit then load the word itself
        assertArrayEquals(new int[] {1, 2, 1, 2, 0, 1, 2, 1, 2, 1, 2, 3, 1, 2, 3}, loaded);
    }

    @Test
    void registerInitialisedFromSharedMemoryIsALoad() {
        Program p = compile("shared int x = 3;\nthread t {\n    int r = x;\n}\n");
        Instr[] code = code(p);

        assertEquals(2, code.length);
        assertEquals(p.layout().regSlot(0, 0), assertInstanceOf(Instr.Load.class, code[0]).reg());
        assertEquals(0, p.initialState()[p.layout().regSlot(0, 0)]);
    }

    @Test
    void acquireAndReleaseKeepTheirOrdering() {
        Program p = compile("shared int x = 0;\nshared int y = 0;\nthread t {\n    int r = 0;\n"
                + "    r = smp_load_acquire(&x);\n    smp_store_release(&y, 1);\n}\n");
        Instr[] code = code(p);

        assertEquals(Instr.Access.ACQUIRE, assertInstanceOf(Instr.Load.class, code[0]).access());
        assertEquals(Instr.Access.RELEASE, assertInstanceOf(Instr.Store.class, code[1]).access());
    }

    @Test
    void voidAtomicIsARelaxedRmwAndValueReturningOneIsFull() {
        Program p = compile("shared int x = 0;\nthread t {\n    int r = 0;\n    atomic_inc(&x);\n"
                + "    r = atomic_inc_return(&x);\n}\n");
        Instr[] code = code(p);

        Instr.Rmw inc = assertInstanceOf(Instr.Rmw.class, code[0]);
        assertEquals(Instr.Ordering.RELAXED, inc.ordering());
        assertEquals(-1, inc.reg());
        Instr.Rmw ret = assertInstanceOf(Instr.Rmw.class, code[1]);
        assertEquals(Instr.Ordering.FULL, ret.ordering());
        assertEquals(Instr.RmwResult.NEW, ret.result());
        assertEquals(p.layout().regSlot(0, 0), ret.reg());
    }

    private static List<String> errors(String text) {
        return Fixtures.diagnostics("t.mmx", text, Map.of()).stream().map(Diagnostic::toString).toList();
    }

    @Test
    void eitherInsideAnAtomicBlockIsAnErrorNotACrash() {
        assertEquals(List.of("t.mmx:4:9: 'either' cannot appear inside an atomic block, which is a single step; "
                + "make the choice before the block"), errors("ghost int g = 0;\nthread t {\n    atomic {\n"
                + "        either { g = 1; } or { g = 2; }\n    }\n}\n"));
    }

    @Test
    void eitherInAProcedureInlinedIntoAnAtomicBlockIsAnError() {
        assertEquals(List.of("t.mmx:3:5: 'either' cannot appear inside an atomic block, which is a single step; "
                + "make the choice before the block"), errors("ghost int g = 0;\nproc pick() {\n"
                + "    either { g = 1; } or { g = 2; }\n}\nthread t {\n    atomic {\n        pick();\n    }\n}\n"));
    }

    @Test
    void chooseInsideAnAtomicBlockIsAnError() {
        assertEquals(List.of("t.mmx:5:13: choose() cannot appear inside an atomic block, which is a single step; "
                + "choose into a register before the block"), errors("ghost int g = 0;\nthread t {\n"
                + "    int v = 0;\n    atomic {\n        v = choose(0, 2);\n        g = v;\n    }\n}\n"));
    }

    @Test
    void breakOutOfAnAtomicBlockIsAnError() {
        assertEquals(List.of("t.mmx:6:13: break cannot leave an atomic block, which runs to its end as a single "
                + "step"), errors("ghost int g = 0;\nthread t {\n    while (true) {\n        atomic {\n"
                + "            g = 1;\n            break;\n        }\n    }\n}\n"));
    }

    @Test
    void loopEntirelyInsideAnAtomicBlockRunsInOneStep() {
        Program p = compile("ghost int g = 0;\nthread t {\n    atomic {\n        int i = 0;\n"
                + "        while (true) {\n            i = i + 1;\n            if (i == 3) {\n                break;\n"
                + "            }\n        }\n        g = i;\n    }\n}\nforall (g == 3);\n");
        Result r = Fixtures.explore(p, "sc", Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        assertEquals(2, r.stats().states()); // the start and after the block's single step
    }

    private static final String LOCKED_ATOMIC = "spinlock l;\nghost int inside = 0;\nthread a {\n"
            + "    spin_lock(&l);\n    inside = inside + 1;\n    inside = inside - 1;\n    spin_unlock(&l);\n}\n"
            + "thread b {\n    atomic {\n        spin_lock(&l);\n        inside = inside + 1;\n    }\n"
            + "    inside = inside - 1;\n    spin_unlock(&l);\n}\ninvariant excl: inside <= 1;\n";

    @Test
    void blockingLockAfterTheStartOfAnAtomicBlockIsAnError() {
        // it used to act as a failed trylock, so the block ran on without the lock
        String late = LOCKED_ATOMIC.replace("    atomic {\n", "    atomic {\n        skip;\n");
        assertEquals(List.of("t.mmx:12:9: an atomic block can only wait at its start; move spin_lock() to the top "
                + "of the block"), errors(late));
    }

    @Test
    void atomicBlockThatStartsWithALockWaitsForIt() {
        Result r = Fixtures.explore(compile(LOCKED_ATOMIC), "sc", Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // a's 4 steps then b's 3, or b's 3 then a's 4, meeting in one final state: 1 + 7 + 7 - 1
        assertEquals(14, r.stats().states());
    }

    @Test
    void atomicBlockIsOneInstructionNamedByItsFirstStatement() {
        Program p = compile("ghost int g = 0;\nthread t {\n    atomic {\n        g = 1;\n        g = 2;\n    }\n"
                + "    atomic {\n        skip;\n        g = 3;\n    }\n}\n");
        Instr[] code = code(p);

        assertEquals(3, code.length);
        Instr.Atomic first = assertInstanceOf(Instr.Atomic.class, code[0]);
        assertEquals(2, first.body().length);
        assertEquals("atomic { g = 1; ... }", first.src().text());
        assertEquals("atomic { ... }", code[1].src().text());
    }

    @Test
    void proceduresAreInlinedAtEachCall() {
        Program p = compile("shared int x = 0;\nproc set(v) {\n    WRITE_ONCE(x, v);\n}\n"
                + "thread t {\n    set(1);\n    set(2);\n}\n");
        Instr[] code = code(p);

        assertEquals(3, code.length);
        assertEquals(new CExpr.Const(1), assertInstanceOf(Instr.Store.class, code[0]).value());
        assertEquals(new CExpr.Const(2), assertInstanceOf(Instr.Store.class, code[1]).value());
        assertEquals(3, code[0].src().line(), "an inlined step points at the procedure's line");
    }
}
