package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.bitAnd;
import static dev.mmx.resolve.KitAst.bitClear;
import static dev.mmx.resolve.KitAst.bitOr;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.ne;
import static dev.mmx.resolve.KitAst.num;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.system.Pte;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kernel's helpers to build and test PTE values ({@link Pte}), expanded into
 * arithmetic on the word. Each uses its argument once, so a helper around a
 * load ({@code pte_write(READ_ONCE(pte))}) is still one load, and each is a
 * constant expression on constants (a PTE's initial value may use them).
 */
final class Ptes {
    /** The helpers, by argument count. */
    static final Map<String, Integer> QUERIES = new LinkedHashMap<>();

    static {
        for (String f : List.of("pte_mkwrite", "pte_wrprotect", "pte_mkdirty", "pte_mkclean", "pte_mkyoung",
                "pte_mkold", "pte_write", "pte_dirty", "pte_young", "pte_present", "pte_none", "pte_protnone",
                "pte_pfn", "is_migration_entry", "mk_pte", "page_to_pfn", "make_migration_entry")) {
            QUERIES.put(f, 1);
        }
        QUERIES.put("pte_modify", 2);
    }

    private final KernelKit kit;

    Ptes(KernelKit kit) {
        this.kit = kit;
    }

    /** PAGE_NONE, PAGE_READONLY and PAGE_SHARED, the protections pte_modify takes. */
    static List<Decl> protections(SourcePos p) {
        return List.of(new Decl.Const(p, "PAGE_NONE", num(p, Pte.PROTNONE)),
                new Decl.Const(p, "PAGE_READONLY", num(p, 0)),
                new Decl.Const(p, "PAGE_SHARED", num(p, Pte.WRITE)));
    }

    /** One helper applied to its (expanded) arguments. */
    Expr query(Expr.Call c, List<Expr> args) {
        SourcePos p = c.pos();
        Expr x = args.get(0);
        return switch (c.function()) {
            case "pte_mkwrite" -> bitOr(x, num(p, Pte.WRITE));
            case "pte_wrprotect" -> bitClear(x, num(p, Pte.WRITE));
            case "pte_mkdirty" -> bitOr(x, num(p, Pte.DIRTY));
            case "pte_mkclean" -> bitClear(x, num(p, Pte.DIRTY));
            case "pte_mkyoung" -> bitOr(x, num(p, Pte.YOUNG));
            case "pte_mkold" -> bitClear(x, num(p, Pte.YOUNG));
            case "pte_write" -> flag(x, Pte.WRITE);
            case "pte_dirty" -> flag(x, Pte.DIRTY);
            case "pte_young" -> flag(x, Pte.YOUNG);
            case "pte_protnone" -> flag(x, Pte.PROTNONE);
            case "is_migration_entry" -> flag(x, Pte.MIGRATION);
            case "pte_none" -> eq(x, num(p, 0));
            case "pte_pfn" -> Tlbs.pfn(x);
            case "pte_present" -> {
                // the kernel's pte_present(): a page and not a migration entry (PROT_NONE counts as present)
                Expr y = bitAnd(x, num(p, Pte.PFN | Pte.MIGRATION));
                yield eq(bitAnd(new Expr.Binary(p, "-", y, num(p, 1)), num(p, ~Pte.PFN)), num(p, 0));
            }
            case "pte_modify" -> bitOr(bitClear(x, num(p, Pte.WRITE | Pte.PROTNONE)), args.get(1));
            case "mk_pte", "page_to_pfn", "make_migration_entry" -> {
                // mk_pte(&pg): the page, present and read-only; a migration entry carries the page
                Expr pfn = kit.pages().pageNumber(c, args.get(0));
                if (pfn == null) {
                    yield num(p, 0);
                }
                yield c.function().equals("make_migration_entry") ? bitOr(pfn, num(p, Pte.MIGRATION)) : pfn;
            }
            default -> throw new IllegalStateException("not a PTE helper: " + c.function());
        };
    }

    private static Expr flag(Expr x, int bit) {
        return ne(bitAnd(x, num(x.pos(), bit)), num(x.pos(), 0));
    }
}
