package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.bit;
import static dev.mmx.resolve.KitAst.bitAnd;
import static dev.mmx.resolve.KitAst.bitClear;
import static dev.mmx.resolve.KitAst.bitOr;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.name;
import static dev.mmx.resolve.KitAst.ne;
import static dev.mmx.resolve.KitAst.not;
import static dev.mmx.resolve.KitAst.num;
import static dev.mmx.resolve.KitAst.set;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Names;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import dev.mmx.system.Instr;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wait queues and sleeping tasks, as the kernel writes them. A wait queue's list
 * is a word of shared memory with one bit per CPU whose task is queued, so the
 * lockless waitqueue_active() is a plain load that the memory model may reorder
 * (the classic lost wake-up). Each task's state (TASK_RUNNING or
 * TASK_UNINTERRUPTIBLE) is per-CPU ghost state. prepare_to_wait, schedule,
 * finish_wait and wake_up are one step each and full barriers: they take the
 * queue's lock or the runqueue lock, and set_current_state() and
 * try_to_wake_up() imply smp_mb().
 */
final class WaitQueues {
    static final String TYPE = "wait_queue_head";
    static final String STATE_TYPE = "~task_state";
    static final String STATE = "task_state";
    static final String RUNNING = "TASK_RUNNING";
    static final String SLEEPING = "TASK_UNINTERRUPTIBLE";

    /** Statement primitives, by argument count. */
    static final Map<String, Integer> STATEMENTS = Map.of("prepare_to_wait", 1, "schedule", 0,
            "finish_wait", 1, "wake_up", 1, "wait_event", 2);

    private final Map<String, Decl.Var> queues = new LinkedHashMap<>();
    private final List<Diagnostic> errors;

    WaitQueues(List<Diagnostic> errors) {
        this.errors = errors;
    }

    boolean used() {
        return !queues.isEmpty();
    }

    /** Checks a {@code shared wait_queue_head wq;} declaration. */
    void declare(Decl.Var v) {
        if (v.ghost()) {
            errors.add(new Diagnostic(v.pos(), "a wait queue's list is memory, read without its lock by "
                    + "waitqueue_active(); declare it 'shared " + TYPE + " " + v.name() + "'"));
        } else if (v.init() != null && !v.init().isEmpty()) {
            errors.add(new Diagnostic(v.pos(), "'" + v.name() + "' cannot have an initial value: a wait queue "
                    + "starts empty"));
        } else if (v.dims().size() > 1) {
            errors.add(new Diagnostic(v.pos(), "wait queues are one queue or a one-dimensional array, like "
                    + "'shared " + TYPE + " " + v.name() + "[2];'"));
        } else {
            queues.put(v.name(), v);
        }
    }

    /** The queue's list word, and each CPU's task state (with its enum, TASK_RUNNING first). */
    List<Decl> declarations(Decl.Var v) {
        return List.of(new Decl.Var(v.pos(), false, Type.CPUS.name(), v.name(), v.dims(), null, false));
    }

    static List<Decl> taskState(SourcePos p, Expr cpus) {
        return List.of(new Decl.Enum(p, STATE_TYPE, List.of(RUNNING, SLEEPING)),
                new Decl.Var(p, true, STATE_TYPE, STATE, List.of(cpus), null, false));
    }

    /** A statement primitive, expanded; {@code me} is this CPU and {@code step} wraps a body as its one step. */
    List<Stmt> statement(Stmt.CallStmt call, List<Expr> args, Expr me, KitSteps steps) {
        Expr.Call c = call.call();
        SourcePos p = c.pos();
        Expr.Name state = name(p, STATE, me);
        if (c.function().equals("schedule")) {
            // sleeps until a wake-up made the task runnable; at once when one came after prepare_to_wait
            return List.of(steps.step(call, Instr.SLEEP_NOTE, List.of(
                    new Stmt.Await(p, "", eq(state, name(p, RUNNING))))));
        }
        Expr.Name q = queue(c, args.get(0));
        if (q == null) {
            return List.of();
        }
        Expr mine = bit(p, me);
        return switch (c.function()) {
            case "prepare_to_wait" -> List.of(steps.step(call, "queues this task on " + q.name()
                    + " and sets it TASK_UNINTERRUPTIBLE (set_current_state: smp_mb)", List.of(
                    set(p, q, bitOr(q, mine)), set(p, state, name(p, SLEEPING)))));
            case "finish_wait" -> List.of(steps.step(call, "sets this task TASK_RUNNING and takes it off "
                    + q.name(), List.of(set(p, state, name(p, RUNNING)), set(p, q, bitClear(q, mine)))));
            case "wake_up" -> {
                // try_to_wake_up() for every queued task; autoremove_wake_function takes it off the queue
                String cpu = "~w";
                Expr queued = ne(bitAnd(q, bit(p, name(p, cpu))), num(p, 0));
                Stmt wake = new Stmt.If(p, "", queued, new Stmt.Block(p, List.of(
                        set(p, name(p, STATE, name(p, cpu)), name(p, RUNNING)),
                        set(p, q, bitClear(q, bit(p, name(p, cpu)))))), null);
                yield List.of(steps.step(call, "wakes every task on " + q.name() + " and takes it off the queue",
                        List.of(steps.everyCpu(p, cpu, wake))));
            }
            case "wait_event" -> waitEvent(call, q, args.get(1), me, steps);
            default -> throw new IllegalStateException("not a wait queue primitive: " + c.function());
        };
    }

    /**
     * wait_event(wq, cond) as the kernel's macro writes it: if cond is false,
     * loop { prepare_to_wait; if (cond) break; schedule(); } then finish_wait.
     */
    private List<Stmt> waitEvent(Stmt.CallStmt call, Expr.Name q, Expr cond, Expr me, KitSteps steps) {
        SourcePos p = call.pos();
        String text = call.text();
        Expr ref = new Expr.Unary(p, "&", q);
        List<Stmt> loop = new ArrayList<>();
        loop.addAll(statement(kit(call, "prepare_to_wait", ref), List.of(ref), me, steps));
        loop.add(new Stmt.If(p, text, cond, new Stmt.Break(p), null));
        loop.addAll(statement(kit(call, "schedule"), List.of(), me, steps));
        List<Stmt> slow = new ArrayList<>();
        slow.add(new Stmt.While(p, text, new Expr.BoolLit(p, true), new Stmt.Block(p, loop)));
        slow.addAll(statement(kit(call, "finish_wait", ref), List.of(ref), me, steps));
        return List.of(new Stmt.If(p, text, not(cond), new Stmt.Block(p, slow), null));
    }

    /** A kit call made on the model's behalf, shown in traces as the statement it is part of. */
    private static Stmt.CallStmt kit(Stmt.CallStmt in, String function, Expr... args) {
        String text = in.text().replaceFirst(";$", "") + ": " + function + "()";
        return new Stmt.CallStmt(in.pos(), text, new Expr.Call(in.pos(), function, List.of(args)));
    }

    /**
     * waitqueue_active(&wq) in a property: whether a task is queued. (In a thread it
     * is a primitive, a plain load of the list; see Builtins.)
     */
    Expr active(Expr.Call c, Expr arg) {
        Expr.Name q = queue(c, arg);
        return q == null ? new Expr.BoolLit(c.pos(), true) : ne(q, num(c.pos(), 0));
    }

    /** The queue an argument names ({@code &wq}, {@code wq}, {@code &wq[i]}), as a name with its index. */
    private Expr.Name queue(Expr.Call c, Expr arg) {
        Expr a = arg instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : arg;
        if (a instanceof Expr.Name n && queues.containsKey(n.name())) {
            int dims = queues.get(n.name()).dims().size();
            if (n.indices().size() == dims) {
                return n;
            }
            errors.add(new Diagnostic(arg.pos(), "'" + n.name() + "' " + (dims == 0 ? "is one wait queue; write &"
                    + n.name() : "is an array of wait queues; name one, like &" + n.name() + "[0]")));
            return null;
        }
        String what = queues.isEmpty() ? "; the model declares none (declare one: 'shared " + TYPE + " wq;')"
                : "; declared wait queues: " + String.join(", ", queues.keySet());
        String given = a instanceof Expr.Name n ? " '" + n.name() + "' is not a wait queue" : "";
        String like = c.function().equals("wait_event") ? "wait_event(wq, cond)" : c.function() + "(&wq)";
        errors.add(new Diagnostic(arg.pos(), c.function() + "() needs a wait queue, like " + like + ";" + given + what
                + (a instanceof Expr.Name n ? Names.suggest(n.name(), queues.keySet()) : "")));
        return null;
    }
}
