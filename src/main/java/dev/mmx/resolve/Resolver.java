package dev.mmx.resolve;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.Names;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.jgrapht.graph.DefaultEdge;

/**
 * Checks declarations and evaluates constants and parameters (with -D
 * overrides), then type-checks every body with {@link TypeChecker}.
 */
public final class Resolver {
    /** Properties every model has, besides its invariants. */
    public static final List<String> BUILTIN_PROPERTIES = List.of("deadlock", "assert",
            "index_out_of_range", "division_by_zero", "unlock_not_held", "double_lock", "livelock",
            "refcount_underflow", "pincount_underflow", "rcu_unlock_unbalanced", "exists", "forall");

    private static final int MAX_THREADS = 30;
    private static final int MAX_CELLS = 1 << 16;

    private final Model model;
    private final Map<String, String> overrides;
    private final List<String> memoryModels;
    private final List<Diagnostic> errors = new ArrayList<>();
    private final Map<String, Decl> declared = new LinkedHashMap<>();
    private final Map<String, Integer> constants = new LinkedHashMap<>();
    private final Map<String, Type> constantTypes = new HashMap<>();
    private final Map<String, Type> enums = new LinkedHashMap<>();
    private final Map<String, Resolved.Variable> variables = new LinkedHashMap<>();
    private final Map<String, Resolved.LockSym> locks = new LinkedHashMap<>();
    private final Map<String, Decl.Proc> procs = new LinkedHashMap<>();
    private final List<Resolved.ThreadSym> threads = new ArrayList<>();
    private final Map<String, Integer> params = new LinkedHashMap<>();
    private final List<AddressInit> addresses = new ArrayList<>();

    /** An initial value {@code &name} of cell {@code index} of {@code cells} (all cells when {@code fill}). */
    private record AddressInit(Decl.Var var, int[] cells, int index, boolean fill, Expr.Unary address) {}

    /** The outcome: a resolved model when there are no diagnostics. */
    public record Result(Resolved resolved, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    private Resolver(Model model, Map<String, String> overrides, List<String> memoryModels) {
        this.model = model;
        this.overrides = overrides;
        this.memoryModels = memoryModels;
    }

    /**
     * Resolves a model. {@code memoryModels}: the names an {@code expect} line may
     * use (the memory-model registry's, passed in since it belongs to a later stage).
     */
    public static Result resolve(Model model, Map<String, String> overrides, List<String> memoryModels) {
        KernelKit.Result kit = KernelKit.expand(model);
        if (!kit.diagnostics().isEmpty()) {
            return new Result(null, kit.diagnostics());
        }
        Resolver r = new Resolver(kit.model(), overrides, memoryModels);
        r.kitChecks = kit.checks();
        r.kitProperties = kit.properties();
        return r.run();
    }

    /** The kit's checks on constants, evaluated once the constants are known. */
    private List<KernelKit.ConstCheck> kitChecks = List.of();
    private Map<String, List<String>> kitProperties = Map.of();

    private Result run() {
        collectNames();
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Enum e) {
                enumDecl(e);
            } else if (d instanceof Decl.Param p) {
                param(p);
            } else if (d instanceof Decl.Const c) {
                Integer v = constant(c.value());
                if (v != null) {
                    constants.put(c.name(), v);
                    constantTypes.put(c.name(), new ConstEval(this).type(c.value()));
                }
            }
        }
        checkOverrides();
        for (KernelKit.ConstCheck check : kitChecks) {
            Integer holds = constant(check.cond());
            if (holds != null && holds == 0) {
                errors.add(new Diagnostic(check.pos(), check.message()));
            }
        }
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        int cells = 0;
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Var v) {
                Resolved.Variable var = variable(v);
                if (var != null) {
                    variables.put(v.name(), var);
                    cells += var.cells();
                }
            } else if (d instanceof Decl.Lock l) {
                int[] dims = dims(l.dims(), l.pos());
                if (dims != null) {
                    Resolved.LockSym lock = new Resolved.LockSym(l.name(), l.kind(), dims, l.pos());
                    locks.put(l.name(), lock);
                    cells += lock.cells();
                }
            } else if (d instanceof Decl.Proc p) {
                procs.put(p.name(), p);
                checkUnique(p.params(), p.pos(), "parameter");
            } else if (d instanceof Decl.Thread t) {
                thread(t);
            }
        }
        resolveAddresses();
        if (cells > MAX_CELLS) {
            errors.add(new Diagnostic(new SourcePos(model.file(), 1, 1),
                    "the model declares " + cells + " memory cells; at most " + MAX_CELLS + " are supported"));
        }
        int threadCount = threads.stream().mapToInt(t -> Math.max(1, t.count())).sum();
        if (threadCount == 0) {
            errors.add(new Diagnostic(new SourcePos(model.file(), 1, 1),
                    "the model declares no thread; write at least one 'thread NAME { ... }'"));
        } else if (threadCount > MAX_THREADS) {
            errors.add(new Diagnostic(threads.get(0).decl().pos(),
                    "the model has " + threadCount + " threads; at most " + MAX_THREADS + " are supported"));
        }
        checkRecursion();
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        Resolved partial = new Resolved(model, constants, constantTypes, enums, variables, locks, procs, threads,
                params, List.of(), kitProperties);
        TypeChecker checker = new TypeChecker(partial, errors);
        checker.checkAll();
        List<Resolved.Expectation> expectations = expectations();
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(new Resolved(model, constants, constantTypes, enums, variables, locks, procs, threads,
                params, expectations, kitProperties), List.of());
    }

    private void collectNames() {
        for (Decl d : model.decls()) {
            if (d instanceof Decl.Final || d instanceof Decl.Expect) {
                continue;
            }
            Decl previous = declared.putIfAbsent(d.name(), d);
            if (previous != null) {
                errors.add(new Diagnostic(d.pos(), "'" + d.name() + "' is already declared at line "
                        + previous.pos().line()));
            }
            if (Builtins.get(d.name()) != null) {
                errors.add(new Diagnostic(d.pos(), "'" + d.name() + "' is a kernel primitive mmx knows; pick "
                        + "another name"));
            }
            if (d instanceof Decl.Enum e) {
                for (String m : e.members()) {
                    Decl prev = declared.putIfAbsent(m, e);
                    if (prev != null && prev != e) {
                        errors.add(new Diagnostic(e.pos(), "enum member '" + m + "' is already declared at line "
                                + prev.pos().line()));
                    }
                }
                checkUnique(e.members(), e.pos(), "member");
            }
        }
    }

    private void checkUnique(List<String> names, SourcePos pos, String what) {
        Set<String> seen = new LinkedHashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                errors.add(new Diagnostic(pos, "the " + what + " '" + n + "' appears twice"));
            }
        }
    }

    private void enumDecl(Decl.Enum e) {
        Type type = new Type(e.name(), List.copyOf(e.members()));
        enums.put(e.name(), type);
        for (int i = 0; i < e.members().size(); i++) {
            constants.putIfAbsent(e.members().get(i), i);
            constantTypes.putIfAbsent(e.members().get(i), type);
        }
    }

    private void param(Decl.Param p) {
        ConstEval eval = new ConstEval(this);
        Type type = eval.type(p.value());
        Integer value = constant(p.value());
        if (value == null) {
            return;
        }
        String override = overrides.get(p.name());
        if (override != null) {
            Integer v = parseOverride(p.name(), override, type);
            if (v != null) {
                value = v;
            }
        }
        constants.put(p.name(), value);
        constantTypes.put(p.name(), type);
        params.put(p.name(), value);
    }

    private Integer parseOverride(String name, String text, Type type) {
        SourcePos cli = new SourcePos("<command line>", 0, 0);
        String t = text.trim();
        if (type == Type.BOOL || t.equals("true") || t.equals("false")) {
            if (t.equals("true") || t.equals("1")) {
                return 1;
            }
            if (t.equals("false") || t.equals("0")) {
                return 0;
            }
        } else if (type.isEnum()) {
            int i = type.members().indexOf(t);
            if (i >= 0) {
                return i;
            }
            // traces and expect variants store a member by its number; accept that too
            try {
                int n = Integer.parseInt(t);
                if (n >= 0 && n < type.members().size()) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // not a number either: the message below lists the members
            }
            errors.add(new Diagnostic(cli, "-D " + name + "=" + text + ": expected one of "
                    + String.join(", ", type.members())));
            return null;
        } else {
            try {
                return Integer.decode(t);
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
        }
        errors.add(new Diagnostic(cli, "-D " + name + "=" + text + ": expected " + (type == Type.BOOL
                ? "true or false" : "an integer")));
        return null;
    }

    private void checkOverrides() {
        for (String name : overrides.keySet()) {
            if (params.containsKey(name)) {
                continue;
            }
            SourcePos cli = new SourcePos("<command line>", 0, 0);
            Decl d = declared.get(name);
            if (d instanceof Decl.Const) {
                errors.add(new Diagnostic(cli, "-D " + name + ": '" + name + "' is a const (line " + d.pos().line()
                        + "); only a param can be set from the command line"));
            } else if (!errors.stream().anyMatch(e -> e.message().startsWith("-D " + name))) {
                errors.add(new Diagnostic(cli, "-D " + name + ": the model has no param '" + name + "'"
                        + (params.isEmpty() ? "" : "; its params are " + String.join(", ", params.keySet()))
                        + Names.suggest(name, params.keySet())));
            }
        }
    }

    Integer constant(Expr e) {
        return new ConstEval(this).eval(e);
    }

    private int[] dims(List<Expr> dims, SourcePos pos) {
        int[] out = new int[dims.size()];
        for (int i = 0; i < dims.size(); i++) {
            Integer v = constant(dims.get(i));
            if (v == null) {
                return null;
            }
            if (v <= 0 || v > MAX_CELLS) {
                errors.add(new Diagnostic(dims.get(i).pos(), "an array size must be between 1 and " + MAX_CELLS
                        + ", not " + v));
                return null;
            }
            out[i] = v;
        }
        return out;
    }

    Type typeNamed(String name, SourcePos pos) {
        if (name.equals("int")) {
            return Type.INT;
        }
        if (name.equals("bool")) {
            return Type.BOOL;
        }
        if (name.equals("loc")) {
            return Type.LOC;
        }
        if (name.equals(Type.CPUS.name())) {
            return Type.CPUS; // only the kernel kit writes it
        }
        if (name.equals(Type.PTE.name())) {
            return Type.PTE;
        }
        Type t = enums.get(name);
        if (t == null) {
            errors.add(new Diagnostic(pos, "unknown type '" + name + "'; expected int, bool, loc or an enum"
                    + Names.suggest(name, enums.keySet())));
        }
        return t;
    }

    private Resolved.Variable variable(Decl.Var v) {
        Type type = typeNamed(v.type(), v.pos());
        int[] dims = dims(v.dims(), v.pos());
        if (type == null || dims == null) {
            return null;
        }
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        if (n > MAX_CELLS) {
            errors.add(new Diagnostic(v.pos(), "'" + v.name() + "' has " + n + " cells; at most " + MAX_CELLS));
            return null;
        }
        int[] init = new int[n];
        if (v.init() != null) {
            if (v.listInit() && v.init().size() != n && v.init().size() != 1) {
                errors.add(new Diagnostic(v.pos(), "'" + v.name() + "' has " + n + " cells but " + v.init().size()
                        + " initial values"));
                return null;
            }
            for (int i = 0; i < v.init().size(); i++) {
                Expr e = v.init().get(i);
                if (e instanceof Expr.Unary u && u.op().equals("&")) {
                    // an address: known once every variable has its cells (see resolveAddresses)
                    addresses.add(new AddressInit(v, init, i, v.init().size() == 1, u));
                    continue;
                }
                Type t = new ConstEval(this).type(e);
                if (t != null && !type.accepts(t)) {
                    errors.add(new Diagnostic(e.pos(), "the initial value of '" + v.name() + "' is " + t
                            + " but the variable is " + type));
                    return null;
                }
                Integer val = constant(e);
                if (val == null) {
                    return null;
                }
                init[i] = val;
            }
            if (v.init().size() == 1) {
                java.util.Arrays.fill(init, init[0]);
            }
        }
        return new Resolved.Variable(v.name(), v.ghost(), type, dims, init, v.pos());
    }

    /**
     * Fills in initial values that are addresses. Shared cells are numbered in
     * declaration order, locks after them, as the compiler lays them out.
     */
    private void resolveAddresses() {
        Map<String, Integer> base = new HashMap<>();
        int next = 0;
        for (Resolved.Variable v : variables.values()) {
            if (!v.ghost()) {
                base.put(v.name(), next);
                next += v.cells();
            }
        }
        for (AddressInit a : addresses) {
            Integer cell = addressOf(a.address(), base);
            if (cell == null) {
                continue;
            }
            if (a.fill()) {
                java.util.Arrays.fill(a.cells(), cell);
            } else {
                a.cells()[a.index()] = cell;
            }
        }
    }

    private Integer addressOf(Expr.Unary address, Map<String, Integer> base) {
        if (!(address.operand() instanceof Expr.Name n) || !base.containsKey(n.name())) {
            errors.add(new Diagnostic(address.pos(), "'&' takes the address of a shared variable, like &x or &a[1]"
                    + (address.operand() instanceof Expr.Name n2 ? Names.suggest(n2.name(), base.keySet()) : "")));
            return null;
        }
        Resolved.Variable target = variables.get(n.name());
        if (n.indices().size() != target.dims().length) {
            errors.add(new Diagnostic(n.pos(), "'" + n.name() + "' has " + target.dims().length
                    + " dimension(s) but its address is taken with " + n.indices().size() + " ind"
                    + (n.indices().size() == 1 ? "ex" : "ices")));
            return null;
        }
        int flat = 0;
        for (int d = 0; d < target.dims().length; d++) {
            Integer i = constant(n.indices().get(d));
            if (i == null) {
                return null;
            }
            if (i < 0 || i >= target.dims()[d]) {
                errors.add(new Diagnostic(n.indices().get(d).pos(), "index " + i + " is out of range for "
                        + n.name() + " (valid: 0.." + (target.dims()[d] - 1) + ")"));
                return null;
            }
            flat = flat * target.dims()[d] + i;
        }
        return dev.mmx.system.ValueType.LOC_BASE + base.get(n.name()) + flat;
    }

    private void thread(Decl.Thread t) {
        int count = 0;
        if (t.count() != null) {
            Integer c = constant(t.count());
            if (c == null) {
                return;
            }
            if (c < 1 || c > MAX_THREADS) {
                errors.add(new Diagnostic(t.count().pos(), "a thread can be replicated 1 to " + MAX_THREADS
                        + " times, not " + c));
                return;
            }
            count = c;
        }
        threads.add(new Resolved.ThreadSym(t, count));
    }

    /** Procedures are inlined, so a call cycle has no finite expansion. */
    private void checkRecursion() {
        Graph<String, DefaultEdge> calls = new DefaultDirectedGraph<>(DefaultEdge.class);
        Map<String, SourcePos> firstCall = new HashMap<>();
        procs.keySet().forEach(calls::addVertex);
        for (Decl.Proc p : procs.values()) {
            for (Expr.Call c : callsIn(p.body())) {
                if (procs.containsKey(c.function())) {
                    calls.addEdge(p.name(), c.function());
                    firstCall.putIfAbsent(p.name() + "->" + c.function(), c.pos());
                }
            }
        }
        CycleDetector<String, DefaultEdge> detector = new CycleDetector<>(calls);
        for (String p : procs.keySet()) {
            if (detector.detectCyclesContainingVertex(p)) {
                Set<String> cycle = detector.findCyclesContainingVertex(p);
                SourcePos at = procs.get(p).pos();
                for (String q : cycle) {
                    SourcePos call = firstCall.get(p + "->" + q);
                    if (call != null) {
                        at = call;
                        break;
                    }
                }
                String via = cycle.size() <= 1 ? "" : " (through " + String.join(", ", cycle.stream()
                        .filter(q -> !q.equals(p)).toList()) + ")";
                errors.add(new Diagnostic(at, "procedure '" + p + "' calls itself" + via
                        + "; procedures are inlined, so recursion is not allowed"));
                return;
            }
        }
    }

    static List<Expr.Call> callsIn(Stmt s) {
        List<Expr.Call> out = new ArrayList<>();
        collectCalls(s, out);
        return out;
    }

    private static void collectCalls(Stmt s, List<Expr.Call> out) {
        if (s instanceof Stmt.Block b) {
            b.body().forEach(x -> collectCalls(x, out));
        } else if (s instanceof Stmt.If i) {
            collectCalls(i.then(), out);
            if (i.otherwise() != null) {
                collectCalls(i.otherwise(), out);
            }
        } else if (s instanceof Stmt.While w) {
            collectCalls(w.body(), out);
        } else if (s instanceof Stmt.For f) {
            collectCalls(f.body(), out);
        } else if (s instanceof Stmt.Atomic a) {
            collectCalls(a.body(), out);
        } else if (s instanceof Stmt.Either e) {
            e.branches().forEach(x -> collectCalls(x, out));
        } else if (s instanceof Stmt.CallStmt c) {
            out.add(c.call());
        }
    }

    private List<Resolved.Expectation> expectations() {
        List<Resolved.Expectation> out = new ArrayList<>();
        Set<String> properties = new LinkedHashSet<>(BUILTIN_PROPERTIES);
        model.all(Decl.Invariant.class).forEach(i -> properties.add(i.name()));
        for (Decl.Expect e : model.all(Decl.Expect.class)) {
            Map<String, Integer> variant = new LinkedHashMap<>();
            boolean ok = true;
            for (Decl.ParamSetting ps : e.variant()) {
                if (!params.containsKey(ps.name())) {
                    errors.add(new Diagnostic(ps.pos(), "expect sets '" + ps.name() + "', which is not a param"
                            + Names.suggest(ps.name(), params.keySet())));
                    ok = false;
                    continue;
                }
                Integer v = constant(ps.value());
                if (v == null) {
                    ok = false;
                    continue;
                }
                variant.put(ps.name(), v);
            }
            for (String mm : e.memoryModels()) {
                if (!memoryModels.contains(mm)) {
                    errors.add(new Diagnostic(e.pos(), "unknown memory model '" + mm + "'; expected "
                            + String.join(", ", memoryModels.subList(0, memoryModels.size() - 1)) + " or "
                            + memoryModels.get(memoryModels.size() - 1) + Names.suggest(mm, memoryModels)));
                    ok = false;
                }
            }
            switch (e.outcome()) {
                case "pass", "deadlock", "lockorder" -> {
                    if (e.property() != null) {
                        errors.add(new Diagnostic(e.pos(), "'" + e.outcome() + "' takes no property name"));
                        ok = false;
                    }
                }
                case "violates" -> {
                    if (e.property() == null) {
                        errors.add(new Diagnostic(e.pos(), "'violates' needs the name of the property, e.g. "
                                + "'violates " + properties.iterator().next() + "'"));
                        ok = false;
                    } else if (!properties.contains(e.property())) {
                        errors.add(new Diagnostic(e.pos(), "unknown property '" + e.property() + "'; expected an "
                                + "invariant name or one of " + String.join(", ", BUILTIN_PROPERTIES)
                                + Names.suggest(e.property(), properties)));
                        ok = false;
                    }
                }
                default -> {
                    errors.add(new Diagnostic(e.pos(), "unknown outcome '" + e.outcome()
                            + "'; expected pass, violates NAME, deadlock or lockorder"));
                    ok = false;
                }
            }
            if (ok && e.outcome().equals("violates") && e.property().equals("deadlock")) {
                // a deadlock is reported as its own verdict, so 'violates deadlock' means 'deadlock'
                out.add(new Resolved.Expectation(e.pos(), variant, e.memoryModels(), "deadlock", null));
            } else if (ok) {
                out.add(new Resolved.Expectation(e.pos(), variant, e.memoryModels(), e.outcome(), e.property()));
            }
        }
        return out;
    }

    // --- used by ConstEval and TypeChecker ---

    void error(SourcePos pos, String message) {
        errors.add(new Diagnostic(pos, message));
    }

    Map<String, Integer> constants() {
        return constants;
    }

    Map<String, Type> constantTypes() {
        return constantTypes;
    }

    Map<String, Decl> declared() {
        return declared;
    }
}
