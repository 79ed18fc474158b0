package dev.mmx.cli;

import dev.mmx.memory.MemoryModels;
import dev.mmx.explore.Options;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.SourceFile;
import dev.mmx.lang.SourcePos;
import dev.mmx.litmus.HerdReport;
import dev.mmx.litmus.LitmusParser;
import dev.mmx.litmus.LitmusTest;
import dev.mmx.system.TransitionSystem;
import dev.mmx.trace.CpuColumns;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** mmx litmus: answer herd litmus tests (C, X86, AArch64) the way herd7 prints its answers. */
@Command(name = "litmus", mixinStandardHelpOptions = true,
        description = "Answer herd litmus tests (C, X86, AArch64) in herd7's output format.%n"
                + "Under sc, tso and arm the Positive/Negative counts are distinct final states; under lkmm%n"
                + "they are executions, as herd7 counts them.%n"
                + "Default memory model: tso for X86 and C tests (the kernel's x86-64 mapping), arm for AArch64.%n"
                + "Exit codes: 0 every test answered, 2 bad input or a test that could not be answered,%n"
                + "3 a limit (--max-states, --time-limit) stopped some test and nothing else went wrong.")
public final class LitmusCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE.litmus", description = "The tests to answer.")
    List<Path> files;

    @Option(names = "--mm", paramLabel = "MODEL", completionCandidates = CheckCommand.ModelNames.class,
            description = "Memory model for every test: ${COMPLETION-CANDIDATES} (lkmm: C tests, the Linux-kernel "
                    + "memory model).")
    String mm;

    @Option(names = "--trace", description = "Also print a trace to a final state that satisfies the condition.")
    boolean trace;

    @Option(names = "--max-states", paramLabel = "N", description = "Give up on a test after N states.")
    long maxStates = Long.MAX_VALUE;

    @Option(names = "--time-limit", paramLabel = "SECONDS", description = "Give up on a test after this long.")
    double timeLimit;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Tests a limit stopped in this run. */
    private int incomplete;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mm != null && MemoryModels.find(mm) == null) {
            err.println("mmx litmus: --mm must be " + MemoryModels.listed(MemoryModels.names()) + ", not '" + mm + "'");
            return Main.BAD_INPUT;
        }
        long started = System.nanoTime();
        int ok = 0;
        int no = 0;
        int failed = 0;
        for (Path f : files) {
            HerdReport r = one(f, out, err);
            if (r == null) {
                failed++;
            } else if (r.ok()) {
                ok++;
            } else {
                no++;
            }
            out.flush();
            err.flush();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        out.println(String.format(Locale.ROOT, "mmx litmus: %d test%s, %d answered (%d Ok, %d No), %d not answered, "
                + "%.2f s", files.size(), files.size() == 1 ? "" : "s", ok + no, ok, no, failed, seconds));
        out.flush();
        if (failed == 0) {
            return Main.PASS;
        }
        return failed == incomplete ? Main.INCOMPLETE : Main.BAD_INPUT;
    }

    /** Answers one file; prints the answer, or the reason there is none on stderr (then returns null). */
    private HerdReport one(Path f, PrintWriter out, PrintWriter err) {
        String name = Pipeline.display(f);
        SourceFile.Result source;
        try {
            source = SourceFile.read(f, name);
        } catch (NoSuchFileException e) {
            return fail(err, new Diagnostic(new SourcePos(name, 0, 0), "no such file"));
        } catch (IOException e) {
            return fail(err, new Diagnostic(new SourcePos(name, 0, 0), "cannot read the file: " + e.getMessage()));
        }
        if (!source.ok()) {
            return fail(err, source.error());
        }
        LitmusParser.Result parsed = LitmusParser.parse(name, source.text());
        if (!parsed.ok()) {
            parsed.diagnostics().forEach(err::println);
            return null;
        }
        LitmusTest test = parsed.test();
        String model = mm != null ? mm : test.defaultMemoryModel();
        LitmusRun.Prepared loaded = LitmusRun.prepare(test, model);
        if (!loaded.ok()) {
            loaded.diagnostics().forEach(err::println);
            return null;
        }
        Options opts = Options.defaults().withMaxStates(maxStates).withTimeLimit(timeLimit);
        LitmusRun.Outcome o;
        if (model.equals("lkmm")) {
            o = LitmusRun.runLkmm(test, loaded.program(), loaded.primitives(), opts);
        } else {
            TransitionSystem ts = Pipeline.system(loaded.program(), model, LitmusRun.bounds(loaded.program()));
            o = LitmusRun.run(test, loaded.program(), ts, opts);
        }
        if (!o.answered()) {
            err.println(name + ": " + o.error());
            incomplete += o.incomplete() ? 1 : 0;
            return null;
        }
        if (o.note() != null) {
            err.println(name + ": " + o.note());
        }
        o.report().lines().forEach(out::println);
        if (trace && witnessed(o.report()) && model.equals("lkmm")) {
            String t = LitmusRun.lkmmTrace(test, loaded);
            if (t != null) {
                out.println(t);
            }
        } else if (trace && witnessed(o.report())) {
            Runs.Outcome run = Runs.check(loaded.program(), model, LitmusRun.bounds(loaded.program()), opts, name);
            if (run.trace() != null) {
                out.println(CpuColumns.render(run.trace()));
            }
        }
        out.println();
        return o.report();
    }

    /** Whether some final state is worth a trace: one satisfying exists or ~exists, or breaking forall. */
    private static boolean witnessed(HerdReport r) {
        return r.test().kind() == dev.mmx.lang.Decl.FinalKind.FORALL ? r.negative() > 0 : r.positive() > 0;
    }

    private static HerdReport fail(PrintWriter err, Diagnostic d) {
        err.println(d);
        return null;
    }
}
