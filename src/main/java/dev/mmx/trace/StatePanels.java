package dev.mmx.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the recorded states of a trace into the rows the viewer's state panel
 * shows: titled sections of "name = value" rows. Sections mmx does not know
 * yet (TLBs, page states from newer models) are shown under their own name,
 * so the viewer keeps up with new kinds of state without a change here.
 */
final class StatePanels {
    /** The section titles of the snapshot keys mmx writes, in the panel's order. */
    private static final Map<String, String> TITLES = titles();

    private StatePanels() {}

    record Row(String key, String value) {}

    record Section(String title, List<Row> rows) {}

    private static Map<String, String> titles() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("memory", "shared memory");
        m.put(TraceBuilder.STORE_BUFFERS, "store buffers (oldest first)");
        m.put(TraceBuilder.IN_FLIGHT, "in-flight instructions (program order)");
        m.put("locks", "locks");
        m.put("registers", "registers");
        m.put("ghosts", "ghost variables");
        m.put("positions", "next instruction");
        return m;
    }

    /** The sections of one state: known ones first in a fixed order, then any others as recorded. */
    static List<Section> sections(Map<String, Object> state) {
        List<Section> out = new ArrayList<>();
        for (Map.Entry<String, String> t : TITLES.entrySet()) {
            if (state.containsKey(t.getKey())) {
                out.add(new Section(t.getValue(), rows(state.get(t.getKey()))));
            }
        }
        for (Map.Entry<String, Object> e : state.entrySet()) {
            if (!TITLES.containsKey(e.getKey())) {
                out.add(new Section(e.getKey(), rows(e.getValue())));
            }
        }
        out.removeIf(s -> s.rows().isEmpty());
        return out;
    }

    /**
     * A flat map of names to values; nested maps (a thread's registers) give
     * "thread.name" rows, lists (a store buffer) one row with the entries.
     */
    private static List<Row> rows(Object section) {
        List<Row> out = new ArrayList<>();
        if (section instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                if (e.getValue() instanceof Map<?, ?> inner) {
                    for (Map.Entry<?, ?> x : inner.entrySet()) {
                        out.add(new Row(key + "." + x.getKey(), text(x.getValue())));
                    }
                } else {
                    out.add(new Row(key, text(e.getValue())));
                }
            }
        } else if (section != null) {
            out.add(new Row("", text(section)));
        }
        return out;
    }

    private static String text(Object value) {
        if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                return "empty";
            }
            List<String> parts = new ArrayList<>();
            list.forEach(x -> parts.add(String.valueOf(x)));
            return String.join(" | ", parts);
        }
        return String.valueOf(value);
    }

    /**
     * The rows of the final state that the violation names: a value such as
     * "cpu0.r0 = 0" or "mmap_lock held by fault" starts with the row's name.
     */
    static List<String> breaking(List<Section> finalState, List<String> values) {
        List<String> keys = new ArrayList<>();
        for (Section s : finalState) {
            for (Row r : s.rows()) {
                for (String v : values) {
                    if (!r.key().isEmpty() && v.startsWith(r.key() + " ") && !keys.contains(r.key())) {
                        keys.add(r.key());
                    }
                }
            }
        }
        return keys;
    }
}
