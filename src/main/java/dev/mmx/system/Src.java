package dev.mmx.system;

/** Where an instruction came from: its source line and column and the statement as written. */
public record Src(int line, int column, String text) {
    public static final Src NONE = new Src(0, 0, "");
}
