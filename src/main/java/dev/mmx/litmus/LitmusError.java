package dev.mmx.litmus;

import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.SourcePos;

/** A mistake in a litmus file (or a construct mmx does not import), found while reading it. */
final class LitmusError extends RuntimeException {
    final Diagnostic diagnostic;

    LitmusError(SourcePos pos, String message) {
        super(pos + ": " + message, null, false, false);
        this.diagnostic = new Diagnostic(pos, message);
    }
}
