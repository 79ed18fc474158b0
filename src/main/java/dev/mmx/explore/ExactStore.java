package dev.mmx.explore;

import java.util.Arrays;

/**
 * An exact visited set without per-state objects: each state is packed as
 * nibble varints (3 value bits and a continuation bit per nibble, so a flag
 * or a small program counter takes half a byte) into large byte pages, found
 * through an open-addressing table with linear probing whose entries hold the
 * state's hash beside its id, so a probe touches the pages only on a likely hit.
 */
public final class ExactStore implements StateStore {
    private static final int PAGE_BITS = 20;
    private static final int PAGE = 1 << PAGE_BITS;

    private final int width;
    private byte[][] pages = new byte[4][];
    private long used;
    private long[] offset = new long[1024];
    /** Entries: hash << 32 | (id + 1); 0 is empty. */
    private long[] table = new long[1 << 12];
    private int mask = table.length - 1;
    private int size;
    private final byte[] scratch;

    public ExactStore(int width) {
        this.width = width;
        this.scratch = new byte[width * 6 + 1];
        pages[0] = new byte[PAGE];
    }

    @Override
    public long add(int[] state) {
        int len = encode(state, scratch);
        int h = hash(scratch, len);
        int i = h & mask;
        long tag = (long) h << 32;
        while (true) {
            long e = table[i];
            if (e == 0) {
                break;
            }
            if ((e & 0xffffffff00000000L) == tag) {
                int id = (int) e - 1;
                if (equal(id, scratch, len)) {
                    return -(id + 1L);
                }
            }
            i = (i + 1) & mask;
        }
        int id = size++;
        if (id == offset.length) {
            offset = Arrays.copyOf(offset, id * 2);
        }
        offset[id] = append(scratch, len);
        table[i] = tag | (id + 1L);
        if (size * 10L > table.length * 7L) {
            grow();
        }
        return id;
    }

    @Override
    public int find(int[] state) {
        int len = encode(state, scratch);
        int h = hash(scratch, len);
        long tag = (long) h << 32;
        for (int i = h & mask; table[i] != 0; i = (i + 1) & mask) {
            long e = table[i];
            if ((e & 0xffffffff00000000L) == tag && equal((int) e - 1, scratch, len)) {
                return (int) e - 1;
            }
        }
        return -1;
    }

    @Override
    public int[] get(int id) {
        int[] s = new int[width];
        long at = offset[id];
        byte[] page = pages[(int) (at >>> PAGE_BITS)]; // a state never straddles two pages
        int base = (int) (at & (PAGE - 1));
        int nib = 0;
        for (int k = 0; k < width; k++) {
            int v = 0;
            int shift = 0;
            while (true) {
                int b = page[base + (nib >>> 1)];
                int x = (nib & 1) == 0 ? b & 0xf : (b >>> 4) & 0xf;
                nib++;
                v |= (x & 7) << shift;
                if ((x & 8) == 0) {
                    break;
                }
                shift += 3;
            }
            s[k] = v;
        }
        return s;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long bytes() {
        return used + 8L * offset.length + 8L * table.length;
    }

    /** Packs the state into {@code out}; returns the number of bytes used (the last nibble padded with 0). */
    private static int encode(int[] state, byte[] out) {
        int nib = 0;
        for (int x : state) {
            int v = x; // negative values (rare: an rwsem's writer word) take eleven nibbles
            do {
                int d = v & 7;
                v >>>= 3;
                if (v != 0) {
                    d |= 8;
                }
                if ((nib & 1) == 0) {
                    out[nib >>> 1] = (byte) d;
                } else {
                    out[nib >>> 1] |= (byte) (d << 4);
                }
                nib++;
            } while (v != 0);
        }
        return (nib + 1) >>> 1;
    }

    private static int hash(byte[] b, int len) {
        long h = 0x9E3779B97F4A7C15L;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long w = (b[i] & 0xffL) | (b[i + 1] & 0xffL) << 8 | (b[i + 2] & 0xffL) << 16 | (b[i + 3] & 0xffL) << 24
                    | (b[i + 4] & 0xffL) << 32 | (b[i + 5] & 0xffL) << 40 | (b[i + 6] & 0xffL) << 48
                    | (b[i + 7] & 0xffL) << 56;
            h = (h ^ w) * 0x100000001B3L;
            h ^= h >>> 31;
        }
        for (; i < len; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    private boolean equal(int id, byte[] b, int len) {
        long at = offset[id];
        int i = (int) (at & (PAGE - 1));
        // the encoding is self-delimiting and the width fixed, so equal prefixes of len bytes are equal states
        return i + len <= PAGE && Arrays.equals(pages[(int) (at >>> PAGE_BITS)], i, i + len, b, 0, len);
    }

    /** Appends bytes so that no state straddles a page boundary. */
    private long append(byte[] b, int len) {
        int page = (int) (used >>> PAGE_BITS);
        int within = (int) (used & (PAGE - 1));
        if (within + len > PAGE) {
            page++;
            within = 0;
            used = (long) page << PAGE_BITS;
        }
        if (page >= pages.length) {
            pages = Arrays.copyOf(pages, pages.length * 2);
        }
        if (pages[page] == null) {
            pages[page] = new byte[PAGE];
        }
        System.arraycopy(b, 0, pages[page], within, len);
        long at = used;
        used += len;
        return at;
    }

    private void grow() {
        long[] t = new long[table.length * 2];
        int m = t.length - 1;
        for (long e : table) {
            if (e != 0) {
                int i = (int) (e >>> 32) & m;
                while (t[i] != 0) {
                    i = (i + 1) & m;
                }
                t[i] = e;
            }
        }
        table = t;
        mask = m;
    }
}
