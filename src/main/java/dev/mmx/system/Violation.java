package dev.mmx.system;

import java.util.List;

/**
 * A broken property: its name ({@code no_stale_tlb}, {@code deadlock},
 * {@code assert}, {@code index_out_of_range}, ...), a one-line explanation,
 * the values that break it, and the steps a value may cite once the path to
 * the state is known.
 */
public record Violation(String property, String message, List<String> values, List<Cite> cites) {
    public static final String DEADLOCK = "deadlock";

    public Violation(String property, String message, List<String> values) {
        this(property, message, values, List.of());
    }

    /**
     * Value {@code value} is about the step at which ghost cell {@code cell}
     * became true: a trace replaces {@code plain} at its end by {@code timed}
     * with that step's number ({@code ", freed at step %d"}).
     */
    public record Cite(int value, String cell, String plain, String timed) {}
}
