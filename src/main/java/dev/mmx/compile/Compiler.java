package dev.mmx.compile;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import java.util.ArrayList;
import java.util.List;

/** Compiles a resolved model to a {@link Program}: instructions per thread, the layout, the properties. */
public final class Compiler {
    private Compiler() {}

    /** The outcome: a program when there are no diagnostics. */
    public record Result(Program program, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    public static Result compile(Resolved r) {
        try {
            return new Result(build(r), List.of());
        } catch (CompileError e) {
            return new Result(null, List.of(e.diagnostic));
        }
    }

    private static Program build(Resolved r) {
        Globals g = new Globals(r);
        int threadCount = r.threads().stream().mapToInt(t -> Math.max(1, t.count())).sum();
        g.ghostSlotBase = 1 + threadCount + g.memory.size();
        int regBase = Layout.firstRegisterSlot(threadCount, g.memory.size(), g.ghosts.size());
        List<Program.ThreadCode> threads = new ArrayList<>();
        List<ThreadCompiler> compilers = new ArrayList<>();
        for (Resolved.ThreadSym t : r.threads()) {
            int copies = Math.max(1, t.count());
            for (int i = 0; i < copies; i++) {
                String name = t.count() == 0 ? t.decl().name() : t.decl().name() + "[" + i + "]";
                ThreadCompiler tc = new ThreadCompiler(r, g, name, regBase);
                tc.cpu = threads.size();
                Instr[] code = tc.compile(t.decl(), t.count() == 0 ? null : i);
                threads.add(new Program.ThreadCode(name, t.decl().name(), t.count() == 0 ? -1 : i, code,
                        List.copyOf(tc.regs)));
                compilers.add(tc);
                regBase += tc.regs.size();
            }
        }
        int[] regCounts = threads.stream().mapToInt(t -> t.regs().size()).toArray();
        Layout layout = new Layout(regCounts, g.memory.size(), g.ghosts.size(), 0);
        PropertyCompiler props = new PropertyCompiler(r, g, threads, compilers, layout);
        List<Program.Invariant> invariants = new ArrayList<>();
        List<Program.FinalCondition> finals = new ArrayList<>();
        for (Decl d : r.model().decls()) {
            if (d instanceof Decl.Invariant inv) {
                invariants.add(new Program.Invariant(inv.name(), props.compile(inv.cond()), inv.pos().line(),
                        r.kitProperties().getOrDefault(inv.name(), List.of())));
            } else if (d instanceof Decl.Final f) {
                finals.add(new Program.FinalCondition(f.kind().word, props.compile(f.cond()), f.text(),
                        r.kitProperties().getOrDefault(f.kind().word, List.of())));
            }
        }
        return new Program(r.model().file(), layout, List.copyOf(threads), List.copyOf(g.memory),
                List.copyOf(g.ghosts), List.copyOf(invariants), List.copyOf(finals), r.params(),
                mmuFills(r, g, threads.size()));
    }

    /**
     * The MMU's own fills, when the kernel kit's TLBs prefetch: its MMU procedure
     * compiled once per CPU and address, with that CPU and address as constants.
     */
    private static List<Program.MmuFill> mmuFills(Resolved r, Globals g, int cpus) {
        Decl.Proc mmu = r.procs().get(KernelKit.MMU);
        if (mmu == null) {
            return List.of();
        }
        int addrs = r.constants().get(KernelKit.MMU_ADDRS);
        List<Program.MmuFill> out = new ArrayList<>();
        for (int cpu = 0; cpu < cpus; cpu++) {
            for (int a = 0; a < addrs; a++) {
                ThreadCompiler tc = new ThreadCompiler(r, g, "MMU", 0);
                tc.cpu = cpu;
                Instr.Atomic fill = tc.mmuFill(mmu, a);
                boolean never = fill.body()[0] instanceof Instr.Await w && w.cond() instanceof CExpr.Const k
                        && k.value() == 0;
                if (!never) { // a walk that can never reach a PTE (a constant 0) is no transition at all
                    out.add(new Program.MmuFill(cpu, a, fill));
                }
            }
        }
        return List.copyOf(out);
    }

    /** Properties read memory directly and may name any thread's registers. */
    private static final class PropertyCompiler {
        private final Resolved r;
        private final Globals g;
        private final List<Program.ThreadCode> threads;
        private final List<ThreadCompiler> compilers;
        private final Layout layout;

        PropertyCompiler(Resolved r, Globals g, List<Program.ThreadCode> threads, List<ThreadCompiler> compilers,
                         Layout layout) {
            this.r = r;
            this.g = g;
            this.threads = threads;
            this.compilers = compilers;
            this.layout = layout;
        }

        CExpr compile(Expr e) {
            ThreadCompiler tc = new ThreadCompiler(r, g, "property", 0);
            return tc.property(e, this::threadReg);
        }

        /** The slot of {@code thread[index].reg}. */
        private int threadReg(Expr.ThreadReg t, int index) {
            for (int i = 0; i < threads.size(); i++) {
                Program.ThreadCode tc = threads.get(i);
                if (tc.group().equals(t.thread()) && (tc.index() == index || tc.index() < 0 && index < 0)) {
                    Integer reg = compilers.get(i).regIndex.get(t.reg());
                    if (reg == null) {
                        throw new CompileError(new Diagnostic(t.pos(), "thread '" + tc.name() + "' has no register '"
                                + t.reg() + "'"));
                    }
                    return layout.regSlot(i, reg);
                }
            }
            throw new CompileError(new Diagnostic(t.pos(), "there is no thread " + t.thread() + "[" + index + "]"));
        }
    }
}
