package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.ModelFault;
import dev.mmx.system.Program;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Enumerates the candidate executions of a program the way herd7 does for
 * the Linux-kernel model: one control path per thread, a reads-from choice
 * for every read (values are then solved; a cyclic choice has no solution),
 * lock.cat's choices for failed trylocks and spin_is_locked(), and every
 * coherence order per location that extends what program order and
 * reads-from already force (cos-opt.cat's {@code generate_cos(cobase)}).
 * Choices that coherence or atomicity (both axioms of linux-kernel.cat) would
 * reject anyway are cut early; every other candidate reaches the sink.
 */
final class Candidates {
    /** Receives each candidate; returns false to stop the enumeration. */
    interface Sink {
        boolean accept(Execution x);
    }

    private static final long FAULT = Long.MIN_VALUE + 1;

    private final Program program;
    private final List<List<Path>> threadPaths;
    private final Sink sink;
    /** Whether to cut what coherence and atomicity reject anyway; false only in the differential test. */
    private final boolean prune;
    private boolean stopped;

    private Candidates(Program program, List<List<Path>> threadPaths, Sink sink, boolean prune) {
        this.program = program;
        this.threadPaths = threadPaths;
        this.sink = sink;
        this.prune = prune;
    }

    static void enumerate(Program program, List<List<Path>> threadPaths, Sink sink) {
        new Candidates(program, threadPaths, sink, true).run();
    }

    /**
     * Every candidate herd7 would build, none cut early (each read may read
     * every write of its location, co is every order that starts with the
     * initial write): the oracle the cuts are tested against.
     */
    static void enumerateAll(Program program, List<List<Path>> threadPaths, Sink sink) {
        new Candidates(program, threadPaths, sink, false).run();
    }

    private void run() {
        int threads = threadPaths.size();
        for (List<Path> ps : threadPaths) {
            if (ps.isEmpty()) {
                return; // a thread with no path (every one assumes false): no execution
            }
        }
        int[] pick = new int[threads];
        while (!stopped) {
            List<Path> combo = new ArrayList<>(threads);
            for (int t = 0; t < threads; t++) {
                combo.add(threadPaths.get(t).get(pick[t]));
            }
            new Combo(new Events(program, combo)).search(0);
            int t = threads - 1;
            while (t >= 0 && ++pick[t] == threadPaths.get(t).size()) {
                pick[t] = 0;
                t--;
            }
            if (t < 0) {
                return;
            }
        }
    }

    /** The reads-from search for one combination of paths. */
    private final class Combo {
        final Events ev;
        /** What each read returns, or UNKNOWN. */
        final long[] rv;
        /** The write each read reads from; -1 not chosen yet, -2 none (its address is no location). */
        final int[] src;
        final int[] writes;
        final Sym.Reads[] threadReads;
        Lkmm.Fault fault;

        Combo(Events ev) {
            this.ev = ev;
            this.rv = new long[ev.reads()];
            this.src = new int[ev.reads()];
            Arrays.fill(rv, Sym.UNKNOWN);
            Arrays.fill(src, -1);
            List<Integer> ws = new ArrayList<>();
            for (int e = 0; e < ev.n; e++) {
                if (ev.kind[e] == EventKind.INIT || ev.kind[e] == EventKind.WRITE) {
                    ws.add(e);
                }
            }
            writes = ws.stream().mapToInt(Integer::intValue).toArray();
            threadReads = new Sym.Reads[ev.paths.size()];
            for (int t = 0; t < threadReads.length; t++) {
                int base = ev.readBase[t];
                threadReads[t] = slot -> rv[base + slot];
            }
        }

        /** The cell an event addresses, UNKNOWN while it depends on an unsolved read, or FAULT. */
        long locOf(int e) {
            if (ev.kind[e] == EventKind.INIT) {
                return e;
            }
            Path.Event pe = ev.pathEvent[e];
            if (pe.loc() == null) {
                return -1;
            }
            long l = eval(pe.loc(), ev.thread[e]);
            if (l == Sym.UNKNOWN || l == FAULT) {
                return l;
            }
            return l >= pe.lo() && l < pe.hi() ? l : FAULT;
        }

        long valueOf(int w) {
            if (ev.kind[w] == EventKind.INIT) {
                return program.memory().get(w).initial();
            }
            return eval(ev.pathEvent[w].value(), ev.thread[w]);
        }

        long eval(Sym s, int thread) {
            try {
                return s.eval(threadReads[thread]);
            } catch (ModelFault f) {
                return FAULT;
            }
        }

        /** Chooses a source for the k-th read, then the next. */
        void search(int k) {
            if (stopped) {
                return;
            }
            if (k == ev.reads()) {
                solved();
                return;
            }
            int r = ev.readEvent[k];
            long l = locOf(r);
            if (l == FAULT) {
                src[k] = -2;
                long saved = rv[k];
                rv[k] = 0;
                int[] trail = propagate();
                if (trail != null) {
                    search(k + 1);
                    undo(trail);
                }
                rv[k] = saved;
                src[k] = -1;
                return;
            }
            for (int w : writes) {
                if (!sameLocation(l, w) || (prune && !mayRead(k, r, l, w))) {
                    continue;
                }
                src[k] = w;
                int[] trail = propagate();
                if (trail != null) {
                    search(k + 1);
                    undo(trail);
                }
                src[k] = -1;
                if (stopped) {
                    return;
                }
            }
        }

        /** Whether w may be at read location l: rf relates accesses to one location. */
        boolean sameLocation(long l, int w) {
            long lw = locOf(w);
            return lw != FAULT && (l < 0 || lw < 0 || l == lw);
        }

        /** Cuts the sources that coherence or atomicity would reject in every co. */
        boolean mayRead(int k, int r, long l, int w) {
            if (w == ev.rmwWrite[r]) {
                return false; // a read-modify-write reading its own write: po-loc ; rf cycle
            }
            long lw = locOf(w);
            if (l < 0 || lw < 0) {
                return true; // not known yet: the location check after solving decides
            }
            int t = ev.thread[r];
            if (ev.thread[w] == t && w > r) {
                return false; // CoRW: a read never reads a later write of its own thread
            }
            for (int e = ev.eventBase[t]; e < r; e++) {
                // CoWR: after its own write e to the location, a thread reads e or a write co-after e, never
                // the initial write or one of its own writes before e (both co-before e)
                boolean coBefore = ev.kind[w] == EventKind.INIT || (ev.thread[w] == t && w < e);
                if (e != w && ev.kind[e] == EventKind.WRITE && locOf(e) == l && coBefore) {
                    return false;
                }
            }
            if (ev.rmwWrite[r] >= 0) {
                // atomicity: two successful read-modify-writes never read the same write
                for (int j = 0; j < k; j++) {
                    if (src[j] == w && ev.rmwWrite[ev.readEvent[j]] >= 0) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Solves what the choices so far determine; null when they contradict a location or a guard. */
        int[] propagate() {
            int[] trail = new int[ev.reads()];
            int size = 0;
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int j = 0; j < ev.reads(); j++) {
                    if (src[j] >= 0 && rv[j] == Sym.UNKNOWN) {
                        long v = valueOf(src[j]);
                        if (v == FAULT) {
                            fault = new Lkmm.Fault("division_by_zero", "a value is divided by zero");
                            v = 0;
                        }
                        if (v != Sym.UNKNOWN) {
                            rv[j] = v;
                            trail[size++] = j;
                            changed = true;
                        }
                    }
                }
            }
            int[] done = Arrays.copyOf(trail, size);
            if (!consistent()) {
                undo(done);
                return null;
            }
            return done;
        }

        void undo(int[] trail) {
            for (int j : trail) {
                rv[j] = Sym.UNKNOWN;
            }
        }

        /** Whether no known location or guard contradicts the choices. */
        boolean consistent() {
            for (int j = 0; j < ev.reads(); j++) {
                if (src[j] >= 0) {
                    long l = locOf(ev.readEvent[j]);
                    long lw = locOf(src[j]);
                    if (l >= 0 && lw >= 0 && l != lw) {
                        return false;
                    }
                }
            }
            for (int t = 0; t < ev.paths.size(); t++) {
                for (Path.Guard g : ev.paths.get(t).guards()) {
                    long v = eval(g.cond(), t);
                    if (v != Sym.UNKNOWN && v != FAULT && (v != 0) != g.holds()) {
                        return false;
                    }
                }
            }
            return true;
        }

        /** Every read has a source: fix locations and values, then the lock choices and co. */
        void solved() {
            List<Integer> free = new ArrayList<>();
            for (int j = 0; j < ev.reads(); j++) {
                if (rv[j] == Sym.UNKNOWN) {
                    free.add(j);
                }
            }
            if (!free.isEmpty()) {
                if (!freeCopies(free)) {
                    return;
                }
                // one symbolic value per cycle: herd7 compares it equal to itself and to nothing else
                int[] cls = new int[ev.reads()];
                for (int j : free) {
                    cls[j] = j;
                }
                for (int j : free) {
                    Sym.Read copied = (Sym.Read) ev.pathEvent[src[j]].value();
                    int k = ev.readBase[ev.thread[src[j]]] + copied.slot();
                    cls[find(cls, j)] = find(cls, k);
                }
                for (int j : free) {
                    rv[j] = Lkmm.SYMBOLIC + find(cls, j);
                }
                solvedWithValues();
                for (int j : free) {
                    rv[j] = Sym.UNKNOWN;
                }
                return;
            }
            solvedWithValues();
        }

        private int find(int[] cls, int j) {
            while (cls[j] != j) {
                j = cls[j];
            }
            return j;
        }

        /**
         * A cyclic reads-from: herd7 solves the equations by unifying variables,
         * so a cycle of plain copies (each read reads a store of the value
         * another read of the cycle returned) leaves one free variable and the
         * execution stands, whatever that value. A cycle through an operation,
         * or a branch or address that depends on the free value, leaves an
         * equation unsolved and the candidate is dropped.
         */
        boolean freeCopies(List<Integer> free) {
            for (int j : free) {
                int w = src[j];
                if (w < 0 || ev.kind[w] == EventKind.INIT || !(ev.pathEvent[w].value() instanceof Sym.Read)) {
                    return false;
                }
            }
            for (int t = 0; t < ev.paths.size(); t++) {
                for (Path.Guard g : ev.paths.get(t).guards()) {
                    if (eval(g.cond(), t) == Sym.UNKNOWN) {
                        return false;
                    }
                }
            }
            for (int e = ev.cells; e < ev.n; e++) {
                if (ev.kind[e].located() && locOf(e) == Sym.UNKNOWN) {
                    return false;
                }
            }
            return true;
        }

        void solvedWithValues() {
            int[] loc = new int[ev.n];
            int[] value = new int[ev.n];
            Lkmm.Fault why = fault;
            for (Path p : ev.paths) {
                if (p.fault() != null) {
                    why = p.fault();
                }
            }
            for (int e = 0; e < ev.n; e++) {
                long l = ev.kind[e].located() ? locOf(e) : -1;
                if (l == FAULT || l == Sym.UNKNOWN) {
                    why = faultText(e);
                    l = -1;
                }
                loc[e] = (int) l;
                if (ev.kind[e] == EventKind.INIT || ev.kind[e] == EventKind.WRITE) {
                    long v = valueOf(e);
                    value[e] = v == FAULT || v == Sym.UNKNOWN ? 0 : (int) v;
                } else if (ev.read[e] >= 0) {
                    value[e] = (int) rv[ev.read[e]];
                }
            }
            LockCat locks = new LockCat(ev, loc);
            if (!locks.allowed()) {
                return;
            }
            if (!new OrderChoices(ev, loc, value, src, locks, why, sink, prune).run()) {
                stopped = true;
            }
        }

        /** An access whose address is no cell it may touch, worded as the operational models word it. */
        Lkmm.Fault faultText(int e) {
            Path.Event pe = ev.pathEvent[e];
            String where = program.threads().get(ev.thread[e]).name() + " line " + pe.src().line() + ": ";
            long l = eval(pe.loc(), ev.thread[e]);
            try {
                CExpr.checkIndex((int) (l - pe.lo()), pe.hi() - pe.lo(), pe.what());
            } catch (ModelFault f) {
                return new Lkmm.Fault(f.property(), where + f.getMessage());
            }
            return new Lkmm.Fault("index_out_of_range", where + pe.what() + " addresses no shared location");
        }
    }
}
