package dev.mmx.trace;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and writes trace files. Writing is atomic: a temporary file, then a rename. */
public final class TraceJson {
    public static final int FORMAT = 1;
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private TraceJson() {}

    /** A trace file that cannot be read, with a sentence saying why. */
    public static final class BadTrace extends Exception {
        public BadTrace(String message) {
            super(message);
        }
    }

    public static String toJson(Trace t) {
        JsonObject o = new JsonObject();
        o.addProperty("mmxTrace", FORMAT);
        o.addProperty("model", t.model());
        o.addProperty("memoryModel", t.memoryModel());
        o.add("params", GSON.toJsonTree(t.params()));
        o.add("threads", GSON.toJsonTree(t.threads()));
        JsonObject v = new JsonObject();
        v.addProperty("property", t.property());
        v.addProperty("message", t.message());
        v.add("values", GSON.toJsonTree(t.values()));
        o.add("violation", v);
        if (t.hasStates()) {
            o.add("initialState", GSON.toJsonTree(t.states().get(0)));
        }
        JsonArray steps = new JsonArray();
        for (int i = 0; i < t.steps().size(); i++) {
            JsonObject step = GSON.toJsonTree(t.steps().get(i)).getAsJsonObject();
            if (t.hasStates()) {
                step.add("state", GSON.toJsonTree(t.states().get(i + 1)));
            }
            steps.add(step);
        }
        o.add("steps", steps);
        o.add("transitions", GSON.toJsonTree(t.transitions()));
        o.add("finalState", GSON.toJsonTree(t.finalState()));
        return GSON.toJson(o) + "\n";
    }

    public static void write(Trace t, Path file) throws IOException {
        OutputFile.write(file, toJson(t));
    }

    public static Trace read(Path file) throws BadTrace {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadTrace(file + ": no such file");
        } catch (IOException e) {
            throw new BadTrace("cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), text);
    }

    public static Trace parse(String name, String text) throws BadTrace {
        JsonObject o;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) {
                throw new BadTrace(name + ": not an mmx trace (expected a JSON object)");
            }
            o = e.getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new BadTrace(name + ": " + syntaxError(String.valueOf(e.getMessage())));
        }
        try {
            if (!o.has("mmxTrace")) {
                throw new BadTrace(name + ": not an mmx trace (no \"mmxTrace\" field)");
            }
            if (o.get("mmxTrace").getAsInt() != FORMAT) {
                throw new BadTrace(name + ": trace format " + o.get("mmxTrace") + " is not supported (expected "
                        + FORMAT + ")");
            }
            String model = string(o, "model", name);
            String mm = string(o, "memoryModel", name);
            Map<String, Integer> params = GSON.fromJson(need(o, "params", name),
                    new TypeToken<LinkedHashMap<String, Integer>>() { }.getType());
            List<String> threads = GSON.fromJson(need(o, "threads", name),
                    new TypeToken<List<String>>() { }.getType());
            JsonObject v = need(o, "violation", name).getAsJsonObject();
            List<String> values = GSON.fromJson(need(v, "values", name), new TypeToken<List<String>>() { }.getType());
            List<Trace.TraceStep> steps = new ArrayList<>();
            List<Map<String, Object>> states = new ArrayList<>();
            if (o.has("initialState")) {
                states.add(stateMap(o.get("initialState")));
            }
            for (JsonElement s : need(o, "steps", name).getAsJsonArray()) {
                Trace.TraceStep step = GSON.fromJson(s, Trace.TraceStep.class);
                if (step == null || step.op() == null || step.effects() == null) {
                    throw new BadTrace(name + ": a step is incomplete");
                }
                steps.add(step);
                if (s.getAsJsonObject().has("state")) {
                    states.add(stateMap(s.getAsJsonObject().get("state")));
                }
            }
            // per-step states are optional (older traces lack them), but all or none
            if (!states.isEmpty() && states.size() != steps.size() + 1) {
                throw new BadTrace(name + ": " + steps.size() + " steps but " + states.size() + " recorded states "
                        + "(expected the initial state and one after each step); the file is inconsistent");
            }
            int[] transitions = GSON.fromJson(need(o, "transitions", name), int[].class);
            Map<String, Object> fin = o.has("finalState") ? stateMap(o.get("finalState")) : Map.of();
            if (transitions.length != steps.size()) {
                throw new BadTrace(name + ": " + steps.size() + " steps but " + transitions.length
                        + " transitions; the file is inconsistent");
            }
            return new Trace(model, mm, params, threads, string(v, "property", name), string(v, "message", name),
                    values, steps, transitions, fin, states);
        } catch (JsonParseException | IllegalStateException | ClassCastException | NullPointerException
                 | UnsupportedOperationException | NumberFormatException e) {
            throw new BadTrace(name + ": malformed trace (" + firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private static Map<String, Object> stateMap(JsonElement e) {
        Map<String, Object> m = GSON.fromJson(e, new TypeToken<LinkedHashMap<String, Object>>() { }.getType());
        if (m == null) {
            throw new IllegalStateException("a state is null");
        }
        return m;
    }

    private static JsonElement need(JsonObject o, String field, String name) throws BadTrace {
        JsonElement e = o.get(field);
        if (e == null || e.isJsonNull()) {
            throw new BadTrace(name + ": malformed trace (missing \"" + field + "\")");
        }
        return e;
    }

    private static String string(JsonObject o, String field, String name) throws BadTrace {
        return need(o, field, name).getAsString();
    }

    private static final Pattern WHERE = Pattern.compile("at line (\\d+) column (\\d+)");

    /**
     * Gson's messages name its exception classes and JSON paths; a user needs
     * only whether the file stops early (an interrupted write) or is garbled, and where.
     */
    private static String syntaxError(String gson) {
        Matcher m = WHERE.matcher(gson);
        String where = m.find() ? " at line " + m.group(1) + ", column " + m.group(2) : "";
        if (gson.contains("End of input")) {
            return "the file ends early" + where + "; it is truncated (an interrupted write?)";
        }
        return "not valid JSON" + where + "; the file is corrupt";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
