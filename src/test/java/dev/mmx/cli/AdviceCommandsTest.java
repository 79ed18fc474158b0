package dev.mmx.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** mmx explain and mmx fences on the command line: output, JSON, exit codes, and diffs that patch applies. */
class AdviceCommandsTest extends CommandTestBase {
    private static final Path DIR = Path.of("src", "test", "resources", "advise");
    private static final Path GUP = Path.of("models", "gup_fast_anon_exclusive.mmx");

    private Path model(String shape) throws IOException {
        return Files.copy(DIR.resolve(shape + ".mmx"), tmp.resolve(shape + ".mmx"));
    }

    @Test
    void fencesPrintsStoreBufferingsFixAsADiff() throws IOException {
        Path sb = model("sb");
        Cli.Run r = run("fences", sb, "--mm", "tso");

        assertEquals(0, r.exit(), r.err());
        String name = Pipeline.display(sb);
        assertEquals(name + " under tso: 1 minimal fix (6 checks)\n"
                + "\n"
                + "fix 1: 2 changes, cost 4; passes under tso in 31 states\n"
                + "  smp_mb() before line 8 in cpu0\n"
                + "  smp_mb() before line 14 in cpu1\n"
                + "--- " + name + "\n"
                + "+++ " + name + "\n"
                + "@@ -5,12 +5,14 @@\n"
                + " thread cpu0 {\n     int r0;\n     WRITE_ONCE(x, 1);\n+    smp_mb();\n     r0 = READ_ONCE(y);\n }\n \n"
                + " thread cpu1 {\n     int r1;\n     WRITE_ONCE(y, 1);\n+    smp_mb();\n     r1 = READ_ONCE(x);\n }\n \n",
                r.out());
    }

    @Test
    void fencesJsonHasTheFixesTheChecksAndTheTime() throws IOException {
        Cli.Run r = run("fences", model("mp"), "--mm", "arm", "--json");

        assertEquals(0, r.exit(), r.err());
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(Set.of("memoryModel", "answer", "note", "fixes", "checks", "seconds"), o.keySet());
        assertEquals("fixes", o.get("answer").getAsString());
        assertEquals(21, o.get("checks").getAsInt());
        assertTrue(o.get("seconds").getAsDouble() >= 0);
        JsonArray fixes = o.getAsJsonArray("fixes");
        assertEquals(9, fixes.size());
        JsonObject first = fixes.get(0).getAsJsonObject();
        assertEquals(Set.of("changes", "cost", "diff", "states"), first.keySet());
        assertEquals(13, first.get("states").getAsInt());
        JsonObject wmb = first.getAsJsonArray("changes").get(0).getAsJsonObject();
        assertEquals("smp_wmb", wmb.get("primitive").getAsString());
        assertEquals("writer", wmb.get("thread").getAsString());
        assertEquals(7, wmb.get("line").getAsInt());
    }

    @Test
    void everyDiffAppliedWithPatchPassesCheck() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patch")), "needs patch(1)");
        List<String> failures = new ArrayList<>();
        int applied = 0;
        for (String[] c : List.of(new String[] {"mp", "arm"}, new String[] {"sb", "tso"}, new String[] {"r", "arm"})) {
            applied += applyAll(DIR.resolve(c[0] + ".mmx"), c[1], List.of(), failures);
        }
        applied += applyAll(GUP, "arm", List.of("-D", "KSM_MB=0", "-D", "GUP_MB=0", "-D", "WMB_RMB=0", "-D", "PTE_UNCHANGED=1"), failures);
        assertEquals(List.of(), failures);
        // mp 9, sb 1, r 3, GUP-fast without barriers 9
        assertEquals(22, applied);
    }

    private int applyAll(Path source, String mm, List<String> defines, List<String> failures) throws Exception {
        List<Object> args = new ArrayList<>(List.of("fences", source, "--mm", mm, "--json"));
        args.addAll(defines);
        Cli.Run r = run(args.toArray());
        assertEquals(0, r.exit(), r.err());
        int n = 0;
        for (JsonElement f : JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("fixes")) {
            Path copy = tmp.resolve("fix" + n + "-" + source.getFileName());
            Files.copy(source, copy);
            Path diff = tmp.resolve("fix" + n + ".diff");
            Files.writeString(diff, f.getAsJsonObject().get("diff").getAsString());
            Process p = new ProcessBuilder("patch", "--quiet", copy.toString(), diff.toString())
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                failures.add(source + " fix " + n + ": patch failed: " + said);
            }
            List<Object> check = new ArrayList<>(List.of("check", copy, "--mm", mm,
                    "--trace-out", tmp.resolve("t.json")));
            check.addAll(defines);
            Cli.Run c = run(check.toArray());
            if (c.exit() != 0) {
                failures.add(source + " fix " + n + " under " + mm + ": " + c.out());
            }
            n++;
        }
        return n;
    }

    @Test
    void gupFastWithoutTheMbPairNeedsNothingOnTsoAndTheKernelsPairOnArm() {
        Cli.Run r = run("fences", GUP, "--mm", "all", "-D", "KSM_MB=0", "-D", "GUP_MB=0");

        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith(GUP + " under tso: the model already passes under tso (2 checks)\n"
                + GUP + " under arm: 1 minimal fix (9 checks)\n\n"
                + "fix 1: 2 changes, cost 4; passes under arm in 467 states\n"
                + "  smp_mb() before line 67 in ksm\n"
                + "  smp_mb__after_atomic() before line 86 in gup_fast\n"), r.out());
    }

    @Test
    void noFixWithinTheLimitExits1() throws IOException {
        Cli.Run r = run("fences", model("sb"), "--mm", "tso", "--max-changes", "1");

        assertEquals(1, r.exit());
        assertEquals(Pipeline.display(tmp.resolve("sb.mmx")) + " under tso: no fix within 1 change (4 checks)\n",
                r.out());
    }

    @Test
    void aModelThatAlreadyPassesHasNothingToFix() throws IOException {
        Cli.Run r = run("fences", model("mp"), "--mm", "tso");

        assertEquals(0, r.exit());
        assertEquals(Pipeline.display(tmp.resolve("mp.mmx")) + " under tso: the model already passes under tso "
                + "(2 checks)\n", r.out());
    }

    @Test
    void aRaceUnderScIsNotFixedByBarriersAndExits1() throws IOException {
        Cli.Run r = run("fences", model("lost_update"), "--mm", "arm");

        assertEquals(1, r.exit());
        assertTrue(r.out().endsWith("under arm: the model violates exists under sc, where nothing is reordered, so "
                + "no barrier can fix it (1 check)\n"), r.out());
    }

    @Test
    void explainNamesStoreBufferingAndMarksTheTrace() throws IOException {
        Path trace = tmp.resolve("sb.json");
        Cli.Run r = run("explain", model("sb"), "--mm", "tso", "--trace-out", trace, "--html");

        assertEquals(1, r.exit(), r.err());
        String name = Pipeline.display(tmp.resolve("sb.mmx"));
        assertTrue(r.out().startsWith(name + ": passes under sc (12 states); violates exists under tso.\n"), r.out());
        assertTrue(r.out().contains("\nThe counterexample relies on 2 reorderings:\n"
                + "  [1] cpu0's load at line 8 (r0 = READ_ONCE(y);) was performed before its store at line 7 "
                + "(WRITE_ONCE(x, 1);) became visible to other CPUs: the store was still in the store buffer "
                + "(step 2).\n"
                + "      Keeping line 7 before line 8 in cpu0 rules this trace out: smp_mb() between them.\n"), r.out());
        String page = Files.readString(tmp.resolve("sb.html"));
        assertTrue(page.contains("[1] store buffering: before line 7"), "the HTML page carries the marks");
        assertTrue(Files.readString(trace).contains("[2] store buffering: before line 13"));
    }

    @Test
    void explainOfAPassingModelExits0() throws IOException {
        Cli.Run r = run("explain", model("mp"), "--mm", "tso");

        assertEquals(0, r.exit());
        assertEquals(Pipeline.display(tmp.resolve("mp.mmx")) + ": passes under sc (12 states); passes under tso (23 "
                + "states).\nNothing to explain: no reordering tso allows breaks the model.\n", r.out());
    }

    @Test
    void inputErrorsArePositionedAndExit2() throws IOException {
        Path bad = model("bad");
        String where = Pipeline.display(bad);
        for (String command : List.of("explain", "fences")) {
            Cli.Run r = run(command, bad);
            assertEquals(2, r.exit(), command);
            assertEquals(where + ":4:16: unknown name 'y'; did you mean 'x'?\n", r.err(), command);
            assertEquals("", r.out(), command);
        }
        Set<String> usage = new TreeSet<>();
        for (Cli.Run r : List.of(run("fences", model("sb"), "--mm", "sc"),
                run("explain", tmp.resolve("sb.mmx"), "--mm", "lkmm"),
                run("fences", tmp.resolve("sb.mmx"), "--max-changes", "0"),
                run("fences", tmp.resolve("missing.mmx")))) {
            assertEquals(2, r.exit(), r.err());
            usage.add(r.err());
        }
        assertEquals(new TreeSet<>(List.of(
                "mmx explain: --mm must be tso or arm, not 'lkmm'\n",
                "mmx fences: --max-changes must be between 1 and 8\n",
                "mmx fences: --mm must be tso, arm or all, not 'sc'\n",
                Pipeline.display(tmp.resolve("missing.mmx")) + ": no such file\n")), usage);
    }
}
