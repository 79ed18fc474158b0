package dev.mmx.lkmm;

import dev.mmx.system.Program;
import dev.mmx.system.Src;
import dev.mmx.system.ValueType;
import dev.mmx.trace.Trace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One execution the Linux-kernel memory model allows, as a trace in CPU
 * columns: each thread's operations in program order, each read with the
 * write it reads from, each write with its place in coherence, and below the
 * coherence order of every location written more than once. An LKMM
 * execution need not fit one global order (that is the point of a weak
 * model); rows follow reads-from and coherence where they can, and a read
 * that reads a write shown further down says so.
 */
public final class ExecutionTrace {
    private final Program program;
    private final Execution x;
    private final Events ev;

    private ExecutionTrace(Program program, Lkmm.Witness w) {
        this.program = program;
        this.x = w.execution;
        this.ev = x.events();
    }

    /**
     * The trace of a witness. {@code property} and {@code message} say what it
     * shows; {@code values} are the values that make it so, listed after it.
     */
    public static Trace of(Program program, Lkmm.Witness w, String model, Map<String, Integer> params,
                           String property, String message, List<String> values) {
        ExecutionTrace t = new ExecutionTrace(program, w);
        List<String> threads = program.threads().stream().map(Program.ThreadCode::name).toList();
        List<Trace.TraceStep> steps = t.steps();
        List<String> shown = new ArrayList<>(values);
        shown.addAll(t.coherence());
        int[] rows = new int[steps.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = i;
        }
        return new Trace(model, "lkmm", new LinkedHashMap<>(params), threads, property, message, List.copyOf(shown),
                steps, rows, t.finalState());
    }

    /** The groups of events one instruction made (a read-modify-write's read and write, a lock's pair). */
    private List<int[]> instructions() {
        List<int[]> out = new ArrayList<>();
        for (int e = ev.cells; e < ev.n; ) {
            int f = e + 1;
            while (f < ev.n && ev.thread[f] == ev.thread[e] && ev.src(f) == ev.src(e)) {
                f++;
            }
            out.add(new int[] {e, f});
            e = f;
        }
        return out;
    }

    /**
     * The rows: each thread's instructions in program order; across threads, an
     * instruction comes after the writes it reads and the writes co-before its
     * own, unless a cycle (an execution no interleaving gives) forbids it.
     */
    private List<Trace.TraceStep> steps() {
        List<int[]> groups = instructions();
        int threads = ev.paths.size();
        int[] next = new int[threads];
        List<List<int[]>> byThread = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            byThread.add(new ArrayList<>());
        }
        for (int[] g : groups) {
            byThread.get(ev.thread[g[0]]).add(g);
        }
        boolean[] placed = new boolean[ev.n];
        for (int c = 0; c < ev.cells; c++) {
            placed[c] = true;
        }
        List<Trace.TraceStep> steps = new ArrayList<>();
        while (steps.size() < groups.size()) {
            int pick = -1;
            for (int t = 0; t < threads && pick < 0; t++) {
                if (next[t] < byThread.get(t).size() && ready(byThread.get(t).get(next[t]), placed)) {
                    pick = t;
                }
            }
            for (int t = 0; t < threads && pick < 0; t++) {
                if (next[t] < byThread.get(t).size()) {
                    pick = t;
                }
            }
            int[] g = byThread.get(pick).get(next[pick]++);
            for (int e = g[0]; e < g[1]; e++) {
                placed[e] = true;
            }
            steps.add(step(steps.size() + 1, g, placed));
        }
        return steps;
    }

    /** Whether every write the group reads from, and every write co-before its writes, is shown already. */
    private boolean ready(int[] g, boolean[] placed) {
        for (int e = g[0]; e < g[1]; e++) {
            for (int w = 0; w < ev.n; w++) {
                boolean before = (x.rf().has(w, e) || x.co().has(w, e)) && (w < g[0] || w >= g[1]);
                if (before && !placed[w]) {
                    return false;
                }
            }
        }
        return true;
    }

    private Trace.TraceStep step(int index, int[] g, boolean[] placed) {
        int t = ev.thread[g[0]];
        Src src = ev.src(g[0]);
        List<Trace.Effect> fx = new ArrayList<>();
        for (int e = g[0]; e < g[1]; e++) {
            Trace.Effect f = effect(e, placed);
            if (f != null) {
                fx.add(f);
            }
        }
        return new Trace.TraceStep(index, t, program.threads().get(t).name(), src.line(), src.text().trim(),
                List.copyOf(fx), "");
    }

    private Trace.Effect effect(int e, boolean[] placed) {
        String where = x.loc()[e] >= 0 ? cell(x.loc()[e]) : "?";
        return switch (ev.kind[e]) {
            case READ -> {
                String v = format(x.loc()[e], x.value()[e]);
                int w = source(e);
                String from = w < 0 ? "" : ev.kind[w] == EventKind.INIT ? ", the initial value"
                        : ", written by " + who(w) + (placed[w] ? "" : " (shown below)");
                yield new Trace.Effect("read", where, v, "reads " + where + " = " + v + from);
            }
            case WRITE -> {
                String v = format(x.loc()[e], x.value()[e]);
                yield new Trace.Effect("write", where, v, where + " = " + v + coPlace(e));
            }
            case LOCK_READ -> null;
            case LOCK_WRITE -> {
                int w = source(e - 1);
                String after = w < 0 ? "" : ev.kind[w] == EventKind.INIT ? " (free from the start)"
                        : " (after " + who(w) + " released it)";
                yield new Trace.Effect("lock", where, after.trim(), "takes " + where + after);
            }
            case UNLOCK -> new Trace.Effect("unlock", where, "", "releases " + where);
            case LOCK_FAIL, READ_LOCKED -> {
                int w = source(e);
                String held = w < 0 ? "held" : "held by " + who(w);
                String what = ev.kind[e] == EventKind.LOCK_FAIL ? "fails: " : "sees it held: ";
                yield new Trace.Effect("fail", where, what + held, where + " " + what + held);
            }
            case READ_UNLOCKED -> new Trace.Effect("note", where, "sees " + where + " free", "sees " + where + " free");
            case FENCE, SYNC_SRCU, INIT -> null;
        };
    }

    /** The write an event reads from, or -1. */
    private int source(int r) {
        for (int w = 0; w < ev.n; w++) {
            if (x.rf().has(w, r)) {
                return w;
            }
        }
        return -1;
    }

    /** Where a write stands in its location's coherence order. */
    private String coPlace(int w) {
        List<Integer> order = coOrder(x.loc()[w]);
        if (order.size() <= 2) {
            return "";
        }
        int k = order.indexOf(w);
        return " (coherence: write " + k + " of " + (order.size() - 1) + ")";
    }

    /** A location's writes, initial write first, in coherence order (unlocks and lock writes left out). */
    private List<Integer> coOrder(int cell) {
        List<Integer> ws = new ArrayList<>();
        for (int e = 0; e < ev.n; e++) {
            if (x.loc()[e] == cell && (ev.kind[e] == EventKind.INIT || ev.kind[e] == EventKind.WRITE)) {
                ws.add(e);
            }
        }
        ws.sort((a, b) -> x.co().has(a, b) ? -1 : x.co().has(b, a) ? 1 : 0);
        return ws;
    }

    /** One line per location written more than once: its writes in coherence order. */
    private List<String> coherence() {
        List<String> out = new ArrayList<>();
        for (int c = 0; c < ev.cells; c++) {
            List<Integer> order = coOrder(c);
            if (order.size() <= 2) {
                continue;
            }
            List<String> parts = new ArrayList<>();
            for (int w : order) {
                String v = format(c, x.value()[w]);
                parts.add(ev.kind[w] == EventKind.INIT ? v + " (initial)" : v + " (" + who(w) + ")");
            }
            out.add("coherence of " + cell(c) + ": " + String.join(" -> ", parts));
        }
        return out;
    }

    private String who(int e) {
        Src s = ev.src(e);
        return program.threads().get(ev.thread[e]).name() + " line " + s.line();
    }

    private String cell(int c) {
        return program.memory().get(c).name();
    }

    private String format(int cell, int value) {
        if (cell < 0) {
            return Integer.toString(value);
        }
        ValueType type = program.memory().get(cell).type();
        String name = ValueType.cellName(value, program.memory().stream().map(Program.Cell::name).toList());
        return type.isLoc() || name == null ? type.format(value) : name;
    }

    /** The final state in the shape saved traces use: memory, then each thread's registers. */
    private Map<String, Object> finalState() {
        int[] s = Lkmm.finalStateOf(program, x);
        Map<String, String> memory = new LinkedHashMap<>();
        for (int c = 0; c < program.memory().size(); c++) {
            if (!program.memory().get(c).kind().lock()) {
                memory.put(cell(c), program.memory().get(c).type().format(s[program.layout().memSlot(c)]));
            }
        }
        Map<String, Map<String, String>> regs = new LinkedHashMap<>();
        for (int t = 0; t < program.threads().size(); t++) {
            Map<String, String> r = new LinkedHashMap<>();
            List<Program.Register> rs = program.threads().get(t).regs();
            for (int i = 0; i < rs.size(); i++) {
                if (!rs.get(i).hidden() && !rs.get(i).name().startsWith("__t")) {
                    r.put(rs.get(i).name(), rs.get(i).type().format(s[program.layout().regSlot(t, i)]));
                }
            }
            regs.put(program.threads().get(t).name(), r);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory", memory);
        m.put("registers", regs);
        return m;
    }
}
