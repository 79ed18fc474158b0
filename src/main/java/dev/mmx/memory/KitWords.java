package dev.mmx.memory;

import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.Pte;
import dev.mmx.system.Violation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Says in kernel words why a kernel-kit property is broken in a state: which
 * CPU still caches which address to which freed page, which page was used
 * after it was freed, and so on, instead of listing every cell the property
 * read. It finds the kit's state by the names the kit gives it: pages' cells
 * are {@code pg.freed[i]} and the like, TLB entries are the two-dimensional
 * ghost arrays of PTE words, stale writes {@code tlb.stale_write[cpu][addr]}.
 */
final class KitWords {
    private final Program p;
    private final Layout l;
    private final ProgramView view;
    private final Map<String, Integer> ghostSlot = new HashMap<>();
    /** The pages, page 1 first ({@code pg[0]}, {@code zero}). */
    private final List<String> pages = new ArrayList<>();

    KitWords(Program p, ProgramView view) {
        this.p = p;
        this.l = p.layout();
        this.view = view;
        for (int g = 0; g < p.ghosts().size(); g++) {
            String name = p.ghosts().get(g).name();
            ghostSlot.put(name, l.ghostSlot(g));
            int dot = name.indexOf(".refcount");
            if (dot >= 0) {
                pages.add(name.substring(0, dot) + name.substring(dot + ".refcount".length()));
            }
        }
    }

    /** Whether a cell is the kit's own (a page's or the TLBs'), which the sentences speak for. */
    boolean kitCell(String name) {
        Integer slot = ghostSlot.get(name);
        return name.contains(".") || slot != null && p.ghosts().get(slot - l.ghostSlot(0)).type().isPte();
    }

    /** The sentences for one kit property, appended to {@code out}, with the steps they may cite. */
    void explain(String property, int[] s, List<String> out, List<Violation.Cite> cites) {
        switch (property) {
            case "no_stale_tlb" -> staleTlb(s, out, cites);
            case "no_freed_access" -> freedAccess(s, out, cites);
            case "no_unreliable_pin" -> unreliablePin(s, out);
            case "no_stale_write" -> staleWrite(s, out, cites);
            default -> throw new IllegalStateException("no words for the kit property " + property);
        }
    }

    private void staleTlb(int[] s, List<String> out, List<Violation.Cite> cites) {
        for (int g = 0; g < p.ghosts().size(); g++) {
            Program.Cell cell = p.ghosts().get(g);
            int[] at = twoIndices(cell.name());
            int e = s[l.ghostSlot(g)];
            if (!cell.type().isPte() || at == null || e == 0) {
                continue;
            }
            int page = e & Pte.PFN;
            String freed = field(page, "freed");
            if (freed != null && s[ghostSlot.get(freed)] != 0) {
                cites.add(new Violation.Cite(out.size(), freed, ", which is freed", ", freed at step %d"));
                out.add(cpu(at[0]) + " still caches address " + at[1] + " -> " + page(page) + ", which is freed");
            }
        }
    }

    private void freedAccess(int[] s, List<String> out, List<Violation.Cite> cites) {
        for (int page = 1; page <= pages.size(); page++) {
            String used = field(page, "freed_access");
            if (s[ghostSlot.get(used)] != 0) {
                cites.add(new Violation.Cite(out.size(), used, "", ", at step %d"));
                out.add(page(page) + " was used after it was freed (taken, pinned, flagged, walked to by an MMU or "
                        + "accessed by a user program)");
            }
        }
    }

    private void unreliablePin(int[] s, List<String> out) {
        for (int page = 1; page <= pages.size(); page++) {
            int pins = s[ghostSlot.get(field(page, "pincount"))];
            boolean exclusive = s[ghostSlot.get(field(page, "anon_exclusive"))] != 0;
            if (pins > 0 && !exclusive) {
                out.add(page(page) + " is pinned (pincount " + pins + ") but not AnonExclusive: the page a DMA "
                        + "through the pin reaches may no longer be the process's");
            }
        }
    }

    private void staleWrite(int[] s, List<String> out, List<Violation.Cite> cites) {
        for (int g = 0; g < p.ghosts().size(); g++) {
            String name = p.ghosts().get(g).name();
            int[] at = twoIndices(name);
            if (!name.contains(".stale_write") || at == null || s[l.ghostSlot(g)] == 0) {
                continue;
            }
            cites.add(new Violation.Cite(out.size(), name, "", ", at step %d"));
            out.add(cpu(at[0]) + " wrote address " + at[1] + " through a stale TLB entry (its PTE had changed and "
                    + "a flush of the address had run, but not on this CPU)");
        }
    }

    /** "CPU 2 (user)". */
    private String cpu(int t) {
        return "CPU " + t + " (" + view.threadName(t) + ")";
    }

    /** "page 2 (pg[1])". */
    private String page(int number) {
        return number >= 1 && number <= pages.size() ? "page " + number + " (" + pages.get(number - 1) + ")"
                : "page " + number;
    }

    /** The ghost cell of one of a page's fields ({@code pg.freed[1]}), or null for no such page. */
    private String field(int number, String field) {
        if (number < 1 || number > pages.size()) {
            return null;
        }
        String page = pages.get(number - 1);
        int bracket = page.indexOf('[');
        return bracket < 0 ? page + "." + field : page.substring(0, bracket) + "." + field + page.substring(bracket);
    }

    /** The two indices of a cell named {@code x[i][j]}, or null. */
    private static int[] twoIndices(String name) {
        int a = name.indexOf('[');
        int b = name.indexOf("][");
        if (a < 0 || b < 0 || !name.endsWith("]")) {
            return null;
        }
        try {
            return new int[] {Integer.parseInt(name.substring(a + 1, b)),
                    Integer.parseInt(name.substring(b + 2, name.length() - 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
