package dev.mmx.advise;

/**
 * One edit the fence search may make to a model: a barrier inserted before
 * the statement at {@code line}:{@code column}, or a READ_ONCE or WRITE_ONCE
 * there upgraded to acquire or release ({@code argColumn} is where its
 * location argument starts, which gains an {@code &}). {@code owner} is the
 * thread declaration the statement is in, or null inside a procedure (which
 * every thread may call). {@code block} numbers the block a barrier goes
 * into, so that two positions can be compared.
 */
public record Change(Kind kind, String owner, int block, int line, int column, int argColumn) {

    /** The changes, with what each costs: acquire, release, rmb and wmb are cheaper than a full barrier. */
    public enum Kind {
        MB("smp_mb();", 2), RMB("smp_rmb();", 1), WMB("smp_wmb();", 1),
        MB_BEFORE_ATOMIC("smp_mb__before_atomic();", 2), MB_AFTER_ATOMIC("smp_mb__after_atomic();", 2),
        ACQUIRE("smp_load_acquire", 1), RELEASE("smp_store_release", 1);

        final String text;
        final int cost;

        Kind(String text, int cost) {
            this.text = text;
            this.cost = cost;
        }

        /** The kernel primitive it adds or upgrades to: smp_mb, smp_load_acquire, ... */
        public String primitive() {
            return text.replace("();", "");
        }

        boolean barrier() {
            return this != ACQUIRE && this != RELEASE;
        }

        boolean full() {
            return this == MB || this == MB_BEFORE_ATOMIC || this == MB_AFTER_ATOMIC;
        }
    }

    public int cost() {
        return kind.cost;
    }

    /** As a person would say it: "smp_wmb() before line 7 in writer". */
    public String describe() {
        String where = owner == null ? "" : " in " + owner;
        return switch (kind) {
            case ACQUIRE -> "READ_ONCE at line " + line + " becomes smp_load_acquire" + where;
            case RELEASE -> "WRITE_ONCE at line " + line + " becomes smp_store_release" + where;
            case MB, RMB, WMB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC ->
                    kind.primitive() + "() before line " + line + where;
        };
    }

    /**
     * Whether this change, made, would forbid the reordering: a barrier that
     * sits between the two accesses and orders their kinds, or an upgrade of
     * one of them that orders it against the other. It errs towards yes (a
     * change that might forbid it is tried), never towards no, so no fix is
     * pruned away.
     */
    public boolean forbids(Reordering r) {
        if (owner != null && !owner.equals(r.group())) {
            return false;
        }
        Reordering.Access e = r.earlier();
        Reordering.Access l = r.later();
        return switch (kind) {
            case MB, MB_BEFORE_ATOMIC, MB_AFTER_ATOMIC -> between(r);
            case RMB -> between(r) && e.reads();
            case WMB -> between(r) && e.writes() && l.writes();
            // acquire orders the load before everything after it, and a release before it stays ordered
            case ACQUIRE -> (e.line() == line && e.reads()) || (l.line() == line && l.reads() && e.writes());
            // release orders everything before the store, and stays ordered before a later acquire
            case RELEASE -> (l.line() == line && l.writes()) || (e.line() == line && e.writes() && l.reads());
        };
    }

    /**
     * Whether a barrier inserted before {@code line} would sit between the
     * two accesses. Lines stand in for program order; when the later access
     * is not below the earlier one (a loop, a procedure) every position counts.
     */
    private boolean between(Reordering r) {
        int e = r.earlier().line();
        int l = r.later().line();
        return l <= e || (e < line && line <= l);
    }
}
