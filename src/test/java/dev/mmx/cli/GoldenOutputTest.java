package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.trace.CpuColumns;
import dev.mmx.trace.TraceJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole text of {@code mmx check} on violating fixtures, against {@code x.expected}
 * beside {@code x.mmx}. Two things vary between runs and are masked before comparing
 * (see {@link Cli#normalise}): the timing in the summary line, "0.01 s, 1030 states/s",
 * becomes {@code <time>}, and the temporary trace directory becomes {@code <tmp>}.
 *
 * <p>After a deliberate change to the output, refresh the files with
 * {@code mvn test -Dtest=GoldenOutputTest -Dmmx.updateGolden=true} and review the diff.
 */
class GoldenOutputTest {
    private static final boolean UPDATE = Boolean.getBoolean("mmx.updateGolden");

    @TempDir
    Path tmp;

    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("lost_update", List.of()),
                Arguments.of("store_buffering", List.of("--mm", "tso")),
                Arguments.of("abba", List.of()),
                Arguments.of("double_lock", List.of()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("violations")
    void checkOutputMatchesTheGoldenFile(String fixture, List<String> options) throws Exception {
        Path trace = tmp.resolve(fixture + ".json");
        List<Object> args = new ArrayList<>(List.of("check", Fixtures.model(fixture)));
        args.addAll(options);
        args.addAll(List.of("--trace-out", trace));
        Cli.Run r = Cli.run(args.toArray());

        assertEquals(1, r.exit());
        // stdout carries no timings (they go to stderr), so it is compared whole
        assertTrue(Cli.normalise(r.err(), tmp).startsWith("mmx: <time>, peak heap "), r.err());
        // the check output opens with exactly what 'mmx show' renders from the saved trace
        assertTrue(r.out().startsWith(CpuColumns.render(TraceJson.read(trace))));
        String actual = Cli.normalise(r.out(), tmp);
        Path golden = Fixtures.MODELS.resolve(fixture + ".expected");
        if (UPDATE) {
            Files.writeString(golden, actual);
            return;
        }
        assertTrue(Files.exists(golden), "no golden file " + golden + "; create it with -Dmmx.updateGolden=true "
                + "and review it");
        assertEquals(Files.readString(golden), actual);
    }
}
