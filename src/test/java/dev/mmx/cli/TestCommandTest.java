package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** mmx test: the expectation table and its exit code. */
class TestCommandTest extends CommandTestBase {
    /** The table's rows, each split into model, variant, mm, result, verdict. */
    private List<List<String>> rows(String out) {
        return Arrays.stream(normal(out).split("\n")).skip(1).takeWhile(l -> !l.isEmpty())
                .map(l -> List.of(l.trim().split(" {2,}"))).toList();
    }

    @Test
    void testExits0WhenEveryExpectationHolds() throws IOException {
        copy("lost_update");
        copy("critical_section");
        Cli.Run r = run("test", tmp);

        assertEquals(0, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/critical_section.mmx", "-", "sc", "pass", "ok"),
                List.of("<tmp>/lost_update.mmx", "-", "sc", "violates forall", "ok"),
                List.of("<tmp>/lost_update.mmx", "-", "tso", "violates forall", "ok")), rows(r.out()));
        assertTrue(r.out().endsWith("\n3 expectations checked in 2 models: 3 as expected, 0 differ\n"), r.out());
    }

    @Test
    void testOfOneModelFileSaysOneModel() {
        Cli.Run r = run("test", Fixtures.model("critical_section"));

        assertEquals(0, r.exit());
        assertTrue(r.out().endsWith("\n1 expectation checked in 1 model: 1 as expected, 0 differ\n"), r.out());
    }

    @Test
    void testExits1WhenAnExpectationDiffers() throws IOException {
        copy("critical_section");
        Files.writeString(tmp.resolve("wrong.mmx"), Fixtures.text(Fixtures.model("lost_update"))
                .replace("expect sc, tso: violates forall;", "expect sc: pass;"));
        Cli.Run r = run("test", tmp);

        assertEquals(1, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/critical_section.mmx", "-", "sc", "pass", "ok"),
                List.of("<tmp>/wrong.mmx", "-", "sc", "violates forall", "DIFFERS: expected pass")), rows(r.out()));
        assertTrue(r.out().endsWith("\n2 expectations checked in 2 models: 1 as expected, 1 differ\n"), r.out());
    }

    @Test
    void aLatentLockOrderCycleIsItsOwnResult() throws IOException {
        copy("latent_abba");
        Files.writeString(tmp.resolve("wrong.mmx"), Fixtures.text(Fixtures.model("latent_abba"))
                .replace("expect [TRY=0] sc, tso: lockorder;", "expect [TRY=0] sc: pass;"));
        Cli.Run r = run("test", tmp);

        assertEquals(1, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/latent_abba.mmx", "TRY=0", "sc", "lock-order cycle", "ok"),
                List.of("<tmp>/latent_abba.mmx", "TRY=0", "tso", "lock-order cycle", "ok"),
                List.of("<tmp>/latent_abba.mmx", "TRY=1", "sc", "pass", "ok"),
                List.of("<tmp>/latent_abba.mmx", "TRY=1", "tso", "pass", "ok"),
                List.of("<tmp>/latent_abba.mmx", "READ=1", "sc", "lock-order cycle", "ok"),
                List.of("<tmp>/wrong.mmx", "TRY=0", "sc", "lock-order cycle", "DIFFERS: expected pass"),
                List.of("<tmp>/wrong.mmx", "TRY=1", "sc", "pass", "ok"),
                List.of("<tmp>/wrong.mmx", "TRY=1", "tso", "pass", "ok"),
                List.of("<tmp>/wrong.mmx", "READ=1", "sc", "lock-order cycle", "ok")), rows(r.out()));
    }

    @Test
    void testTakesSeveralFilesAndDirectoriesOnce() throws IOException {
        copy("critical_section");
        java.nio.file.Path sub = Files.createDirectory(tmp.resolve("more"));
        Files.copy(Fixtures.model("lost_update"), sub.resolve("lost_update.mmx"));
        // the directory holds critical_section.mmx itself: it is tested once
        Cli.Run r = run("test", sub, tmp.resolve("critical_section.mmx"), tmp);

        assertEquals(0, r.exit());
        assertEquals(List.of(
                List.of("<tmp>/more/lost_update.mmx", "-", "sc", "violates forall", "ok"),
                List.of("<tmp>/more/lost_update.mmx", "-", "tso", "violates forall", "ok"),
                List.of("<tmp>/critical_section.mmx", "-", "sc", "pass", "ok")), rows(r.out()));
        assertTrue(r.out().endsWith("\n3 expectations checked in 2 models: 3 as expected, 0 differ\n"), r.out());
    }

    @Test
    void aModelWithoutExpectationsRunsUnderEveryMemoryModelWithMmAll() throws IOException {
        Files.writeString(tmp.resolve("plain.mmx"), "shared int x;\nthread a { x = 1; }\nthread b { int r; r = x; }\n"
                + "forall (b.r == 1);\n");
        Cli.Run all = run("test", tmp.resolve("plain.mmx"), "--mm", "all");
        assertEquals(0, all.exit());
        assertEquals(List.of(
                List.of("<tmp>/plain.mmx", "-", "sc", "violates forall", "(no expectation)"),
                List.of("<tmp>/plain.mmx", "-", "tso", "violates forall", "(no expectation)"),
                List.of("<tmp>/plain.mmx", "-", "arm", "violates forall", "(no expectation)")), rows(all.out()));
        // without --mm there is nothing to check, as before
        Cli.Run none = run("test", tmp.resolve("plain.mmx"));
        assertTrue(none.out().endsWith("\n0 expectations checked in 1 model: 0 as expected, 0 differ\n"), none.out());
        assertEquals(List.of(List.of("<tmp>/plain.mmx", "-", "tso", "violates forall", "(no expectation)")),
                rows(run("test", tmp.resolve("plain.mmx"), "--mm", "tso").out()));
    }

    @Test
    void aPathThatIsNotThereIsBadInput() {
        Cli.Run r = run("test", tmp.resolve("nothing.mmx"));
        assertEquals(2, r.exit());
        assertEquals("mmx test: " + tmp.resolve("nothing.mmx") + ": no such file or directory\n", r.err());
    }
}
