package dev.mmx.system;

import java.util.List;

/**
 * A broken property: its name ({@code no_stale_tlb}, {@code deadlock},
 * {@code assert}, {@code index_out_of_range}, ...), a one-line explanation,
 * and the values that break it.
 */
public record Violation(String property, String message, List<String> values) {
    public static final String DEADLOCK = "deadlock";
}
