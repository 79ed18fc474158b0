package dev.mmx.resolve;

import static dev.mmx.resolve.KitAst.and;
import static dev.mmx.resolve.KitAst.check;
import static dev.mmx.resolve.KitAst.eq;
import static dev.mmx.resolve.KitAst.field;
import static dev.mmx.resolve.KitAst.gt;
import static dev.mmx.resolve.KitAst.name;
import static dev.mmx.resolve.KitAst.num;
import static dev.mmx.resolve.KitAst.set;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Diagnostic;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Names;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kit's pages: their state (refcount, pincount, AnonExclusive, freed, a use
 * after free, and when the model uses them contents and a pending free), the
 * primitives on them and the queries. Pages are numbered from 1 in declaration
 * order; an array of pages takes consecutive numbers.
 */
final class Pages {
    private static final String I = "~i";

    private final Map<String, Decl.Var> pages = new LinkedHashMap<>();
    private final List<Diagnostic> errors;

    Pages(List<Diagnostic> errors) {
        this.errors = errors;
    }

    /** Checks a {@code ghost page pg[N];} declaration (already known to be ghost). */
    void declare(Decl.Var v) {
        if (v.init() != null && !v.init().isEmpty()) {
            errors.add(new Diagnostic(v.pos(), "'" + v.name() + "' cannot have an initial value: pages start "
                    + "with refcount 1, no pin and no flags"));
        } else if (v.dims().size() > 1) {
            errors.add(new Diagnostic(v.pos(), "pages are one page or a one-dimensional array, like 'ghost page "
                    + v.name() + "[2];'"));
        } else {
            pages.put(v.name(), v);
        }
    }

    /** A page's ghost cells: {@code data} holds its contents, {@code gathered} the CPU (+1) that will free it. */
    static List<Decl> declarations(Decl.Var v, boolean data, boolean gathered) {
        SourcePos p = v.pos();
        List<Decl> out = new ArrayList<>(List.of(ghost(p, "int", v.name() + KernelKit.REFCOUNT, v.dims(), num(p, 1)),
                ghost(p, "int", v.name() + ".pincount", v.dims(), null),
                ghost(p, "bool", v.name() + ".anon_exclusive", v.dims(), null),
                ghost(p, "bool", v.name() + ".freed", v.dims(), null),
                ghost(p, "bool", v.name() + ".freed_access", v.dims(), null)));
        if (data) {
            out.add(ghost(p, "int", v.name() + ".data", v.dims(), null));
        }
        if (gathered) {
            out.add(ghost(p, "int", v.name() + ".gathered", v.dims(), null));
        }
        return out;
    }

    private static Decl.Var ghost(SourcePos p, String type, String name, List<Expr> dims, Expr init) {
        return new Decl.Var(p, true, type, name, dims, init == null ? null : List.of(init), false);
    }

    /** A page on which a use after free is flagged when it is freed. */
    static Stmt touch(SourcePos p, Expr.Name pg) {
        return new Stmt.If(p, "", field(pg, "freed"), set(p, field(pg, "freed_access"), new Expr.BoolLit(p, true)),
                null);
    }

    List<Stmt> pageOp(SourcePos p, String op, Expr.Name pg) {
        Expr ref = field(pg, "refcount");
        Expr pin = field(pg, "pincount");
        Expr freed = field(pg, "freed");
        List<Stmt> body = new ArrayList<>();
        Stmt touch = new Stmt.If(p, "", freed, set(p, field(pg, "freed_access"), new Expr.BoolLit(p, true)), null);
        // get, pin or flag a freed page: a use after free
        switch (op) {
            case "get_page" -> {
                body.add(touch);
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "+=", num(p, 1)));
            }
            case "pin_user_page" -> {
                body.add(touch);
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "+=", num(p, 1)));
                body.add(new Stmt.Assign(p, "", (Expr.Name) pin, "+=", num(p, 1)));
            }
            case "put_page", "unpin_user_page" -> {
                if (op.equals("unpin_user_page")) {
                    body.add(check(p, gt(pin, num(p, 0)), "unpin_user_page() on " + pg.name()
                            + " with no pin held", "pincount_underflow"));
                    body.add(new Stmt.Assign(p, "", (Expr.Name) pin, "-=", num(p, 1)));
                }
                body.add(check(p, gt(ref, num(p, 0)), op + "() on " + pg.name()
                        + " whose refcount is already 0", "refcount_underflow"));
                body.add(new Stmt.Assign(p, "", (Expr.Name) ref, "-=", num(p, 1)));
                // the last reference frees the page
                body.add(new Stmt.If(p, "", eq(ref, num(p, 0)), set(p, freed, new Expr.BoolLit(p, true)), null));
            }
            case "SetPageAnonExclusive", "ClearPageAnonExclusive" -> {
                body.add(touch);
                body.add(set(p, field(pg, "anon_exclusive"), new Expr.BoolLit(p, op.startsWith("Set"))));
            }
            default -> throw new IllegalStateException("not a page primitive: " + op);
        }
        return body;
    }

    /** The page an argument names ({@code &pg[i]}, {@code pg[i]}, {@code &pg}), as a name with its index. */
    Expr.Name page(Expr.Call c, Expr arg) {
        Expr a = KernelKit.stripAddress(arg);
        if (a instanceof Expr.Name n && pages.containsKey(n.name())) {
            int dims = pages.get(n.name()).dims().size();
            if (n.indices().size() == dims) {
                return n;
            }
            errors.add(new Diagnostic(arg.pos(), "'" + n.name() + "' " + (dims == 0 ? "is one page; write &"
                    + n.name() : "is an array of pages; name one, like &" + n.name() + "[0]")));
            return null;
        }
        String what = pages.isEmpty() ? "; the model declares no page (declare one: 'ghost page pg[2];')"
                : "; declared pages: " + String.join(", ", pages.keySet());
        String given = a instanceof Expr.Name n ? " '" + n.name() + "' is not a page" : "";
        errors.add(new Diagnostic(arg.pos(), c.function() + "() needs a page, like " + c.function() + "(&pg[0]);"
                + given + what + (a instanceof Expr.Name n ? Names.suggest(n.name(), pages.keySet()) : "")));
        return null;
    }


    /** Sets the freed_access flag of the page whose page number {@code pfn} is, when that page is freed. */
    List<Stmt> freedAccessIfMapped(SourcePos p, Expr pfn) {
        return forEachPage(p, (cell, number) -> new Stmt.If(p, "", and(eq(pfn, number), field(cell, "freed")),
                set(p, field(cell, "freed_access"), new Expr.BoolLit(p, true)), null));
    }

    /** Writes {@code value} into the contents of the page whose page number {@code pfn} is. */
    List<Stmt> writeDataIfMapped(SourcePos p, Expr pfn, Expr value) {
        return forEachPage(p, (cell, number) -> new Stmt.If(p, "", eq(pfn, number),
                set(p, field(cell, "data"), value), null));
    }

    /** {@code f(page, its number)} for every declared page, with a loop over each array of pages. */
    List<Stmt> forEachPage(SourcePos p, java.util.function.BiFunction<Expr.Name, Expr, Stmt> f) {
        List<Stmt> out = new ArrayList<>();
        Expr base = num(p, 1);
        for (Decl.Var v : pages.values()) {
            Expr.Name cell = v.dims().isEmpty() ? new Expr.Name(p, v.name(), List.of())
                    : new Expr.Name(p, v.name(), List.of(name(p, I)));
            Expr number = v.dims().isEmpty() ? base : new Expr.Binary(p, "+", base, name(p, I));
            Stmt one = f.apply(cell, number);
            out.add(v.dims().isEmpty() ? one : new Stmt.For(p, I, num(p, 0),
                    new Expr.Binary(p, "-", v.dims().get(0), num(p, 1)), one));
            base = v.dims().isEmpty() ? new Expr.Binary(p, "+", base, num(p, 1))
                    : new Expr.Binary(p, "+", base, v.dims().get(0));
        }
        return out;
    }




    /** The conjunction of {@code f(page, its number)} over every declared page (true when there are none). */
    Expr allPages(SourcePos p, java.util.function.BiFunction<Expr.Name, Expr, Expr> f) {
        Expr all = new Expr.BoolLit(p, true);
        Expr base = num(p, 1);
        for (Decl.Var v : pages.values()) {
            Expr term;
            if (v.dims().isEmpty()) {
                term = f.apply(new Expr.Name(p, v.name(), List.of()), base);
                base = new Expr.Binary(p, "+", base, num(p, 1));
            } else {
                term = new Expr.Quant(p, true, I, num(p, 0), new Expr.Binary(p, "-", v.dims().get(0), num(p, 1)),
                        null, f.apply(new Expr.Name(p, v.name(), List.of(name(p, I))),
                        new Expr.Binary(p, "+", base, name(p, I))));
                base = new Expr.Binary(p, "+", base, v.dims().get(0));
            }
            all = and(all, term);
        }
        return all;
    }


    /** The page number of the page an argument names ({@code &pg[i]}): pages count from 1 in declaration order. */
    Expr pageNumber(Expr.Call c, Expr arg) {
        Expr.Name pg = page(c, arg);
        if (pg == null) {
            return null;
        }
        Expr base = num(arg.pos(), 1);
        for (Decl.Var v : pages.values()) {
            if (v.name().equals(pg.name())) {
                return v.dims().isEmpty() ? base : new Expr.Binary(arg.pos(), "+", base, pg.indices().get(0));
            }
            base = new Expr.Binary(arg.pos(), "+", base, v.dims().isEmpty() ? num(arg.pos(), 1) : v.dims().get(0));
        }
        throw new IllegalStateException("a page that is not declared: " + pg.name());
    }
}
