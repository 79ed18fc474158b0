package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import dev.mmx.trace.Trace;
import dev.mmx.trace.TraceBuilder;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Mistakes the model makes at run time are violations with a trace, under every memory model. */
class RuntimeFaultTest {

    static Stream<Arguments> faults() {
        Stream<Arguments> cases = Stream.of(
                // fixture, property, message (with the thread and line of the faulting step), steps to it
                Arguments.of("index_out_of_range", "index_out_of_range",
                        "index 2 is out of range for a[2] (valid: 0..1)", "t, line 7", 1),
                Arguments.of("division_by_zero", "division_by_zero", "division by zero: 10 / 0", "t, line 6", 1),
                Arguments.of("unlock_not_held", "unlock_not_held", "t releases l without holding it (it is free)",
                        "t, line 6", 1),
                // the first spin_lock succeeds; the second is the fault
                Arguments.of("double_lock", "double_lock", "t takes l again while holding it (self-deadlock)",
                        "t, line 7", 2),
                Arguments.of("up_read_not_held", "unlock_not_held",
                        "t releases s for read without holding it for read", "t, line 6", 1));
        return cases.flatMap(c -> Stream.of("sc", "tso").map(mm -> Arguments.of(c.get()[0], c.get()[1], c.get()[2],
                c.get()[3], c.get()[4], mm)));
    }

    @ParameterizedTest(name = "{0} under {5}")
    @MethodSource("faults")
    void faultIsAViolationWithATraceEndingInTheFault(String fixture, String property, String message, String where,
                                                    int steps, String mm) {
        Program p = Fixtures.program(fixture);
        Machine m = new Machine(p, mm, 4);
        Result r = Explorer.explore(m, Options.defaults());

        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals(property, r.violation().property());
        assertEquals(message + " (" + where + ")", r.violation().message());
        assertEquals(steps, r.path().length);

        Trace t = TraceBuilder.build(m, r.path(), r.violation(), fixture, mm, p.params(), List.of("t"));
        Trace.TraceStep last = t.steps().get(steps - 1);
        Trace.Effect fault = last.effects().get(last.effects().size() - 1);
        assertEquals("fault", fault.kind());
        assertEquals("FAULT: " + message, fault.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sc", "tso"})
    void registerOnlyLoopThatNeverStepsIsALivelockInTheInitialState(String mm) {
        Result r = Explorer.explore(new Machine(Fixtures.program("livelock"), mm, 4), Options.defaults());

        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("livelock", r.violation().property());
        // the loop is folded into the initial state, so there is no step before it
        assertEquals("a loop that reads only registers never reaches a step (it spins forever without touching "
                + "memory) (t, line 6)", r.violation().message());
        assertEquals(0, r.path().length);
    }
}
