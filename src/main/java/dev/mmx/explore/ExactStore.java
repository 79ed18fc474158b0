package dev.mmx.explore;

import java.util.Arrays;

/**
 * An exact visited set without per-state objects: each state is packed as
 * zig-zag varints (small values take one byte) into large byte pages, found
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
        this.scratch = new byte[width * 5];
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
    public int[] get(int id) {
        int[] s = new int[width];
        long at = offset[id];
        for (int k = 0; k < width; k++) {
            int v = 0;
            int shift = 0;
            while (true) {
                byte b = pages[(int) (at >>> PAGE_BITS)][(int) (at & (PAGE - 1))];
                at++;
                v |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
                shift += 7;
            }
            s[k] = (v >>> 1) ^ -(v & 1);
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

    private static int encode(int[] state, byte[] out) {
        int n = 0;
        for (int x : state) {
            int v = (x << 1) ^ (x >> 31);
            while ((v & ~0x7f) != 0) {
                out[n++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out[n++] = (byte) v;
        }
        return n;
    }

    private static int hash(byte[] b, int len) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < len; i++) {
            h = (h ^ b[i]) * 0x100000001B3L;
        }
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        h ^= h >>> 32;
        return (int) h;
    }

    private boolean equal(int id, byte[] b, int len) {
        long at = offset[id];
        for (int i = 0; i < len; i++, at++) {
            if (pages[(int) (at >>> PAGE_BITS)][(int) (at & (PAGE - 1))] != b[i]) {
                return false;
            }
        }
        // the encoding is self-delimiting and the width fixed, so equal prefixes of len bytes are equal states
        return true;
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
