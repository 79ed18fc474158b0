package dev.mmx.litmus;

import dev.mmx.lang.SourcePos;
import java.util.ArrayList;
import java.util.List;

/**
 * The thread table of an assembly litmus test: a header row {@code P0 | P1 ;}
 * then one row per instruction slot, cells separated by {@code |}, each row
 * ending with {@code ;}. Reads it line by line and hands back each thread's
 * instructions (and labels) with their places.
 */
final class AsmTable {
    /** One non-empty cell: an instruction or a label ({@code LC00:}) as written. */
    record Cell(String text, SourcePos pos) {}

    private AsmTable() {}

    /** Reads the table from the lexer's line on; leaves the lexer at the first line after it. */
    static List<List<Cell>> read(Lexer lex, String text, String file) {
        String[] lines = blankComments(text).split("\n", -1);
        int lineNo = lex.peek().pos().line();
        int offset = lex.peek().offset() - lex.peek().pos().column() + 1;
        List<List<Cell>> threads = null;
        for (; lineNo <= lines.length; lineNo++) {
            String line = lines[lineNo - 1];
            String trimmed = line.trim();
            if (isConditionStart(trimmed)) {
                break;
            }
            offset += line.length() + 1;
            if (trimmed.isEmpty()) {
                continue;
            }
            List<Cell> cells = cells(line, lineNo, file);
            if (threads == null) {
                threads = header(cells);
                continue;
            }
            if (cells.size() > threads.size()) {
                Cell extra = cells.get(threads.size());
                throw new LitmusError(extra.pos(), "this row has " + cells.size() + " columns but the table has "
                        + threads.size() + " threads");
            }
            for (int t = 0; t < cells.size(); t++) {
                if (!cells.get(t).text().isEmpty()) {
                    threads.get(t).add(cells.get(t));
                }
            }
        }
        if (threads == null) {
            throw new LitmusError(lex.peek().pos(), "expected the thread table ('P0 | P1 ;') after the initial state");
        }
        lex.skipTo(Math.min(offset, text.length()));
        return threads;
    }

    /** The text with each {@code (* ... *)} comment turned into spaces, so columns and lines stay put. */
    private static String blankComments(String text) {
        StringBuilder sb = new StringBuilder(text);
        int from = 0;
        while (true) {
            int start = sb.indexOf("(*", from);
            if (start < 0) {
                return sb.toString();
            }
            int end = sb.indexOf("*)", start + 2);
            end = end < 0 ? sb.length() : end + 2;
            for (int i = start; i < end; i++) {
                if (sb.charAt(i) != '\n') {
                    sb.setCharAt(i, ' ');
                }
            }
            from = end;
        }
    }

    private static boolean isConditionStart(String s) {
        return s.startsWith("exists") || s.startsWith("~") || s.startsWith("forall") || s.startsWith("locations")
                || s.startsWith("filter");
    }

    private static List<List<Cell>> header(List<Cell> cells) {
        List<List<Cell>> threads = new ArrayList<>();
        for (int t = 0; t < cells.size(); t++) {
            Cell c = cells.get(t);
            if (!c.text().equals("P" + t)) {
                throw new LitmusError(c.pos(), "expected the thread name P" + t + " in the table header, found '"
                        + c.text() + "'");
            }
            threads.add(new ArrayList<>());
        }
        return threads;
    }

    private static List<Cell> cells(String line, int lineNo, String file) {
        int end = line.lastIndexOf(';');
        if (end < 0) {
            int col = line.length() - line.stripLeading().length() + 1;
            throw new LitmusError(new SourcePos(file, lineNo, col), "a row of the thread table must end with ';'");
        }
        List<Cell> cells = new ArrayList<>();
        int start = 0;
        while (true) {
            int bar = line.indexOf('|', start);
            int stop = bar < 0 || bar > end ? end : bar;
            String raw = line.substring(start, stop);
            int lead = raw.length() - raw.stripLeading().length();
            cells.add(new Cell(raw.trim(), new SourcePos(file, lineNo, start + lead + 1)));
            if (stop == end) {
                return cells;
            }
            start = stop + 1;
        }
    }
}
