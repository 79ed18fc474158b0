package dev.mmx.system;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel kit's page-table entry word, as PTEs in memory and TLB entries hold
 * it: the page number in the low bits (0: no page) and flag bits above it, so
 * that a model's plain page numbers (1, 2, ...) are present, read-only PTEs.
 * The MMU translates through a PTE only when it has a page and is neither
 * PROT_NONE nor a migration entry. TLB entries add one bit of their own.
 */
public final class Pte {
    private Pte() {}

    /** The page number; pages are numbered from 1 in declaration order. */
    public static final int PFN = 0xffff;
    /** _PAGE_RW: writes are allowed. */
    public static final int WRITE = 1 << 16;
    /** _PAGE_DIRTY: set by the MMU on the first write through the entry. */
    public static final int DIRTY = 1 << 17;
    /** _PAGE_ACCESSED (young). */
    public static final int YOUNG = 1 << 18;
    /** _PAGE_PROTNONE: pte_present() to the kernel, not present to the MMU (mprotect(PROT_NONE), NUMA hinting). */
    public static final int PROTNONE = 1 << 19;
    /** A migration entry: not present, carries the page being migrated. */
    public static final int MIGRATION = 1 << 20;
    /**
     * In a TLB entry only: its PTE had changed when a flush of its address ran, and
     * this CPU's entry survived it (a local flush elsewhere).
     */
    public static final int STALE = 1 << 21;

    /** Whether the MMU can translate through the entry: a page, not PROT_NONE, not a migration entry. */
    public static boolean mapped(int v) {
        return (v & PFN) != 0 && (v & (PROTNONE | MIGRATION)) == 0;
    }

    /**
     * The entry in words: {@code none}, {@code page 2 (pg[1]), writable, dirty},
     * {@code PROT_NONE page 2 (pg[1])}, {@code migration entry for page 2 (pg[1])}.
     * {@code pages} names the pages, page 1 first.
     */
    public static String describe(int v, List<String> pages) {
        if (v == 0) {
            return "none";
        }
        int pfn = v & PFN;
        if (pfn == 0) {
            return "0x" + Integer.toHexString(v); // no page: not a PTE the kit builds
        }
        String page = "page " + pfn + (pfn >= 1 && pfn <= pages.size() ? " (" + pages.get(pfn - 1) + ")" : "");
        if ((v & MIGRATION) != 0) {
            return "migration entry for " + page;
        }
        List<String> words = new ArrayList<>();
        words.add((v & PROTNONE) != 0 ? "PROT_NONE " + page : page);
        if ((v & WRITE) != 0) {
            words.add("writable");
        }
        if ((v & DIRTY) != 0) {
            words.add("dirty");
        }
        if ((v & YOUNG) != 0) {
            words.add("young");
        }
        if ((v & STALE) != 0) {
            words.add("stale");
        }
        return String.join(", ", words);
    }
}
