package dev.mmx.lkmm;

import java.util.Set;

/**
 * The flags linux-kernel.bell and lock.cat raise on a consistent execution:
 * not axioms (the execution still counts) but warnings herd7 prints as
 * {@code Flag NAME}, about RCU and SRCU nesting, a lock location accessed as
 * memory, an unlock with no lock.
 */
final class Flags {
    private Flags() {}

    static void bellAndLocks(Bell b, Set<String> flags) {
        Events ev = b.ev;
        Bell.Statics st = b.st;
        if (!Rel.isEmpty(ev.tagged(Tag.F_RCU_LOCK | Tag.F_RCU_UNLOCK))) {
            // flag ~empty Rcu-lock \ domain(rcu-rscs) as unmatched-rcu-lock (and Rcu-unlock \ range)
            if (!Rel.isEmpty(Rel.minus(ev.tagged(Tag.F_RCU_LOCK), st.rcuRscs.domain()))) {
                flags.add("unmatched-rcu-lock");
            }
            if (!Rel.isEmpty(Rel.minus(ev.tagged(Tag.F_RCU_UNLOCK), st.rcuRscs.range()))) {
                flags.add("unmatched-rcu-unlock");
            }
            // flag ~empty rcu-rscs & (po ; [Sync-srcu] ; po) as invalid-sleep
            if (!st.rcuRscs.inter(st.po.to(st.syncSrcu).seq(st.po)).isEmpty()) {
                flags.add("invalid-sleep");
            }
        }
        if (!Rel.isEmpty(st.srcuLock) || !Rel.isEmpty(st.srcuUnlock)) {
            srcu(b, flags);
        }
        if (!Rel.isEmpty(st.allLocks)) {
            // lock.cat: flag ~empty [M \ IW \ ALL-LOCKS] ; loc ; [ALL-LOCKS] as mixed-lock-accesses
            long[] mem = ev.ofKind(EventKind.READ, EventKind.WRITE);
            if (!st.loc.restrict(Rel.minus(mem, st.allLocks), st.allLocks).isEmpty()) {
                flags.add("mixed-lock-accesses");
            }
        }
        for (int e = 0; e < b.n; e++) {
            // lock.cat: flag ~empty UL \ range(critical) as unmatched-unlock
            if (ev.kind[e] == EventKind.UNLOCK && !closes(b, e)) {
                flags.add("unmatched-unlock");
            }
        }
    }

    /**
     * lock.cat: flag ~empty [FW] ; loc ; [ALL-LOCKS] as lock-final. herd7 picks a
     * final write only for the locations the final condition observes, and lock
     * events are no memory writes: the flag is raised when the test looks at a
     * location that lock or SRCU events use.
     */
    static boolean lockFinal(Execution x, Set<Integer> observed) {
        Events ev = x.events();
        for (int e = ev.cells; e < ev.n; e++) {
            boolean lockish = ev.kind[e].lock() || ev.kind[e] == EventKind.SYNC_SRCU
                    || Tag.has(ev.tags[e], Tag.SRCU_LOCK | Tag.SRCU_UNLOCK);
            if (lockish && observed.contains(x.loc()[e])) {
                return true;
            }
        }
        return false;
    }

    private static void srcu(Bell b, Set<String> flags) {
        Bell.Statics st = b.st;
        Rel rscs = b.srcuSections();
        // flag ~empty Srcu-lock \ domain(srcu-rscs) as unmatched-srcu-lock (and Srcu-unlock \ range)
        if (!Rel.isEmpty(Rel.minus(st.srcuLock, rscs.domain()))) {
            flags.add("unmatched-srcu-lock");
        }
        if (!Rel.isEmpty(Rel.minus(st.srcuUnlock, rscs.range()))) {
            flags.add("unmatched-srcu-unlock");
        }
        // flag ~empty (srcu-rscs^-1 ; srcu-rscs) \ id as multiple-srcu-matches
        if (!rscs.inverse().seq(rscs).minusId().isEmpty()) {
            flags.add("multiple-srcu-matches");
        }
        // flag ~empty different-values(srcu-rscs) as srcu-bad-value-match
        for (int a = 0; a < b.n; a++) {
            for (int c = 0; c < b.n; c++) {
                if (rscs.has(a, c) && b.x.value()[a] != b.x.value()[c]) {
                    flags.add("srcu-bad-value-match");
                }
            }
        }
    }

    /** critical's range: an LKW of the location comes before the unlock in its thread, with no LKW or UL between. */
    private static boolean closes(Bell b, int ul) {
        Events ev = b.ev;
        int[] loc = b.x.loc();
        for (int f = ul - 1; f >= 0 && ev.thread[f] == ev.thread[ul]; f--) {
            if (loc[f] == loc[ul] && (ev.kind[f] == EventKind.LOCK_WRITE || ev.kind[f] == EventKind.UNLOCK)) {
                return ev.kind[f] == EventKind.LOCK_WRITE;
            }
        }
        return false;
    }
}
