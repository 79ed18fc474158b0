package dev.mmx.cli;

import dev.mmx.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shared by the command-line tests: mmx runs in-process (see {@link Cli}) and
 * writes its traces and copied models into a fresh temporary directory, never
 * into counterexamples/.
 */
abstract class CommandTestBase {
    @TempDir
    Path tmp;

    Cli.Run run(Object... args) {
        return Cli.run(args);
    }

    /** The output with timings masked and the temporary directory shown as {@code <tmp>}. */
    String normal(String text) {
        return Cli.normalise(text, tmp);
    }

    /** Copies a fixture into the temporary directory, where a test may edit it. */
    Path copy(String fixture) throws IOException {
        return Files.copy(Fixtures.model(fixture), tmp.resolve(fixture + ".mmx"));
    }
}
