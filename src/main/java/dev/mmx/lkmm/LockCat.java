package dev.mmx.lkmm;

import java.util.ArrayList;
import java.util.List;

/**
 * lock.cat's treatment of spinlocks for one combination of paths whose
 * locations are known: which spin_unlock() closes which critical section,
 * the checks that reject a combination outright (nested locking, two
 * critical sections never left), where failed trylocks and spin_is_locked()
 * may read from, and how unlocks and lock reads join co and rf once the
 * order of the lock writes is chosen.
 */
final class LockCat {
    private final Events ev;
    private final int[] loc;
    /** critical: for each LKW, the UL closing its critical section, or -1 (UNMATCHED-LKW). */
    final int[] unlockOf;
    /** For each UL, the LKW it closes, or -1 (flag unmatched-unlock). */
    final int[] lockOf;
    /** lk-rmw: for each LKR, its LKW. */
    final int[] lockWriteOf;

    LockCat(Events ev, int[] loc) {
        this.ev = ev;
        this.loc = loc;
        int n = ev.n;
        unlockOf = new int[n];
        lockOf = new int[n];
        lockWriteOf = new int[n];
        java.util.Arrays.fill(unlockOf, -1);
        java.util.Arrays.fill(lockOf, -1);
        java.util.Arrays.fill(lockWriteOf, -1);
        for (int e = 0; e < n; e++) {
            if (ev.kind[e] == EventKind.LOCK_WRITE) {
                // lock.cat: critical = ([LKW] ; po-loc ; [UL]) \ (po-loc ; [LKW | UL] ; po-loc)
                int next = nextInThread(e, EventKind.LOCK_WRITE, EventKind.UNLOCK);
                if (next >= 0 && ev.kind[next] == EventKind.UNLOCK) {
                    unlockOf[e] = next;
                    lockOf[next] = e;
                }
            } else if (ev.kind[e] == EventKind.LOCK_READ) {
                // lock.cat: lk-rmw = ([LKR] ; po-loc ; [LKW]) \ (po ; po); ThreadPaths emits the LKW right after
                lockWriteOf[e] = e + 1;
            }
        }
    }

    /** The first event after e in e's thread at e's location of one of the kinds, or -1. */
    private int nextInThread(int e, EventKind... kinds) {
        for (int f = e + 1; f < ev.n && ev.thread[f] == ev.thread[e]; f++) {
            if (loc[f] == loc[e]) {
                for (EventKind k : kinds) {
                    if (ev.kind[f] == k) {
                        return f;
                    }
                }
            }
        }
        return -1;
    }

    /** Whether an unlock at e's location comes between a and b (a po b) in their thread. */
    private boolean unlockBetween(int a, int b) {
        for (int f = a + 1; f < b; f++) {
            if (ev.kind[f] == EventKind.UNLOCK && loc[f] == loc[a]) {
                return true;
            }
        }
        return false;
    }

    private boolean samePoLoc(int a, int b) {
        return ev.thread[a] == ev.thread[b] && ev.thread[a] >= 0 && a < b && loc[a] == loc[b] && loc[a] >= 0;
    }

    /**
     * lock.cat's checks that depend on no choice: lock-nest (a spin_lock() of a
     * lock the thread holds deadlocks), nested-is-locked, and unmatched-locks
     * (two critical sections of one lock never left cannot both be entered).
     */
    boolean allowed() {
        for (int a = 0; a < ev.n; a++) {
            if (ev.kind[a] != EventKind.LOCK_WRITE) {
                continue;
            }
            for (int b = a + 1; b < ev.n && ev.thread[b] == ev.thread[a]; b++) {
                boolean reads = ev.kind[b] == EventKind.LOCK_READ || ev.kind[b] == EventKind.READ_UNLOCKED;
                // lock-nest: empty ([LKW] ; po-loc ; [LKR]) \ (po-loc ; [UL] ; po-loc); nested-is-locked for RU
                if (reads && samePoLoc(a, b) && !unlockBetween(a, b)) {
                    return false;
                }
            }
            for (int b = a + 1; b < ev.n; b++) {
                // unmatched-locks: empty ([UNMATCHED-LKW] ; loc ; [UNMATCHED-LKW]) \ id
                if (ev.kind[b] == EventKind.LOCK_WRITE && unlockOf[a] < 0 && unlockOf[b] < 0 && loc[a] == loc[b]) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * For each failed trylock or spin_is_locked() read, the writes it may read
     * from, one choice each (lock.cat's {@code with rfe-lf from cross(...)} and
     * {@code with rf-ru from cross(...)}). An LF inside its own critical section
     * reads the LKW that opened it (rfi-lf). An empty list: no execution.
     */
    List<int[]> lockReadChoices() {
        List<int[]> out = new ArrayList<>();
        for (int f = 0; f < ev.n; f++) {
            EventKind k = ev.kind[f];
            if (k == EventKind.LOCK_FAIL || k == EventKind.READ_LOCKED) {
                // lock.cat: let LF = LF | RL
                List<Integer> within = new ArrayList<>();
                for (int w = 0; w < f; w++) {
                    // rfi-lf = ([LKW] ; po-loc ; [LF]) \ ([LKW] ; po-loc ; [UL] ; po-loc)
                    if (ev.kind[w] == EventKind.LOCK_WRITE && samePoLoc(w, f) && !unlockBetween(w, f)) {
                        within.add(w);
                    }
                }
                if (!within.isEmpty()) {
                    // every rfi-lf edge is in rf: no choice
                    for (int w : within) {
                        out.add(new int[] {f, w});
                    }
                    continue;
                }
                List<Integer> sources = new ArrayList<>();
                for (int w = 0; w < ev.n; w++) {
                    // possible-rfe-noncrit-lf e = (LKW * {e}) & loc & ext
                    if (ev.kind[w] == EventKind.LOCK_WRITE && loc[w] == loc[f] && ev.thread[w] != ev.thread[f]) {
                        sources.add(w);
                    }
                }
                out.add(choice(f, sources));
            } else if (k == EventKind.READ_UNLOCKED) {
                List<Integer> sources = new ArrayList<>();
                int last = -1;
                for (int w = 0; w < f; w++) {
                    if (ev.kind[w] == EventKind.UNLOCK && samePoLoc(w, f)) {
                        last = w; // the last po-previous UL
                    }
                }
                if (last >= 0) {
                    sources.add(last);
                }
                for (int w = 0; w < ev.n; w++) {
                    // ((UL | IW) * {e}) & loc & ext
                    boolean ul = ev.kind[w] == EventKind.UNLOCK || ev.kind[w] == EventKind.INIT;
                    if (ul && loc[w] == loc[f] && ev.thread[w] != ev.thread[f]) {
                        sources.add(w);
                    }
                }
                out.add(choice(f, sources));
            }
        }
        return out;
    }

    /** {reader, source1, source2, ...}: one of the sources is chosen. */
    private static int[] choice(int reader, List<Integer> sources) {
        int[] c = new int[sources.size() + 1];
        c[0] = reader;
        for (int i = 0; i < sources.size(); i++) {
            c[i + 1] = sources.get(i);
        }
        return c;
    }

    /**
     * The final coherence order of one location from the chosen order of its
     * writes (locks' LKWs among them): lock.cat's
     * {@code co = (co | critical | (critical^-1 ; co))+} puts each UL right after
     * the LKW it closes. An unlock that closes nothing stays out of co.
     */
    List<Integer> withUnlocks(int[] order) {
        List<Integer> seq = new ArrayList<>(order.length * 2);
        for (int w : order) {
            seq.add(w);
            if (ev.kind[w] == EventKind.LOCK_WRITE && unlockOf[w] >= 0) {
                seq.add(unlockOf[w]);
            }
        }
        return seq;
    }

    /**
     * lock.cat: {@code rf = rf | ([IW | UL] ; singlestep(co) ; lk-rmw^-1)}: a
     * lock read reads the write just before its LKW in co, when that is the
     * initial write or an unlock. Adds those edges to rf.
     */
    void lockReads(List<Integer> seq, Rel rf) {
        for (int i = 1; i < seq.size(); i++) {
            int w = seq.get(i);
            if (ev.kind[w] != EventKind.LOCK_WRITE) {
                continue;
            }
            int before = seq.get(i - 1);
            if (ev.kind[before] == EventKind.INIT || ev.kind[before] == EventKind.UNLOCK) {
                // the LKR is the event just before its LKW in program order
                rf.add(before, w - 1);
            }
        }
    }
}
