package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares rendered text with a golden file. Run the tests with
 * {@code -Dmmx.updateGolden=true} to rewrite the files, then review the diff.
 */
public final class Golden {
    private Golden() {}

    public static void check(String actual, Path golden) throws IOException {
        if (Boolean.getBoolean("mmx.updateGolden")) {
            Files.createDirectories(golden.getParent());
            Files.writeString(golden, actual);
        }
        assertEquals(Files.readString(golden), actual, "differs from " + golden);
    }
}
