package dev.mmx.lkmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The coherence orders of one location's writes (its lock writes among them,
 * unlocks not: lock.cat merges those afterwards), as cos-opt.cat generates
 * them: every total order that starts with the initial write and extends
 * cobase, the order that program order and reads-from already observe
 * (obsco: CoWW, CoRW, CoWR, CoRR). Two further cuts only drop orders that
 * linux-kernel.cat rejects anyway: a successful read-modify-write's write
 * comes right after the write its read reads (atomicity; a write in between
 * from its own thread breaks coherence), and lock.cat's co0 puts a critical
 * section never left after every other lock write of the lock.
 */
final class LocationOrders {
    private final Events ev;
    private final int[] loc;
    private final Rel rf;
    private final int[] ws;
    /** before[i]: bit j set when ws[j] must come before ws[i]. */
    private final long[][] before;
    /** For each write, the write that must follow it at once (an RMW reads it), or -1. */
    private final int[] next;
    private final List<int[]> out = new ArrayList<>();

    /** {@code prune} false: only co0's constraints (the initial write first, a lock never released last). */
    LocationOrders(Events ev, int[] loc, Rel rf, int cell, boolean prune) {
        this.ev = ev;
        this.loc = loc;
        this.rf = rf;
        List<Integer> list = new ArrayList<>();
        list.add(cell); // the initial write of cell c is event c
        for (int e = ev.cells; e < ev.n; e++) {
            if (loc[e] == cell && (ev.kind[e] == EventKind.WRITE || ev.kind[e] == EventKind.LOCK_WRITE)) {
                list.add(e);
            }
        }
        ws = list.stream().mapToInt(Integer::intValue).toArray();
        int m = ws.length;
        before = new long[m][(m + 63) >>> 6];
        next = new int[m];
        java.util.Arrays.fill(next, -1);
        constrain(cell, prune);
    }

    private int index(int e) {
        for (int i = 0; i < ws.length; i++) {
            if (ws[i] == e) {
                return i;
            }
        }
        return -1;
    }

    private void order(int a, int b) {
        if (a != b) {
            before[b][a >>> 6] |= 1L << a;
        }
    }

    private void constrain(int cell, boolean prune) {
        int m = ws.length;
        for (int i = 1; i < m; i++) {
            order(0, i); // co0: IW before every other write
            for (int j = 1; j < m && prune; j++) {
                if (ev.thread[ws[i]] == ev.thread[ws[j]] && ws[i] < ws[j]) {
                    order(i, j); // CoWW
                }
            }
        }
        List<int[]> reads = new ArrayList<>(); // {read, index of its source}
        for (int r = ev.cells; r < ev.n; r++) {
            if (loc[r] != cell || !ev.kind[r].read()) {
                continue;
            }
            for (int i = 0; i < m; i++) {
                if (rf.has(ws[i], r)) {
                    reads.add(new int[] {r, i});
                }
            }
        }
        for (int[] rs : prune ? reads : List.<int[]>of()) {
            int r = rs[0];
            int s = rs[1];
            for (int i = 1; i < m; i++) {
                int w = ws[i];
                if (ev.thread[w] == ev.thread[r] && i != s) {
                    if (w < r) {
                        order(i, s); // CoWR: w po r, r reads s, so w co s
                    } else {
                        order(s, i); // CoRW: r po w, r reads s, so s co w
                    }
                }
            }
            for (int[] other : reads) {
                if (other[0] > r && ev.thread[other[0]] == ev.thread[r] && other[1] != s) {
                    order(s, other[1]); // CoRR
                }
            }
            int w = ev.rmwWrite[r];
            if (w >= 0) {
                next[s] = index(w);
            }
        }
        int unmatched = -1;
        for (int i = 1; i < m; i++) {
            if (ev.kind[ws[i]] == EventKind.LOCK_WRITE && isUnmatched(ws[i])) {
                unmatched = i;
            }
        }
        if (unmatched >= 0) {
            for (int i = 1; i < m; i++) {
                if (i != unmatched && ev.kind[ws[i]] == EventKind.LOCK_WRITE) {
                    order(i, unmatched); // lock.cat: ([LKW] ; loc ; [UNMATCHED-LKW]) \ [UNMATCHED-LKW] in co0
                }
            }
        }
    }

    private boolean isUnmatched(int lkw) {
        for (int f = lkw + 1; f < ev.n && ev.thread[f] == ev.thread[lkw]; f++) {
            if (loc[f] == loc[lkw] && (ev.kind[f] == EventKind.UNLOCK || ev.kind[f] == EventKind.LOCK_WRITE)) {
                return ev.kind[f] != EventKind.UNLOCK;
            }
        }
        return true;
    }

    /** Every order, each as the writes (event numbers) first to last. */
    List<int[]> all() {
        int[] seq = new int[ws.length];
        long[] placed = new long[(ws.length + 63) >>> 6];
        extend(seq, 0, placed);
        return out;
    }

    private void extend(int[] seq, int k, long[] placed) {
        if (k == ws.length) {
            int[] order = new int[ws.length];
            for (int i = 0; i < ws.length; i++) {
                order[i] = ws[seq[i]];
            }
            out.add(order);
            return;
        }
        int forced = k > 0 ? next[seq[k - 1]] : -1;
        for (int i = 0; i < ws.length; i++) {
            if ((forced >= 0 && i != forced) || isSet(placed, i) || !ready(i, placed)) {
                continue;
            }
            seq[k] = i;
            placed[i >>> 6] |= 1L << i;
            extend(seq, k + 1, placed);
            placed[i >>> 6] &= ~(1L << i);
        }
    }

    private boolean ready(int i, long[] placed) {
        for (int w = 0; w < placed.length; w++) {
            if ((before[i][w] & ~placed[w]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSet(long[] set, int i) {
        return (set[i >>> 6] & (1L << i)) != 0;
    }
}
