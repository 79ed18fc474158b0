package dev.mmx.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Stmt;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The litmus import: what each flavour turns into, and the positioned errors for what it does not import. */
class LitmusParserTest {
    private static String error(String text) {
        LitmusParser.Result r = LitmusParser.parse("t.litmus", text);
        assertEquals(1, r.diagnostics().size(), "expected one diagnostic, got " + r.diagnostics());
        return r.diagnostics().get(0).toString();
    }

    private static LitmusTest ok(String text) {
        LitmusParser.Result r = LitmusParser.parse("t.litmus", text);
        assertTrue(r.ok(), () -> r.diagnostics().toString());
        return r.test();
    }

    private static List<Stmt> body(LitmusTest t, String thread) {
        return t.model().all(Decl.Thread.class).stream().filter(d -> d.name().equals(thread)).findFirst()
                .orElseThrow().body().body();
    }

    private static final String X86_HEAD = "X86 T\n{ x=0; }\n P0          | P1         ;\n";

    @Test
    void x86UnsupportedInstructionNamesItWhereItIs() {
        assertEquals("t.litmus:4:2: unsupported X86 instruction 'XADD'; mmx imports MOV, MFENCE, XCHG and "
                + "LOCK ADD/SUB/INC/DEC/XCHG", error(X86_HEAD + " XADD [x],EAX | MOV [x],$1 ;\nexists (0:EAX=0)\n"));
    }

    @Test
    void x86LockedCmpxchgIsUnsupported() {
        assertEquals("t.litmus:4:15: unsupported X86 instruction 'LOCK CMPXCHG'; mmx imports LOCK ADD, SUB, INC, "
                + "DEC and XCHG", error(X86_HEAD + " MOV [x],$1 | LOCK CMPXCHG [x],EAX ;\nexists (1:EAX=0)\n"));
    }

    @Test
    void x86AddressInRegisterIsUnsupported() {
        assertEquals("t.litmus:4:2: unsupported X86 memory operand '[EBX]': mmx reads only [x] with x a location, "
                + "not an address held in a register", error(X86_HEAD + " MOV EAX,[EBX] | MOV [x],$1 ;\n"
                + "exists (0:EAX=0)\n"));
    }

    @Test
    void x86UnknownRegisterInConditionIsNamed() {
        assertEquals("t.litmus:5:11: 'FOO' is not an X86 register (EAX, EBX, ECX, EDX, ESI, EDI, ...)",
                error(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\nexists (0:FOO=0)\n"));
    }

    @Test
    void x86MapsToPlainAccessesFencesAndFullRmws() {
        LitmusTest t = ok(X86_HEAD + " MOV [x],$1  | LOCK ADD [x],$2 ;\n MFENCE      | XCHG [x],EAX ;\n"
                + " MOV EAX,[x] |             ;\nexists (0:EAX=0 /\\ 1:EAX=1)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals("Local[pos=t.litmus:6:2, text=int EAX;, type=int, name=EAX, init=null]", p0.get(0).toString());
        assertEquals("x = 1", assign(p0.get(1)));
        assertEquals("smp_mb()", call(p0.get(2)));
        assertEquals("EAX = x", assign(p0.get(3)));
        List<Stmt> p1 = body(t, "P1");
        assertEquals("atomic_fetch_add(2, &x)", call(p1.get(1)));
        assertEquals("EAX = xchg(&x, EAX)", assign(p1.get(2)));
    }

    private static final String ARM_HEAD = "AArch64 T\n{ 0:X1=x; 0:X3=y; }\n P0 ;\n";

    @Test
    void arm64UnsupportedInstructionNamesIt() {
        assertEquals("t.litmus:4:2: unsupported AArch64 instruction 'SWPB'; mmx imports LDR, STR, LDAR, LDAPR, STLR, "
                + "MOV, ADD, SUB, EOR, AND, ORR, CMP, CSEL, B, B.cond, CBZ, CBNZ, DMB, ISB, the exclusives LDXR, LDAXR, "
                + "STXR and STLXR, and the atomics SWP, LDADD, LDCLR, LDEOR, LDSET and CAS with their A, L and AL forms "
                + "and STADD, STCLR, STEOR and STSET with their L forms",
                error(ARM_HEAD + " SWPB W0,W2,[X1] ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64BackwardBranchIsRejected() {
        assertEquals("t.litmus:6:2: 'CBNZ W0,L0' branches backwards (a loop); mmx imports only forward branches",
                error(ARM_HEAD + " L0: ;\n LDR W0,[X1] ;\n CBNZ W0,L0 ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64BranchToUnknownLabelIsRejected() {
        assertEquals("t.litmus:4:2: 'CBZ W0,out' branches to 'out', which is not a label of this thread",
                error(ARM_HEAD + " CBZ W0,out ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64ConditionalBranchNeedsCmp() {
        assertEquals("t.litmus:4:2: 'B.EQ L' tests flags that no earlier CMP set",
                error(ARM_HEAD + " B.EQ L ;\n L: ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64ImmediateOffsetIsRejected() {
        assertEquals("t.litmus:4:2: unsupported address '[X1,#4]': mmx cells have no byte layout, so only register "
                + "offsets ([Xn,Xm]) and #0 are imported", error(ARM_HEAD + " LDR W0,[X1,#4] ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64BranchesThatDoNotNestAreRejected() {
        assertEquals("t.litmus:5:2: 'CBZ W2,B' jumps out of the block an earlier branch skips; mmx imports only "
                + "branches that nest like if statements", error(ARM_HEAD + " CBZ W0,A ;\n CBZ W2,B ;\n A: ;\n"
                + " MOV W0,#1 ;\n B: ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64WAndXNamesAreOneRegisterAndDataFlowIsKept() {
        LitmusTest t = ok(ARM_HEAD + " LDR W0,[X1] ;\n EOR W2,W0,W0 ;\n STR W2,[X3,X2] ;\nexists (0:X0=1 /\\ 0:W2=0)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals(List.of("X1", "X3", "X0", "X2"), p0.stream().filter(s -> s instanceof Stmt.Local)
                .map(s -> ((Stmt.Local) s).name()).toList());
        assertEquals("Unary[pos=t.litmus:2:8, op=&, operand=Name[pos=t.litmus:2:8, name=x, indices=[]]]",
                ((Stmt.Local) p0.get(0)).init().toString());
        assertEquals("X0 = READ_ONCE(*X1)", assign(p0.get(4)));
        assertEquals("X2 = X0 ^ X0", assign(p0.get(5)));
        assertEquals("WRITE_ONCE(*(X3 + X2), X2)", call(p0.get(6)));
        assertEquals("exists (0:X0=1 /\\ 0:W2=0)", t.condition());
        assertEquals(List.of("0:X0", "0:W2"), t.observed().stream().map(LitmusTest.Observed::display).toList());
    }

    @Test
    void arm64AddressArithmeticWithExtensionIsKept() {
        LitmusTest t = ok(ARM_HEAD + " LDR W0,[X3] ;\n EOR W2,W0,W0 ;\n ADD X4,X1,W2,SXTW ;\n LDR W5,[X4] ;\n"
                + "exists (0:X5=0)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals("X4 = X1 + X2", assign(p0.get(8)));
        assertEquals("X5 = READ_ONCE(*X4)", assign(p0.get(9)));
    }

    @Test
    void arm64CommentsInTheTableAndConditionalSelect() {
        LitmusTest t = ok(ARM_HEAD + " LDR W0,[X1] ; (* a comment; with a semicolon *)\n CMP W0,#1 ;\n"
                + " CSEL W2,W0,WZR,EQ ; (* W2 = W0 == 1 ? W0 : 0 *)\nexists (0:X2=1)\n");
        List<Stmt> p0 = body(t, "P0");
        Stmt.Assign csel = (Stmt.Assign) p0.get(5);
        assertEquals("X2", csel.target().name());
        assertEquals("Cond", csel.value().getClass().getSimpleName());
        assertEquals("X0 == 1", render(((Expr.Cond) csel.value()).test()));
    }

    @Test
    void arm64ForwardBranchBecomesIf() {
        LitmusTest t = ok(ARM_HEAD + " LDR W0,[X1] ;\n CMP W0,#1 ;\n B.NE out ;\n MOV W4,#1 ;\n STR W4,[X3] ;\n"
                + " out: ;\n ISB ;\nexists (0:X0=1)\n");
        List<Stmt> p0 = body(t, "P0");
        Stmt.If branch = (Stmt.If) p0.get(5);
        assertEquals("B.NE out", branch.text());
        assertEquals("X0 == 1", render(branch.cond()));
        assertEquals(2, ((Stmt.Block) branch.then()).body().size());
        assertEquals("isb()", call(p0.get(6)));
    }

    @Test
    void arm64LseAtomicsBecomeTheirOwnPrimitives() {
        LitmusTest t = ok(ARM_HEAD + " SWPAL W0,W2,[X1] ;\n LDADDA W0,WZR,[X1] ;\n STADDL W0,[X3] ;\n"
                + " CAS W4,W5,[X3] ;\n CASA WZR,W5,[X1] ;\nexists (0:X2=1)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals("X2 = arm64:SWPAL(*X1, X0)", assign(p0.get(6)));
        assertEquals("arm64:LDADDA(*X1, X0)", call(p0.get(7))); // destination WZR: the no-return form
        assertEquals("arm64:LDADDL(*X3, X0)", call(p0.get(8))); // STADDL is LDADDL with WZR
        assertEquals("X4 = arm64:CAS(*X3, X4, X5)", assign(p0.get(9)));
        assertEquals("arm64:CASA(*X1, 0, X5)", call(p0.get(10)));
    }

    @Test
    void arm64BitwiseLseAtomicsAndTheirStoreForms() {
        LitmusTest t = ok(ARM_HEAD + " LDSETAL W0,W2,[X1] ;\n LDCLRL W0,W4,[X1] ;\n STEOR W0,[X3] ;\n"
                + " STSETL W0,[X3] ;\nexists (0:X2=1)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals("X2 = arm64:LDSETAL(*X1, X0)", assign(p0.get(5)));
        assertEquals("X4 = arm64:LDCLRL(*X1, X0)", assign(p0.get(6)));
        assertEquals("arm64:LDEOR(*X3, X0)", call(p0.get(7)));
        assertEquals("arm64:LDSETL(*X3, X0)", call(p0.get(8)));
        assertEquals("t.litmus:4:2: unsupported AArch64 instruction 'STSETA'; mmx imports LDR, STR, LDAR, LDAPR, "
                + "STLR, MOV, ADD, SUB, EOR, AND, ORR, CMP, CSEL, B, B.cond, CBZ, CBNZ, DMB, ISB, the exclusives LDXR, "
                + "LDAXR, STXR and STLXR, and the atomics SWP, LDADD, LDCLR, LDEOR, LDSET and CAS with their A, L "
                + "and AL forms and STADD, STCLR, STEOR and STSET with their L forms",
                error(ARM_HEAD + " STSETA W0,[X1] ;\nexists (0:X0=1)\n"));
    }

    @Test
    void arm64ExclusivePairIsOneStepWithTheRegisterWorkAfterIt() {
        LitmusTest t = ok(ARM_HEAD + " LDAXR W0,[X1] ;\n ADD W2,W0,#1 ;\n EOR W2,W2,W0 ;\n STLXR W5,W2,[X1] ;\n"
                + " LDR W6,[X3] ;\nexists (0:X5=0)\n");
        List<Stmt> p0 = body(t, "P0");
        Stmt.Assign pair = (Stmt.Assign) p0.get(6);
        assertEquals("LDAXR W0,[X1] ... STLXR W5,W2,[X1]", pair.text());
        assertEquals("X5 = arm64:LDAXR+STLXR(*X1, X0 + 1 ^ X0, X0)", assign(pair));
        assertEquals("X2 = X0 + 1", assign(p0.get(7)));
        assertEquals("X2 = X2 ^ X0", assign(p0.get(8)));
        assertEquals("X6 = READ_ONCE(*X3)", assign(p0.get(9)));
    }

    @Test
    void arm64UnpairedExclusivesAreALoadAndAFailingStore() {
        LitmusTest t = ok(ARM_HEAD + " STXR W5,W2,[X1] ;\n LDAXR W0,[X3] ;\nexists (0:X5=0)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals("X5 = 1", assign(p0.get(5)));
        assertEquals("X0 = smp_load_acquire(*X3)", assign(p0.get(6)));
    }

    @Test
    void arm64ExclusivePairWithAMemoryAccessBetweenIsRejected() {
        assertEquals("t.litmus:4:2: 'LDXR W0,[X1]' and 'STXR W5,W2,[X1]' are an exclusive pair with 'LDR W6,[X3]' "
                + "between them; mmx imports a pair only with register instructions between the load exclusive and "
                + "the store exclusive",
                error(ARM_HEAD + " LDXR W0,[X1] ;\n LDR W6,[X3] ;\n STXR W5,W2,[X1] ;\nexists (0:X5=0)\n"));
    }

    @Test
    void arm64ExclusivePairOnTwoAddressesIsRejected() {
        assertEquals("t.litmus:5:2: 'STXR W5,W2,[X3]' stores to another address than 'LDXR W0,[X1]' loaded; mmx "
                + "imports an exclusive pair only on one address, written the same way",
                error(ARM_HEAD + " LDXR W0,[X1] ;\n STXR W5,W2,[X3] ;\nexists (0:X5=0)\n"));
    }

    @Test
    void arm64ConditionMayEndWithASemicolon() {
        LitmusTest t = ok(ARM_HEAD + " LDAPR W0,[X1] ;\nexists (0:X0=1);\n");
        assertEquals("X0 = arm64:LDAPR(*X1)", assign(body(t, "P0").get(3)));
    }

    private static final String C_HEAD = "C T\n{ y=a; }\n";

    @Test
    void cUnsupportedStatementIsNamed() {
        assertEquals("t.litmus:5:2: unsupported C statement 'while'; mmx imports declarations, assignments, calls, "
                + "blocks and if/else", error(C_HEAD + "P0(int *x)\n{\n\twhile (1) { }\n}\nexists (x=1)\n"));
    }

    @Test
    void cUnknownFunctionIsNamed() {
        assertEquals("t.litmus:5:2: unsupported function 'smp_cond_load_acquire'; mmx imports the kernel primitives "
                + "(READ_ONCE, WRITE_ONCE, smp_mb, xchg, cmpxchg, atomic_*, spin_lock, ...)",
                error(C_HEAD + "P0(int *x)\n{\n\tsmp_cond_load_acquire(x, 1);\n}\nexists (x=1)\n"));
    }

    @Test
    void cPointersBecomeLocationsAddressesAndDereferences() {
        LitmusTest t = ok(C_HEAD + "P0(int *x, int *y)\n{\n\tint *r1 = READ_ONCE(*y);\n\tint r2 = READ_ONCE(*r1);\n"
                + "\tsmp_store_release(y, x);\n\tif (cmpxchg(x, 0, r2) == 0)\n\t\tr3 = 1;\n}\n"
                + "exists (0:r1=x /\\ y=a)\n");
        List<Stmt> p0 = body(t, "P0");
        assertEquals(List.of("r1 loc", "r2 int", "__t1 int", "r3 int"), p0.stream()
                .filter(s -> s instanceof Stmt.Local).map(s -> ((Stmt.Local) s).name() + " "
                        + ((Stmt.Local) s).type()).toList());
        assertEquals("r1 = READ_ONCE(y)", assign(p0.get(4)));
        assertEquals("r2 = READ_ONCE(*r1)", assign(p0.get(5)));
        assertEquals("smp_store_release(y, &x)", call(p0.get(6)));
        assertEquals("__t1 = cmpxchg(x, 0, r2)", assign(p0.get(7)));
        assertEquals("__t1 == 0", render(((Stmt.If) p0.get(8)).cond()));
        assertEquals("exists (0:r1=x /\\ [y]=a)", t.condition());
    }

    @Test
    void unsupportedArchitectureIsNamed() {
        assertEquals("t.litmus:1:1: unsupported litmus architecture 'PPC'; mmx imports C, X86 and AArch64 tests",
                error("PPC T\n{}\n P0 ;\n sync ;\nexists (0:r1=0)\n"));
    }

    @Test
    void missingConditionIsForallTrueAsInHerd() {
        // herd7's grammar makes the final condition optional and reads its absence as forall (true); the states
        // then show only what a locations [...] line names
        LitmusTest t = ok(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\n");
        assertEquals(Decl.FinalKind.FORALL, t.kind());
        assertEquals("forall (true)", t.condition());
        assertEquals("Required", t.kindWord());
        assertEquals(List.of(), t.observed());
        LitmusTest shown = ok(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\nlocations [0:EAX; x]\n");
        assertEquals("forall (true)", shown.condition());
        assertEquals(List.of("0:EAX", "[x]"), shown.observed().stream().map(LitmusTest.Observed::display).toList());
    }

    @Test
    void somethingElseWhereTheConditionGoesIsAPositionedError() {
        assertEquals("t.litmus:7:1: found 'maybe' where a thread like 'P0(int *x) { ... }' or the final "
                + "condition was expected", error(C_HEAD + "P0(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n}\nmaybe (x=1)\n"));
        assertEquals("t.litmus:6:1: found 'maybe' where the final condition (exists, ~exists or forall) was "
                + "expected", error(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\nlocations [x]\nmaybe (x=1)\n"));
    }

    @Test
    void conditionWithoutValueIsAPositionedError() {
        assertEquals("t.litmus:5:15: found ')' where a value (a number or a location) was expected",
                error(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\nexists (0:EAX=)\n"));
    }

    @Test
    void conditionPrintsAsHerdPrintsIt() {
        LitmusTest t = ok(C_HEAD + "P0(int *h, int *x)\n{\n\tr10 = READ_ONCE(*h);\n}\n"
                + "locations [x; 0:r1;]\n~exists (~h=x \\/ (0:r10=0:r1 /\\ (x=1 /\\ y=-1)))\n");
        assertEquals("~exists (not ([h]=x) \\/ 0:r10=0:r1 /\\ [x]=1 /\\ [y]=-1)", t.condition());
        assertEquals("Forbidden", t.kindWord());
        assertEquals(List.of("0:r1", "0:r10", "[h]", "[x]", "[y]"), t.observed().stream()
                .map(LitmusTest.Observed::display).toList());
    }

    @Test
    void implicationIsLoosestAndBracketedInsideConnectives() {
        LitmusTest t = ok(X86_HEAD + " MOV EAX,[x] | MOV [x],$1 ;\n"
                + "forall (0:EAX=1 => [x]=1 /\\ (0:EAX=0 \\/ (0:EAX=1 => true)))\n");
        assertEquals("forall (0:EAX=1 => [x]=1 /\\ (0:EAX=0 \\/ (0:EAX=1 => true)))", t.condition());
        assertEquals("Required", t.kindWord());
    }

    // ---- compact renderings of the generated AST, for readable assertions

    private static String assign(Stmt s) {
        Stmt.Assign a = (Stmt.Assign) s;
        return a.target().name() + " " + a.op() + " " + render(a.value());
    }

    private static String call(Stmt s) {
        return render(((Stmt.CallStmt) s).call());
    }

    private static String render(Expr e) {
        if (e instanceof Expr.IntLit i) {
            return Long.toString(i.value());
        }
        if (e instanceof Expr.Name n) {
            return n.name();
        }
        if (e instanceof Expr.Unary u) {
            String o = render(u.operand());
            return u.op() + (u.operand() instanceof Expr.Binary ? "(" + o + ")" : o);
        }
        if (e instanceof Expr.Binary b) {
            return render(b.left()) + " " + b.op() + " " + render(b.right());
        }
        if (e instanceof Expr.Call c) {
            return c.function() + "(" + String.join(", ", c.args().stream().map(LitmusParserTest::render).toList())
                    + ")";
        }
        return e.toString();
    }
}
