package dev.mmx.advise;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A set of changes applied to a model's source text. A barrier before a
 * statement that starts its line goes on a line of its own with the
 * statement's indentation; otherwise it goes in front of the statement on the
 * same line. {@code oldLine[k]} is the original line of patched line k+1, or
 * 0 for an inserted line, so a counterexample of the patched model can be
 * read against the original.
 */
public record Patch(String text, int[] oldLine) {

    public static Patch apply(String source, List<Change> changes) {
        List<String> lines = lines(source);
        StringBuilder out = new StringBuilder();
        List<Integer> map = new ArrayList<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1);
            int at = n;
            List<Change> here = changes.stream().filter(c -> c.line() == at).toList();
            String indent = line.substring(0, line.length() - line.stripLeading().length());
            for (Change c : here) {
                if (c.kind().barrier() && c.column() == indent.length() + 1) {
                    out.append(indent).append(c.kind().text).append('\n');
                    map.add(0);
                }
            }
            out.append(edit(line, indent, here)).append('\n');
            map.add(n);
        }
        String text = out.toString();
        if (!source.endsWith("\n") && !text.isEmpty()) {
            text = text.substring(0, text.length() - 1);
        }
        return new Patch(text, map.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The edits inside one line, right to left so that earlier columns stay valid. */
    private static String edit(String line, String indent, List<Change> here) {
        StringBuilder b = new StringBuilder(line);
        List<Change> inLine = new ArrayList<>(here.stream()
                .filter(c -> !c.kind().barrier() || c.column() != indent.length() + 1).toList());
        inLine.sort(Comparator.comparingInt(Change::column).reversed());
        for (Change c : inLine) {
            int col = c.column() - 1;
            switch (c.kind()) {
                case ACQUIRE, RELEASE -> {
                    b.insert(c.argColumn() - 1, '&');
                    String old = c.kind() == Change.Kind.ACQUIRE ? "READ_ONCE" : "WRITE_ONCE";
                    b.replace(col, col + old.length(), c.kind().text);
                }
                case MB, RMB, WMB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC -> b.insert(col, c.kind().text + " ");
            }
        }
        return b.toString();
    }

    /** The original line of a line of the patched text (1-based), or 0 for an inserted line. */
    public int original(int patchedLine) {
        return patchedLine >= 1 && patchedLine <= oldLine.length ? oldLine[patchedLine - 1] : 0;
    }

    static List<String> lines(String text) {
        List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
        if (text.endsWith("\n")) {
            out.remove(out.size() - 1);
        }
        return out;
    }
}
