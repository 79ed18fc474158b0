package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An invariant that is false before any thread moves: the verdict names it,
 * and the counterexample is the initial state itself, a trace of no step,
 * under every memory model.
 */
class InitialStateViolationTest extends CommandTestBase {
    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso", "arm"})
    void anInvariantFalseInTheInitialStateIsAViolationAfterNoStep(String mm) throws IOException {
        Path model = Files.writeString(tmp.resolve("start.mmx"),
                "shared int x = 1;\nthread t { WRITE_ONCE(x, 0); }\ninvariant zero: x == 0;\n");
        Path trace = tmp.resolve("t.json");
        Cli.Run r = run("check", model, "--mm", mm, "--trace-out", trace);

        assertEquals(1, r.exit());
        assertEquals("<tmp>/start.mmx under " + mm + ": violates zero\n"
                + "\n"
                + "     t\n"
                + "     ------------\n"
                + "\n"
                + "VIOLATION of zero: invariant zero (line 3) does not hold\n"
                + "    x = 1\n"
                + "\n"
                + "violation: zero after 0 steps (1 states, 0 transitions, depth 0)\n"
                + "trace: <tmp>/t.json\n", normal(r.out()));
        JsonObject json = JsonParser.parseString(Files.readString(trace)).getAsJsonObject();
        assertEquals("zero", json.getAsJsonObject("violation").get("property").getAsString());
        assertEquals(0, json.getAsJsonArray("steps").size());
        assertEquals(0, json.getAsJsonArray("transitions").size());
        assertEquals("1", json.getAsJsonObject("initialState").getAsJsonObject("memory").get("x").getAsString());
        assertEquals("1", json.getAsJsonObject("finalState").getAsJsonObject("memory").get("x").getAsString());
    }
}
