package dev.mmx.lang;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a model or a litmus test as UTF-8 text. A byte-order mark at the start
 * (which some editors write) is skipped; a byte that is not UTF-8 is a
 * diagnostic at the line and column where it stands, so the user can find it.
 */
public final class SourceFile {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private SourceFile() {}

    /** The file's text, or the diagnostic that says why there is none. */
    public record Result(String text, Diagnostic error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Reads {@code file}, naming it {@code name} in a diagnostic; I/O failures are left to the caller. */
    public static Result read(Path file, String name) throws IOException {
        return decode(Files.readAllBytes(file), name);
    }

    public static Result decode(byte[] bytes, String name) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult r = utf8.decode(in, out, true);
        if (!r.isError()) {
            r = utf8.flush(out);
        }
        out.flip();
        String text = out.toString();
        int skipped = text.isEmpty() || text.charAt(0) != BYTE_ORDER_MARK ? 0 : 1;
        if (r.isError()) {
            return new Result(null, new Diagnostic(positionAfter(name, text, skipped), String.format(Locale.ROOT,
                    "the byte 0x%02X is not UTF-8 text; save the file as UTF-8", bytes[in.position()] & 0xff)));
        }
        return new Result(text.substring(skipped), null);
    }

    /** The line and column just after {@code text} (columns count characters, from 1; a BOM is not one). */
    private static SourcePos positionAfter(String name, String text, int skipped) {
        int line = 1;
        int lineStart = skipped;
        for (int i = skipped; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new SourcePos(name, line, text.codePointCount(lineStart, text.length()) + 1);
    }
}
