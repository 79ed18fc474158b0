package dev.mmx.lkmm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The relation algebra the cat files are written in, on small relations and across the 64-event word edge. */
class RelTest {
    private static Rel rel(int n, int... pairs) {
        Rel r = new Rel(n);
        for (int i = 0; i < pairs.length; i += 2) {
            r.add(pairs[i], pairs[i + 1]);
        }
        return r;
    }

    @Test
    void sequenceInverseAndClosure() {
        Rel r = rel(4, 0, 1, 1, 2, 2, 3);
        assertEquals("{0->2, 1->3}", r.seq(r).toString());
        assertEquals("{1->0, 2->1, 3->2}", r.inverse().toString());
        assertEquals("{0->1, 0->2, 0->3, 1->2, 1->3, 2->3}", r.plus().toString());
        assertEquals("{0->0, 0->1, 0->2, 0->3, 1->1, 1->2, 1->3, 2->2, 2->3, 3->3}", r.star().toString());
        assertTrue(r.acyclic());
        assertFalse(r.union(rel(4, 3, 0)).acyclic());
        assertFalse(rel(4, 2, 2).acyclic());
    }

    @Test
    void restrictionsToSets() {
        Rel r = rel(4, 0, 1, 1, 2, 2, 3);
        long[] s = Rel.emptySet(4);
        Rel.add(s, 1);
        Rel.add(s, 2);
        assertEquals("{1->2}", r.restrict(s, s).toString());
        assertEquals("{0->1, 1->2}", r.to(s).toString());
        assertEquals("{1->2, 2->3}", r.from(s).toString());
        assertEquals("{1->1, 2->2}", Rel.id(4, s).toString());
    }

    @Test
    void relationsWiderThanOneWord() {
        // a path 0 -> 1 -> ... -> 99 crosses the word boundary at 64
        Rel r = new Rel(100);
        for (int e = 0; e < 99; e++) {
            r.add(e, e + 1);
        }
        Rel plus = r.plus();
        assertTrue(plus.has(0, 99));
        assertTrue(plus.has(63, 64));
        assertFalse(plus.has(99, 0));
        assertTrue(r.acyclic());
        r.add(99, 0);
        assertFalse(r.acyclic());
        assertTrue(r.seq(r).has(98, 0));
        assertTrue(r.inverse().has(0, 99));
    }
}
