package dev.mmx.advise;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts with three lines of context, as {@code diff -u}
 * prints it and {@code patch} reads it. Lines are matched by a longest common
 * subsequence, which is plenty for model files of a few hundred lines.
 */
public final class UnifiedDiff {
    private static final int CONTEXT = 3;

    private UnifiedDiff() {}

    private record Line(char tag, String text, int oldNo, int newNo) {}

    public static String of(String name, String before, String after) {
        List<String> a = Patch.lines(before);
        List<String> b = Patch.lines(after);
        List<Line> script = script(a, b);
        StringBuilder out = new StringBuilder();
        // a/ and b/ as git writes them, so "patch -p1" applies it from where the command ran
        boolean relative = !name.startsWith("/");
        out.append("--- ").append(relative ? "a/" : "").append(name).append('\n')
                .append("+++ ").append(relative ? "b/" : "").append(name).append('\n');
        int i = 0;
        while (i < script.size()) {
            if (script.get(i).tag() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // extend the hunk while the next change is within twice the context
            while (true) {
                while (end < script.size() && script.get(end).tag() != ' ') {
                    end++;
                }
                int next = end;
                while (next < script.size() && script.get(next).tag() == ' ') {
                    next++;
                }
                if (next < script.size() && next - end <= 2 * CONTEXT) {
                    end = next;
                } else {
                    end = Math.min(script.size(), end + CONTEXT);
                    break;
                }
            }
            hunk(out, script.subList(start, end));
            i = end;
        }
        return out.toString();
    }

    private static void hunk(StringBuilder out, List<Line> lines) {
        int oldStart = 0;
        int newStart = 0;
        int oldCount = 0;
        int newCount = 0;
        for (Line l : lines) {
            if (l.tag() != '+') {
                oldStart = oldStart == 0 ? l.oldNo() : oldStart;
                oldCount++;
            }
            if (l.tag() != '-') {
                newStart = newStart == 0 ? l.newNo() : newStart;
                newCount++;
            }
        }
        if (oldStart == 0) {
            oldStart = lines.get(0).oldNo();
        }
        if (newStart == 0) {
            newStart = lines.get(0).newNo();
        }
        out.append("@@ -").append(oldStart).append(',').append(oldCount).append(" +").append(newStart).append(',')
                .append(newCount).append(" @@\n");
        for (Line l : lines) {
            out.append(l.tag()).append(l.text()).append('\n');
        }
    }

    /** The edit script: every line of both texts, kept (' '), removed ('-') or added ('+'), in order. */
    private static List<Line> script(List<String> a, List<String> b) {
        int[][] lcs = new int[a.size() + 1][b.size() + 1];
        for (int i = a.size() - 1; i >= 0; i--) {
            for (int j = b.size() - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Line> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
                out.add(new Line(' ', a.get(i), i + 1, j + 1));
                i++;
                j++;
            } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
                // removed lines before added ones, as diff -u prints a changed line
                out.add(new Line('-', a.get(i), i + 1, j + 1));
                i++;
            } else {
                out.add(new Line('+', b.get(j), i + 1, j + 1));
                j++;
            }
        }
        return out;
    }
}
