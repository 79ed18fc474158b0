package dev.mmx.advise;

import java.util.ArrayList;
import java.util.List;

/**
 * Two accesses of one CPU that took effect out of program order in a
 * counterexample: {@code later} (in program order) was performed while
 * {@code earlier} was not yet visible to the other CPUs. {@code step} is the
 * trace step that performed {@code later}; {@code branchLine} is the line of
 * an unresolved branch between them that {@code later} was performed past,
 * or 0.
 */
public record Reordering(int thread, String cpu, String group, Access earlier, Access later, int step,
                         int branchLine) {

    /** One access as the trace shows it: line, statement as written, and whether it reads and/or writes. */
    public record Access(int line, String text, boolean reads, boolean writes) {
        String what() {
            return reads && writes ? "read-modify-write" : writes ? "store" : "load";
        }
    }

    /** The kind of reordering, in the words of the kernel's memory-barriers.txt. */
    public String shape() {
        if (pure(earlier, false) && pure(later, true)) {
            return "store buffering";
        }
        if (pure(earlier, false) && pure(later, false)) {
            return "two stores reordered";
        }
        if (pure(earlier, true) && pure(later, true)) {
            return branchLine > 0 ? "a load performed early past an unresolved branch" : "two loads reordered";
        }
        return "a " + later.what() + " passed an earlier " + earlier.what();
    }

    /** A plain load (reads) or a plain store (!reads), not a read-modify-write. */
    private static boolean pure(Access a, boolean reads) {
        return reads ? a.reads && !a.writes : a.writes && !a.reads;
    }

    /** One sentence saying what happened, for the trace's reader. */
    public String sentence() {
        String e = "line " + earlier.line + " (" + earlier.text + ")";
        String l = "line " + later.line + " (" + later.text + ")";
        String body;
        if (pure(earlier, false) && pure(later, true)) {
            body = cpu + "'s load at " + l + " was performed before its store at " + e
                    + " became visible to other CPUs: the store was still in the store buffer";
        } else if (pure(earlier, false) && pure(later, false)) {
            body = cpu + "'s store at " + l + " became visible before its earlier store at " + e
                    + ": two stores reordered";
        } else if (pure(earlier, true) && pure(later, true)) {
            body = cpu + "'s load at " + l + " was performed before its earlier load at " + e
                    + (branchLine > 0 ? ", speculatively, past the unresolved branch at line " + branchLine
                    : ": two loads reordered");
        } else {
            body = cpu + "'s " + later.what() + " at " + l + " took effect before its earlier " + earlier.what()
                    + " at " + e + (branchLine > 0 ? ", past the unresolved branch at line " + branchLine : "");
        }
        return body + " (step " + step + ").";
    }

    /** Which program-order edge, if kept, rules this trace out, and the cheapest kernel ways to keep it. */
    public String edge(String memoryModel) {
        return "Keeping line " + earlier.line + " before line " + later.line + " in " + cpu
                + " rules this trace out: " + remedies(memoryModel) + ".";
    }

    private String remedies(String memoryModel) {
        if (memoryModel.equals("tso")) {
            return "smp_mb() between them";
        }
        List<String> ways = new ArrayList<>();
        ways.add((pure(earlier, true) ? "smp_rmb()" : pure(earlier, false) && pure(later, false) ? "smp_wmb()"
                : "smp_mb()") + " between them");
        if (pure(earlier, true) && earlier.text.contains("READ_ONCE")) {
            ways.add("smp_load_acquire() for line " + earlier.line);
        }
        if (pure(later, false) && later.text.contains("WRITE_ONCE")) {
            ways.add("smp_store_release() for line " + later.line);
        }
        String out = ways.size() == 1 ? ways.get(0)
                : String.join(", ", ways.subList(0, ways.size() - 1)) + " or " + ways.get(ways.size() - 1);
        return out;
    }
}
