package dev.mmx.explore;

import java.util.Arrays;

/** The states of the current DFS path, packed, so DFS never needs the visited set to give a state back. */
final class PathStack {
    private final int width;
    private byte[] bytes = new byte[1 << 16];
    private int[] start = new int[1 << 10];
    private int depth;

    PathStack(int width) {
        this.width = width;
    }

    void push(int[] state) {
        int at = depth == 0 ? 0 : start[depth];
        if (depth + 1 >= start.length) {
            start = Arrays.copyOf(start, start.length * 2);
        }
        if (at + Nibbles.maxBytes(width) > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, at + Nibbles.maxBytes(width)));
        }
        start[depth + 1] = at + Nibbles.encode(state, bytes, at);
        start[depth] = at;
        depth++;
    }

    void pop() {
        depth--;
    }

    /** The state at path position {@code d} (0 is the initial state). */
    int[] get(int d) {
        return Nibbles.decode(bytes, start[d], width);
    }
}
