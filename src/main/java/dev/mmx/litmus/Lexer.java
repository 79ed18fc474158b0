package dev.mmx.litmus;

import dev.mmx.lang.SourcePos;

/**
 * Splits litmus text into tokens on demand, from any offset. It skips white
 * space and comments: herd's {@code (* ... *)} in the litmus parts, C's
 * {@code /* ... *}{@code /} and {@code //} inside C thread bodies.
 */
final class Lexer {
    private static final String[] PUNCT = {"/\\", "\\/", "=>", "==", "!=", "<=", ">=", "&&", "||", "<<", ">>", "->",
        "++", "--"};

    private final String file;
    private final String text;
    private int at;
    private int line = 1;
    private int col = 1;
    private boolean cMode;
    private Token peeked;

    Lexer(String file, String text) {
        this.file = file;
        this.text = text;
    }

    /** Inside C thread bodies {@code (*} starts an expression, not a comment. */
    void cMode(boolean on) {
        if (peeked != null) {
            skipTo(peeked.offset());
        }
        cMode = on;
    }

    SourcePos pos() {
        return new SourcePos(file, line, col);
    }

    Token peek() {
        if (peeked == null) {
            peeked = scan();
        }
        return peeked;
    }

    Token next() {
        Token t = peek();
        peeked = null;
        return t;
    }

    boolean accept(String s) {
        if (peek().is(s)) {
            next();
            return true;
        }
        return false;
    }

    Token expect(String s, String what) {
        Token t = next();
        if (!t.is(s)) {
            throw new LitmusError(t.pos(), "found " + t.show() + " where " + what + " was expected");
        }
        return t;
    }

    Token expectName(String what) {
        Token t = next();
        if (t.kind() != Token.Kind.NAME) {
            throw new LitmusError(t.pos(), "found " + t.show() + " where " + what + " was expected");
        }
        return t;
    }

    /** The raw text of the current line from the current place (for line-oriented parts). */
    String restOfLine() {
        int end = text.indexOf('\n', at);
        return text.substring(at, end < 0 ? text.length() : end);
    }

    int line() {
        return line;
    }

    boolean atEnd() {
        return peek().kind() == Token.Kind.END;
    }

    /** Moves past raw characters up to (not including) offset {@code to}, forgetting a peeked token. */
    void skipTo(int to) {
        if (peeked != null) {
            at = peeked.offset();
            line = peeked.pos().line();
            col = peeked.pos().column();
            peeked = null;
        }
        while (at < to) {
            advance();
        }
    }

    int offset() {
        return peeked != null ? peeked.offset() : at;
    }

    private void advance() {
        if (text.charAt(at) == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        at++;
    }

    private boolean startsWith(String s) {
        return text.startsWith(s, at);
    }

    private void skipSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (Character.isWhitespace(c)) {
                advance();
            } else if (!cMode && startsWith("(*")) {
                skipComment("*)");
            } else if (startsWith("/*")) {
                skipComment("*/");
            } else if (cMode && startsWith("//")) {
                while (at < text.length() && text.charAt(at) != '\n') {
                    advance();
                }
            } else {
                return;
            }
        }
    }

    private void skipComment(String end) {
        SourcePos start = pos();
        advance();
        advance();
        while (at < text.length() && !startsWith(end)) {
            advance();
        }
        if (at >= text.length()) {
            throw new LitmusError(start, "this comment is never closed");
        }
        advance();
        advance();
    }

    private Token scan() {
        skipSpace();
        SourcePos p = pos();
        int start = at;
        if (at >= text.length()) {
            return new Token(Token.Kind.END, "", p, at);
        }
        char c = text.charAt(at);
        if (Character.isLetter(c) || c == '_') {
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                advance();
            }
            return new Token(Token.Kind.NAME, text.substring(start, at), p, start);
        }
        if (Character.isDigit(c)) {
            while (at < text.length() && Character.isLetterOrDigit(text.charAt(at))) {
                advance();
            }
            return new Token(Token.Kind.NUMBER, text.substring(start, at), p, start);
        }
        if (c == '"') {
            advance();
            while (at < text.length() && text.charAt(at) != '"' && text.charAt(at) != '\n') {
                advance();
            }
            if (at >= text.length() || text.charAt(at) != '"') {
                throw new LitmusError(p, "this string is never closed");
            }
            advance();
            return new Token(Token.Kind.STRING, text.substring(start, at), p, start);
        }
        for (String s : PUNCT) {
            if (startsWith(s)) {
                for (int i = 0; i < s.length(); i++) {
                    advance();
                }
                return new Token(Token.Kind.PUNCT, s, p, start);
            }
        }
        advance();
        return new Token(Token.Kind.PUNCT, String.valueOf(c), p, start);
    }
}
