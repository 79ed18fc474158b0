package dev.mmx.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a trace the way kernel developers draw races in commit messages:
 * one column per CPU, one row per step in the order the steps happened, the
 * values read and written under each operation, and the broken property last.
 */
public final class CpuColumns {
    private static final int WIDTH = 36;
    private static final int MAX_WIDTH = 48;

    private CpuColumns() {}

    public static String render(Trace t) {
        int cols = t.threads().size();
        int width = columnWidth(t);
        StringBuilder out = new StringBuilder();
        out.append(t.model()).append(" under ").append(t.memoryModel());
        if (!t.params().isEmpty()) {
            List<String> ps = new ArrayList<>();
            t.params().forEach((k, v) -> ps.add(k + "=" + v));
            out.append(" (").append(String.join(", ", ps)).append(')');
        }
        out.append(": violates ").append(t.property()).append('\n').append('\n');
        StringBuilder header = new StringBuilder("     ");
        StringBuilder rule = new StringBuilder("     ");
        for (int c = 0; c < cols; c++) {
            header.append(pad(t.threads().get(c), width)).append(c + 1 < cols ? " | " : "");
            rule.append("-".repeat(width)).append(c + 1 < cols ? "-+-" : "");
        }
        out.append(header.toString().stripTrailing()).append('\n').append(rule).append('\n');
        for (Trace.TraceStep s : t.steps()) {
            List<String> lines = cell(s, width);
            for (int k = 0; k < lines.size(); k++) {
                StringBuilder row = new StringBuilder(k == 0 ? String.format("%3d  ", s.index()) : "     ");
                for (int c = 0; c < cols; c++) {
                    String text = c == s.thread() ? lines.get(k) : "";
                    row.append(pad(text, width)).append(c + 1 < cols ? " | " : "");
                }
                out.append(row.toString().stripTrailing()).append('\n');
            }
        }
        out.append('\n');
        out.append(t.property().equals("deadlock") ? "DEADLOCK: " : "VIOLATION of " + t.property() + ": ")
                .append(t.message()).append('\n');
        for (String v : t.values()) {
            out.append("    ").append(v).append('\n');
        }
        return out.toString();
    }

    private static int columnWidth(Trace t) {
        int w = 12;
        for (String name : t.threads()) {
            w = Math.max(w, name.length());
        }
        for (Trace.TraceStep s : t.steps()) {
            w = Math.max(w, Math.min(MAX_WIDTH, opText(s).length()));
            for (Trace.Effect e : s.effects()) {
                w = Math.max(w, Math.min(MAX_WIDTH, e.text().length() + 2));
            }
        }
        return Math.min(w, Math.max(WIDTH, w));
    }

    private static String opText(Trace.TraceStep s) {
        return s.line() > 0 ? s.line() + ": " + s.op() : s.op();
    }

    /** The lines of one step's cell: the operation, then what it did, indented. */
    private static List<String> cell(Trace.TraceStep s, int width) {
        List<String> lines = new ArrayList<>(wrap(opText(s), width));
        if (s.note() != null && s.note().startsWith("out of order")) {
            lines.addAll(wrap("  (" + s.note() + ")", width));
        }
        for (Trace.Effect e : s.effects()) {
            for (String l : wrap("  " + e.text(), width)) {
                lines.add(l);
            }
        }
        return lines;
    }

    static List<String> wrap(String text, int width) {
        List<String> out = new ArrayList<>();
        String indent = text.startsWith("  ") ? "    " : "  ";
        String rest = text;
        while (rest.length() > width) {
            int cut = rest.lastIndexOf(' ', width);
            if (cut <= indent.length()) {
                cut = width;
            }
            out.add(rest.substring(0, cut));
            rest = indent + rest.substring(cut).strip();
        }
        out.add(rest);
        return out;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The final state as indented "name = value" lines, for `mmx show --state`. */
    @SuppressWarnings("unchecked")
    public static String renderState(Map<String, Object> state) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, Object> e : state.entrySet()) {
            out.append(e.getKey()).append(":\n");
            if (e.getValue() instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> x : m.entrySet()) {
                    out.append("    ").append(x.getKey()).append(" = ").append(x.getValue()).append('\n');
                }
            }
        }
        return out.toString();
    }
}
