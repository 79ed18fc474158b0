package dev.mmx.trace;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a trace as one self-contained HTML page: the CPU columns as a table
 * (one column per thread, one row per step), a state panel beside it that
 * shows the whole state after the selected step, and the violation at the
 * end. CSS, script and data are inline, so the file opens from disk with no
 * network. The table is plain HTML and readable without the script; the
 * script adds selection, the state panel and the out-of-order arrows.
 */
public final class HtmlTrace {
    /** The note the ARM model puts on an access performed before an earlier one in program order. */
    private static final Pattern OUT_OF_ORDER = Pattern.compile("out of order: performed before line (\\d+)");
    /** Gson's default HTML escaping keeps "</script>" and friends out of the inline data. */
    private static final Gson GSON = new Gson();

    private HtmlTrace() {}

    public static String render(Trace t) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(esc(title(t))).append("</title>\n")
                .append("<style>\n").append(resource("viewer.css")).append("</style>\n</head>\n<body>\n");
        header(out, t);
        out.append("<main>\n<div id=\"trace-wrap\">\n");
        table(out, t);
        out.append("</div>\n<aside id=\"state\" aria-live=\"polite\"><h2 id=\"state-title\">state</h2>"
                + "<div id=\"state-body\"></div></aside>\n</main>\n");
        violation(out, t);
        out.append("<script type=\"application/json\" id=\"mmx-data\">").append(data(t)).append("</script>\n")
                .append("<script>\n").append(resource("viewer.js")).append("</script>\n</body>\n</html>\n");
        return out.toString();
    }

    private static String title(Trace t) {
        return t.model() + " under " + t.memoryModel() + ": violates " + t.property();
    }

    private static void header(StringBuilder out, Trace t) {
        out.append("<header>\n<h1>").append(esc(t.model())).append(" <span class=\"verdict\">violates ")
                .append(esc(t.property())).append("</span></h1>\n<p class=\"run\">memory model <b>")
                .append(esc(t.memoryModel())).append("</b>");
        t.params().forEach((k, v) -> out.append(" &middot; ").append(esc(k)).append('=').append(v));
        out.append(" &middot; ").append(t.steps().size()).append(t.steps().size() == 1 ? " step" : " steps")
                .append("</p>\n<p class=\"keys\">Click a step or use &uarr; &darr; (Home, End) to see the state "
                        + "after it.");
        // a legend for the weak-memory marks this trace actually has
        if (has(t, "buffer")) {
            out.append(" <span class=\"fx-buffer\">enters store buffer</span>");
        }
        if (has(t, "flush")) {
            out.append(" <span class=\"fx-flush\">becomes visible</span>");
        }
        if (t.steps().stream().anyMatch(st -> OUT_OF_ORDER.matcher(st.note()).find())) {
            out.append(" <span class=\"ooo-key\">&#x21b6; out of program order</span>");
        }
        out.append("</p>\n</header>\n");
    }

    private static boolean has(Trace t, String kind) {
        return t.steps().stream().anyMatch(st -> st.effects().stream().anyMatch(e -> e.kind().equals(kind)));
    }

    private static void table(StringBuilder out, Trace t) {
        int cols = t.threads().size();
        out.append("<table id=\"trace\" style=\"--cpus: ").append(cols).append("\">\n<thead><tr><th class=\"n\">#</th>");
        for (String name : t.threads()) {
            out.append("<th class=\"cpu\">").append(esc(name)).append("</th>");
        }
        // a property broken before any step (an invariant false at the start) marks the initial row
        boolean brokeAtStart = t.steps().isEmpty();
        out.append("</tr></thead>\n<tbody>\n<tr class=\"step initial").append(brokeAtStart ? " broke" : "")
                .append("\" id=\"step-0\" data-step=\"0\"><td class=\"n\">0</td><td class=\"cell\" colspan=\"")
                .append(cols).append("\">initial state");
        if (brokeAtStart) {
            brokeNote(out, t);
        }
        out.append("</td></tr>\n");
        for (int i = 0; i < t.steps().size(); i++) {
            row(out, t, i, cols);
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void row(StringBuilder out, Trace t, int i, int cols) {
        Trace.TraceStep s = t.steps().get(i);
        boolean last = i == t.steps().size() - 1;
        boolean writeBack = s.note().equals("memory");
        List<String> classes = new ArrayList<>(List.of("step"));
        if (writeBack) {
            classes.add("writeback");
        }
        if (OUT_OF_ORDER.matcher(s.note()).find()) {
            classes.add("ooo");
        }
        if (last) {
            classes.add("broke");
        }
        out.append("<tr class=\"").append(String.join(" ", classes)).append("\" id=\"step-").append(s.index())
                .append("\" data-step=\"").append(s.index()).append("\" data-thread=\"").append(s.thread())
                .append("\"><td class=\"n\">").append(s.index()).append("</td>");
        // a step of no thread (the memory system as a whole, say) spans every column
        boolean ownColumn = s.thread() >= 0 && s.thread() < cols;
        for (int c = 0; c < cols; c++) {
            if (ownColumn && c != s.thread()) {
                out.append("<td></td>");
                continue;
            }
            out.append(ownColumn ? "<td class=\"cell\">" : "<td class=\"cell\" colspan=\"" + cols + "\">")
                    .append("<div class=\"op\">");
            if (s.line() > 0) {
                out.append("<span class=\"line\">").append(s.line()).append(":</span> ");
            }
            out.append(esc(s.op())).append("</div>");
            for (Trace.Effect e : s.effects()) {
                out.append("<div class=\"fx ").append(effectClass(e)).append("\">").append(esc(e.text()))
                        .append("</div>");
            }
            note(out, t, i);
            if (last) {
                brokeNote(out, t);
            }
            out.append("</td>");
            if (!ownColumn) {
                break;
            }
        }
        out.append("</tr>\n");
    }

    /** A CSS class per kind of effect; an unlock that only entered the buffer counts as buffered. */
    private static String effectClass(Trace.Effect e) {
        String kind = e.kind().equals("unlock") && e.value().equals("(buffered)") ? "buffer" : e.kind();
        return "fx-" + kind;
    }

    private static void note(StringBuilder out, Trace t, int i) {
        String note = t.steps().get(i).note();
        if (note.isEmpty()) {
            return;
        }
        if (note.equals("memory")) {
            return; // a write-back: the row's own style says it
        }
        Matcher m = OUT_OF_ORDER.matcher(note);
        boolean outOfOrder = m.find();
        int target = outOfOrder ? programOrderStep(t, i, Integer.parseInt(m.group(1))) : 0;
        out.append("<div class=\"note").append(outOfOrder ? " ooo-note" : "").append('"');
        if (target > 0) {
            out.append(" data-arrow-to=\"").append(target).append('"');
        }
        out.append('>').append(outOfOrder ? "&#x21b6; " : "").append(esc(note));
        if (target > 0) {
            out.append(" (step ").append(target).append(')');
        }
        out.append("</div>");
    }

    /**
     * The step where line {@code line} of the same thread sits in program order:
     * the nearest later step of that thread at that line (it was performed
     * after this one), else the nearest earlier one; 0 when there is none.
     */
    static int programOrderStep(Trace t, int i, int line) {
        Trace.TraceStep s = t.steps().get(i);
        for (int k = i + 1; k < t.steps().size(); k++) {
            Trace.TraceStep o = t.steps().get(k);
            if (o.thread() == s.thread() && o.line() == line && !o.note().equals("memory")) {
                return o.index();
            }
        }
        for (int k = i - 1; k >= 0; k--) {
            Trace.TraceStep o = t.steps().get(k);
            if (o.thread() == s.thread() && o.line() == line && !o.note().equals("memory")) {
                return o.index();
            }
        }
        return 0;
    }

    /** On the step that broke the property: which property, and the values that break it. */
    private static void brokeNote(StringBuilder out, Trace t) {
        out.append("<div class=\"broke-note\"><div class=\"what\">&#x2717; ")
                .append(t.property().equals("deadlock") ? "deadlock after this step" : "breaks " + esc(t.property()))
                .append("</div>");
        for (String v : t.values()) {
            out.append("<div class=\"why\">").append(esc(v)).append("</div>");
        }
        out.append("</div>");
    }

    private static void violation(StringBuilder out, Trace t) {
        out.append("<section id=\"violation\">\n<h2>").append(t.property().equals("deadlock") ? "DEADLOCK"
                : "VIOLATION of " + esc(t.property())).append("</h2>\n<p class=\"message\">")
                .append(esc(t.message())).append("</p>\n<ul class=\"values\">\n");
        for (String v : t.values()) {
            out.append("<li>").append(esc(v)).append("</li>\n");
        }
        out.append("</ul>\n</section>\n");
    }

    /** The data the script needs: the state panel's rows for each step, and what breaks the property. */
    private static String data(Trace t) {
        JsonObject o = new JsonObject();
        JsonArray states = new JsonArray();
        List<StatePanels.Section> last;
        if (t.hasStates()) {
            for (Map<String, Object> s : t.states()) {
                states.add(GSON.toJsonTree(StatePanels.sections(s)));
            }
            last = StatePanels.sections(t.states().get(t.states().size() - 1));
            o.addProperty("perStep", true);
        } else {
            // an older trace: only the final state is known
            last = StatePanels.sections(t.finalState());
            states.add(GSON.toJsonTree(last));
            o.addProperty("perStep", false);
        }
        o.add("states", states);
        o.add("breaking", GSON.toJsonTree(StatePanels.breaking(last, t.values())));
        o.addProperty("property", t.property());
        return GSON.toJson(o);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlTrace.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the viewer resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
