package dev.mmx.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The litmus corpora under src/test/resources are copies of the shared ones
 * beside the project (../shared/NAME, herd7's answers), kept so that a clean
 * clone runs them too. Where the shared folder exists, the copy must equal it
 * file for file; elsewhere (CI) there is nothing to compare with.
 */
class LitmusCorpusCopyTest {

    @ParameterizedTest
    @ValueSource(strings = {"litmus", "litmus-rmw"})
    void copyEqualsTheSharedCorpus(String name) throws IOException, URISyntaxException {
        Path shared = Path.of("..", "shared", name);
        Assumptions.assumeTrue(Files.isDirectory(shared), "no shared corpus at " + shared.toAbsolutePath());
        Path copy = Path.of(LitmusCorpusCopyTest.class.getResource("/" + name).toURI());
        assertEquals(List.of(), differences(shared, copy), "src/test/resources/" + name + " differs from " + shared
                + "; copy the shared corpus again");
    }

    @Test
    void aChangedMissingOrExtraFileIsADifference(@TempDir Path dir) throws IOException {
        Path shared = Files.createDirectories(dir.resolve("shared/C"));
        Path copy = Files.createDirectories(dir.resolve("copy/C"));
        for (Path d : List.of(shared, copy)) {
            Files.writeString(d.resolve("same.litmus"), "C same\n");
        }
        Files.writeString(shared.resolve("t.litmus.expected"), "States 3\n");
        Files.writeString(copy.resolve("t.litmus.expected"), "States 4\n");
        Files.writeString(shared.resolve("new.litmus"), "C new\n");
        Files.writeString(copy.resolve("old.litmus"), "C old\n");
        assertEquals(List.of("C/new.litmus: missing from the copy", "C/old.litmus: not in the shared corpus",
                "C/t.litmus.expected: differs"), differences(shared.getParent(), copy.getParent()));
    }

    /** Files only in one folder, or whose bytes differ, as relative paths with a word saying which. */
    static List<String> differences(Path shared, Path copy) throws IOException {
        TreeSet<String> all = new TreeSet<>(files(shared));
        all.addAll(files(copy));
        List<String> out = new ArrayList<>();
        for (String f : all) {
            Path a = shared.resolve(f);
            Path b = copy.resolve(f);
            if (!Files.exists(b)) {
                out.add(f + ": missing from the copy");
            } else if (!Files.exists(a)) {
                out.add(f + ": not in the shared corpus");
            } else if (Files.mismatch(a, b) >= 0) {
                out.add(f + ": differs");
            }
        }
        return out;
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }
}
