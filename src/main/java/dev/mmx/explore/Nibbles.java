package dev.mmx.explore;

/**
 * The packing of a state into bytes shared by the visited sets and the DFS
 * path: each value as a nibble varint (3 value bits and a continuation bit),
 * so flags and small counters take half a byte, and, in wide states, a run of {@link #RUN}
 * or more zeros (arm's empty window slots, idle CPUs' registers) as one
 * escape: the nibbles 8, 0 and the run's length as a varint. A varint never
 * has a continuation followed by a zero nibble (its last nibble carries the
 * value's top bits, never zero), so the escape cannot be mistaken for a
 * value. The encoding is deterministic and self-delimiting for a fixed
 * width, so equal bytes mean equal states.
 */
final class Nibbles {
    /** The shortest run of zeros written as an escape: 3 nibbles for 5 to 12 zeros, 4 for up to 68. */
    static final int RUN = 5;
    /**
     * States at least this wide use the escape (arm's windows, many CPUs); narrower ones keep
     * the plain loop, which the run check only slows down. The choice depends on the width
     * alone, so every state of one store is packed the same way.
     */
    static final int WIDE = 64;

    private Nibbles() {}

    /** The most bytes a state of {@code width} values can take. */
    static int maxBytes(int width) {
        return width * 6 + 1;
    }

    /** Packs the state into {@code out} from {@code at}; returns the number of bytes used. */
    static int encode(int[] state, byte[] out, int at) {
        return state.length >= WIDE ? encodeRuns(state, out, at) : encodePlain(state, out, at);
    }

    private static int encodePlain(int[] state, byte[] out, int at) {
        int nib = 0;
        for (int x : state) {
            int v = x;
            do {
                int d = v & 7;
                v >>>= 3;
                if (v != 0) {
                    d |= 8;
                }
                int i = at + (nib >>> 1);
                if ((nib & 1) == 0) {
                    out[i] = (byte) d;
                } else {
                    out[i] |= (byte) (d << 4);
                }
                nib++;
            } while (v != 0);
        }
        return (nib + 1) >>> 1;
    }

    private static int encodeRuns(int[] state, byte[] out, int at) {
        int nib = 0;
        int n = state.length;
        for (int k = 0; k < n; k++) {
            int v = state[k]; // negative values (rare: an rwsem's writer word) take eleven nibbles
            if (v == 0 && k + RUN <= n && state[k + RUN - 1] == 0) {
                int end = k + 1;
                while (end < n && state[end] == 0) {
                    end++;
                }
                if (end - k >= RUN) {
                    nib = put(out, at, nib, 8);
                    nib = put(out, at, nib, 0);
                    v = end - k - RUN;
                    k = end - 1;
                }
            }
            do {
                int d = v & 7;
                v >>>= 3;
                if (v != 0) {
                    d |= 8;
                }
                nib = put(out, at, nib, d);
            } while (v != 0);
        }
        return (nib + 1) >>> 1;
    }

    private static int put(byte[] out, int at, int nib, int d) {
        int i = at + (nib >>> 1);
        if ((nib & 1) == 0) {
            out[i] = (byte) d;
        } else {
            out[i] |= (byte) (d << 4);
        }
        return nib + 1;
    }

    private static int get(byte[] in, int at, int nib) {
        int b = in[at + (nib >>> 1)];
        return (nib & 1) == 0 ? b & 0xf : (b >>> 4) & 0xf;
    }

    /** Unpacks {@code width} values starting at byte {@code at}. */
    static int[] decode(byte[] in, int at, int width) {
        return width >= WIDE ? decodeRuns(in, at, width) : decodePlain(in, at, width);
    }

    private static int[] decodePlain(byte[] in, int at, int width) {
        int[] s = new int[width];
        int nib = 0;
        for (int k = 0; k < width; k++) {
            int v = 0;
            int shift = 0;
            while (true) {
                int x = get(in, at, nib++);
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

    private static int[] decodeRuns(byte[] in, int at, int width) {
        int[] s = new int[width];
        int nib = 0;
        for (int k = 0; k < width; k++) {
            boolean run = get(in, at, nib) == 8 && get(in, at, nib + 1) == 0;
            if (run) {
                nib += 2;
            }
            int v = 0;
            int shift = 0;
            while (true) {
                int x = get(in, at, nib);
                nib++;
                v |= (x & 7) << shift;
                if ((x & 8) == 0) {
                    break;
                }
                shift += 3;
            }
            if (run) {
                k += v + RUN - 1; // the run's zeros are already in s
            } else {
                s[k] = v;
            }
        }
        return s;
    }

    /** A 64-bit hash of packed bytes. */
    static long hash64(byte[] b, int len) {
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
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return h;
    }
}
