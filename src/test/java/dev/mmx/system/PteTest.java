package dev.mmx.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PTE words print decoded: the page by number and name, its permissions, and the special entries by name. */
class PteTest {
    private static final List<String> PAGES = List.of("pg[0]", "pg[1]");

    @Test
    void entriesPrintByNameAndPermission() {
        assertEquals("none", Pte.describe(0, PAGES));
        assertEquals("page 2 (pg[1])", Pte.describe(2, PAGES));
        assertEquals("page 1 (pg[0]), writable, dirty", Pte.describe(1 | Pte.WRITE | Pte.DIRTY, PAGES));
        assertEquals("PROT_NONE page 2 (pg[1])", Pte.describe(2 | Pte.PROTNONE, PAGES));
        assertEquals("migration entry for page 1 (pg[0])", Pte.describe(1 | Pte.MIGRATION, PAGES));
        assertEquals("page 1 (pg[0]), writable, young, stale", Pte.describe(1 | Pte.WRITE | Pte.YOUNG | Pte.STALE,
                PAGES));
        // a page number past the declared pages, and a word with flags but no page
        assertEquals("page 7", Pte.describe(7, PAGES));
        assertEquals("0x10000", Pte.describe(Pte.WRITE, PAGES));
    }

    @Test
    void theMmuTranslatesOnlyThroughAPresentEntry() {
        assertEquals(List.of(true, false, false, false), List.of(Pte.mapped(1 | Pte.WRITE), Pte.mapped(0),
                Pte.mapped(1 | Pte.PROTNONE), Pte.mapped(1 | Pte.MIGRATION)));
    }
}
