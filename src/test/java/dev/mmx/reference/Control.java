package dev.mmx.reference;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Stmt;
import dev.mmx.reference.Eval.Mode;
import dev.mmx.reference.State.Binding;
import dev.mmx.reference.State.CpuState;
import dev.mmx.reference.State.Env;
import dev.mmx.reference.State.Frame;
import dev.mmx.reference.State.LoopBack;
import dev.mmx.reference.State.Run;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a CPU goes next: what takes no step (blocks, for loops, procedure
 * calls, break, continue, the end of a loop body) and where a condition sends
 * it, and the livelock a loop over registers alone spins in.
 */
final class Control {
    private final World w;

    Control(World w) {
        this.w = w;
    }

    /**
     * Moves a CPU through what takes no step until its next statement that is
     * one: blocks open, for loops unroll, procedure calls inline, constant
     * register declarations vanish, break and continue leave or restart their loop.
     */
    List<Frame> settle(List<Frame> control, int t) {
        List<Frame> c = control;
        while (!c.isEmpty()) {
            Frame head = c.get(0);
            if (head instanceof LoopBack back) {
                c = replaceHead(c, new Run(back.stmt(), back.env(), List.of()));
                continue;
            }
            if (!(head instanceof Run run)) {
                return c;
            }
            Stmt st = w.stmt(run.stmt());
            Env env = run.env();
            if (st instanceof Stmt.Block b) {
                List<Frame> open = new ArrayList<>();
                b.body().forEach(x -> open.add(new Run(w.id(x), env, List.of())));
                c = replaceHead(c, open);
            } else if (st instanceof Stmt.For f) {
                List<Frame> unrolled = new ArrayList<>();
                Eval e = statics(t);
                for (int v = e.constant(f.lo(), env); v <= e.constant(f.hi(), env); v++) {
                    unrolled.add(new Run(w.id(f.body()), env.with(f.var(), v), List.of()));
                }
                c = replaceHead(c, unrolled);
            } else if (st instanceof Stmt.Local l && (l.init() == null
                    || statics(t).constantOrNull(l.init(), env) != null)) {
                c = c.subList(1, c.size()); // its value is the register's value from the start
            } else if (st instanceof Stmt.Break || st instanceof Stmt.Continue) {
                int at = 0;
                while (!(c.get(at) instanceof LoopBack)) {
                    at++;
                }
                c = st instanceof Stmt.Break ? c.subList(at + 1, c.size()) : c.subList(at, c.size());
            } else if (st instanceof Stmt.CallStmt call && w.model.procs().containsKey(call.call().function())) {
                Decl.Proc p = w.model.procs().get(call.call().function());
                c = replaceHead(c, List.of(new Run(w.id(p.body()), procEnv(p, call.call(), env), List.of())));
            } else {
                return List.copyOf(c);
            }
        }
        return List.of();
    }

    /** A procedure's parameters stand for what the caller wrote, read in the caller's names. */
    Env procEnv(Decl.Proc p, Expr.Call call, Env caller) {
        Map<String, Binding> params = new HashMap<>();
        for (int i = 0; i < p.params().size(); i++) {
            params.put(p.params().get(i), new Binding(w.id(call.args().get(i)), caller));
        }
        return caller.procedure(Map.copyOf(params), p.name());
    }

    /** Where an if's or while's condition sends the CPU. */
    List<Frame> branch(CpuState cpu, Run run, Stmt st, boolean taken) {
        List<Frame> rest = rest(cpu);
        if (st instanceof Stmt.While wh) {
            return taken ? push(push(rest, new LoopBack(run.stmt(), run.env())), new Run(w.id(wh.body()),
                    run.env(), List.of())) : rest;
        }
        Stmt.If i = (Stmt.If) st;
        Stmt next = taken ? i.then() : i.otherwise();
        return next == null ? rest : push(rest, new Run(w.id(next), run.env(), List.of()));
    }

    /**
     * Whether a CPU standing at a condition over its own registers goes round
     * conditions over its registers forever without reaching any other step:
     * the runtime fault livelock. Such conditions change nothing, so the CPU
     * repeats a position exactly when it spins.
     */
    boolean spinsForever(List<Frame> control, int t, List<Integer> registers) {
        int[][] regs = new int[w.cpus.size()][];
        regs[t] = Steps.ints(registers);
        Eval e = new Eval(w, null, null, regs, t, Mode.DIRECT, List.of());
        Set<List<Frame>> seen = new HashSet<>();
        List<Frame> c = control;
        while (!c.isEmpty() && c.get(0) instanceof Run run) {
            Stmt st = w.stmt(run.stmt());
            Expr cond = st instanceof Stmt.If i ? i.cond() : st instanceof Stmt.While wh ? wh.cond() : null;
            if (cond == null || !e.registersOnly(cond, run.env())) {
                return false;
            }
            if (!seen.add(c)) {
                return true;
            }
            boolean taken;
            try {
                taken = e.eval(cond, run.env(), true) != 0;
            } catch (Eval.Fault f) {
                return false; // the condition's step faults instead
            }
            c = settle(branch(new CpuState(c, registers), run, st, taken), t);
        }
        return false;
    }

    /** An evaluator for constants and static questions about CPU t's code (no state). */
    Eval statics(int t) {
        return new Eval(w, null, null, null, t, Mode.DIRECT, List.of());
    }

    static List<Frame> rest(CpuState cpu) {
        return cpu.control().subList(1, cpu.control().size());
    }

    static List<Frame> push(List<Frame> rest, Frame top) {
        List<Frame> out = new ArrayList<>(rest.size() + 1);
        out.add(top);
        out.addAll(rest);
        return out;
    }

    static List<Frame> replaceHead(CpuState cpu, Frame head) {
        return replaceHead(cpu.control(), List.of(head));
    }

    static List<Frame> replaceHead(List<Frame> control, Frame head) {
        return replaceHead(control, List.of(head));
    }

    static List<Frame> replaceHead(List<Frame> control, List<Frame> heads) {
        List<Frame> out = new ArrayList<>(heads);
        out.addAll(control.subList(1, control.size()));
        return out;
    }
}
