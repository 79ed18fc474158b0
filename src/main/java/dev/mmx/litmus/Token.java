package dev.mmx.litmus;

import dev.mmx.lang.SourcePos;

/** One token of a litmus file: a name, a number, a string or punctuation, with its place. */
record Token(Kind kind, String text, SourcePos pos, int offset) {
    enum Kind { NAME, NUMBER, STRING, PUNCT, END }

    boolean is(String s) {
        return (kind == Kind.PUNCT || kind == Kind.NAME) && text.equals(s);
    }

    /** How a message names it. */
    String show() {
        return kind == Kind.END ? "end of file" : "'" + text + "'";
    }
}
