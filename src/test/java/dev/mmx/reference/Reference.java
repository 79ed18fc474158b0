package dev.mmx.reference;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Stmt;
import dev.mmx.oracle.Behaviour;
import dev.mmx.reference.State.CpuState;
import dev.mmx.reference.State.Env;
import dev.mmx.reference.State.Frame;
import dev.mmx.reference.State.Run;
import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A deliberately naive model checker for sequential consistency, written apart
 * from the optimised pipeline to check it: it interprets the resolved model's
 * statements one step each (see {@link Steps}), keeps states as plain values
 * in a hash set, and searches breadth first. It shares no code with the
 * compiler, the machines or the explorer; it reads only the resolver's output.
 *
 * <p>Like {@link Behaviour#of}, it records every violation instead of stopping
 * at the first (an invariant's violation does not stop its execution, a fault
 * does), and the verdict is the first violation met in breadth-first order.
 */
public final class Reference {
    /** What the interpreter found; {@code verdict} is pass, deadlock or "violates NAME". */
    public record Result(Behaviour behaviour, String verdict) {}

    private final World w;
    private final Steps steps;

    private Reference(Resolved model) {
        this.w = new World(model);
        this.steps = new Steps(w);
        for (Resolved.ThreadSym t : model.threads()) {
            int copies = Math.max(1, t.count());
            for (int i = 0; i < copies; i++) {
                int index = t.count() == 0 ? -1 : i;
                String name = index < 0 ? t.decl().name() : t.decl().name() + "[" + i + "]";
                w.addCpu(name, t.decl(), index, registers(t.decl(), top(t.decl(), index)));
            }
        }
    }

    /** Explores every state of the model under sc, at most {@code maxStates} of them. */
    public static Result explore(Resolved model, int maxStates) {
        return new Reference(model).bfs(maxStates);
    }

    private static Env top(Decl.Thread decl, int index) {
        return decl.indexVar() != null && index >= 0 ? Env.TOP.with(decl.indexVar(), index) : Env.TOP;
    }

    // ---------------------------------------------------------------- registers

    /**
     * A thread's registers in the order their declarations appear (procedures
     * inlined): a declaration names one register for the whole thread, whose
     * value at the start is its first declaration's constant initialiser.
     */
    private List<World.Register> registers(Decl.Thread decl, Env env) {
        Map<String, World.Register> out = new LinkedHashMap<>();
        collect(decl.body(), env, out);
        return List.copyOf(out.values());
    }

    private void collect(Stmt st, Env env, Map<String, World.Register> out) {
        Eval e = new Eval(w, null, null, null, -1, Eval.Mode.DIRECT, List.of());
        if (st instanceof Stmt.Local l) {
            String name = env.proc() == null ? l.name() : env.proc() + "." + l.name();
            Integer initial = l.init() == null ? Integer.valueOf(0) : e.constantOrNull(l.init(), env);
            out.putIfAbsent(name, new World.Register(name, type(l.type()), initial == null ? 0 : initial));
        } else if (st instanceof Stmt.Block b) {
            b.body().forEach(s -> collect(s, env, out));
        } else if (st instanceof Stmt.If i) {
            collect(i.then(), env, out);
            if (i.otherwise() != null) {
                collect(i.otherwise(), env, out);
            }
        } else if (st instanceof Stmt.While wh) {
            collect(wh.body(), env, out);
        } else if (st instanceof Stmt.For f) {
            for (int v = e.constant(f.lo(), env); v <= e.constant(f.hi(), env); v++) {
                collect(f.body(), env.with(f.var(), v), out);
            }
        } else if (st instanceof Stmt.Atomic a) {
            collect(a.body(), env, out);
        } else if (st instanceof Stmt.Either ei) {
            ei.branches().forEach(b -> collect(b, env, out));
        } else if (st instanceof Stmt.CallStmt c && w.model.procs().containsKey(c.call().function())) {
            Decl.Proc p = w.model.procs().get(c.call().function());
            Map<String, State.Binding> params = new HashMap<>();
            for (int i = 0; i < p.params().size(); i++) {
                params.put(p.params().get(i), new State.Binding(w.id(c.call().args().get(i)), env));
            }
            collect(p.body(), env.procedure(Map.copyOf(params), p.name()), out);
        }
    }

    private Type type(String name) {
        return switch (name) {
            case "int" -> Type.INT;
            case "bool" -> Type.BOOL;
            case "loc" -> Type.LOC;
            default -> w.model.enums().get(name);
        };
    }

    // ---------------------------------------------------------------- search

    private State initial() {
        List<Integer> memory = w.memory.stream().map(World.Cell::initial).toList();
        List<Integer> ghosts = w.ghosts.stream().map(World.Cell::initial).toList();
        List<CpuState> cpus = new ArrayList<>();
        for (int t = 0; t < w.cpus.size(); t++) {
            World.Cpu cpu = w.cpus.get(t);
            List<Frame> start = List.of(new Run(w.id(cpu.decl().body()), top(cpu.decl(), cpu.index()), List.of()));
            cpus.add(new CpuState(steps.settle(start, t), cpu.registers().stream().map(World.Register::initial)
                    .toList()));
        }
        return new State(memory, ghosts, List.copyOf(cpus));
    }

    private Result bfs(int maxStates) {
        Set<Map<String, String>> finals = new HashSet<>();
        Set<String> safety = new TreeSet<>();
        Set<String> conditions = new TreeSet<>();
        boolean deadlock = false;
        String verdict = null;
        Set<State> seen = new HashSet<>();
        ArrayDeque<State> queue = new ArrayDeque<>();
        State init = initial();
        seen.add(init);
        queue.add(init);
        String broken = invariantBroken(init);
        if (broken != null) {
            safety.add(broken);
            verdict = "violates " + broken;
        }
        while (!queue.isEmpty()) {
            if (seen.size() > maxStates) {
                Behaviour b = new Behaviour(finals, safety, deadlock, conditions, seen.size(),
                        "the state limit (" + maxStates + ") was reached");
                return new Result(b, verdict);
            }
            State s = queue.poll();
            List<Steps.Outcome> mmu = mmuSteps(s);
            if (s.cpus().stream().allMatch(CpuState::finished) && mmu.isEmpty()) {
                finals.add(project(s));
                String failed = finalConditionBroken(s);
                if (failed != null) {
                    conditions.add(failed);
                    verdict = verdict != null ? verdict : "violates " + failed;
                }
                continue;
            }
            boolean moved = false;
            List<Steps.Outcome> all = new ArrayList<>(mmu);
            for (int t = 0; t < s.cpus().size(); t++) {
                all.addAll(steps.steps(s, t));
            }
            {
                for (Steps.Outcome o : all) {
                    moved = true;
                    if (o instanceof Steps.Outcome.Faulted f) {
                        safety.add(f.property());
                        verdict = verdict != null ? verdict : "violates " + f.property();
                    } else if (o instanceof Steps.Outcome.Next n && seen.add(n.state())) {
                        queue.add(n.state());
                        String inv = invariantBroken(n.state());
                        if (inv != null) {
                            safety.add(inv);
                            verdict = verdict != null ? verdict : "violates " + inv;
                        }
                    }
                }
            }
            if (!moved) {
                deadlock = true;
                verdict = verdict != null ? verdict : "deadlock";
            }
        }
        return new Result(new Behaviour(finals, safety, deadlock, conditions, seen.size(), null),
                verdict == null ? "pass" : verdict);
    }

    /** The MMU's own fills that can happen in {@code s}, when the kit's TLBs prefetch. */
    private List<Steps.Outcome> mmuSteps(State s) {
        Decl.Proc mmu = w.model.procs().get(KernelKit.MMU);
        if (mmu == null) {
            return List.of();
        }
        List<Steps.Outcome> out = new ArrayList<>();
        int addrs = w.model.constants().get(KernelKit.MMU_ADDRS);
        for (int t = 0; t < s.cpus().size(); t++) {
            for (int a = 0; a < addrs; a++) {
                out.addAll(steps.mmu(s, t, mmu, a));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- properties

    private Eval property(State s) {
        int[][] regs = new int[s.cpus().size()][];
        for (int t = 0; t < regs.length; t++) {
            regs[t] = Steps.ints(s.cpus().get(t).registers());
        }
        return new Eval(w, Steps.ints(s.memory()), Steps.ints(s.ghosts()), regs, -1, Eval.Mode.PROPERTY, List.of());
    }

    /** The first invariant (in declaration order) the state breaks; one that faults is broken. */
    private String invariantBroken(State s) {
        Eval e = property(s);
        for (Decl.Invariant inv : w.model.model().all(Decl.Invariant.class)) {
            try {
                if (e.eval(inv.cond(), Env.TOP, true) == 0) {
                    return inv.name();
                }
            } catch (Eval.Fault f) {
                return inv.name();
            }
        }
        return null;
    }

    /** The first final condition a final state breaks: exists (and ~exists) when it holds, forall when not. */
    private String finalConditionBroken(State s) {
        Eval e = property(s);
        for (Decl.Final f : w.model.model().all(Decl.Final.class)) {
            boolean holds;
            try {
                holds = e.eval(f.cond(), Env.TOP, true) != 0;
            } catch (Eval.Fault fault) {
                return f.kind() == Decl.FinalKind.FORALL ? "forall" : "exists";
            }
            if (f.kind() == Decl.FinalKind.FORALL ? !holds : holds) {
                return f.kind() == Decl.FinalKind.FORALL ? "forall" : "exists";
            }
        }
        return null;
    }

    /** Shared cells (not locks), ghost cells and registers ({@code cpu.register}), printed by type. */
    private Map<String, String> project(State s) {
        Map<String, String> out = new TreeMap<>();
        for (int c = 0; c < w.memory.size(); c++) {
            World.Cell cell = w.memory.get(c);
            if (cell.lock() == null) {
                out.put(cell.name(), w.format(cell.type(), s.memory().get(c)));
            }
        }
        for (int g = 0; g < w.ghosts.size(); g++) {
            World.Cell cell = w.ghosts.get(g);
            out.put(cell.name(), w.format(cell.type(), s.ghosts().get(g)));
        }
        for (int t = 0; t < w.cpus.size(); t++) {
            World.Cpu cpu = w.cpus.get(t);
            for (int r = 0; r < cpu.registers().size(); r++) {
                World.Register reg = cpu.registers().get(r);
                out.put(cpu.name() + "." + reg.name(), w.format(reg.type(), s.cpus().get(t).registers().get(r)));
            }
        }
        return out;
    }
}
