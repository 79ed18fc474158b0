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

    @Test
    void shortRunsOfZerosStayHalfAByteEachAndLongRunsBecomeOneEscape() {
        assertEquals(2, bytes(0, 0, 0, 0)); // 4 nibbles: below the run length
        assertEquals(2, bytes(0, 0, 0, 0, 0)); // escape 8, 0, length 0: 3 nibbles
        assertEquals(2, bytes(new int[12])); // 12 zeros: length 7 still fits one nibble
        assertEquals(2, bytes(new int[13])); // 13 zeros: length 8 takes two nibbles, 4 in all
        assertEquals(3, bytes(new int[69])); // 69 zeros: length 64 takes three nibbles, 5 in all
        assertEquals(3, bytes(1, 0, 0, 0, 0, 0, 0, 9)); // 1, then 8 0 1 for six zeros, then 9 as two nibbles
    }

    @Test
    void everyStateComesBackAndDistinctStatesPackDistinctly() {
        Random random = new Random(7);
        Map<String, int[]> seen = new HashMap<>();
        for (int round = 0; round < 20_000; round++) {
            int width = 1 + random.nextInt(40);
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
        int[] s = {8, 0, 64, 0, 0, 0, 0, 0, 8};
        byte[] out = new byte[Nibbles.maxBytes(s.length)];
        Nibbles.encode(s, out, 0);
        assertArrayEquals(s, Nibbles.decode(out, 0, s.length));
    }
}
