package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceStatesTest {
    private final Trace sb = Fixtures.trace(Fixtures.model("sb_lock.mmx"), "tso");

    @Test
    void recordsTheStateBeforeTheFirstStepAndAfterEveryStep() {
        assertEquals(18, sb.steps().size());
        assertEquals(19, sb.states().size());
        assertTrue(sb.hasStates());
        assertEquals(Map.of("lock", "free"), sb.states().get(0).get("locks"));
        assertEquals(Map.of("lock", "held by cpu0"), sb.states().get(1).get("locks"));
        // step 7 is cpu0's WRITE_ONCE(x, 1): the counter, the unlock and x all still sit in its buffer
        assertEquals(Map.of("cpu0", List.of("count = 1", "lock = free", "x = 1"), "cpu1", List.of()),
                sb.states().get(7).get("storeBuffers"));
        assertEquals(Map.of("x", "0", "y", "0", "count", "0"), sb.states().get(7).get("memory"));
        assertEquals(sb.finalState(), sb.states().get(18));
    }

    @Test
    void statesSurviveTheJsonFile() throws Exception {
        Trace back = TraceJson.parse("t.json", TraceJson.toJson(sb));
        assertEquals(sb.states(), back.states());
        assertEquals(TraceJson.toJson(sb), TraceJson.toJson(back));
    }

    @Test
    void tracesWithoutStatesStillRead() throws Exception {
        JsonObject o = JsonParser.parseString(TraceJson.toJson(sb)).getAsJsonObject();
        o.remove("initialState");
        o.getAsJsonArray("steps").forEach(s -> s.getAsJsonObject().remove("state"));
        Trace old = TraceJson.parse("old.json", o.toString());
        assertFalse(old.hasStates());
        assertEquals(List.of(), old.states());
        assertEquals(sb.steps(), old.steps());
        assertEquals(CpuColumns.render(sb), CpuColumns.render(old));
    }

    @Test
    void aTraceWithSomeStepStatesMissingIsRejected() {
        JsonObject o = JsonParser.parseString(TraceJson.toJson(sb)).getAsJsonObject();
        o.getAsJsonArray("steps").get(3).getAsJsonObject().remove("state");
        TraceJson.BadTrace e = assertThrows(TraceJson.BadTrace.class, () -> TraceJson.parse("t.json", o.toString()));
        assertEquals("t.json: 18 steps but 18 recorded states (expected the initial state and one after each "
                + "step); the file is inconsistent", e.getMessage());
    }
}
