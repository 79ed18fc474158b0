package dev.mmx.compile;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
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
                invariants.add(new Program.Invariant(inv.name(), props.compile(inv.cond()), inv.pos().line()));
            } else if (d instanceof Decl.Final f) {
                finals.add(new Program.FinalCondition(f.kind().word, props.compile(f.cond()), f.text()));
            }
        }
        return new Program(r.model().file(), layout, List.copyOf(threads), List.copyOf(g.memory),
                List.copyOf(g.ghosts), List.copyOf(invariants), List.copyOf(finals), r.params());
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
