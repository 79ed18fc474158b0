package dev.mmx.lkmm;

/**
 * One candidate execution: the events of a combination of paths with their
 * locations and values fixed by a reads-from choice, and the reads-from and
 * coherence relations as lock.cat leaves them (lock reads joined to rf,
 * unlocks merged into co). {@code readValue} holds what each read returned.
 * {@code fault} is the runtime fault the execution meets, or null.
 */
record Execution(Events events, int[] loc, int[] value, long[] readValue, Rel rf, Rel co, Rel rmw,
                 Lkmm.Fault fault) {

    int n() {
        return events.n;
    }

    /** The relation loc: two located events at the same cell. */
    Rel sameLoc() {
        int n = n();
        Rel r = new Rel(n);
        for (int a = 0; a < n; a++) {
            if (loc[a] < 0) {
                continue;
            }
            for (int b = 0; b < n; b++) {
                if (loc[b] == loc[a]) {
                    r.add(a, b);
                }
            }
        }
        return r;
    }

    /** The relation int: two events of one thread (initial writes count as one thread of their own). */
    Rel sameThread() {
        int n = n();
        Rel r = new Rel(n);
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (events.thread[a] == events.thread[b]) {
                    r.add(a, b);
                }
            }
        }
        return r;
    }
}
