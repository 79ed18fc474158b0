package dev.mmx.explore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NibblesTest {
    private static int bytes(int... state) {
        return Nibbles.encode(state, new byte[Nibbles.maxBytes(state.length)], 0);
    }

    private static int[] wide(int... prefix) {
        int[] s = new int[Nibbles.WIDE];
        java.util.Arrays.fill(s, 1);
        System.arraycopy(prefix, 0, s, 0, prefix.length);
        return s;
    }

    @Test
    void inWideStatesLongRunsOfZerosBecomeOneEscapeAndShortOnesStayHalfAByteEach() {
        int ones = Nibbles.WIDE; // a state of ones packs in half a byte per value
        assertEquals(ones / 2, bytes(wide()));
        assertEquals(ones / 2, bytes(wide(0, 0, 0, 0))); // 4 zeros: below the run length, a nibble each
        assertEquals((ones - 5 + 3) / 2, bytes(wide(0, 0, 0, 0, 0))); // 8, 0, length 0: 3 nibbles
        assertEquals((ones - 12 + 3) / 2 + 1, bytes(wide(new int[12]))); // length 7 still fits one nibble
        assertEquals((ones - 13 + 4) / 2 + 1, bytes(wide(new int[13]))); // length 8 takes two nibbles
        assertEquals(2, bytes(new int[Nibbles.WIDE])); // all zeros: 8, 0 and the length 59 as two nibbles
    }

    @Test
    void narrowStatesKeepTheirPlainPacking() {
        assertEquals((Nibbles.WIDE - 1 + 1) / 2, bytes(new int[Nibbles.WIDE - 1])); // a zero nibble each
    }

    @Test
    void everyStateComesBackAndDistinctStatesPackDistinctly() {
        Random random = new Random(7);
        Map<String, int[]> seen = new HashMap<>();
        for (int round = 0; round < 20_000; round++) {
            int width = 1 + random.nextInt(3 * Nibbles.WIDE);
            int[] s = new int[width];
            for (int k = 0; k < width; k++) {
                int kind = random.nextInt(10);
                s[k] = kind < 6 ? 0 : kind < 8 ? random.nextInt(9) : kind == 8 ? random.nextInt(1 << 20) : -1 - random.nextInt(5);
            }
            byte[] out = new byte[Nibbles.maxBytes(width) + 8];
            int len = Nibbles.encode(s, out, 3);
            assertArrayEquals(s, Nibbles.decode(out, 3, width), Arrays.toString(s));
            String key = width + ":" + Arrays.toString(Arrays.copyOfRange(out, 3, 3 + len));
            int[] before = seen.putIfAbsent(key, s);
            if (before != null) {
                assertArrayEquals(before, s, "two states packed to the same bytes");
            }
        }
    }

    @Test
    void aValueWhoseFirstNibbleIsEightIsNotReadAsARun() {
        int[] s = wide(8, 0, 64, 0, 0, 0, 0, 0, 8);
        byte[] out = new byte[Nibbles.maxBytes(s.length)];
        Nibbles.encode(s, out, 0);
        assertArrayEquals(s, Nibbles.decode(out, 0, s.length));
    }
}
