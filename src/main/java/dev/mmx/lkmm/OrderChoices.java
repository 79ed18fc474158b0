package dev.mmx.lkmm;

import java.util.ArrayList;
import java.util.List;

/**
 * The choices left once reads-from is solved and every location known:
 * lock.cat's reads-from for failed trylocks and spin_is_locked(), then one
 * coherence order per location (see {@link LocationOrders}), each
 * combination a candidate execution with lock.cat's unlocks merged into co
 * and its lock reads joined to rf.
 */
final class OrderChoices {
    private final Events ev;
    private final int[] loc;
    private final int[] value;
    private final int[] memSrc;
    private final LockCat locks;
    private final Lkmm.Fault fault;
    private final List<int[]> lockChoices;
    private final int[] lockPick;
    private final Candidates.Sink sink;
    private final boolean prune;
    private boolean stopped;
    /** The reads-from of memory reads and lock-read choices; lock reads of LKRs join per coherence order. */
    private Rel rf;
    private List<List<int[]>> perLocation;

    OrderChoices(Events ev, int[] loc, int[] value, int[] memSrc, LockCat locks, Lkmm.Fault fault,
                 Candidates.Sink sink, boolean prune) {
        this.sink = sink;
        this.prune = prune;
        this.ev = ev;
        this.loc = loc;
        this.value = value;
        this.memSrc = memSrc.clone();
        this.locks = locks;
        this.fault = fault;
        this.lockChoices = locks.lockReadChoices();
        this.lockPick = new int[lockChoices.size()];
    }

    /** Hands every candidate to the sink; false when the sink stopped the enumeration. */
    boolean run() {
        for (int[] c : lockChoices) {
            if (c.length == 1) {
                return true; // a read with nowhere to read from: cross() of an empty set is empty
            }
        }
        while (!stopped) {
            rf = new Rel(ev.n);
            for (int j = 0; j < memSrc.length; j++) {
                if (memSrc[j] >= 0) {
                    rf.add(memSrc[j], ev.readEvent[j]);
                }
            }
            for (int i = 0; i < lockChoices.size(); i++) {
                int[] c = lockChoices.get(i);
                rf.add(c[1 + lockPick[i]], c[0]);
            }
            orders();
            int i = lockChoices.size() - 1;
            while (i >= 0 && ++lockPick[i] == lockChoices.get(i).length - 1) {
                lockPick[i] = 0;
                i--;
            }
            if (i < 0) {
                return !stopped;
            }
        }
        return false;
    }

    /**
     * Whether some coherence order could make this reads-from consistent.
     * Every axiom of linux-kernel.cat only gets harder to meet as co (and
     * with it fr, and the lock reads lock.cat derives from co) grows, so an
     * execution with no co at all that an axiom already rejects rules out
     * every co: the check runs once instead of once per order.
     */
    boolean possible() {
        Rel rmw = ev.rmw.copy();
        for (int e = 0; e < ev.n; e++) {
            if (locks.lockWriteOf[e] >= 0) {
                rmw.add(e, locks.lockWriteOf[e]);
            }
        }
        long[] readValue = new long[ev.reads()];
        return KernelCat.check(new Execution(ev, loc, value, readValue, rf, new Rel(ev.n), rmw, fault)) != null;
    }

    /** Every combination of one coherence order per location. */
    void orders() {
        perLocation = new ArrayList<>();
        long combinations = 1;
        for (int c = 0; c < ev.cells; c++) {
            List<int[]> os = new LocationOrders(ev, loc, rf, c, prune).all();
            if (os.isEmpty()) {
                return;
            }
            perLocation.add(os);
            combinations *= os.size();
        }
        if (prune && combinations > 1 && !possible()) {
            return;
        }
        int[] pick = new int[perLocation.size()];
        while (!stopped) {
            emit(pick);
            int i = pick.length - 1;
            while (i >= 0 && ++pick[i] == perLocation.get(i).size()) {
                pick[i] = 0;
                i--;
            }
            if (i < 0) {
                return;
            }
        }
    }

    void emit(int[] pick) {
        Rel co = new Rel(ev.n);
        Rel fullRf = rf.copy();
        for (int c = 0; c < pick.length; c++) {
            List<Integer> seq = locks.withUnlocks(perLocation.get(c).get(pick[c]));
            for (int i = 0; i < seq.size(); i++) {
                for (int j = i + 1; j < seq.size(); j++) {
                    co.add(seq.get(i), seq.get(j));
                }
            }
            locks.lockReads(seq, fullRf);
        }
        Rel rmw = ev.rmw.copy();
        for (int e = 0; e < ev.n; e++) {
            if (locks.lockWriteOf[e] >= 0) {
                rmw.add(e, locks.lockWriteOf[e]); // lock.cat: rmw = rmw | lk-rmw
            }
        }
        long[] readValue = new long[ev.reads()];
        for (int j = 0; j < readValue.length; j++) {
            readValue[j] = value[ev.readEvent[j]];
        }
        if (!sink.accept(new Execution(ev, loc, value, readValue, fullRf, co, rmw, fault))) {
            stopped = true;
        }
    }
}
