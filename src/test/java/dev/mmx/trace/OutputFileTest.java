package dev.mmx.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesARegularFileWhole() throws Exception {
        Path f = dir.resolve("t.json");
        Files.writeString(f, "old contents that are longer");
        OutputFile.write(f, "new");
        assertEquals("new", Files.readString(f));
        try (var list = Files.list(dir)) {
            assertEquals(1, list.count(), "no temporary file is left behind");
        }
    }

    /** Renaming over a link (or over /dev/null, which root can do) would replace it instead of writing through it. */
    @Test
    void writesThroughASymbolicLinkInsteadOfReplacingIt() throws Exception {
        Path target = dir.resolve("real.json");
        Files.writeString(target, "");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), target);
        OutputFile.write(link, "through");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("through", Files.readString(target));
    }

    @Test
    void createsMissingFolders() throws Exception {
        Path f = dir.resolve("a/b/c.json");
        OutputFile.write(f, "x");
        assertEquals("x", Files.readString(f));
    }
}
