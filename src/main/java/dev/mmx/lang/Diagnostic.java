package dev.mmx.lang;

/** A mistake in the user's input, with the place it was found. */
public record Diagnostic(SourcePos pos, String message) {
    @Override
    public String toString() {
        return pos + ": " + message;
    }
}
