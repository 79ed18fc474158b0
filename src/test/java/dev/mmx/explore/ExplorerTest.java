package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mmx.Fixtures;
import dev.mmx.memory.Machine;
import dev.mmx.system.Program;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** State counts and verdicts of BFS and DFS on small models whose state spaces can be counted by hand. */
class ExplorerTest {

    private static Result explore(String fixture, Map<String, String> defines, String mm, Options.Search search) {
        return Fixtures.explore(Fixtures.program(fixture, defines), mm, search);
    }

    /**
     * N threads of K ghost steps each: every thread is at one of K+1 positions independently, so (K+1)^N
     * states; each state offers one transition per unfinished thread, N * K * (K+1)^(N-1) in all; and the
     * deepest state is N * K steps away. 5 x 5 passes the explorer's 4096-state check interval and the
     * store's table growth; 2 x 40 takes DFS beyond its initial 64-deep path.
     */
    @ParameterizedTest(name = "N={0} K={1} {2}")
    @CsvSource({"3, 2, BFS", "3, 2, DFS", "5, 5, BFS", "5, 5, DFS", "2, 40, BFS", "2, 40, DFS"})
    void independentThreadsMultiplyTheirStates(int n, int k, Options.Search search) {
        Result r = explore("independent", Map.of("N", "" + n, "K", "" + k), "sc", search);

        assertEquals(Result.Verdict.PASS, r.verdict());
        long perThread = k + 1;
        assertEquals(Math.round(Math.pow(perThread, n)), r.stats().states());
        assertEquals(n * k * Math.round(Math.pow(perThread, n - 1)), r.stats().transitions());
        assertEquals(n * k, r.stats().maxDepth());
    }

    @Test
    void independentThreadsWithTheDefaultParametersHave27States() {
        // the fixture's own numbers, 3 threads of 2 steps: 3^3 states, 3 * 2 * 3^2 transitions
        Result r = explore("independent", Map.of(), "sc", Options.Search.BFS);

        assertEquals(27, r.stats().states());
        assertEquals(54, r.stats().transitions());
    }

    @ParameterizedTest
    @EnumSource(Options.Search.class)
    void lockSerialisesTheCriticalSections(Options.Search search) {
        Result r = explore("critical_section", Map.of(), "sc", search);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // the initial state, then per order of taking the lock (a first or b first) 6 more states:
        // the first thread's 3 steps (lock, x =, unlock), then the second's 3; 1 + 2 * 6
        assertEquals(13, r.stats().states());
        // no state has a choice except the initial one (2 ways), 6 steps per order: 2 * 6
        assertEquals(12, r.stats().transitions());
    }

    @Test
    void storeBufferingOutcomeIsUnreachableUnderSc() {
        Result r = explore("store_buffering", Map.of(), "sc", Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // positions (p0, p1) in 0..2 each; before both loads only positions matter (4 states with p0, p1 < 2);
        // p0 = 2 with p1 = 0, 1: r0 = 0, or 0/1 (3); symmetric (3); both done: r0, r1 in {01, 10, 11} (3)
        assertEquals(13, r.stats().states());
    }

    @Test
    void storeBufferingOutcomeIsReachableUnderTsoWithAShortestTraceOfSixSteps() {
        Result r = explore("store_buffering", Map.of(), "tso", Options.Search.BFS);

        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("exists", r.violation().property());
        // two buffered stores, two loads from memory, and two write-backs before the state is final
        assertEquals(6, r.path().length);
    }

    @Test
    void smpMbInBothThreadsForbidsTheStoreBufferingOutcomeUnderTso() {
        Result r = explore("store_buffering", Map.of("FENCED", "1"), "tso", Options.Search.BFS);

        assertEquals(Result.Verdict.PASS, r.verdict());
        // a thread is in one of 5 configurations: before its store; store buffered; store written back;
        // after smp_mb; after its load. Without a finished load: 4 x 4 = 16. One load finished (r = 0 only
        // while the other's store is not yet visible, else 0 or 1): 1 + 1 + 2 + 2 = 6, twice. Both finished:
        // (0,1), (1,0), (1,1) = 3. 16 + 12 + 3 = 31
        assertEquals(31, r.stats().states());
    }

    @Test
    void bfsFindsTheShortestLostUpdate() {
        Result r = explore("lost_update", Map.of(), "sc", Options.Search.BFS);

        assertEquals(Result.Verdict.VIOLATION, r.verdict());
        assertEquals("forall", r.violation().property());
        // a final state needs both threads' load and store: 4 steps, and some 4-step order loses an update
        assertEquals(4, r.path().length);
    }

    @ParameterizedTest
    @EnumSource(Options.Search.class) // parallel BFS too: it cuts a batch where sequential BFS would stop
    void stateLimitAboveTheCheckIntervalStopsAtTheLimit(Options.Search search) {
        // 6^5 = 7776 states, so a limit of 5000 is reached in the middle of the run
        Program p = Fixtures.program("independent", Map.of("N", "5", "K", "5"));
        Result r = Explorer.explore(new Machine(p, "sc", 4), Options.defaults().withPor(false).withSearch(search)
                .withMaxStates(5000));

        assertEquals(Result.Verdict.INCOMPLETE, r.verdict());
        assertEquals(5000, r.stats().states());
    }

    @Test
    void stateLimitBelowTheCheckIntervalMakesTheRunIncomplete() {
        Program p = Fixtures.program("independent");
        Result r = Explorer.explore(new Machine(p, "sc", 4), Options.defaults().withPor(false).withMaxStates(10));

        assertEquals(Result.Verdict.INCOMPLETE, r.verdict());
        assertEquals("the state limit (10 states) was reached", r.incompleteReason());
        assertEquals(10, r.stats().states());
    }

    /**
     * One limit rule for every search: a run may store --max-states states. The default independent fixture
     * has exactly 27 (3^3), so a limit of 27 passes under each search and a limit of 26 is incomplete under
     * each (at 27, parallel BFS used to pass where BFS and DFS said incomplete).
     */
    @ParameterizedTest(name = "{0} fingerprint={1}")
    @CsvSource({"BFS, false", "DFS, false", "PARALLEL, false", "DFS, true"})
    void theStateLimitIsOneRuleForEverySearch(Options.Search search, boolean fingerprint) {
        Program p = Fixtures.program("independent");
        Options opts = Options.defaults().withPor(false).withSearch(search).withWorkers(2)
                .withFingerprint(fingerprint);
        Result all = Explorer.explore(new Machine(p, "sc", 4), opts.withMaxStates(27));
        assertEquals(Result.Verdict.PASS, all.verdict());
        assertEquals(27, all.stats().states());
        Result cut = Explorer.explore(new Machine(p, "sc", 4), opts.withMaxStates(26));
        assertEquals(Result.Verdict.INCOMPLETE, cut.verdict());
        assertEquals("the state limit (26 states) was reached", cut.incompleteReason());
    }

    /** Every fixture with its default parameters, and the other variant of each parameterised one. */
    static Stream<Arguments> fixturesAndMemoryModels() throws IOException {
        List<Arguments> variants = new ArrayList<>();
        try (Stream<Path> s = Files.list(Fixtures.MODELS)) {
            s.filter(f -> f.toString().endsWith(".mmx")).sorted().forEach(f -> variants.add(
                    Arguments.of(f.getFileName().toString().replace(".mmx", ""), Map.of())));
        }
        variants.add(Arguments.of("store_buffering", Map.of("FENCED", "1")));
        variants.add(Arguments.of("abba", Map.of("ORDERED", "1")));
        return variants.stream().flatMap(v -> Stream.of("sc", "tso").map(mm -> Arguments.of(v.get()[0], v.get()[1],
                mm)));
    }

    @ParameterizedTest(name = "{0} {1} under {2}")
    @MethodSource("fixturesAndMemoryModels")
    void bfsAndDfsAgree(String fixture, Map<String, String> defines, String mm) {
        Program p = Fixtures.program(fixture, defines);
        Result bfs = Fixtures.explore(p, mm, Options.Search.BFS);
        Result dfs = Fixtures.explore(p, mm, Options.Search.DFS);

        assertEquals(bfs.verdict(), dfs.verdict());
        if (bfs.verdict() == Result.Verdict.PASS) {
            // both visit every reachable state and try each of its transitions once
            assertEquals(bfs.stats().states(), dfs.stats().states());
            assertEquals(bfs.stats().transitions(), dfs.stats().transitions());
        } else {
            assertEquals(bfs.violation().property(), dfs.violation().property());
        }
    }
}
