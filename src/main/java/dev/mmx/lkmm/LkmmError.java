package dev.mmx.lkmm;

/**
 * A model or test that LKMM cannot answer as written (a loop, a primitive LKMM
 * has no rule for, ghost state shared between threads, ...): an input error,
 * reported at {@code line}:{@code column} (0 when it has no one place).
 */
public final class LkmmError extends RuntimeException {
    private final int line;
    private final int column;

    LkmmError(int line, int column, String message) {
        super(message, null, false, false);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
