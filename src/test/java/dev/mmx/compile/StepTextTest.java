package dev.mmx.compile;

import dev.mmx.memory.MemoryModels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.lang.ModelParser;
import dev.mmx.resolve.Resolver;
import dev.mmx.system.Instr;
import dev.mmx.system.Program;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text a trace shows for each step of a thread. */
class StepTextTest {
    private static List<String> steps(String text) {
        ModelParser.Result parsed = ModelParser.parse("t.mmx", text);
        assertTrue(parsed.ok(), () -> parsed.diagnostics().toString());
        Resolver.Result resolved = Resolver.resolve(parsed.model(), Map.of(), MemoryModels.names());
        assertTrue(resolved.ok(), () -> resolved.diagnostics().toString());
        Compiler.Result compiled = Compiler.compile(resolved.resolved());
        assertTrue(compiled.ok(), () -> compiled.diagnostics().toString());
        Program.ThreadCode t = compiled.program().threads().get(0);
        return Arrays.stream(t.code()).filter(i -> !Instr.folded(i))
                .map(i -> i.src().line() + ": " + i.src().text()).toList();
    }

    private static final String TLB = """
            ghost bool tlb[2][2];
            proc flush_tlb(addr) {
                atomic {
                    for (c in 0..1) {
                        tlb[c][addr] = false;
                    }
                }
            }
            """;

    @Test
    void procedureThatIsOneAtomicBlockReadsAsItsCall() {
        assertEquals(List.of("10: flush_tlb(1);", "9: (end of t)"),
                steps(TLB + "thread t {\n    flush_tlb(1);\n}\n"));
    }

    @Test
    void atomicBlockStartingWithALoopHasAPlaceholderText() {
        assertEquals(List.of("3: atomic { ... }", "2: (end of t)"),
                steps("ghost bool g[2];\nthread t {\n    atomic { for (c in 0..1) { g[c] = true; } }\n}\n"));
    }

    @Test
    void procedureWithMoreThanTheBlockKeepsItsStatements() {
        assertEquals(List.of("3: x = 1;", "4: atomic { x = 2; ... }", "6: (end of t)"),
                steps("shared int x;\nproc p() {\n    x = 1;\n    atomic { x = 2; }\n}\nthread t {\n    p();\n}\n"));
    }
}
