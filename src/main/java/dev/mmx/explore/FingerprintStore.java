package dev.mmx.explore;


/**
 * Hash compaction: the visited set keeps only a 64-bit fingerprint of each
 * state (with its id, for the DFS stack proviso), not the state itself. Two
 * states with the same fingerprint count as one, so a state may be missed;
 * {@link #omissionProbability()} bounds the chance that it happened.
 */
public final class FingerprintStore implements StateStore {
    private long[] table = new long[1 << 12];
    private int[] ids = new int[1 << 12];
    private int mask = table.length - 1;
    private int size;
    private final byte[] scratch;

    public FingerprintStore(int width) {
        this.scratch = new byte[Nibbles.maxBytes(width)];
    }

    private long fingerprint(int[] state) {
        long f = Nibbles.hash64(scratch, Nibbles.encode(state, scratch, 0));
        return f == 0 ? 1 : f; // 0 marks an empty slot
    }

    @Override
    public long add(int[] state) {
        long f = fingerprint(state);
        int i = (int) (f ^ (f >>> 32)) & mask;
        while (table[i] != 0) {
            if (table[i] == f) {
                return -(ids[i] + 1L);
            }
            i = (i + 1) & mask;
        }
        table[i] = f;
        ids[i] = size;
        if (++size * 10L > table.length * 7L) {
            grow();
        }
        return size - 1;
    }

    @Override
    public int find(int[] state) {
        long f = fingerprint(state);
        for (int i = (int) (f ^ (f >>> 32)) & mask; table[i] != 0; i = (i + 1) & mask) {
            if (table[i] == f) {
                return ids[i];
            }
        }
        return -1;
    }

    /** The states themselves are not kept: only a search that keeps its own path (DFS) can use this store. */
    @Override
    public int[] get(int id) {
        throw new UnsupportedOperationException("a fingerprint store keeps no states");
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long bytes() {
        return 12L * table.length;
    }

    /**
     * An upper bound on the probability that some state was missed: the chance
     * that two of the n stored states share a 64-bit fingerprint, n(n-1)/2^65.
     */
    public double omissionProbability() {
        return (double) size * (size - 1) / Math.pow(2, 65);
    }

    private void grow() {
        long[] t = new long[table.length * 2];
        int[] d = new int[t.length];
        int m = t.length - 1;
        for (int k = 0; k < table.length; k++) {
            long f = table[k];
            if (f != 0) {
                int i = (int) (f ^ (f >>> 32)) & m;
                while (t[i] != 0) {
                    i = (i + 1) & m;
                }
                t[i] = f;
                d[i] = ids[k];
            }
        }
        table = t;
        ids = d;
        mask = m;
    }

}
