package dev.mmx.advise;

import dev.mmx.explore.Result;
import dev.mmx.lang.Diagnostic;
import dev.mmx.system.Program;
import dev.mmx.trace.Trace;
import java.util.List;

/**
 * Checks a model, given as source text, under one memory model: the whole
 * front end and a fresh exploration every time. The command line supplies
 * it, so this package needs neither the file system nor the command line's
 * options (parameters, bounds, limits).
 */
public interface Checker {
    Outcome check(String text, String memoryModel);

    /**
     * The answer: a verdict and, on a violation, the trace and the program it
     * ran; or the diagnostics that stopped the front end (verdict null).
     * {@code note} says why an incomplete run stopped.
     */
    record Outcome(Result.Verdict verdict, Trace trace, Program program, long states, List<Diagnostic> diagnostics,
                   String note) {
        public boolean ok() {
            return diagnostics.isEmpty();
        }

        public boolean passes() {
            return verdict == Result.Verdict.PASS;
        }

        public boolean fails() {
            return verdict == Result.Verdict.VIOLATION || verdict == Result.Verdict.DEADLOCK;
        }
    }
}
