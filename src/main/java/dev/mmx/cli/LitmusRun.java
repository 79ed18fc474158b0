package dev.mmx.cli;

import dev.mmx.memory.Bounds;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.litmus.HerdReport;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Model;
import dev.mmx.lang.SourcePos;
import dev.mmx.litmus.LitmusTest;
import dev.mmx.lkmm.Prepass;
import dev.mmx.lkmm.ExecutionTrace;
import dev.mmx.lkmm.LkmmError;
import dev.mmx.lkmm.Lkmm;
import dev.mmx.lkmm.Primitives;
import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import dev.mmx.system.Layout;
import dev.mmx.system.MemoryReader;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.ValueType;
import dev.mmx.trace.CpuColumns;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Answers a litmus test: explores every execution of its program under a
 * memory model, projects each final state onto the locations herd7 shows, and
 * counts the distinct outcomes that satisfy the condition's proposition.
 */
public final class LitmusRun {
    private LitmusRun() {}

    /**
     * The answer, or why there is none (a fault, a limit); {@code note} says what the
     * answer leaves out (executions that deadlock), or is null.
     */
    public record Outcome(HerdReport report, String error, Result result, String note) {
        public Outcome(HerdReport report, String error, Result result) {
            this(report, error, result, null);
        }

        public boolean answered() {
            return report != null;
        }

        /** Whether a limit, not the test, stopped the run. */
        public boolean incomplete() {
            return error != null && error.startsWith("incomplete: ");
        }
    }

    /** A test compiled for a memory model, with (under lkmm) where its LKMM-only primitives were. */
    public record Prepared(Program program, Primitives primitives, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }
    }

    /**
     * Compiles a test for a memory model. Under lkmm, only C tests are
     * answered, and the primitives that only the compiler does not know (RCU,
     * SRCU, spin_is_locked) are first replaced by placeholders; under the other
     * models RCU is the kernel kit's, and SRCU and spin_is_locked are an error.
     */
    public static Prepared prepare(LitmusTest test, String memoryModel) {
        Model model = test.model();
        Primitives primitives = Primitives.NONE;
        if (memoryModel.equals("lkmm")) {
            if (!test.arch().equals("C")) {
                return new Prepared(null, null, List.of(new Diagnostic(new SourcePos(model.file(), 1, 1),
                        "--mm lkmm answers C litmus tests (the Linux-kernel memory model), and this is an "
                                + test.arch() + " test; answer it under --mm " + test.defaultMemoryModel())));
            }
            Prepass.Result r = Prepass.rewrite(model);
            if (!r.ok()) {
                return new Prepared(null, null, r.diagnostics());
            }
            model = r.model();
            primitives = r.primitives();
        } else {
            // RCU is the kernel kit's, every step of it as strong as smp_mb (synchronize_rcu's wait for its
            // readers too), so no outcome LKMM's RCU forbids is allowed; SRCU and spin_is_locked are lkmm's only
            List<Diagnostic> only = Prepass.lkmmOnlyCalls(model);
            if (!only.isEmpty()) {
                return new Prepared(null, null, only);
            }
        }
        Pipeline.Loaded loaded = Pipeline.compile(model, Map.of());
        if (!loaded.ok()) {
            return new Prepared(null, null, loaded.diagnostics());
        }
        return new Prepared(loaded.program(), primitives, List.of());
    }

    /**
     * The weak-memory bounds for a litmus test. Litmus threads have no loops, so a
     * store buffer that holds every store of a thread and a window that holds every
     * instruction of it never cut behaviour.
     */
    public static Bounds bounds(Program p) {
        int longest = 2;
        for (Program.ThreadCode t : p.threads()) {
            longest = Math.max(longest, t.code().length + 1);
        }
        return new Bounds(storeBuffer(p), Math.min(200, Math.max(Bounds.DEFAULT.armWindow(),
                longest)));
    }

    /** The store-buffer bound: every store of the longest thread fits, so the bound never cuts behaviour. */
    public static int storeBuffer(Program p) {
        int most = 1;
        for (Program.ThreadCode t : p.threads()) {
            int stores = 0;
            for (Instr i : t.code()) {
                if (i instanceof Instr.Store || i instanceof Instr.LockOp) {
                    stores++;
                }
            }
            most = Math.max(most, stores);
        }
        return Math.min(64, most);
    }

    public static Outcome run(LitmusTest test, Program p, TransitionSystem ts, Options opts) {
        long started = System.nanoTime();
        int[] slots = slots(test, p);
        Layout l = p.layout();
        MemoryReader memory = (s, cell) -> s[l.memSlot(cell)];
        CExpr cond = p.finals().get(0).cond();
        Map<List<Integer>, Boolean> outcomes = new HashMap<>();
        List<String> deadlocks = new ArrayList<>();
        Result r = Explorer.finalStates(ts, opts, s -> {
            Violation v = ts.checkTerminal(s);
            if (v != null && v.property().equals(Violation.DEADLOCK)) {
                // not an execution for herd7 either: its executions are the ones in which every thread finishes
                deadlocks.add(String.join("; ", v.values().stream().map(x -> x.replaceAll(";$", "")).toList()));
                return;
            }
            Integer[] key = new Integer[slots.length];
            for (int i = 0; i < slots.length; i++) {
                key[i] = s[slots[i]];
            }
            outcomes.putIfAbsent(Arrays.asList(key), cond.eval(s, memory) != 0);
        }, v -> v.property().equals("double_lock")); // a lock taken twice waits forever: a deadlock too
        if (r.verdict() == Result.Verdict.VIOLATION) {
            return new Outcome(null, "an execution faults: " + r.violation().message(), r);
        }
        if (r.verdict() == Result.Verdict.INCOMPLETE) {
            // a limit, or a store buffer or an ARM window that filled up: some behaviour may be missing, so no answer
            return new Outcome(null, "incomplete: " + r.incompleteReason(), r);
        }
        String note = deadlocks.isEmpty() ? null : deadlocks.size() + " final state" + (deadlocks.size() == 1
                ? "" : "s") + " where a thread waits forever (" + deadlocks.get(0) + "); like herd7, the answer "
                + "counts only executions in which every thread finishes";
        List<String> lines = stateLines(test, p, outcomes.keySet());
        int positive = (int) outcomes.values().stream().filter(b -> b).count();
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(new HerdReport(test, lines, positive, lines.size() - positive, seconds), null, r, note);
    }

    /**
     * Answers a C test under the Linux-kernel memory model: every execution the
     * model allows, counted as herd7 counts them (Positive/Negative are
     * executions), with the flags they raise.
     */
    public static Outcome runLkmm(LitmusTest test, Program p, Primitives primitives, Options opts) {
        long started = System.nanoTime();
        long deadline = opts.timeLimitSeconds() > 0 ? started + (long) (opts.timeLimitSeconds() * 1e9) : Long.MAX_VALUE;
        int[] slots = slots(test, p);
        Layout l = p.layout();
        MemoryReader memory = (s, cell) -> s[l.memSlot(cell)];
        CExpr cond = p.finals().get(0).cond();
        Set<List<Integer>> outcomes = new HashSet<>();
        long[] counts = new long[2];
        Lkmm.Fault[] fault = new Lkmm.Fault[1];
        boolean[] timedOut = {false};
        Lkmm.Summary summary;
        try {
            Set<Integer> observed = new HashSet<>();
            for (int i = 0; i < slots.length; i++) {
                if (test.observed().get(i).memory()) {
                    observed.add(slots[i] - l.memSlot(0));
                }
            }
            summary = Lkmm.run(p, primitives, observed, o -> {
                if (o.fault() != null) {
                    fault[0] = o.fault();
                    return false;
                }
                if (opts.pastStateLimit(counts[0] + counts[1] + 1)) {
                    return false; // the search's one limit rule: N executions may be counted, one more stops
                }
                Integer[] key = new Integer[slots.length];
                for (int i = 0; i < slots.length; i++) {
                    key[i] = o.state()[slots[i]];
                }
                outcomes.add(Arrays.asList(key));
                counts[cond.eval(o.state(), memory) != 0 ? 0 : 1]++;
                return true;
            }, () -> {
                timedOut[0] = System.nanoTime() > deadline || opts.stop().get();
                return !timedOut[0];
            });
        } catch (LkmmError e) {
            return new Outcome(null, e.getMessage(), null);
        }
        if (fault[0] != null) {
            return new Outcome(null, "an execution faults: " + fault[0].message(), null);
        }
        if (summary.stopped()) {
            return new Outcome(null, "incomplete: " + (timedOut[0] ? "the time limit was reached"
                    : "the execution limit (--max-states) was reached"), null);
        }
        List<String> lines = stateLines(test, p, outcomes);
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Outcome(new HerdReport(test, lines, counts[0], counts[1], seconds,
                List.copyOf(summary.flags())), null, null);
    }

    /**
     * One execution LKMM allows whose final state satisfies the condition
     * (breaks it, for forall), as CPU columns; null when there is none.
     */
    public static String lkmmTrace(LitmusTest test, Prepared prepared) {
        Program p = prepared.program();
        Layout l = p.layout();
        MemoryReader memory = (s, cell) -> s[l.memSlot(cell)];
        CExpr cond = p.finals().get(0).cond();
        boolean want = test.kind() != dev.mmx.lang.Decl.FinalKind.FORALL;
        Lkmm.Outcome[] found = new Lkmm.Outcome[1];
        Lkmm.run(p, prepared.primitives(), o -> {
            if ((cond.eval(o.state(), memory) != 0) == want) {
                found[0] = o;
                return false;
            }
            return true;
        });
        if (found[0] == null) {
            return null;
        }
        int[] slots = slots(test, p);
        List<String> cells = p.memory().stream().map(Program.Cell::name).toList();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            values.add(test.observed().get(i).display() + " = " + format(found[0].state()[slots[i]], cells));
        }
        String message = "LKMM allows an execution whose final state " + (want ? "satisfies " : "breaks ")
                + test.condition();
        return CpuColumns.render(ExecutionTrace.of(p, found[0].witness(), p.file(), Map.of(), test.kind().word,
                message, values));
    }

    /** The final states as herd7 lists them: shown locations in its order, states sorted by value. */
    private static List<String> stateLines(LitmusTest test, Program p, Collection<List<Integer>> outcomes) {
        List<String> cells = p.memory().stream().map(Program.Cell::name).toList();
        List<List<Integer>> keys = new ArrayList<>(outcomes);
        keys.sort(LitmusRun.herdOrder(cells));
        List<String> lines = new ArrayList<>();
        for (List<Integer> k : keys) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < k.size(); i++) {
                sb.append(test.observed().get(i).display()).append('=').append(format(k.get(i), cells)).append("; ");
            }
            lines.add(sb.toString().trim());
        }
        return lines;
    }

    /** A value as herd7 prints it: a number, or the name of the location it addresses. */
    static String format(int value, List<String> cells) {
        String symbolic = Lkmm.symbolicName(value);
        if (symbolic != null) {
            return symbolic;
        }
        String name = ValueType.cellName(value, cells);
        return name != null ? name : Integer.toString(value);
    }

    /** herd7 lists states by their values in order: numbers (by value) before locations (by name). */
    private static Comparator<List<Integer>> herdOrder(List<String> cells) {
        return (a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                String na = ValueType.cellName(a.get(i), cells);
                String nb = ValueType.cellName(b.get(i), cells);
                int c;
                if (na == null && nb == null) {
                    c = Integer.compare(a.get(i), b.get(i));
                } else if (na == null || nb == null) {
                    c = na == null ? -1 : 1;
                } else {
                    c = na.compareTo(nb);
                }
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }

    /** The state slot of each shown location. */
    private static int[] slots(LitmusTest test, Program p) {
        int[] slots = new int[test.observed().size()];
        for (int i = 0; i < slots.length; i++) {
            LitmusTest.Observed o = test.observed().get(i);
            slots[i] = o.memory() ? memSlot(p, o.name()) : regSlot(p, "P" + o.thread(), o.name());
        }
        return slots;
    }

    private static int memSlot(Program p, String name) {
        for (int c = 0; c < p.memory().size(); c++) {
            if (p.memory().get(c).name().equals(name)) {
                return p.layout().memSlot(c);
            }
        }
        throw new IllegalStateException("no cell " + name);
    }

    private static int regSlot(Program p, String thread, String reg) {
        for (int t = 0; t < p.threads().size(); t++) {
            Program.ThreadCode tc = p.threads().get(t);
            if (tc.name().equals(thread)) {
                for (int r = 0; r < tc.regs().size(); r++) {
                    if (tc.regs().get(r).name().equals(reg)) {
                        return p.layout().regSlot(t, r);
                    }
                }
            }
        }
        throw new IllegalStateException("no register " + thread + "." + reg);
    }
}
