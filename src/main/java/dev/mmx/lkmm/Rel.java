package dev.mmx.lkmm;

import java.util.Arrays;

/**
 * A binary relation over the events 0..n-1 of one candidate execution, as one
 * bit row per event: the cat language's relation algebra ({@code ;}, {@code |},
 * {@code &}, {@code \}, {@code ^-1}, {@code +}, {@code *}, {@code ?},
 * {@code [S]}) on plain long arrays. Event sets are {@code long[]} masks of the
 * same width. Every operation returns a new relation; none changes its operands.
 */
final class Rel {
    final int n;
    final int words;
    /** Row i occupies bits[i * words .. i * words + words). */
    final long[] bits;

    Rel(int n) {
        this.n = n;
        this.words = (n + 63) >>> 6;
        this.bits = new long[n * words];
    }

    private Rel(int n, int words, long[] bits) {
        this.n = n;
        this.words = words;
        this.bits = bits;
    }

    static long[] emptySet(int n) {
        return new long[(n + 63) >>> 6];
    }

    static boolean has(long[] set, int e) {
        return (set[e >>> 6] & (1L << e)) != 0;
    }

    static void add(long[] set, int e) {
        set[e >>> 6] |= 1L << e;
    }

    static long[] union(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] |= b[i];
        }
        return r;
    }

    static long[] inter(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] &= b[i];
        }
        return r;
    }

    static long[] minus(long[] a, long[] b) {
        long[] r = a.clone();
        for (int i = 0; i < r.length; i++) {
            r[i] &= ~b[i];
        }
        return r;
    }

    static boolean isEmpty(long[] set) {
        for (long w : set) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    boolean has(int a, int b) {
        return (bits[a * words + (b >>> 6)] & (1L << b)) != 0;
    }

    void add(int a, int b) {
        bits[a * words + (b >>> 6)] |= 1L << b;
    }

    Rel copy() {
        return new Rel(n, words, bits.clone());
    }

    /** The identity on a set: cat's {@code [S]}. */
    static Rel id(int n, long[] set) {
        Rel r = new Rel(n);
        for (int e = 0; e < n; e++) {
            if (has(set, e)) {
                r.add(e, e);
            }
        }
        return r;
    }

    /** {@code S1 * S2}: every pair from the first set to the second. */
    static Rel product(int n, long[] from, long[] to) {
        Rel r = new Rel(n);
        for (int e = 0; e < n; e++) {
            if (has(from, e)) {
                System.arraycopy(to, 0, r.bits, e * r.words, r.words);
            }
        }
        return r;
    }

    Rel union(Rel o) {
        long[] b = bits.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] |= o.bits[i];
        }
        return new Rel(n, words, b);
    }

    static Rel union(Rel... rs) {
        Rel r = rs[0];
        for (int i = 1; i < rs.length; i++) {
            r = r.union(rs[i]);
        }
        return r;
    }

    Rel inter(Rel o) {
        long[] b = bits.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] &= o.bits[i];
        }
        return new Rel(n, words, b);
    }

    Rel minus(Rel o) {
        long[] b = bits.clone();
        for (int i = 0; i < b.length; i++) {
            b[i] &= ~o.bits[i];
        }
        return new Rel(n, words, b);
    }

    /** {@code r1 ; r2}. */
    Rel seq(Rel o) {
        Rel r = new Rel(n);
        if (words == 1) {
            for (int a = 0; a < n; a++) {
                long m = bits[a];
                long acc = 0;
                while (m != 0) {
                    acc |= o.bits[Long.numberOfTrailingZeros(m)];
                    m &= m - 1;
                }
                r.bits[a] = acc;
            }
            return r;
        }
        for (int a = 0; a < n; a++) {
            int row = a * words;
            for (int w = 0; w < words; w++) {
                long m = bits[row + w];
                while (m != 0) {
                    int b = (w << 6) + Long.numberOfTrailingZeros(m);
                    m &= m - 1;
                    int orow = b * words;
                    for (int k = 0; k < words; k++) {
                        r.bits[row + k] |= o.bits[orow + k];
                    }
                }
            }
        }
        return r;
    }

    /** Sequences several relations left to right. */
    static Rel seq(Rel... rs) {
        Rel r = rs[0];
        for (int i = 1; i < rs.length; i++) {
            r = r.seq(rs[i]);
        }
        return r;
    }

    /** {@code r^-1}. */
    Rel inverse() {
        Rel r = new Rel(n);
        for (int a = 0; a < n; a++) {
            int row = a * words;
            for (int w = 0; w < words; w++) {
                long m = bits[row + w];
                while (m != 0) {
                    r.add((w << 6) + Long.numberOfTrailingZeros(m), a);
                    m &= m - 1;
                }
            }
        }
        return r;
    }

    /** {@code r+}, by Warshall's algorithm on rows. */
    Rel plus() {
        Rel r = copy();
        if (seq(this).minus(this).isEmpty()) {
            return r; // already transitive (often: empty, or no two steps chain)
        }
        if (words == 1) {
            long[] b = r.bits;
            for (int k = 0; k < n; k++) {
                long kb = 1L << k;
                long row = b[k];
                for (int i = 0; i < n; i++) {
                    if ((b[i] & kb) != 0) {
                        b[i] |= row;
                    }
                }
            }
            return r;
        }
        for (int k = 0; k < n; k++) {
            int krow = k * words;
            int kw = k >>> 6;
            long kb = 1L << k;
            for (int i = 0; i < n; i++) {
                int irow = i * words;
                if ((r.bits[irow + kw] & kb) != 0) {
                    for (int w = 0; w < words; w++) {
                        r.bits[irow + w] |= r.bits[krow + w];
                    }
                }
            }
        }
        return r;
    }

    /** {@code r*}: the reflexive-transitive closure over all n events. */
    Rel star() {
        return plus().optional();
    }

    /** {@code r?}: r or the identity. */
    Rel optional() {
        Rel r = copy();
        for (int e = 0; e < n; e++) {
            r.add(e, e);
        }
        return r;
    }

    /** {@code [S] ; r}. */
    Rel from(long[] set) {
        Rel r = new Rel(n);
        for (int a = 0; a < n; a++) {
            if (has(set, a)) {
                System.arraycopy(bits, a * words, r.bits, a * words, words);
            }
        }
        return r;
    }

    /** {@code r ; [S]}. */
    Rel to(long[] set) {
        long[] b = bits.clone();
        if (words == 1) {
            long m = set[0];
            for (int a = 0; a < n; a++) {
                b[a] &= m;
            }
            return new Rel(n, words, b);
        }
        for (int a = 0; a < n; a++) {
            for (int w = 0; w < words; w++) {
                b[a * words + w] &= set[w];
            }
        }
        return new Rel(n, words, b);
    }

    /** {@code [S1] ; r ; [S2]}. */
    Rel restrict(long[] from, long[] to) {
        return from(from).to(to);
    }

    boolean isEmpty() {
        for (long w : bits) {
            if (w != 0) {
                return false;
            }
        }
        return true;
    }

    boolean irreflexive() {
        for (int e = 0; e < n; e++) {
            if (has(e, e)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the relation has no cycle: peel off events with no successor left until none remains. */
    boolean acyclic() {
        long[] left = emptySet(n);
        for (int e = 0; e < n; e++) {
            add(left, e);
        }
        int remaining = n;
        boolean peeled = true;
        while (remaining > 0 && peeled) {
            peeled = false;
            for (int e = 0; e < n; e++) {
                if (!has(left, e)) {
                    continue;
                }
                boolean sink = true;
                for (int w = 0; w < words && sink; w++) {
                    sink = (bits[e * words + w] & left[w]) == 0;
                }
                if (sink) {
                    left[e >>> 6] &= ~(1L << e);
                    remaining--;
                    peeled = true;
                }
            }
        }
        return remaining == 0;
    }

    /** {@code domain(r)}. */
    long[] domain() {
        long[] s = emptySet(n);
        for (int a = 0; a < n; a++) {
            for (int w = 0; w < words; w++) {
                if (bits[a * words + w] != 0) {
                    add(s, a);
                    break;
                }
            }
        }
        return s;
    }

    /** {@code range(r)}. */
    long[] range() {
        long[] s = emptySet(n);
        for (int a = 0; a < n; a++) {
            for (int w = 0; w < words; w++) {
                s[w] |= bits[a * words + w];
            }
        }
        return s;
    }

    /** {@code r \ id}. */
    Rel minusId() {
        Rel r = copy();
        for (int e = 0; e < n; e++) {
            r.bits[e * words + (e >>> 6)] &= ~(1L << e);
        }
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Rel r && r.n == n && Arrays.equals(r.bits, bits);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bits);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                if (has(a, b)) {
                    sb.append(sb.length() > 1 ? ", " : "").append(a).append("->").append(b);
                }
            }
        }
        return sb.append('}').toString();
    }
}
