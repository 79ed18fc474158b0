package dev.mmx.reference;

import dev.mmx.lang.Expr;
import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Type;
import dev.mmx.reference.State.Binding;
import dev.mmx.reference.State.Env;
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates expressions for one step of one CPU, or for a property, straight
 * from the AST. Values are 32-bit ints (bools 0 and 1) and wrap as Java ints
 * do; {@code &&}, {@code ||}, {@code ?:} and quantifiers skip what C skips,
 * so a skipped division by zero is no fault.
 *
 * <p>In a thread's statement ({@link Mode#LOADS}) each shared read is a load
 * step of its own, left to right: the n-th shared read the walk meets takes
 * the n-th loaded value, and the first one not loaded yet stops the walk with
 * {@link NeedLoad}. Every read is loaded, even one that {@code &&} skips, so a
 * walk also visits what it skips, in "dead" mode: values are computed but
 * nothing faults. A dry run of a statement (all dead) finds its next load;
 * once everything is loaded, the live run is the statement's own step.
 * Atomic blocks and awaits ({@link Mode#DIRECT}) and properties read memory directly.
 */
final class Eval {
    enum Mode { LOADS, DIRECT, PROPERTY }

    /** A runtime fault, by its property name. */
    static final class Fault extends RuntimeException {
        final String property;

        Fault(String property, String message) {
            super(message, null, false, false);
            this.property = property;
        }
    }

    /**
     * The walk met a shared read (or a ghost read inside an access) that has not been loaded yet:
     * reading {@code cell} of memory (or of ghost state) is the next step.
     */
    static final class NeedLoad extends RuntimeException {
        final int cell;
        final boolean ghost;

        NeedLoad(int cell, boolean ghost) {
            super(null, null, false, false);
            this.cell = cell;
            this.ghost = ghost;
        }
    }

    /** Where a name leads: a register, a constant, a procedure argument, or a memory, ghost or lock cell. */
    sealed interface Place {
        record Reg(int index) implements Place {}

        record Const(int value) implements Place {}

        record Value(Expr expr, Env env) implements Place {}

        /** A cell; -1 when an index was out of range in a dead walk. */
        record Mem(int cell) implements Place {}

        record Ghost(int cell) implements Place {}

        record Lock(int cell) implements Place {}
    }

    private enum Kind { REGISTER, CONSTANT, VALUE, SHARED, GHOST, LOCK }

    final World w;
    final int[] memory;
    final int[] ghosts;
    /** Every CPU's registers; a step changes only its own CPU's. */
    final int[][] registers;
    /** The CPU whose step this is; -1 in a property. */
    final int cpu;
    private final Mode mode;
    private final List<Integer> loaded;
    private int next;
    /**
     * Whether a ghost read met now is a step of its own, like a shared read: the walk is inside
     * what an access to memory or a lock reads besides the access (its address, a store's value,
     * a primitive's arguments).
     */
    private boolean ghostSteps;
    /** Whether the place being found is only an address ({@code &a[i]}), no access. */
    private boolean addressOnly;

    Eval(World w, int[] memory, int[] ghosts, int[][] registers, int cpu, Mode mode, List<Integer> loaded) {
        this.w = w;
        this.memory = memory;
        this.ghosts = ghosts;
        this.registers = registers;
        this.cpu = cpu;
        this.mode = mode;
        this.loaded = loaded;
    }

    /** Starts a walk of a statement from its first shared read again. */
    void restart() {
        next = 0;
    }

    int eval(Expr e, Env env, boolean live) {
        if (e instanceof Expr.IntLit i) {
            return (int) i.value();
        } else if (e instanceof Expr.BoolLit b) {
            return b.value() ? 1 : 0;
        } else if (e instanceof Expr.Name n) {
            if (mode == Mode.LOADS && kind(n, env) == Kind.SHARED) {
                return load(l -> cellOf(place(n, env, l)), false);
            }
            if (mode == Mode.LOADS && ghostSteps && kind(n, env) == Kind.GHOST) {
                return load(l -> ((Place.Ghost) place(n, env, l)).cell(), true);
            }
            return read(place(n, env, live), live);
        } else if (e instanceof Expr.ThreadReg t) {
            return threadRegister(t, env);
        } else if (e instanceof Expr.Unary u) {
            return unary(u, env, live);
        } else if (e instanceof Expr.Binary b) {
            return binary(b, env, live);
        } else if (e instanceof Expr.Cond c) {
            boolean test = eval(c.test(), env, live) != 0;
            int then = eval(c.then(), env, live && test);
            int otherwise = eval(c.otherwise(), env, live && !test);
            return test ? then : otherwise;
        } else if (e instanceof Expr.Call c) {
            return call(c, env, live);
        } else if (e instanceof Expr.Quant q) {
            return quant(q, env, live);
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    /**
     * A load inside an expression: READ_ONCE and friends, and test_bit (a load of
     * the word, then its bit), waitqueue_active (whether the list is not empty),
     * and the sequence-count reads (read_seqcount_begin drops an execution that
     * reads an odd count: the kernel reads again; read_seqcount_retry whether the
     * count moved from its second argument, evaluated before the load).
     */
    private int call(Expr.Call c, Env env, boolean live) {
        String f = c.function();
        boolean bit = f.equals("test_bit") || f.equals("test_bit_acquire");
        boolean retry = f.equals("read_seqcount_retry") || f.equals("__read_seqcount_retry");
        Expr loc = c.args().get(bit ? 1 : 0);
        int nr = bit ? eval(c.args().get(0), env, live) : 0;
        int start = retry ? eval(c.args().get(1), env, live) : 0;
        int v;
        if (mode == Mode.LOADS) {
            v = load(l -> location(loc, env, l), false);
        } else {
            int cell = location(loc, env, live);
            v = cell < 0 ? 0 : memory[cell];
        }
        if (bit) {
            if (live && (nr < 0 || nr > 31)) {
                throw new Fault("index_out_of_range", "bit " + nr);
            }
            return (v & (1 << (nr & 31))) != 0 ? 1 : 0;
        }
        if (f.equals("waitqueue_active")) {
            return v != 0 ? 1 : 0;
        }
        if (retry) {
            return v != start ? 1 : 0;
        }
        if ((f.equals("read_seqcount_begin") || f.equals("raw_read_seqcount_begin")) && live && (v & 1) != 0) {
            throw new Dropped();
        }
        return v;
    }

    /** A read of a cell that, in a thread's statement, is a load step of its own (the __ bitops' first step). */
    int loadCell(int cell) {
        if (mode == Mode.LOADS) {
            return load(l -> cell, false);
        }
        return cell < 0 ? 0 : memory[cell];
    }

    /** The execution is dropped (read_seqcount_begin read an odd count), as a failed assumption drops it. */
    static final class Dropped extends RuntimeException {
        Dropped() {
            super(null, null, false, false);
        }
    }

    /** The i-th read of the walk that is a step of its own: its loaded value, or {@link NeedLoad} with its cell. */
    private int load(Address address, boolean ghost) {
        int start = next;
        address.cell(false); // the reads inside the address come first
        int k = next++;
        if (k < loaded.size()) {
            return loaded.get(k);
        }
        next = start;
        throw new NeedLoad(address.cell(true), ghost); // a bad address faults at this load
    }

    /** Evaluates what an access reads besides the access itself: a ghost read there is a step of its own. */
    int accessing(Expr e, Env env, boolean live) {
        boolean saved = ghostSteps;
        ghostSteps = true;
        try {
            return eval(e, env, live);
        } finally {
            ghostSteps = saved;
        }
    }

    /** An index of a global: for a shared cell or a lock, part of the access's address (unless only an address). */
    private int index(String global, Expr i, Env env, boolean live) {
        boolean address = addressOnly;
        addressOnly = false;
        try {
            Resolved.Variable v = w.model.variables().get(global);
            boolean access = !address && (v == null ? w.model.locks().containsKey(global) : !v.ghost());
            return access ? accessing(i, env, live) : eval(i, env, live);
        } finally {
            addressOnly = address;
        }
    }

    private interface Address {
        int cell(boolean live);
    }

    private int unary(Expr.Unary u, Env env, boolean live) {
        switch (u.op()) {
            case "&" -> {
                boolean saved = addressOnly;
                addressOnly = true;
                Place p;
                try {
                    p = place((Expr.Name) stripAddress(u), env, live);
                } finally {
                    addressOnly = saved;
                }
                if (p instanceof Place.Value v) {
                    return eval(v.expr(), v.env(), live);
                }
                int cell = ((Place.Mem) p).cell();
                return cell < 0 ? 0 : World.LOC_BASE + cell;
            }
            case "*" -> {
                if (mode == Mode.LOADS) {
                    return load(l -> deref(u.operand(), env, l), false);
                }
                int cell = deref(u.operand(), env, live);
                return cell < 0 ? 0 : memory[cell];
            }
            case "!" -> {
                return eval(u.operand(), env, live) == 0 ? 1 : 0;
            }
            case "-" -> {
                return -eval(u.operand(), env, live);
            }
            case "~" -> {
                return ~eval(u.operand(), env, live);
            }
            default -> throw new IllegalStateException("unary " + u.op());
        }
    }

    private int binary(Expr.Binary b, Env env, boolean live) {
        int a = eval(b.left(), env, live);
        switch (b.op()) {
            case "&&" -> {
                int c = eval(b.right(), env, live && a != 0);
                return a != 0 && c != 0 ? 1 : 0;
            }
            case "||" -> {
                int c = eval(b.right(), env, live && a == 0);
                return a != 0 || c != 0 ? 1 : 0;
            }
            default -> {
                int c = eval(b.right(), env, live);
                return apply(b.op(), a, c, live);
            }
        }
    }

    /** C's binary operators on 32-bit ints; division by zero faults (when live) */
    static int apply(String op, int a, int b, boolean live) {
        return switch (op) {
            case "+" -> a + b;
            case "-" -> a - b;
            case "*" -> a * b;
            case "/", "%" -> {
                if (b == 0) {
                    if (live) {
                        throw new Fault("division_by_zero", a + " " + op + " 0");
                    }
                    yield 0;
                }
                yield op.equals("/") ? a / b : a % b;
            }
            case "<<" -> a << b;
            case ">>" -> a >> b;
            case "&" -> a & b;
            case "|" -> a | b;
            case "^" -> a ^ b;
            case "==" -> a == b ? 1 : 0;
            case "!=" -> a != b ? 1 : 0;
            case "<" -> a < b ? 1 : 0;
            case "<=" -> a <= b ? 1 : 0;
            case ">" -> a > b ? 1 : 0;
            case ">=" -> a >= b ? 1 : 0;
            default -> throw new IllegalStateException("binary " + op);
        };
    }

    private int quant(Expr.Quant q, Env env, boolean live) {
        int[] range = range(q, env);
        boolean result = q.forall();
        for (int v = range[0]; v <= range[1]; v++) {
            // forall stops at the first false body, exists at the first true one
            boolean decided = q.forall() ? !result : result;
            boolean body = eval(q.body(), env.with(q.var(), v), live && !decided) != 0;
            if (!decided) {
                result = body;
            }
        }
        return result ? 1 : 0;
    }

    private int[] range(Expr.Quant q, Env env) {
        if (q.rangeName() == null) {
            return new int[] {constant(q.lo(), env), constant(q.hi(), env)};
        }
        Type en = w.model.enums().get(q.rangeName());
        if (en != null) {
            return new int[] {0, en.members().size() - 1};
        }
        int copies = w.model.threads().stream().filter(t -> t.decl().name().equals(q.rangeName()))
                .mapToInt(Resolved.ThreadSym::count).findFirst().orElseThrow();
        return new int[] {0, copies - 1};
    }

    private int threadRegister(Expr.ThreadReg t, Env env) {
        int index = t.indices().isEmpty() ? -1 : constant(t.indices().get(0), env);
        for (int c = 0; c < w.cpus.size(); c++) {
            World.Cpu cpuInfo = w.cpus.get(c);
            if (cpuInfo.decl().name().equals(t.thread()) && cpuInfo.index() == index) {
                return registers[c][cpuInfo.byName().get(t.reg())];
            }
        }
        throw new IllegalStateException("no thread " + t.thread() + "[" + index + "]");
    }

    // ---------------------------------------------------------------- places

    /** Reads a place that is not a shared read of a thread (those go through {@link #load}). */
    int read(Place p, boolean live) {
        if (p instanceof Place.Reg r) {
            return registers[cpu][r.index()];
        } else if (p instanceof Place.Const c) {
            return c.value();
        } else if (p instanceof Place.Value v) {
            return eval(v.expr(), v.env(), live);
        } else if (p instanceof Place.Ghost g) {
            return g.cell() < 0 ? 0 : ghosts[g.cell()];
        } else if (p instanceof Place.Mem m) {
            return m.cell() < 0 ? 0 : memory[m.cell()];
        }
        throw new IllegalStateException("a lock is not a value: " + p);
    }

    /** Writes a register, ghost cell or memory cell (a store, performed at once under sc). */
    void write(Place p, int value) {
        if (p instanceof Place.Reg r) {
            registers[cpu][r.index()] = value;
        } else if (p instanceof Place.Ghost g) {
            ghosts[g.cell()] = value;
        } else if (p instanceof Place.Mem m) {
            memory[m.cell()] = value;
        } else {
            throw new IllegalStateException("cannot write " + p);
        }
    }

    private static int cellOf(Place p) {
        return ((Place.Mem) p).cell();
    }

    /**
     * The memory or lock cell a primitive's location argument names: {@code x},
     * {@code &x}, {@code a[i]}, a parameter standing for one, or {@code *p}.
     */
    int location(Expr arg, Env env, boolean live) {
        if (arg instanceof Expr.Unary u && u.op().equals("*")) {
            return deref(u.operand(), env, live);
        }
        Place p = place((Expr.Name) stripAddress(arg), env, live);
        if (p instanceof Place.Mem m) {
            return m.cell();
        }
        return ((Place.Lock) p).cell();
    }

    /** The memory cell an address names; NULL, a number or an address past the last cell faults. */
    private int deref(Expr pointer, Env env, boolean live) {
        long cell = (long) accessing(pointer, env, live) - World.LOC_BASE;
        if (cell < 0 || cell >= w.memory.size()) {
            if (live) {
                throw new Fault("index_out_of_range", "a dereference of something that is no address");
            }
            return -1;
        }
        return (int) cell;
    }

    static Expr stripAddress(Expr e) {
        return e instanceof Expr.Unary u && u.op().equals("&") ? u.operand() : e;
    }

    /** What a name stands for, following procedure parameters to what the caller passed (no index is evaluated). */
    private Kind kind(Expr.Name n, Env env) {
        Binding b = env.params().get(n.name());
        if (b != null) {
            Expr arg = stripAddress(w.expr(b.expr()));
            return arg instanceof Expr.Name an ? kind(an, b.env()) : Kind.VALUE;
        }
        if (register(n.name(), env) >= 0) {
            return Kind.REGISTER;
        }
        if (env.constant(n.name()) != null || n.name().equals(KernelKit.CPU)
                || w.model.constants().containsKey(n.name())) {
            return Kind.CONSTANT;
        }
        Resolved.Variable v = w.model.variables().get(n.name());
        if (v != null) {
            return v.ghost() ? Kind.GHOST : Kind.SHARED;
        }
        if (w.model.locks().containsKey(n.name())) {
            return Kind.LOCK;
        }
        throw new IllegalStateException("unknown name " + n.name());
    }

    /** The index of a register of this CPU named so in this procedure (or at thread level), else -1. */
    private int register(String name, Env env) {
        if (cpu < 0) {
            return -1;
        }
        String full = env.proc() == null ? name : env.proc() + "." + name;
        Integer i = w.cpus.get(cpu).byName().get(full);
        return i == null ? -1 : i;
    }

    /** The place a name leads to; its indices (and those of what a parameter stands for) are evaluated now. */
    Place place(Expr.Name n, Env env, boolean live) {
        Target t = target(n, env, live);
        if (t.place() != null) {
            return t.place();
        }
        Resolved.Variable v = w.model.variables().get(t.global());
        if (v != null) {
            int cell = flat(t.global(), v.dims(), t.indices(), live);
            int at = cell < 0 ? -1 : w.base.get(t.global()) + cell;
            return v.ghost() ? new Place.Ghost(at) : new Place.Mem(at);
        }
        Resolved.LockSym l = w.model.locks().get(t.global());
        int cell = flat(t.global(), l.dims(), t.indices(), live);
        return new Place.Lock(cell < 0 ? -1 : w.base.get(t.global()) + cell);
    }

    /** A name resolved: a place without cells, or a global with its indices (not yet flattened). */
    private record Target(Place place, String global, List<Integer> indices) {}

    private Target target(Expr.Name n, Env env, boolean live) {
        Binding b = env.params().get(n.name());
        if (b != null) {
            Expr arg = stripAddress(w.expr(b.expr()));
            if (!(arg instanceof Expr.Name an)) {
                return new Target(new Place.Value(arg, b.env()), null, null);
            }
            // a parameter standing for an array may be indexed: the caller's indices first, then these
            Target inner = target(an, b.env(), live);
            if (n.indices().isEmpty()) {
                return inner;
            }
            List<Integer> idx = new ArrayList<>(inner.indices());
            for (Expr i : n.indices()) {
                idx.add(index(inner.global(), i, env, live));
            }
            return new Target(null, inner.global(), idx);
        }
        int reg = register(n.name(), env);
        if (reg >= 0) {
            return new Target(new Place.Reg(reg), null, null);
        }
        Integer c = env.constant(n.name());
        if (c == null && n.name().equals(KernelKit.CPU)) {
            c = cpu; // the kernel kit's "this CPU"
        }
        if (c == null) {
            c = w.model.constants().get(n.name());
        }
        if (c != null) {
            return new Target(new Place.Const(c), null, null);
        }
        List<Integer> idx = new ArrayList<>();
        for (Expr i : n.indices()) {
            idx.add(index(n.name(), i, env, live));
        }
        return new Target(null, n.name(), idx);
    }

    /** Row-major cell number of an index list; an index outside its dimension faults (-1 when dead). */
    private static int flat(String name, int[] dims, List<Integer> idx, boolean live) {
        int flat = 0;
        for (int d = 0; d < dims.length; d++) {
            int i = idx.get(d);
            if (i < 0 || i >= dims[d]) {
                if (live) {
                    throw new Fault("index_out_of_range", "index " + i + " of " + name);
                }
                return -1;
            }
            flat = flat * dims[d] + i;
        }
        return flat;
    }

    // ---------------------------------------------------------------- constants

    /** A constant expression's value (a thread's index, a loop variable, params, consts...), else null. */
    Integer constantOrNull(Expr e, Env env) {
        if (e instanceof Expr.IntLit i) {
            return (int) i.value();
        } else if (e instanceof Expr.BoolLit b) {
            return b.value() ? 1 : 0;
        } else if (e instanceof Expr.Name n && n.indices().isEmpty()) {
            Binding b = env.params().get(n.name());
            if (b != null) {
                return constantOrNull(w.expr(b.expr()), b.env());
            }
            if (register(n.name(), env) >= 0) {
                return null;
            }
            Integer c = env.constant(n.name());
            return c != null ? c : w.model.constants().get(n.name());
        } else if (e instanceof Expr.Unary u && u.op().equals("&")) {
            return constantAddress((Expr.Name) u.operand(), env);
        } else if (e instanceof Expr.Unary u && !u.op().equals("*")) {
            Integer v = constantOrNull(u.operand(), env);
            return v == null ? null : switch (u.op()) {
                case "!" -> v == 0 ? 1 : 0;
                case "-" -> -v;
                default -> ~v;
            };
        } else if (e instanceof Expr.Binary b) {
            Integer x = constantOrNull(b.left(), env);
            Integer y = constantOrNull(b.right(), env);
            if (x == null || y == null || (b.op().equals("/") || b.op().equals("%")) && y == 0) {
                return null;
            }
            return switch (b.op()) {
                case "&&" -> x != 0 && y != 0 ? 1 : 0;
                case "||" -> x != 0 || y != 0 ? 1 : 0;
                default -> apply(b.op(), x, y, true);
            };
        } else if (e instanceof Expr.Cond c) {
            Integer t = constantOrNull(c.test(), env);
            return t == null ? null : constantOrNull(t != 0 ? c.then() : c.otherwise(), env);
        }
        return null;
    }

    private Integer constantAddress(Expr.Name n, Env env) {
        Binding b = env.params().get(n.name());
        if (b != null) {
            Expr arg = stripAddress(w.expr(b.expr()));
            return arg instanceof Expr.Name an && n.indices().isEmpty() ? constantAddress(an, b.env()) : null;
        }
        Resolved.Variable v = w.model.variables().get(n.name());
        if (v == null || v.ghost()) {
            return null;
        }
        List<Integer> idx = new ArrayList<>();
        for (Expr i : n.indices()) {
            Integer k = constantOrNull(i, env);
            if (k == null) {
                return null;
            }
            idx.add(k);
        }
        int cell = flat(n.name(), v.dims(), idx, false);
        return cell < 0 ? null : World.LOC_BASE + w.base.get(n.name()) + cell;
    }

    int constant(Expr e, Env env) {
        Integer v = constantOrNull(e, env);
        if (v == null) {
            throw new IllegalStateException("not a constant: " + e);
        }
        return v;
    }

    /** Whether evaluating {@code e} reads only this CPU's registers and constants: no memory, no ghost state. */
    boolean registersOnly(Expr e, Env env) {
        if (e instanceof Expr.IntLit || e instanceof Expr.BoolLit) {
            return true;
        } else if (e instanceof Expr.Name n) {
            Kind k = kind(n, env);
            return addressRegistersOnly(n, env) && (k == Kind.REGISTER || k == Kind.CONSTANT || k == Kind.VALUE);
        } else if (e instanceof Expr.Unary u) {
            if (u.op().equals("&")) {
                return addressRegistersOnly((Expr.Name) u.operand(), env); // an address is computed, not read
            }
            return !u.op().equals("*") && registersOnly(u.operand(), env);
        } else if (e instanceof Expr.Binary b) {
            return registersOnly(b.left(), env) && registersOnly(b.right(), env);
        } else if (e instanceof Expr.Cond c) {
            return registersOnly(c.test(), env) && registersOnly(c.then(), env) && registersOnly(c.otherwise(), env);
        } else if (e instanceof Expr.Quant q) {
            int[] r = range(q, env);
            for (int v = r[0]; v <= r[1]; v++) {
                if (!registersOnly(q.body(), env.with(q.var(), v))) {
                    return false;
                }
            }
            return true;
        }
        return false; // a load call
    }

    /** Whether finding where a name leads (its indices, what a parameter stands for) reads only registers. */
    private boolean addressRegistersOnly(Expr.Name n, Env env) {
        if (!n.indices().stream().allMatch(i -> registersOnly(i, env))) {
            return false;
        }
        Binding b = env.params().get(n.name());
        if (b == null) {
            return true;
        }
        Expr arg = stripAddress(w.expr(b.expr()));
        return arg instanceof Expr.Name an ? addressRegistersOnly(an, b.env()) : registersOnly(arg, b.env());
    }
}
