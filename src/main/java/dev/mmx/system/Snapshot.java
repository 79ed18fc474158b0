package dev.mmx.system;

import java.util.List;
import java.util.Map;

/**
 * A state with names: shared memory, ghost cells, locks and holders, each
 * thread's registers and position, and the memory model's buffers.
 */
public record Snapshot(Map<String, String> memory, Map<String, String> ghosts, Map<String, String> locks,
                       Map<String, Map<String, String>> registers, Map<String, String> positions,
                       Map<String, List<String>> buffers) {}
