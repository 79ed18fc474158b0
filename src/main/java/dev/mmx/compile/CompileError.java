package dev.mmx.compile;

import dev.mmx.lang.Diagnostic;

/** A mistake only visible once procedures are inlined (a parameter used as something it is not). */
final class CompileError extends RuntimeException {
    final Diagnostic diagnostic;

    CompileError(Diagnostic diagnostic) {
        super(diagnostic.toString(), null, false, false);
        this.diagnostic = diagnostic;
    }
}
