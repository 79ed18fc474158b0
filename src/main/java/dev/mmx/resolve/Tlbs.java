package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.and;
import static dev.mmx.resolve.KitAst.bitAnd;
import static dev.mmx.resolve.KitAst.bitOr;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.field;
import static dev.mmx.resolve.KitAst.ge;
import static dev.mmx.resolve.KitAst.name;
import static dev.mmx.resolve.KitAst.ne;
import static dev.mmx.resolve.KitAst.not;
import static dev.mmx.resolve.KitAst.num;
import static dev.mmx.resolve.KitAst.or;
import static dev.mmx.resolve.KitAst.set;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import dev.mmx.system.Pte;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The per-CPU TLBs: the declaration (with the page walk per address, and
 * whether the MMU also walks by itself), fills, flushes, the user program's
 * accesses through the TLB, and the TLB properties. A TLB entry is the PTE
 * word it was filled from ({@link Pte}), 0 for none.
 */
final class Tlbs {
    /** The compiler turns a procedure of this name into the MMU's own fills (see Compiler). */
    static final String MMU = "~mmu";
    /** The address parameter of the MMU procedure, and the constant holding how many addresses there are. */
    static final String MMU_ADDR = "~addr";
    static final String MMU_ADDRS = "~mmu_addrs";
    private static final String C = "~c";
    private static final String A = "~a";

    private final KernelKit kit;
    private final List<Diagnostic> errors;
    private Decl.Var tlb;
    /** The PTE each address's walk reaches, read from memory when the walk runs; null without walks. */
    private List<Expr> walks;
    /** Whether the MMU may fill any address at any step (the declaration says prefetches). */
    private boolean prefetches;

    Tlbs(KernelKit kit, List<Diagnostic> errors) {
        this.kit = kit;
        this.errors = errors;
    }

    boolean declared() {
        return tlb != null;
    }

    /** Checks {@code ghost tlb tlb[N] [= init] [walks|prefetches {pte, ...}];}. */
    void declare(Decl.Var v) {
        if (tlb != null) {
            errors.add(new Diagnostic(v.pos(), "the TLBs are already declared at line " + tlb.pos().line()));
            return;
        }
        if (v.dims().size() != 1) {
            errors.add(new Diagnostic(v.pos(), "declare the TLBs with the number of addresses they "
                    + "translate, like 'ghost tlb " + v.name() + "[NADDR];' (one TLB per CPU)"));
            return;
        }
        tlb = v;
        if (v.walk() != null) {
            Decl.Walk w = v.walk();
            if (!w.word().equals("walks") && !w.word().equals("prefetches")) {
                errors.add(new Diagnostic(w.pos(), "expected 'walks' or 'prefetches' after the TLB declaration, "
                        + "not '" + w.word() + "'"));
                return;
            }
            walks = w.ptes();
            prefetches = w.word().equals("prefetches");
        }
    }

    /** The expressions of the walks, to check their count once the address count is a known constant. */
    Decl.Walk walk() {
        return tlb == null ? null : tlb.walk();
    }

    /** The variables a walk reads as its PTE (a plain name, or a branch of ?:): they print as PTEs. */
    Set<String> pteVariables() {
        Set<String> out = new java.util.HashSet<>();
        if (walks != null) {
            walks.forEach(w -> leaves(w, out));
        }
        return out;
    }

    private static void leaves(Expr e, Set<String> out) {
        if (e instanceof Expr.Name n) {
            out.add(n.name());
        } else if (e instanceof Expr.Cond c) {
            leaves(c.then(), out);
            leaves(c.otherwise(), out);
        }
    }

    /**
     * The TLB array {@code tlb[cpu][addr]} of PTE words (with the declaration's
     * initial entries), what a CPU's user writes went through stale entries, and
     * the MMU's own fills when it prefetches.
     */
    List<Decl> declarations(SourcePos p, Expr cpus, boolean userWrites) {
        List<Decl> out = new ArrayList<>();
        out.add(new Decl.Var(p, true, Type.PTE.name(), tlb.name(), List.of(cpus, tlb.dims().get(0)), tlb.init(),
                tlb.listInit()));
        if (userWrites) {
            out.add(new Decl.Var(p, true, "bool", staleWrite(), List.of(cpus, tlb.dims().get(0)), null, false));
        }
        if (prefetches) {
            out.add(new Decl.Const(p, MMU_ADDRS, tlb.dims().get(0)));
            out.add(mmu(p));
        }
        return out;
    }

    private String staleWrite() {
        return tlb.name() + ".stale_write";
    }

    /**
     * The MMU of a CPU filling one address by itself, as the compiler instantiates
     * it per CPU and address: when the walk reaches a PTE the MMU can translate
     * through and the entry differs, one step caches it.
     */
    private Decl.Proc mmu(SourcePos p) {
        Expr addr = name(p, MMU_ADDR);
        Expr pte = walkOf(p, addr);
        Expr.Name entry = name(p, tlb.name(), name(p, KernelKit.CPU), addr);
        List<Stmt> body = new ArrayList<>();
        // (as ?: rather than &&, so that a walk that is a constant 0 folds to false: no transition at all)
        body.add(new Stmt.Await(p, "", new Expr.Cond(p, mapped(pte), ne(entry, pte), new Expr.BoolLit(p, false))));
        body.add(set(p, entry, pte));
        body.addAll(kit.pages().freedAccessIfMapped(p, pfn(pte)));
        Stmt step = new Stmt.Atomic(p, "(MMU walk)", new Stmt.Block(p, body),
                "the MMU walks address " + MMU_ADDR + " by itself and caches what it finds", false,
                Stmt.X86Only.NOTHING);
        return new Decl.Proc(p, MMU, List.of(MMU_ADDR), new Stmt.Block(p, List.of(step)));
    }

    /** The PTE the walk for {@code addr} reaches: the declared expression of that address. */
    private Expr walkOf(SourcePos p, Expr addr) {
        if (walks.size() == 1) {
            return walks.get(0);
        }
        Expr e = walks.get(walks.size() - 1);
        for (int a = walks.size() - 2; a >= 0; a--) {
            e = new Expr.Cond(p, eq(addr, num(p, a)), walks.get(a), e);
        }
        return e;
    }

    // ---------------------------------------------------------------- statements

    /** tlb_fill(PTE, addr), or tlb_fill(addr) through the declared walk. */
    List<Stmt> fill(Stmt.CallStmt call, List<Expr> args, Expr me) {
        SourcePos p = call.pos();
        Expr pte;
        Expr addr;
        if (args.size() == 1) {
            if (!needWalks(call.call())) {
                return List.of();
            }
            addr = args.get(0);
            pte = walkOf(p, addr);
        } else {
            pte = KernelKit.stripAddress(args.get(0));
            addr = args.get(1);
        }
        // the MMU walks to the PTE: an entry it can translate through is cached, and walking to a freed page
        // is an access to it
        List<Stmt> body = new ArrayList<>();
        body.add(new Stmt.If(p, "", mapped(pte), set(p, name(p, tlb.name(), me, addr), pte), null));
        body.addAll(kit.pages().freedAccessIfMapped(p, pfn(pte)));
        return List.of(kit.unordered(call, body));
    }

    /**
     * A TLB flush: one step that drops addresses from every CPU's TLB (or, for the
     * local flush, this CPU's). The kernel's flush_tlb_page, flush_tlb_range and
     * flush_tlb_mm are an IPI shootdown on x86, which cannot be delivered while
     * another CPU has interrupts off, and a broadcast TLBI on arm64, which waits
     * for no one; the step does what the memory model's architecture does (sc
     * follows x86). flush_tlb_ipi and flush_tlb_broadcast force one or the other.
     * An entry that survives a flush of its address (another CPU's, under a local
     * flush) while its PTE has changed is marked stale: writes through it are
     * what no_stale_write() looks for.
     */
    Stmt flush(Stmt.CallStmt call, List<Expr> args, Expr me) {
        SourcePos p = call.pos();
        String f = call.call().function();
        List<Stmt> body = new ArrayList<>();
        boolean ipi = f.equals("flush_tlb_ipi") || f.equals("flush_tlb_page") || f.equals("flush_tlb_range")
                || f.equals("flush_tlb_mm");
        if (ipi && kit.irqsUsed()) {
            // the IPI is delivered only when every other CPU has interrupts enabled
            body.add(new Stmt.Await(p, "", new Expr.Quant(p, true, C, num(p, 0), kit.lastCpu(p), null,
                    or(eq(name(p, C), me), not(name(p, KernelKit.IRQS, name(p, C)))))));
        }
        Expr a = name(p, A);
        Expr inRange = switch (f) {
            case "flush_tlb_range" -> and(ge(a, args.get(0)), ge(args.get(1), a));
            case "flush_tlb_mm" -> new Expr.BoolLit(p, true);
            default -> eq(a, args.get(0));
        };
        Expr.Name entry = name(p, tlb.name(), name(p, C), a);
        Stmt drop = set(p, entry, num(p, 0));
        if (f.equals("local_flush_tlb_page")) {
            Stmt mine = new Stmt.If(p, "", eq(name(p, C), me), drop, walks == null ? null
                    : new Stmt.If(p, "", and(ne(entry, num(p, 0)), stale(entry, walkOf(p, a))),
                    set(p, entry, bitOr(entry, num(p, Pte.STALE))), null));
            drop = mine;
        }
        body.add(kit.everyCpu(p, C, new Stmt.For(p, A, num(p, 0), lastAddr(p),
                new Stmt.If(p, "", inRange, drop, null))));
        // the local flush is INVLPG on x86 (serialising) and DSB NSHST; TLBI VALE1; DSB NSH on arm64, which
        // orders this CPU's own walks after its earlier stores (as every kit step is, in program order) but
        // nothing for other CPUs
        Stmt.X86Only x86Only = f.equals("local_flush_tlb_page") ? Stmt.X86Only.FENCE
                : ipi && !f.equals("flush_tlb_ipi") ? Stmt.X86Only.WAIT : Stmt.X86Only.NOTHING;
        return new Stmt.Atomic(p, call.text(), new Stmt.Block(p, body), KitNotes.note(call), true, x86Only);
    }

    /**
     * tlb_finish_mmu(): one step that flushes every address from every CPU's TLB
     * (the kernel flushes the range it gathered; the whole mm is its upper bound)
     * and frees the pages this CPU gathered with tlb_remove_page, then the step
     * dec_tlb_flush_pending() is.
     */
    List<Stmt> finish(Stmt.CallStmt call, Expr me, Pages pages, boolean gathered) {
        SourcePos p = call.pos();
        List<Stmt> body = new ArrayList<>();
        Stmt.Atomic flush = (Stmt.Atomic) flush(new Stmt.CallStmt(p, call.text(), new Expr.Call(p, "flush_tlb_mm",
                List.of())), List.of(), me);
        body.addAll(flush.body().body());
        if (gathered) {
            Expr mine = new Expr.Binary(p, "+", me, num(p, 1));
            body.addAll(pages.forEachPage(p, (cell, number) -> {
                List<Stmt> free = new ArrayList<>(pages.pageOp(p, "put_page", cell));
                free.add(set(p, field(cell, "gathered"), num(p, 0)));
                return new Stmt.If(p, "", eq(field(cell, "gathered"), mine), new Stmt.Block(p, free), null);
            }));
        }
        return List.of(new Stmt.Atomic(p, call.text(), new Stmt.Block(p, body), KitNotes.note(call), true,
                flush.x86Only()), new Stmt.CallStmt(p, call.text(), new Expr.Call(p, "atomic_dec", List.of(
                        new Expr.Unary(p, "&", name(p, KernelKit.FLUSH_PENDING))))));
    }


    /**
     * user_read(addr) and user_write(addr): one step of the CPU's user program
     * through its TLB entry for addr, or on a miss through the declared walk. A
     * write through a read-only entry, or a walk that finds no PTE the MMU can
     * translate through (or, for a write, no writable one), is a page fault: no
     * access, and the entry is dropped. The first write through a clean entry
     * has the MMU set the dirty bit in the PTE, which it re-reads: a PTE that no
     * longer maps the page writably faults instead. {@code result}, when not
     * null, receives whether the access happened.
     */
    List<Stmt> access(Stmt.CallStmt call, List<Expr> args, Expr me, Expr.Name result) {
        SourcePos p = call.pos();
        if (!needWalks(call.call())) {
            return List.of();
        }
        boolean write = call.call().function().equals("user_write");
        Expr addr = args.get(0);
        Expr pte = walkOf(p, addr);
        Expr.Name entry = name(p, tlb.name(), me, addr);
        List<Stmt> ok = new ArrayList<>();
        if (write && args.size() == 2) {
            ok.addAll(kit.pages().writeDataIfMapped(p, pfn(entry), args.get(1))); // the value lands in the page
        }
        List<Stmt> fault = new ArrayList<>();
        fault.add(set(p, entry, num(p, 0)));
        if (result != null) {
            ok.add(set(p, result, new Expr.BoolLit(p, true)));
            fault.add(set(p, result, new Expr.BoolLit(p, false)));
        }
        Stmt miss;
        Stmt hit;
        if (!write) {
            miss = new Stmt.If(p, "", mapped(pte), block(p, set(p, entry, pte), touch(p, entry, ok)),
                    block(p, fault));
            hit = touch(p, entry, ok);
        } else {
            Expr writable = and(mapped(pte), ne(bitAnd(pte, num(p, Pte.WRITE)), num(p, 0)));
            Stmt dirtyPte = dirty(p, addr);
            miss = new Stmt.If(p, "", writable, block(p, dirtyPte, set(p, entry, bitOr(pte, num(p, Pte.DIRTY))),
                    touch(p, entry, ok)), block(p, fault));
            // a clean entry: the MMU sets the dirty bit in the PTE, if it still maps the page writably
            Expr same = and(writable, eq(bitAnd(pte, num(p, Pte.PFN)), bitAnd(entry, num(p, Pte.PFN))));
            Stmt clean = new Stmt.If(p, "", same, block(p, dirtyPte, set(p, entry, bitOr(entry, num(p, Pte.DIRTY))),
                    touch(p, entry, ok)), block(p, fault));
            Stmt stale = new Stmt.If(p, "", ne(bitAnd(entry, num(p, Pte.STALE)), num(p, 0)),
                    set(p, name(p, staleWrite(), me, addr), new Expr.BoolLit(p, true)), null);
            Stmt dirtyHit = block(p, stale, touch(p, entry, ok));
            hit = new Stmt.If(p, "", eq(bitAnd(entry, num(p, Pte.WRITE)), num(p, 0)), block(p, fault),
                    new Stmt.If(p, "", eq(bitAnd(entry, num(p, Pte.DIRTY)), num(p, 0)), clean, dirtyHit));
        }
        Stmt body = new Stmt.If(p, "", eq(entry, num(p, 0)), miss, hit);
        return List.of(kit.unordered(call, List.of(body)));
    }

    /** The access reaches the entry's page: on a freed page, a use after free. */
    private Stmt touch(SourcePos p, Expr entry, List<Stmt> then) {
        List<Stmt> out = new ArrayList<>(kit.pages().freedAccessIfMapped(p, pfn(entry)));
        out.addAll(then);
        return new Stmt.Block(p, out);
    }

    /** The MMU sets the dirty bit in the PTE the walk reaches (when it is a variable, not an expression). */
    private Stmt dirty(SourcePos p, Expr addr) {
        return dirtyLeaf(p, walkOf(p, addr));
    }

    private Stmt dirtyLeaf(SourcePos p, Expr pte) {
        if (pte instanceof Expr.Name n) {
            return set(p, n, bitOr(n, num(p, Pte.DIRTY)));
        }
        if (pte instanceof Expr.Cond c) {
            return new Stmt.If(p, "", c.test(), dirtyLeaf(p, c.then()), dirtyLeaf(p, c.otherwise()));
        }
        return new Stmt.Block(p, List.of());
    }

    private static Stmt block(SourcePos p, Stmt... stmts) {
        return new Stmt.Block(p, List.of(stmts));
    }

    private static Stmt block(SourcePos p, List<Stmt> stmts) {
        return new Stmt.Block(p, stmts);
    }

    // ---------------------------------------------------------------- properties

    /** no_stale_tlb(): no CPU's TLB caches the page of a freed page, for any address. */
    Expr noStaleTlb(SourcePos p) {
        return kit.pages().allPages(p, (cell, pfn) -> new Expr.Quant(p, true, C, num(p, 0), kit.lastCpu(p), null,
                new Expr.Quant(p, true, A, num(p, 0), lastAddr(p), null,
                        not(and(and(ne(name(p, tlb.name(), name(p, C), name(p, A)), num(p, 0)),
                                eq(pfn(name(p, tlb.name(), name(p, C), name(p, A))), pfn)),
                                KitAst.field(cell, "freed"))))));
    }

    /** no_stale_write(): no user write went through an entry marked stale. */
    Expr noStaleWrite(SourcePos p, boolean userWrites) {
        if (!userWrites) {
            return new Expr.BoolLit(p, true); // no user_write in the model: nothing can go through a stale entry
        }
        return new Expr.Quant(p, true, C, num(p, 0), kit.lastCpu(p), null, new Expr.Quant(p, true, A, num(p, 0),
                lastAddr(p), null, not(name(p, staleWrite(), name(p, C), name(p, A)))));
    }

    // ---------------------------------------------------------------- helpers

    private Expr lastAddr(SourcePos p) {
        return new Expr.Binary(p, "-", tlb.dims().get(0), num(p, 1));
    }

    /** Whether the MMU can translate through a PTE word (Pte.mapped), with the word used once. */
    static Expr mapped(Expr pte) {
        SourcePos p = pte.pos();
        // (pte & (PFN | PROTNONE | MIGRATION)) is 1..PFN exactly when there is a page and neither flag
        Expr y = bitAnd(pte, num(p, Pte.PFN | Pte.PROTNONE | Pte.MIGRATION));
        return eq(bitAnd(new Expr.Binary(p, "-", y, num(p, 1)), num(p, ~Pte.PFN)), num(p, 0));
    }

    static Expr pfn(Expr pte) {
        return bitAnd(pte, num(pte.pos(), Pte.PFN));
    }

    /** An entry is stale against the PTE its address walks to now: not mapped, another page, or lost write. */
    private static Expr stale(Expr entry, Expr pte) {
        SourcePos p = entry.pos();
        Expr lostWrite = and(ne(bitAnd(entry, num(p, Pte.WRITE)), num(p, 0)),
                eq(bitAnd(pte, num(p, Pte.WRITE)), num(p, 0)));
        return or(or(not(mapped(pte)), ne(pfn(pte), pfn(entry))), lostWrite);
    }

    private boolean needWalks(Expr.Call c) {
        if (walks == null) {
            errors.add(new Diagnostic(c.pos(), c.function() + "() needs the page walk of each address declared "
                    + "with the TLBs, like 'ghost tlb " + tlb.name() + "[2] walks {pte0, pte1};' (the PTE each "
                    + "address translates through)"));
            return false;
        }
        return true;
    }
}
