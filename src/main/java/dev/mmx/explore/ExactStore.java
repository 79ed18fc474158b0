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
        this.scratch = new byte[Nibbles.maxBytes(width)];
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
        long at = offset[id];
        // a state never straddles two pages
        return Nibbles.decode(pages[(int) (at >>> PAGE_BITS)], (int) (at & (PAGE - 1)), width);
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
        return Nibbles.encode(state, out, 0);
    }

    private static int hash(byte[] b, int len) {
        return (int) Nibbles.hash64(b, len);
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
