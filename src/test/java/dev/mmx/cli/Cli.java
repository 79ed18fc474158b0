package dev.mmx.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;

/** Runs mmx in-process with stdout and stderr captured, and masks what differs from run to run. */
final class Cli {
    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {}

    /**
     * The timing part of a summary line ("0.01 s, 1030 states/s") is the only part of
     * check's text output that varies between runs of the same model.
     */
    private static final Pattern TIMING = Pattern.compile("\\d+\\.\\d{2} s, \\d+ states/s");

    private Cli() {}

    /** Runs {@code mmx args...}; paths and numbers are passed by their string form. */
    static synchronized Run run(Object... args) {
        String[] argv = Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            System.setOut(o);
            System.setErr(e);
            int exit = Main.run(argv);
            o.flush();
            e.flush();
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** The output with timings replaced by {@code <time>} and the temporary directory by {@code <tmp>}. */
    static String normalise(String text, Path tmp) {
        return TIMING.matcher(text).replaceAll("<time>").replace(tmp.toString(), "<tmp>");
    }
}
