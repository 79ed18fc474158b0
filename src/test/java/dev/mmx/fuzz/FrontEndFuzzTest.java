package dev.mmx.fuzz;

import dev.mmx.memory.MemoryModels;
import dev.mmx.memory.Bounds;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.cli.LitmusRun;
import dev.mmx.cli.Pipeline;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.litmus.LitmusTest;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.TransitionSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Feeds seeded mutations of every model in models/ to the front end (and the
 * accepted ones to a short exploration under every memory model): nothing may
 * throw, nothing may hang, and every rejection must carry a position. A failure
 * prints the seed and the input, so it can be reproduced.
 */
class FrontEndFuzzTest {
    private static final long SEED = 20261123L;
    private static final int MUTANTS_PER_MODEL = 400;
    private static final long SECONDS_PER_INPUT = 30;
    private static final int LITMUS_MUTANTS = 15;

    private record Outcome(boolean rejected, String problem) {}

    @Test
    void mutatedModelsNeverCrashOrHang() throws Exception {
        List<Path> models;
        try (Stream<Path> s = Files.walk(Path.of("models"))) {
            models = s.filter(p -> p.toString().endsWith(".mmx")).sorted().toList();
        }
        Random random = new Random(SEED);
        int tried = 0;
        int rejected = 0;
        int crashes = 0;
        int hangs = 0;
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "fuzz", 64L << 20);
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path model : models) {
                String original = Files.readString(model);
                for (int i = 0; i < MUTANTS_PER_MODEL; i++) {
                    long seed = random.nextLong();
                    String input = Mutator.mutate(original, new Random(seed));
                    tried++;
                    Future<Outcome> f = pool.submit(() -> run(model.toString(), input));
                    try {
                        Outcome o = f.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
                        if (o.rejected()) {
                            rejected++;
                        }
                        if (o.problem() != null) {
                            crashes++;
                            problems.add(report(model, seed, o.problem(), input));
                        }
                    } catch (TimeoutException e) {
                        hangs++;
                        f.cancel(true);
                        problems.add(report(model, seed, "no answer within " + SECONDS_PER_INPUT + " s", input));
                        pool.shutdownNow();
                        pool = Executors.newSingleThreadExecutor();
                    } catch (ExecutionException e) {
                        crashes++;
                        problems.add(report(model, seed, String.valueOf(e.getCause()), input));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("fuzz: %d inputs tried, %d rejected cleanly, %d accepted, crashes = %d, hangs = %d%n",
                tried, rejected, tried - rejected - crashes - hangs, crashes, hangs);
        problems.stream().limit(3).forEach(System.out::println);
        assertEquals(0, crashes, "crashes");
        assertEquals(0, hangs, "hangs");
        assertTrue(rejected > tried / 4, "most mutants should be rejected: " + rejected + " of " + tried);
    }

    @Test
    void mutatedLitmusTestsNeverCrashOrHang() throws Exception {
        List<Path> tests;
        try (Stream<Path> s = Files.walk(Path.of("src/test/resources/litmus"))) {
            tests = s.filter(p -> p.toString().endsWith(".litmus")).sorted().toList();
        }
        Random random = new Random(SEED + 1);
        int tried = 0;
        int rejected = 0;
        List<String> problems = new ArrayList<>();
        ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(null, r, "fuzz-litmus", 64L << 20);
            t.setDaemon(true);
            return t;
        });
        try {
            for (Path test : tests) {
                String original = Files.readString(test);
                for (int i = 0; i < LITMUS_MUTANTS; i++) {
                    long seed = random.nextLong();
                    String input = Mutator.mutate(original, new Random(seed));
                    tried++;
                    Future<Outcome> f = pool.submit(() -> runLitmus(test.toString(), input));
                    try {
                        Outcome o = f.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
                        rejected += o.rejected() ? 1 : 0;
                        if (o.problem() != null) {
                            problems.add(report(test, seed, o.problem(), input));
                        }
                    } catch (TimeoutException e) {
                        f.cancel(true);
                        problems.add(report(test, seed, "no answer within " + SECONDS_PER_INPUT + " s", input));
                        pool.shutdownNow();
                        pool = Executors.newSingleThreadExecutor();
                    } catch (ExecutionException e) {
                        problems.add(report(test, seed, String.valueOf(e.getCause()), input));
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("fuzz litmus: %d inputs tried, %d rejected cleanly, %d answered, problems = %d%n",
                tried, rejected, tried - rejected - problems.size(), problems.size());
        problems.stream().limit(3).forEach(System.out::println);
        assertEquals(List.of(), problems.stream().map(p -> p.substring(0, Math.min(200, p.length()))).toList());
        assertTrue(rejected > tried / 4, "most mutants should be rejected: " + rejected + " of " + tried);
    }

    /** Imports one litmus input and, if it imports, answers it with small limits. */
    private static Outcome runLitmus(String name, String input) {
        try {
            LitmusParser.Result parsed = LitmusParser.parse(name, input);
            if (!parsed.ok()) {
                return positioned(parsed.diagnostics());
            }
            LitmusTest test = parsed.test();
            Pipeline.Loaded loaded = Pipeline.compile(test.model(), Map.of());
            if (!loaded.ok()) {
                return positioned(loaded.diagnostics());
            }
            TransitionSystem ts = Pipeline.system(loaded.program(), test.defaultMemoryModel(),
                    Bounds.DEFAULT);
            LitmusRun.run(test, loaded.program(), ts, Options.defaults().withMaxStates(20_000).withTimeLimit(2));
            return new Outcome(false, null);
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(false, e.toString());
        }
    }

    private static Outcome positioned(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.pos().line() < 1 || d.pos().column() < 1 || d.message().isBlank()) {
                return new Outcome(true, "unpositioned diagnostic: " + d);
            }
        }
        return new Outcome(true, null);
    }

    /** Runs one input through the front end, then (if accepted) a bounded check under each memory model. */
    private static Outcome run(String name, String input) {
        try {
            Pipeline.Loaded loaded = Pipeline.loadText(name, input, Map.of());
            if (!loaded.ok()) {
                for (Diagnostic d : loaded.diagnostics()) {
                    boolean positioned = d.pos().line() >= 1 && d.pos().column() >= 1;
                    if (!positioned || d.message().isBlank()) {
                        return new Outcome(true, "unpositioned diagnostic: " + d);
                    }
                }
                return new Outcome(true, null);
            }
            for (String mm : MemoryModels.explored()) {
                TransitionSystem ts = Pipeline.system(loaded.program(), mm, Bounds.DEFAULT);
                Explorer.explore(ts, Options.defaults().withMaxStates(2_000).withTimeLimit(2));
            }
            return new Outcome(false, null);
        } catch (RuntimeException | StackOverflowError e) {
            return new Outcome(false, e.toString());
        }
    }

    private static String report(Path model, long seed, String problem, String input) {
        String shown = input.length() > 2000 ? input.substring(0, 2000) + "..." : input;
        return "fuzz failure: model " + model + ", seed " + seed + ": " + problem + "\n--- input ---\n" + shown;
    }

    /** Run by hand to see one mutant: the seed printed by a failure reproduces it. */
    static String mutant(Path model, long seed) throws IOException {
        return Mutator.mutate(Files.readString(model), new Random(seed));
    }
}
