package dev.mmx.trace;

import java.util.List;
import java.util.Map;

/**
 * A counterexample as saved to disk: which model and memory model, the
 * parameter values, the broken property, and each step in execution order.
 * {@code transitions} lets {@code mmx replay} re-execute the steps exactly.
 */
public record Trace(String model, String memoryModel, Map<String, Integer> params, List<String> threads,
                    String property, String message, List<String> values, List<TraceStep> steps,
                    int[] transitions, Map<String, Object> finalState) {

    /** One step: who acted, where, what was written, what it did. */
    public record TraceStep(int index, int thread, String actor, int line, String op, List<Effect> effects,
                            String note) {}

    public record Effect(String kind, String target, String value, String text) {}
}
