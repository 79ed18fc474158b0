package dev.mmx.resolve;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.ModelParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An enum param is set by member name on the command line, and by number from traces and expect lines. */
class EnumParamTest {
    private static final String MODEL = "enum state { FREE, MAPPED, FREED };\nparam START = MAPPED;\n"
            + "thread t { skip; }\n";

    private static Resolver.Result resolve(String value) {
        ModelParser.Result parsed = ModelParser.parse("e.mmx", MODEL);
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        return Resolver.resolve(parsed.model(), Map.of("START", value), MemoryModels.names());
    }

    @Test
    void memberName() {
        assertEquals(2, resolve("FREED").resolved().params().get("START"));
    }

    @Test
    void memberNumberAsAnExpectVariantPassesIt() {
        assertEquals(0, resolve("0").resolved().params().get("START"));
    }

    @Test
    void numberOutOfRangeListsTheMembers() {
        assertEquals(List.of("<command line>: -D START=3: expected one of FREE, MAPPED, FREED"),
                resolve("3").diagnostics().stream().map(Diagnostic::toString).toList());
    }
}
