package dev.mmx.trace;

import java.util.List;
import java.util.Map;

/**
 * A counterexample as saved to disk: which model and memory model, the
 * parameter values, the broken property, and each step in execution order.
 * {@code transitions} lets {@code mmx replay} re-execute the steps exactly.
 * {@code states} holds the whole state before the first step and after each
 * step (so {@code steps().size() + 1} entries), or is empty for traces
 * written before mmx recorded them.
 */
public record Trace(String model, String memoryModel, Map<String, Integer> params, List<String> threads,
                    String property, String message, List<String> values, List<TraceStep> steps,
                    int[] transitions, Map<String, Object> finalState, List<Map<String, Object>> states) {

    /** A trace without per-step states, as older trace files hold. */
    public Trace(String model, String memoryModel, Map<String, Integer> params, List<String> threads,
                 String property, String message, List<String> values, List<TraceStep> steps,
                 int[] transitions, Map<String, Object> finalState) {
        this(model, memoryModel, params, threads, property, message, values, steps, transitions, finalState,
                List.of());
    }

    /** Whether the state after every step is known (true for traces from this version on). */
    public boolean hasStates() {
        return states.size() == steps.size() + 1;
    }

    /** One step: who acted, where, what was written, what it did. */
    public record TraceStep(int index, int thread, String actor, int line, String op, List<Effect> effects,
                            String note) {}

    public record Effect(String kind, String target, String value, String text) {}
}
