package dev.mmx.trace;

import dev.mmx.system.Snapshot;
import dev.mmx.system.Step;
import dev.mmx.system.TransitionSystem;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds a trace by re-running a path of transitions, describing each step
 * and recording the whole state before the first step and after every step.
 */
public final class TraceBuilder {
    private TraceBuilder() {}

    public static Trace build(TransitionSystem ts, int[] path, Violation v, String model, String memoryModel,
                              Map<String, Integer> params, List<String> threads) {
        int[] s = ts.initial();
        List<Trace.TraceStep> steps = new ArrayList<>();
        List<Map<String, Object>> states = new ArrayList<>();
        String buffers = memoryModel.equals("arm") ? IN_FLIGHT : STORE_BUFFERS;
        states.add(snapshotMap(ts.snapshot(s), buffers));
        for (int i = 0; i < path.length; i++) {
            Step step = ts.describe(s, path[i]);
            steps.add(toTraceStep(i + 1, step));
            s = ts.next(s, path[i]);
            if (s == null) {
                throw new IllegalStateException("a counterexample path leads to a discarded execution at step " + (i + 1));
            }
            states.add(snapshotMap(ts.snapshot(s), buffers));
        }
        return new Trace(model, memoryModel, new LinkedHashMap<>(params), List.copyOf(threads), v.property(),
                v.message(), cited(v, states), List.copyOf(steps), path.clone(), states.get(states.size() - 1),
                List.copyOf(states));
    }

    /** The violation's values with the steps they cite: the first step after which the cited ghost cell is true. */
    @SuppressWarnings("unchecked")
    private static List<String> cited(Violation v, List<Map<String, Object>> states) {
        List<String> values = new ArrayList<>(v.values());
        for (Violation.Cite c : v.cites()) {
            for (int k = 1; k < states.size(); k++) {
                Map<String, String> ghosts = (Map<String, String>) states.get(k).get("ghosts");
                if ("true".equals(ghosts.get(c.cell()))) {
                    String value = values.get(c.value());
                    String base = value.endsWith(c.plain()) ? value.substring(0, value.length() - c.plain().length())
                            : value;
                    values.set(c.value(), base + String.format(c.timed(), k));
                    break;
                }
            }
        }
        return List.copyOf(values);
    }

    static Trace.TraceStep toTraceStep(int index, Step step) {
        List<Trace.Effect> fx = new ArrayList<>();
        for (Step.Effect e : step.effects()) {
            fx.add(new Trace.Effect(e.kind(), e.target(), e.value(), e.render()));
        }
        return new Trace.TraceStep(index, step.thread(), step.actor(), step.line(), step.text(), List.copyOf(fx),
                step.note());
    }

    /** The key of each CPU's pending work: tso's store buffers, arm's window of in-flight instructions. */
    static final String STORE_BUFFERS = "storeBuffers";
    static final String IN_FLIGHT = "inFlight";

    public static Map<String, Object> snapshotMap(Snapshot s, String buffersKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory", s.memory());
        m.put("ghosts", s.ghosts());
        m.put("locks", s.locks());
        m.put("registers", s.registers());
        m.put("positions", s.positions());
        if (!s.buffers().isEmpty()) {
            m.put(buffersKey, s.buffers());
        }
        return m;
    }
}
