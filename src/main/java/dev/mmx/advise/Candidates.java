package dev.mmx.advise;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.Stmt;
import dev.mmx.resolve.Builtins;
import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import dev.mmx.system.CExpr;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.List;

/**
 * Every change the fence search may make to a model under one memory model:
 * a barrier before each statement (other than a bare declaration) that has a
 * statement before it in the same block, or that opens a nested block; and an
 * upgrade of each READ_ONCE to smp_load_acquire and each WRITE_ONCE to
 * smp_store_release. Next to a void atomic the full barrier is spelled
 * smp_mb__before_atomic() or smp_mb__after_atomic(), as the kernel writes it.
 * Under tso only smp_mb() is offered: everything else compiles to nothing on
 * x86, so it is free and changes nothing.
 */
public final class Candidates {
    private final boolean tso;
    private final List<String> lines;
    private final List<Change> out = new ArrayList<>();
    private int blocks;

    private Candidates(boolean tso, List<String> lines) {
        this.tso = tso;
        this.lines = lines;
    }

    /** The candidates in {@code model}, parsed from {@code source}. */
    public static List<Change> of(Model model, String source, String memoryModel) {
        Candidates c = new Candidates(memoryModel.equals("tso"), Patch.lines(source));
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Thread t) {
                c.block(t.body(), t.name(), true);
            } else if (d instanceof Decl.Proc p) {
                c.block(p.body(), null, true);
            }
        }
        return List.copyOf(c.out);
    }

    /**
     * The candidates without barriers that would sit at the same place in the
     * compiled code: a position is dropped when an earlier position of the
     * same block has the same kind of barrier (any full barrier counting as
     * one kind) and no instruction of the thread lies on the lines between
     * them (a statement that compiled to nothing, such as the body of
     * {@code if (MB == 1)} with MB=0). The earlier one is kept.
     */
    public static List<Change> distinct(List<Change> cs, Program p) {
        List<Change> out = new ArrayList<>();
        for (Change c : cs) {
            int prev = c.kind().barrier() && c.owner() != null ? previousPosition(cs, c) : 0;
            boolean same = prev > 0 && cs.stream().anyMatch(d -> d.block() == c.block() && d.line() == prev
                    && d.kind().barrier() && family(d.kind()) == family(c.kind()))
                    && nothingBetween(p, c.owner(), prev, c.line());
            if (!same) {
                out.add(c);
            }
        }
        return out;
    }

    private static int previousPosition(List<Change> cs, Change c) {
        int prev = 0;
        for (Change d : cs) {
            if (d.kind().barrier() && d.block() == c.block() && d.line() < c.line()) {
                prev = Math.max(prev, d.line());
            }
        }
        return prev;
    }

    private static Change.Kind family(Change.Kind k) {
        return k.full() ? Change.Kind.MB : k;
    }

    /** Whether the thread's compiled code has nothing but folded control flow on lines [from, to). */
    private static boolean nothingBetween(Program p, String owner, int from, int to) {
        for (Program.ThreadCode t : p.threads()) {
            if (!t.group().equals(owner)) {
                continue;
            }
            Instr[] code = t.code();
            BitSet live = reachable(code);
            for (int pc = 0; pc < code.length; pc++) {
                Instr i = code[pc];
                int line = i.src().line();
                boolean folded = i instanceof Instr.Branch || i instanceof Instr.Jump || i instanceof Instr.Clear
                        || i instanceof Instr.End;
                if (line >= from && line < to && !folded && live.get(pc)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The instructions control can reach; a branch on a constant (a parameter's test) goes one way only. */
    private static BitSet reachable(Instr[] code) {
        BitSet seen = new BitSet();
        Deque<Integer> todo = new ArrayDeque<>(List.of(0));
        while (!todo.isEmpty()) {
            int pc = todo.pop();
            if (pc < 0 || pc >= code.length || seen.get(pc)) {
                continue;
            }
            seen.set(pc);
            Instr i = code[pc];
            if (i instanceof Instr.Jump j) {
                todo.push(j.target());
            } else if (i instanceof Instr.Either e) {
                for (int target : e.targets()) {
                    todo.push(target);
                }
            } else if (i instanceof Instr.Branch b) {
                if (!(b.cond() instanceof CExpr.Const c) || c.value() != 0) {
                    todo.push(pc + 1);
                }
                if (!(b.cond() instanceof CExpr.Const c) || c.value() == 0) {
                    todo.push(b.elseTarget());
                }
            } else if (!(i instanceof Instr.End)) {
                todo.push(pc + 1);
            }
        }
        return seen;
    }

    private void block(Stmt.Block b, String owner, boolean top) {
        List<Stmt> body = b.body();
        int id = ++blocks;
        for (int i = 0; i < body.size(); i++) {
            Stmt s = body.get(i);
            Stmt prev = i > 0 ? body.get(i - 1) : null;
            boolean declaration = s instanceof Stmt.Local l && l.init() == null;
            if ((prev != null || !top) && !declaration && !isCall(prev, Builtins.Kind.FENCE)
                    && !isCall(s, Builtins.Kind.FENCE)) {
                barriers(s, prev, owner, id);
            }
            stmt(s, owner);
        }
    }

    private void barriers(Stmt s, Stmt prev, String owner, int block) {
        int line = s.pos().line();
        int col = start(s);
        if (col < 1) {
            return;
        }
        Change.Kind full = isCall(prev, Builtins.Kind.VOID_RMW) ? Change.Kind.MB_AFTER_ATOMIC
                : isCall(s, Builtins.Kind.VOID_RMW) ? Change.Kind.MB_BEFORE_ATOMIC : Change.Kind.MB;
        if (tso) {
            // on x86 a void atomic is a locked instruction, a full barrier already: smp_mb__*_atomic is nothing
            if (full == Change.Kind.MB) {
                out.add(new Change(full, owner, block, line, col, 0));
            }
            return;
        }
        out.add(new Change(Change.Kind.RMB, owner, block, line, col, 0));
        out.add(new Change(Change.Kind.WMB, owner, block, line, col, 0));
        out.add(new Change(full, owner, block, line, col, 0));
    }

    /** The column a statement starts at: a declaration's position is its name's, so look back for its type. */
    private int start(Stmt s) {
        if (s instanceof Stmt.Local l && s.pos().line() <= lines.size()) {
            return lines.get(s.pos().line() - 1).lastIndexOf(l.type(), s.pos().column() - 1) + 1;
        }
        return s.pos().column();
    }

    private static boolean isCall(Stmt s, Builtins.Kind kind) {
        if (s instanceof Stmt.CallStmt c) {
            Builtins.Builtin b = Builtins.get(c.call().function());
            return b != null && b.kind() == kind;
        }
        return false;
    }

    private void stmt(Stmt s, String owner) {
        if (s instanceof Stmt.Local l) {
            expr(l.init(), owner);
        } else if (s instanceof Stmt.Block b) {
            block(b, owner, false);
        } else if (s instanceof Stmt.If i) {
            expr(i.cond(), owner);
            nested(i.then(), owner);
            nested(i.otherwise(), owner);
        } else if (s instanceof Stmt.While w) {
            expr(w.cond(), owner);
            nested(w.body(), owner);
        } else if (s instanceof Stmt.For f) {
            nested(f.body(), owner);
        } else if (s instanceof Stmt.Await a) {
            expr(a.cond(), owner);
        } else if (s instanceof Stmt.Either e) {
            e.branches().forEach(b -> block(b, owner, false));
        } else if (s instanceof Stmt.Assume a) {
            expr(a.cond(), owner);
        } else if (s instanceof Stmt.Assert a) {
            expr(a.cond(), owner);
        } else if (s instanceof Stmt.Assign a) {
            expr(a.value(), owner);
        } else if (s instanceof Stmt.CallStmt c) {
            Expr.Call call = c.call();
            if (!tso && call.function().equals("WRITE_ONCE") && call.args().size() == 2
                    && call.args().get(0).pos().line() == call.pos().line()) {
                out.add(new Change(Change.Kind.RELEASE, owner, 0, call.pos().line(), call.pos().column(),
                        call.args().get(0).pos().column()));
            }
            call.args().forEach(x -> expr(x, owner));
        } else if (!(s instanceof Stmt.Atomic || s instanceof Stmt.Break || s instanceof Stmt.Continue
                || s instanceof Stmt.Skip)) {
            // an atomic block is one step outside the memory model: nothing inside it is reordered
            throw new IllegalStateException("no fence candidates defined for " + s.getClass().getSimpleName());
        }
    }

    /** A branch body that is a single statement has no position of its own before it; a block does. */
    private void nested(Stmt s, String owner) {
        if (s != null) {
            stmt(s, owner);
        }
    }

    private void expr(Expr e, String owner) {
        if (e == null || e instanceof Expr.IntLit || e instanceof Expr.BoolLit || e instanceof Expr.ThreadReg
                || e instanceof Expr.Quant) {
            return;
        }
        if (e instanceof Expr.Name n) {
            n.indices().forEach(x -> expr(x, owner));
        } else if (e instanceof Expr.Unary u) {
            expr(u.operand(), owner);
        } else if (e instanceof Expr.Binary b) {
            expr(b.left(), owner);
            expr(b.right(), owner);
        } else if (e instanceof Expr.Cond c) {
            expr(c.test(), owner);
            expr(c.then(), owner);
            expr(c.otherwise(), owner);
        } else if (e instanceof Expr.Call c) {
            if (!tso && c.function().equals("READ_ONCE") && c.args().size() == 1
                    && c.pos().line() == c.args().get(0).pos().line()) {
                out.add(new Change(Change.Kind.ACQUIRE, owner, 0, c.pos().line(), c.pos().column(),
                        c.args().get(0).pos().column()));
            }
            c.args().forEach(x -> expr(x, owner));
        } else {
            throw new IllegalStateException("no fence candidates defined for " + e.getClass().getSimpleName());
        }
    }
}
