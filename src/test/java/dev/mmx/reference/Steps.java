package dev.mmx.reference;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Stmt;
import dev.mmx.reference.Eval.Mode;
import dev.mmx.reference.Eval.Place;
import dev.mmx.reference.State.CpuState;
import dev.mmx.reference.State.Env;
import dev.mmx.reference.State.Frame;
import dev.mmx.reference.State.Run;
import dev.mmx.reference.State.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * The steps of one CPU under sequential consistency, one statement at a time
 * (grammar/README.md, "Steps"): each shared read of a statement is a load step
 * of its own, left to right, then the statement is one step (an assignment, a
 * store, a read-modify-write, a lock operation, a barrier, an if's or while's
 * condition, await, assume, assert, skip, the choice of an either branch, a
 * whole atomic block, a kernel-kit primitive). Nothing is folded: a condition
 * is a step even over registers alone, which changes no value and so no final
 * state. Blocks, for loops (unrolled), procedure calls (inlined), break,
 * continue and the end of a loop body only move the CPU to its next statement.
 */
final class Steps {
    /** An atomic block's loops may run this many iterations before the block counts as never finishing. */
    private static final int LOOP_LIMIT = 100_000;

    /** What one step leads to. */
    sealed interface Outcome {
        record Next(State state) implements Outcome {}

        /** A runtime fault or failed assertion, by property name. */
        record Faulted(String property) implements Outcome {}

        /** A failed assumption: the execution is dropped, not reported. */
        record Dropped() implements Outcome {}
    }

    /** Where a statement's step leaves the CPU. */
    private sealed interface Flow {
        record Done() implements Flow {}

        record Branch(boolean taken) implements Flow {}

        /** A value primitive ran; writing its result to a non-register target is a further step. */
        record Pending(int value) implements Flow {}

        record Drop() implements Flow {}
    }

    private static final Flow DONE = new Flow.Done();

    private static final class BreakLoop extends RuntimeException {
        BreakLoop() {
            super(null, null, false, false);
        }
    }

    private static final class ContinueLoop extends RuntimeException {
        ContinueLoop() {
            super(null, null, false, false);
        }
    }

    private static final class DropStep extends RuntimeException {
        DropStep() {
            super(null, null, false, false);
        }
    }

    private final World w;
    private final Control control;

    Steps(World w) {
        this.w = w;
        this.control = new Control(w);
    }

    /** See {@link Control#settle}. */
    List<Frame> settle(List<Frame> frames, int t) {
        return control.settle(frames, t);
    }

    // ---------------------------------------------------------------- the steps of a CPU

    /** Every way CPU {@code t} can take its next step in {@code s}; empty when it is finished or waits. */
    List<Outcome> steps(State s, int t) {
        CpuState cpu = s.cpus().get(t);
        if (cpu.finished()) {
            return List.of();
        }
        Frame head = cpu.control().get(0);
        try {
            if (head instanceof Write pending) {
                return List.of(write(s, t, pending));
            }
            Run run = (Run) head;
            Stmt st = w.stmt(run.stmt());
            if (st instanceof Stmt.Await a) {
                Scratch x = new Scratch(s, t, Mode.DIRECT, List.of());
                return x.eval.eval(a.cond(), run.env(), true) != 0 ? List.of(x.next(Control.rest(cpu))) : List.of();
            } else if (st instanceof Stmt.Atomic a) {
                return atomic(s, t, a, run.env());
            } else if (st instanceof Stmt.Either e) {
                List<Outcome> out = new ArrayList<>();
                for (Stmt.Block branch : e.branches()) {
                    out.add(new Scratch(s, t, Mode.DIRECT, List.of()).next(Control.push(Control.rest(cpu),
                            new Run(w.id(branch), run.env(), List.of()))));
                }
                return out;
            } else if (st instanceof Stmt.Skip) {
                return List.of(new Scratch(s, t, Mode.DIRECT, List.of()).next(Control.rest(cpu)));
            }
            Expr cond = st instanceof Stmt.If i ? i.cond() : st instanceof Stmt.While wh ? wh.cond() : null;
            if (cond != null && control.statics(t).registersOnly(cond, run.env())
                    && control.spinsForever(cpu.control(), t, cpu.registers())) {
                return List.of(new Outcome.Faulted("livelock"));
            }
            return statement(s, t, run, st);
        } catch (Eval.Fault f) {
            return List.of(new Outcome.Faulted(f.property));
        }
    }

    /** A statement with loads: its next load, or (everything loaded) the statement's own step. */
    private List<Outcome> statement(State s, int t, Run run, Stmt st) {
        CpuState cpu = s.cpus().get(t);
        Scratch dry = new Scratch(s, t, Mode.LOADS, run.loaded());
        try {
            exec(st, run.env(), dry.eval, false, 0);
        } catch (Eval.NeedLoad load) {
            List<Integer> loaded = new ArrayList<>(run.loaded());
            loaded.add(load.ghost ? dry.ghosts[load.cell] : dry.memory[load.cell]);
            return List.of(dry.next(Control.replaceHead(cpu, new Run(run.stmt(), run.env(), List.copyOf(loaded)))));
        }
        if (st instanceof Stmt.CallStmt c && Locks.blocks(c.call().function())) {
            Scratch probe = new Scratch(s, t, Mode.LOADS, run.loaded());
            int cell = probe.eval.location(c.call().args().get(0), run.env(), true);
            if (!Locks.available(c.call().function(), probe.memory[cell], t)) {
                return List.of();
            }
        }
        List<Outcome> out = new ArrayList<>();
        for (int choice = 0; choice < choices(st, run.env(), t); choice++) {
            Scratch x = new Scratch(s, t, Mode.LOADS, run.loaded());
            Flow flow;
            try {
                flow = exec(st, run.env(), x.eval, true, choice);
            } catch (Eval.Fault f) {
                out.add(new Outcome.Faulted(f.property));
                continue;
            } catch (Eval.Dropped d) {
                out.add(new Outcome.Dropped());
                continue;
            }
            if (flow instanceof Flow.Done) {
                out.add(x.next(Control.rest(cpu)));
            } else if (flow instanceof Flow.Drop) {
                out.add(new Outcome.Dropped());
            } else if (flow instanceof Flow.Pending p) {
                out.add(x.next(Control.replaceHead(cpu, new Write(run.stmt(), run.env(), run.loaded(), p.value()))));
            } else if (flow instanceof Flow.Branch b) {
                out.add(x.next(control.branch(cpu, run, st, b.taken())));
            } else {
                throw new IllegalStateException("unknown flow " + flow);
            }
        }
        return out;
    }

    /** The further step of {@code g = xchg(&x, 1)}: the result goes to the ghost or shared target. */
    private Outcome write(State s, int t, Write pending) {
        Scratch x = new Scratch(s, t, Mode.LOADS, pending.loaded());
        Stmt st = w.stmt(pending.stmt());
        Expr.Name target = st instanceof Stmt.Assign a ? a.target() : localName((Stmt.Local) st);
        x.eval.write(x.eval.place(target, pending.env(), true), pending.value());
        return x.next(Control.rest(s.cpus().get(t)));
    }

    /** How many ways a statement can go once loaded: {@code choose(lo, hi)} has hi - lo + 1. */
    private int choices(Stmt st, Env env, int t) {
        Expr value = st instanceof Stmt.Assign a ? a.value() : st instanceof Stmt.Local l ? l.init() : null;
        if (value instanceof Expr.Call c && c.function().equals("choose")) {
            Eval e = control.statics(t);
            return e.constant(c.args().get(1), env) - e.constant(c.args().get(0), env) + 1;
        }
        return 1;
    }

    /**
     * Runs a statement's step: with {@code live} false a dry run that only walks
     * its reads in order (so the first one not loaded yet surfaces), with
     * {@code live} true the step itself.
     */
    private Flow exec(Stmt st, Env env, Eval e, boolean live, int choice) {
        if (st instanceof Stmt.Local l) {
            return assign(localName(l), "=", l.init(), env, e, live, choice, false);
        } else if (st instanceof Stmt.Assign a) {
            return assign(a.target(), a.op(), a.value(), env, e, live, choice, false);
        } else if (st instanceof Stmt.If i) {
            return new Flow.Branch(e.eval(i.cond(), env, live) != 0);
        } else if (st instanceof Stmt.While wh) {
            return new Flow.Branch(e.eval(wh.cond(), env, live) != 0);
        } else if (st instanceof Stmt.Assume a) {
            return e.eval(a.cond(), env, live) != 0 || !live ? DONE : new Flow.Drop();
        } else if (st instanceof Stmt.Assert a) {
            if (e.eval(a.cond(), env, live) == 0 && live) {
                throw new Eval.Fault(a.property() != null ? a.property() : "assert", a.text());
            }
            return DONE;
        } else if (st instanceof Stmt.CallStmt c) {
            primitive(c.call(), env, e, live, choice);
            return DONE;
        }
        throw new IllegalStateException("not a step: " + st);
    }

    private static Expr.Name localName(Stmt.Local l) {
        return new Expr.Name(l.pos(), l.name(), List.of());
    }

    /**
     * {@code target op value}: {@code x += v} is {@code x = x + v}. A value
     * primitive's result goes to a register in the same step; to a ghost or
     * shared target in a further step, except inside an atomic block ({@code direct}).
     */
    private Flow assign(Expr.Name target, String op, Expr value, Env env, Eval e, boolean live, int choice,
                        boolean direct) {
        Expr v = op.equals("=") ? value : new Expr.Binary(value.pos(), op.substring(0, 1), target, value);
        Place p = e.place(target, env, live);
        if (v instanceof Expr.Call c && !Primitives.isLoad(c.function())) {
            int result = primitive(c, env, e, live, choice);
            if (!live) {
                return DONE;
            }
            if (p instanceof Place.Reg || direct) {
                e.write(p, result);
                return DONE;
            }
            return new Flow.Pending(result);
        }
        // a store's value is read besides the store: a ghost read there is a step of its own
        int result = p instanceof Place.Mem ? e.accessing(v, env, live) : e.eval(v, env, live);
        if (live) {
            e.write(p, result);
        }
        return DONE;
    }

    /** A kernel primitive's step on memory: store, read-modify-write, lock operation, barrier, choose. */
    private int primitive(Expr.Call c, Env env, Eval e, boolean live, int choice) {
        String f = c.function();
        List<Expr> args = c.args();
        if (f.equals("choose")) {
            return e.constant(args.get(0), env) + choice;
        }
        if (Primitives.isFence(f)) {
            return 0; // orders nothing under sc: a step that does nothing
        }
        if (Primitives.isStore(f)) {
            int cell = e.location(args.get(0), env, live);
            int value = e.accessing(args.get(1), env, live);
            if (live) {
                e.memory[cell] = value;
            }
            return 0;
        }
        if (Locks.isLockPrimitive(f)) {
            int cell = e.location(args.get(0), env, live);
            return live ? Locks.apply(f, e.memory, cell, e.cpu) : 0;
        }
        if (Primitives.isBitop(f)) {
            // set_bit(nr, &w) and friends: the word is the second argument, the bit number the first,
            // read first as written and, like any primitive's argument, besides the access
            int nr = e.accessing(args.get(0), env, live);
            int cell = e.location(args.get(1), env, live);
            if (live && (nr < 0 || nr > 31)) {
                throw new Eval.Fault("index_out_of_range", "bit " + nr);
            }
            if (Primitives.isTwoSteps(f)) {
                int old = e.loadCell(cell); // __set_bit: a load of its own, then this step stores
                if (live) {
                    e.memory[cell] = Primitives.bitop(f, old, 1 << nr)[0];
                }
                return 0;
            }
            if (!live) {
                return 0;
            }
            int[] done = Primitives.bitop(f, e.memory[cell], 1 << nr);
            e.memory[cell] = done[0];
            return done[1];
        }
        if (f.endsWith("write_seqcount_begin") || f.endsWith("write_seqcount_end")) {
            // the count's increment: a load of its own, then this step stores (barriers: nothing under sc)
            int cell = e.location(args.get(0), env, live);
            int old = e.loadCell(cell);
            if (live) {
                e.memory[cell] = old + 1;
            }
            return 0;
        }
        // a read-modify-write: its arguments left to right, the location among them
        int at = Primitives.locationArg(f);
        int cell = -1;
        int[] values = new int[args.size()];
        for (int i = 0; i < args.size(); i++) {
            if (i == at) {
                cell = e.location(args.get(i), env, live);
            } else {
                values[i] = e.accessing(args.get(i), env, live);
            }
        }
        if (!live) {
            return 0;
        }
        int[] done = Primitives.rmw(f, e.memory[cell], values);
        e.memory[cell] = done[0];
        return done[1];
    }

    /**
     * The MMU of CPU {@code t} filling address {@code addr} by itself (the kit's
     * prefetching TLBs): the kit's MMU procedure's atomic block, a step of no
     * thread, leaving every CPU where it was.
     */
    List<Outcome> mmu(State s, int t, Decl.Proc mmu, int addr) {
        Stmt.Atomic a = (Stmt.Atomic) mmu.body().body().get(0);
        Env env = Env.TOP.with(mmu.params().get(0), addr);
        Scratch x = new Scratch(s, t, Mode.DIRECT, List.of());
        if (!guard(a.body(), env, x.eval, t)) {
            return List.of();
        }
        direct(a.body(), env, x.eval, new int[] {0});
        return List.of(x.next(s.cpus().get(t).control()));
    }

    // ---------------------------------------------------------------- atomic blocks

    /** A whole atomic block as one step, reading and writing memory directly; it waits only at its start. */
    private List<Outcome> atomic(State s, int t, Stmt.Atomic a, Env env) {
        Scratch x = new Scratch(s, t, Mode.DIRECT, List.of());
        if (!guard(a.body(), env, x.eval, t)) {
            return List.of();
        }
        try {
            direct(a.body(), env, x.eval, new int[] {0});
        } catch (DropStep d) {
            return List.of(new Outcome.Dropped());
        }
        return List.of(x.next(Control.rest(s.cpus().get(t))));
    }

    /** Whether an atomic block's first statement lets it run: a true await, or a lock it can take. */
    private boolean guard(Stmt first, Env env, Eval e, int t) {
        try {
            if (first instanceof Stmt.Block b) {
                for (Stmt s : b.body()) {
                    if (!(s instanceof Stmt.Local l) || l.init() != null && e.constantOrNull(l.init(), env) == null) {
                        return guard(s, env, e, t); // constant register declarations are no instruction
                    }
                }
                return true;
            } else if (first instanceof Stmt.Atomic inner) {
                return guard(inner.body(), env, e, t);
            } else if (first instanceof Stmt.Await a) {
                return e.eval(a.cond(), env, true) != 0;
            } else if (first instanceof Stmt.CallStmt c && Locks.blocks(c.call().function())) {
                int cell = e.location(c.call().args().get(0), env, true);
                return Locks.available(c.call().function(), e.memory[cell], t);
            } else if (first instanceof Stmt.CallStmt c && w.model.procs().containsKey(c.call().function())) {
                Decl.Proc p = w.model.procs().get(c.call().function());
                return guard(p.body(), control.procEnv(p, c.call(), env), e, t);
            }
            return true;
        } catch (Eval.Fault f) {
            return true; // the block's own step reports it
        }
    }

    /** Runs a statement inside an atomic block, at once, on memory directly. */
    private void direct(Stmt st, Env env, Eval e, int[] iterations) {
        if (st instanceof Stmt.Local l) {
            if (l.init() != null && e.constantOrNull(l.init(), env) == null) {
                assign(localName(l), "=", l.init(), env, e, true, 0, true);
            }
        } else if (st instanceof Stmt.Block b) {
            for (Stmt s : b.body()) {
                direct(s, env, e, iterations);
            }
        } else if (st instanceof Stmt.If i) {
            if (e.eval(i.cond(), env, true) != 0) {
                direct(i.then(), env, e, iterations);
            } else if (i.otherwise() != null) {
                direct(i.otherwise(), env, e, iterations);
            }
        } else if (st instanceof Stmt.While wh) {
            while (e.eval(wh.cond(), env, true) != 0) {
                if (++iterations[0] > LOOP_LIMIT) {
                    throw new Eval.Fault("livelock", "the atomic block never finishes");
                }
                try {
                    direct(wh.body(), env, e, iterations);
                } catch (BreakLoop b) {
                    break;
                } catch (ContinueLoop c) {
                    // the condition again
                }
            }
        } else if (st instanceof Stmt.For f) {
            for (int v = e.constant(f.lo(), env); v <= e.constant(f.hi(), env); v++) {
                direct(f.body(), env.with(f.var(), v), e, iterations);
            }
        } else if (st instanceof Stmt.Await a) {
            e.eval(a.cond(), env, true); // the block's guard waited for it; a fault in it is reported here
        } else if (st instanceof Stmt.Atomic a) {
            direct(a.body(), env, e, iterations); // nested atomic blocks are one block
        } else if (st instanceof Stmt.Assume a) {
            if (e.eval(a.cond(), env, true) == 0) {
                throw new DropStep();
            }
        } else if (st instanceof Stmt.Assert a) {
            if (e.eval(a.cond(), env, true) == 0) {
                throw new Eval.Fault(a.property() != null ? a.property() : "assert", a.text());
            }
        } else if (st instanceof Stmt.Break) {
            throw new BreakLoop();
        } else if (st instanceof Stmt.Continue) {
            throw new ContinueLoop();
        } else if (st instanceof Stmt.Skip) {
            return;
        } else if (st instanceof Stmt.Assign a) {
            assign(a.target(), a.op(), a.value(), env, e, true, 0, true);
        } else if (st instanceof Stmt.CallStmt c) {
            Decl.Proc p = w.model.procs().get(c.call().function());
            if (p != null) {
                direct(p.body(), control.procEnv(p, c.call(), env), e, iterations);
            } else {
                primitive(c.call(), env, e, true, 0);
            }
        } else {
            // either and choose cannot appear in an atomic block (the compiler rejects them)
            throw new IllegalStateException("not allowed in an atomic block: " + st);
        }
    }

    // ---------------------------------------------------------------- scratch copies

    /** Mutable copies of a state's memory, ghosts and one CPU's registers for one step. */
    private final class Scratch {
        final int[] memory;
        final int[] ghosts;
        final int[][] registers;
        final Eval eval;
        private final State from;
        private final int t;

        Scratch(State s, int t, Mode mode, List<Integer> loaded) {
            this.from = s;
            this.t = t;
            this.memory = ints(s.memory());
            this.ghosts = ints(s.ghosts());
            this.registers = new int[s.cpus().size()][];
            this.registers[t] = ints(s.cpus().get(t).registers());
            this.eval = new Eval(w, memory, ghosts, registers, t, mode, loaded);
        }

        /** The state after this step, with CPU t moved on to {@code frames}. */
        Outcome next(List<Frame> frames) {
            List<CpuState> cpus = new ArrayList<>(from.cpus());
            cpus.set(t, new CpuState(control.settle(frames, t), list(registers[t])));
            return new Outcome.Next(new State(list(memory), list(ghosts), List.copyOf(cpus)));
        }
    }

    static int[] ints(List<Integer> l) {
        int[] a = new int[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }

    static List<Integer> list(int[] a) {
        Integer[] boxed = new Integer[a.length];
        for (int i = 0; i < a.length; i++) {
            boxed[i] = a[i];
        }
        return List.of(boxed);
    }
}
