package dev.mmx.lang;

/** A place in a source file: 1-based line, 1-based column. */
public record SourcePos(String file, int line, int column) {
    public static final SourcePos NONE = new SourcePos("<none>", 0, 0);

    /** "file:line:col", or just the file when there is no line (a file that cannot be read, the command line). */
    @Override
    public String toString() {
        return line <= 0 ? file : file + ":" + line + ":" + column;
    }
}
