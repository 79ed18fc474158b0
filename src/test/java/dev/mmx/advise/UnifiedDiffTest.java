package dev.mmx.advise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Patching a model's text and printing the change as a unified diff. */
class UnifiedDiffTest {
    private static final String SOURCE = """
            thread t {
                WRITE_ONCE(x, 1); r = READ_ONCE(y);
                WRITE_ONCE(z, 1);
            }
            """;

    @Test
    void aBarrierBeforeAStatementThatStartsItsLineGetsALineOfItsOwn() {
        Patch p = Patch.apply(SOURCE, List.of(new Change(Change.Kind.WMB, "t", 1, 3, 5, 0)));

        assertEquals("""
                thread t {
                    WRITE_ONCE(x, 1); r = READ_ONCE(y);
                    smp_wmb();
                    WRITE_ONCE(z, 1);
                }
                """, p.text());
        assertArrayEquals(new int[] {1, 2, 0, 3, 4}, p.oldLine());
    }

    @Test
    void aBarrierInsideALineAndAnUpgradeOnTheSameLineBothApply() {
        // the load starts at column 27, its argument at 37; the barrier goes before "r = ..." at column 23
        Patch p = Patch.apply(SOURCE, List.of(new Change(Change.Kind.MB, "t", 1, 2, 23, 0),
                new Change(Change.Kind.ACQUIRE, "t", 0, 2, 27, 37)));

        assertEquals("    WRITE_ONCE(x, 1); smp_mb(); r = smp_load_acquire(&y);", p.text().lines().toList().get(1));
        assertEquals("""
                --- a/m.mmx
                +++ b/m.mmx
                @@ -1,4 +1,4 @@
                 thread t {
                -    WRITE_ONCE(x, 1); r = READ_ONCE(y);
                +    WRITE_ONCE(x, 1); smp_mb(); r = smp_load_acquire(&y);
                     WRITE_ONCE(z, 1);
                 }
                """, UnifiedDiff.of("m.mmx", SOURCE, p.text()));
    }

    @Test
    void aReleaseTakesTheAddressOfItsLocation() {
        Patch p = Patch.apply(SOURCE, List.of(new Change(Change.Kind.RELEASE, "t", 0, 3, 5, 16)));

        assertEquals("    smp_store_release(&z, 1);", p.text().lines().toList().get(2));
    }
}
