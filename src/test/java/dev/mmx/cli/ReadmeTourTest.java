package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's tour shows what mmx prints: its stale-TLB-write example is run here and compared. */
class ReadmeTourTest extends CommandTestBase {
    private static final Pattern BLOCKS = Pattern.compile("```c\\n(.*?)```.*?```\\n(.*?)```", Pattern.DOTALL);

    @Test
    void theStaleWriteThroughATlbEntryPrintsWhatTheReadmeShows() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        int at = readme.indexOf("### A write through a stale TLB entry");
        assertTrue(at >= 0, "the README has the section");
        Matcher m = BLOCKS.matcher(readme.substring(at));
        assertTrue(m.find(), "the section has a model and its output");
        Path model = tmp.resolve("mprotect.mmx");
        Files.writeString(model, m.group(1));
        Cli.Run r = run("check", model, "--trace-out", tmp.resolve("t.json"));
        assertEquals(1, r.exit());
        String shown = m.group(2).replace("trace: counterexamples/mprotect-LOCAL=1-sc.json", "trace: <tmp>/t.json");
        assertEquals(shown, normal(r.out()).replace("<tmp>/mprotect.mmx", "mprotect.mmx"));
    }
}
