package dev.mmx.litmus;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * AArch64 litmus threads. LDR/STR are ONCE accesses, LDAR/STLR acquire and
 * release, LDAPR an RCpc acquire, DMB ISH/SY smp_mb, DMB ISHLD/LD smp_rmb, DMB ISHST/ST smp_wmb, ISB
 * isb(). Register arithmetic (MOV, ADD, SUB, EOR, AND, ORR, CSEL) is kept as written,
 * so {@code EOR W1,W0,W0} stays an expression over W0 and the data flow the
 * ARM model orders by survives. Forward branches become if statements.
 * W and X names of one register are one register, named Xn.
 *
 * <p>Read-modify-writes: the LSE atomics (SWP, LDADD, LDCLR, LDEOR, LDSET, CAS
 * with their A, L and AL forms, and the ST forms STADD, STCLR, STEOR, STSET) become AArch64 primitives of their own (see
 * {@link dev.mmx.resolve.Builtins#ARM64}); a load exclusive (LDXR, LDAXR) and
 * the store exclusive (STXR, STLXR) that follows it become one exclusive pair,
 * provided only register instructions lie between them, which then run after
 * the pair (they touch no memory, so their place in program order is not
 * observable). A load exclusive with no store exclusive after it is a load; a
 * store exclusive with no load exclusive before it fails, as in herd7.
 */
final class Arm64Front implements LitmusParser.Front {
    private static final Pattern REG = Pattern.compile("([WX])([0-9]|[12][0-9]|30)|[WX]ZR");
    private static final Pattern LABEL = Pattern.compile("([A-Za-z_.][A-Za-z0-9_.]*)\\s*:\\s*(.*)");

    private final ModelBuilder mb;

    /** The operands of the last CMP, which a B.cond tests. */
    private Expr[] flags;

    Arm64Front(ModelBuilder mb) {
        this.mb = mb;
    }

    /** An instruction or a label of one thread, in order. */
    private record Item(String label, AsmTable.Cell cell, String op, List<String> args) {}

    @Override
    public String register(String written, SourcePos pos) {
        if (!REG.matcher(written).matches() || written.endsWith("ZR")) {
            throw new LitmusError(pos, "'" + written + "' is not an AArch64 general register (W0-W30 or X0-X30)");
        }
        return "X" + written.substring(1);
    }

    @Override
    public void threads(Lexer lex, String text) {
        List<List<AsmTable.Cell>> table = AsmTable.read(lex, text, mb.file());
        for (int t = 0; t < table.size(); t++) {
            ModelBuilder.ThreadBody body = mb.thread(t, table.get(t).isEmpty()
                    ? lex.pos() : table.get(t).get(0).pos());
            List<Item> items = items(table.get(t));
            flags = null;
            body.body.addAll(structure(items, 0, items.size(), body));
        }
    }

    private static List<Item> items(List<AsmTable.Cell> cells) {
        List<Item> out = new ArrayList<>();
        for (AsmTable.Cell c : cells) {
            Matcher m = LABEL.matcher(c.text());
            String text = c.text();
            if (m.matches()) {
                out.add(new Item(m.group(1), c, null, List.of()));
                text = m.group(2).trim();
                if (text.isEmpty()) {
                    continue;
                }
                c = new AsmTable.Cell(text, c.pos());
            }
            String[] words = text.split("\\s+", 2);
            List<String> args = new ArrayList<>();
            if (words.length > 1) {
                for (String a : splitOperands(words[1])) {
                    args.add(a.trim());
                }
            }
            out.add(new Item(null, c, words[0].toUpperCase(), args));
        }
        return out;
    }

    /** Splits on commas outside brackets: {@code W2,[X3,X1]} is two operands. */
    private static List<String> splitOperands(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '[') {
                depth++;
            } else if (ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        out.add(s.substring(start));
        return out;
    }

    /**
     * Items {@code from..to-1} as statements. A branch to a label further on
     * skips the instructions up to it, so it becomes {@code if (!taken) { ... }};
     * the label must lie inside the same block, or the code is no nest of ifs.
     */
    private List<Stmt> structure(List<Item> items, int from, int to, ModelBuilder.ThreadBody t) {
        Map<String, Integer> labels = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).label() != null) {
                labels.put(items.get(i).label(), i);
            }
        }
        List<Stmt> out = new ArrayList<>();
        int i = from;
        while (i < to) {
            Item it = items.get(i);
            if (it.label() != null) {
                i++;
                continue;
            }
            if (isBranch(it.op())) {
                String target = it.args().isEmpty() ? "" : it.args().get(it.args().size() - 1);
                Integer j = labels.get(target);
                SourcePos p = it.cell().pos();
                if (j == null) {
                    throw new LitmusError(p, "'" + it.cell().text() + "' branches to '" + target
                            + "', which is not a label of this thread");
                }
                if (j <= i) {
                    throw new LitmusError(p, "'" + it.cell().text() + "' branches backwards (a loop); mmx imports "
                            + "only forward branches");
                }
                if (j > to) {
                    throw new LitmusError(p, "'" + it.cell().text() + "' jumps out of the block an earlier branch "
                            + "skips; mmx imports only branches that nest like if statements");
                }
                Expr stay = notTaken(it, t);
                List<Stmt> body = structure(items, i + 1, j, t);
                out.add(new Stmt.If(p, it.cell().text(), stay, new Stmt.Block(p, List.copyOf(body)), null));
                i = j;
                continue;
            }
            if (isLoadExclusive(it.op())) {
                int j = storeExclusive(items, i, to);
                if (j >= 0) {
                    exclusivePair(items, i, j, t, out);
                    i = j + 1;
                    continue;
                }
            }
            Stmt s = instruction(it, t);
            if (s != null) {
                out.add(s);
            }
            i++;
        }
        return out;
    }

    private static boolean isLoadExclusive(String op) {
        return op.equals("LDXR") || op.equals("LDAXR");
    }

    private static boolean isStoreExclusive(String op) {
        return op.equals("STXR") || op.equals("STLXR");
    }

    /** Instructions that touch only registers (and flags), which may lie inside an exclusive pair. */
    private static boolean registerOnly(String op) {
        return switch (op) {
            case "MOV", "ADD", "SUB", "EOR", "AND", "ORR", "CSEL", "CMP", "NOP" -> true;
            default -> false;
        };
    }

    /**
     * The store exclusive that pairs with the load exclusive at {@code i}, or -1 when
     * none follows it in this thread (the load is then a plain load). Only register
     * instructions may lie between them.
     */
    private int storeExclusive(List<Item> items, int i, int to) {
        for (int j = i + 1; j < items.size(); j++) {
            Item it = items.get(j);
            if (it.label() == null && isStoreExclusive(it.op())) {
                if (j >= to) {
                    break;
                }
                return j;
            }
            if (it.label() != null || !registerOnly(it.op())) {
                for (int k = j; k < items.size(); k++) {
                    Item later = items.get(k);
                    if (later.label() == null && isLoadExclusive(later.op())) {
                        break;
                    }
                    if (later.label() == null && isStoreExclusive(later.op())) {
                        throw new LitmusError(items.get(i).cell().pos(), "'" + items.get(i).cell().text()
                                + "' and '" + later.cell().text() + "' are an exclusive pair with '"
                                + it.cell().text() + "' between them; mmx imports a pair only with register "
                                + "instructions between the load exclusive and the store exclusive");
                    }
                }
                return -1;
            }
        }
        return -1;
    }

    /**
     * LDXR Rt,[Xn] ... STXR Ws,Rv,[Xn] as one exclusive pair: Ws = status, Rt = the
     * value loaded, and the value stored is Rv as the register work between computes
     * it from Rt; that register work follows the pair.
     */
    private void exclusivePair(List<Item> items, int i, int j, ModelBuilder.ThreadBody t, List<Stmt> out) {
        Item load = items.get(i);
        Item store = items.get(j);
        postIndex(load);
        arity(load, 2);
        postIndex(store);
        arity(store, 3);
        SourcePos p = load.cell().pos();
        if (!load.args().get(1).replace(" ", "").equalsIgnoreCase(store.args().get(2).replace(" ", ""))) {
            throw new LitmusError(store.cell().pos(), "'" + store.cell().text() + "' stores to another address "
                    + "than '" + load.cell().text() + "' loaded; mmx imports an exclusive pair only on one address, "
                    + "written the same way");
        }
        Expr.Name loaded = write(load, load.args().get(0), t);
        Expr.Name status = write(store, store.args().get(0), t);
        Expr address = deref(load, load.args().get(1), t);
        List<Stmt> between = new ArrayList<>();
        Map<String, Expr> defs = new HashMap<>();
        for (int k = i + 1; k < j; k++) {
            Stmt s = instruction(items.get(k), t);
            if (s instanceof Stmt.Assign a) {
                defs.put(a.target().name(), substitute(a.value(), defs));
            }
            if (s != null) {
                between.add(s);
            }
        }
        for (String reg : registersOf(address)) {
            if (defs.containsKey(reg)) {
                throw new LitmusError(store.cell().pos(), "the address register " + reg + " changes between '"
                        + load.cell().text() + "' and '" + store.cell().text() + "'");
            }
        }
        if (defs.containsKey(status.name()) || status.name().equals(loaded.name())) {
            throw new LitmusError(store.cell().pos(), "the status register of '" + store.cell().text()
                    + "' is written between the load and the store exclusive, or is the register loaded");
        }
        Expr value = substitute(read(store, store.args().get(1), t), defs);
        String f = dev.mmx.resolve.Builtins.ARM64 + load.op() + "+" + store.op();
        String text = load.cell().text() + " ... " + store.cell().text();
        out.add(new Stmt.Assign(p, text, status, "=", new Expr.Call(p, f, List.of(address, value, loaded))));
        out.addAll(between);
    }

    /** The expression with each register that {@code defs} defines replaced by its definition. */
    private static Expr substitute(Expr e, Map<String, Expr> defs) {
        if (e instanceof Expr.Name n && n.indices().isEmpty() && defs.containsKey(n.name())) {
            return defs.get(n.name());
        } else if (e instanceof Expr.Binary b) {
            return new Expr.Binary(b.pos(), b.op(), substitute(b.left(), defs), substitute(b.right(), defs));
        } else if (e instanceof Expr.Unary u) {
            return new Expr.Unary(u.pos(), u.op(), substitute(u.operand(), defs));
        } else if (e instanceof Expr.Cond c) {
            return new Expr.Cond(c.pos(), substitute(c.test(), defs), substitute(c.then(), defs),
                    substitute(c.otherwise(), defs));
        }
        return e;
    }

    private static List<String> registersOf(Expr e) {
        List<String> out = new ArrayList<>();
        if (e instanceof Expr.Name n) {
            out.add(n.name());
        } else if (e instanceof Expr.Binary b) {
            out.addAll(registersOf(b.left()));
            out.addAll(registersOf(b.right()));
        } else if (e instanceof Expr.Unary u) {
            out.addAll(registersOf(u.operand()));
        }
        return out;
    }

    private static boolean isBranch(String op) {
        return op.equals("B") || op.equals("CBZ") || op.equals("CBNZ") || op.startsWith("B.");
    }

    /** The condition under which a branch falls through to the next instruction. */
    private Expr notTaken(Item it, ModelBuilder.ThreadBody t) {
        SourcePos p = it.cell().pos();
        String op = it.op();
        if (op.equals("B")) {
            arity(it, 1);
            return new Expr.BoolLit(p, false);
        }
        if (op.equals("CBZ") || op.equals("CBNZ")) {
            arity(it, 2);
            Expr r = read(it, it.args().get(0), t);
            return new Expr.Binary(p, op.equals("CBZ") ? "!=" : "==", r, new Expr.IntLit(p, 0));
        }
        arity(it, 1);
        return flagTest(it, op.substring(2), true);
    }

    /** Whether the last CMP's operands satisfy condition {@code cond} (EQ, NE, GT, GE, LT, LE), or fail it. */
    private Expr flagTest(Item it, String cond, boolean negate) {
        SourcePos p = it.cell().pos();
        if (flags == null) {
            throw new LitmusError(p, "'" + it.cell().text() + "' tests flags that no earlier CMP set");
        }
        String[] ops = switch (cond.toUpperCase()) {
            case "EQ" -> new String[] {"==", "!="};
            case "NE" -> new String[] {"!=", "=="};
            case "GT" -> new String[] {">", "<="};
            case "GE" -> new String[] {">=", "<"};
            case "LT" -> new String[] {"<", ">="};
            case "LE" -> new String[] {"<=", ">"};
            default -> throw new LitmusError(p, "unsupported condition '" + cond + "' in '" + it.cell().text()
                    + "'; mmx imports EQ, NE, GT, GE, LT and LE");
        };
        return new Expr.Binary(p, ops[negate ? 1 : 0], flags[0], flags[1]);
    }

    private Stmt instruction(Item it, ModelBuilder.ThreadBody t) {
        SourcePos p = it.cell().pos();
        String text = it.cell().text();
        List<String> a = it.args();
        switch (it.op()) {
            case "LDR", "LDAR", "LDAPR" -> {
                postIndex(it);
                arity(it, 2);
                String f = switch (it.op()) {
                    case "LDR" -> "READ_ONCE";
                    case "LDAR" -> "smp_load_acquire";
                    default -> dev.mmx.resolve.Builtins.ARM64 + "LDAPR";
                };
                Expr load = new Expr.Call(p, f, List.of(deref(it, a.get(1), t)));
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", load);
            }
            case "STR", "STLR" -> {
                postIndex(it);
                arity(it, 2);
                String f = it.op().equals("STR") ? "WRITE_ONCE" : "smp_store_release";
                Expr value = read(it, a.get(0), t);
                return new Stmt.CallStmt(p, text, new Expr.Call(p, f,
                        List.of(deref(it, a.get(1), t), value)));
            }
            case "MOV" -> {
                arity(it, 2);
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", operand(it, a.get(1), t));
            }
            case "ADD", "SUB", "EOR", "AND", "ORR" -> {
                if (a.size() == 4 && (a.get(3).equalsIgnoreCase("SXTW") || a.get(3).equalsIgnoreCase("UXTW"))) {
                    a = a.subList(0, 3); // ADD X6,X5,W4,SXTW: the extension changes no value mmx holds
                }
                if (a.size() != 3) {
                    arity(it, 3);
                }
                String sym = switch (it.op()) {
                    case "ADD" -> "+";
                    case "SUB" -> "-";
                    case "EOR" -> "^";
                    case "AND" -> "&";
                    default -> "|";
                };
                Expr value = new Expr.Binary(p, sym, read(it, a.get(1), t), operand(it, a.get(2), t));
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", value);
            }
            case "CSEL" -> {
                // a conditional select depends on both inputs and on the compared values, as herd7 has it
                arity(it, 4);
                Expr value = new Expr.Cond(p, flagTest(it, a.get(3), false), read(it, a.get(1), t),
                        read(it, a.get(2), t));
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", value);
            }
            case "CMP" -> {
                arity(it, 2);
                flags = new Expr[] {read(it, a.get(0), t), operand(it, a.get(1), t)};
                return null;
            }
            case "DMB" -> {
                arity(it, 1);
                String f = switch (a.get(0).toUpperCase()) {
                    case "SY", "ISH", "OSH", "NSH" -> "smp_mb";
                    case "LD", "ISHLD", "OSHLD", "NSHLD" -> "smp_rmb";
                    case "ST", "ISHST", "OSHST", "NSHST" -> "smp_wmb";
                    default -> throw new LitmusError(p, "unsupported barrier option '" + a.get(0)
                            + "'; mmx imports DMB SY, ISH, LD, ISHLD, ST and ISHST");
                };
                return new Stmt.CallStmt(p, text, new Expr.Call(p, f, List.of()));
            }
            case "ISB" -> {
                arity(it, 0);
                return new Stmt.CallStmt(p, text, new Expr.Call(p, "isb", List.of()));
            }
            case "NOP" -> {
                return new Stmt.Skip(p, text);
            }
            case "LDXR", "LDAXR" -> {
                // no store exclusive follows: the load alone (exclusivity matters only to a pair)
                postIndex(it);
                arity(it, 2);
                String f = it.op().equals("LDXR") ? "READ_ONCE" : "smp_load_acquire";
                Expr load = new Expr.Call(p, f, List.of(deref(it, a.get(1), t)));
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", load);
            }
            case "STXR", "STLXR" -> {
                // no load exclusive before it: herd7's store exclusive then always fails, writing nothing
                postIndex(it);
                arity(it, 3);
                read(it, a.get(1), t);
                deref(it, a.get(2), t);
                return new Stmt.Assign(p, text, write(it, a.get(0), t), "=", new Expr.IntLit(p, 1));
            }
            default -> {
                Stmt lse = lse(it, t);
                if (lse == null) {
                    throw new LitmusError(p, "unsupported AArch64 instruction '" + it.cell().text().split("\\s+")[0]
                            + "'; mmx imports LDR, STR, LDAR, LDAPR, STLR, MOV, ADD, SUB, EOR, AND, ORR, CMP, CSEL, B, "
                            + "B.cond, CBZ, CBNZ, DMB, ISB, the exclusives LDXR, LDAXR, STXR and STLXR, and the "
                            + "atomics SWP, LDADD, LDCLR, LDEOR, LDSET and CAS with their A, L and AL forms and "
                            + "STADD, STCLR, STEOR and STSET with their L forms");
                }
                return lse;
            }
        }
    }

    private static final Pattern LSE = Pattern.compile("(SWP|CAS|LD(?:ADD|CLR|EOR|SET)|ST(?:ADD|CLR|EOR|SET))(A|L|AL)?");

    /**
     * An LSE atomic, or null if the mnemonic is none. SWP, LDADD, LDCLR, LDEOR,
     * LDSET and CAS write the value read to their second register (CAS: its first);
     * with WZR or XZR there it is the no-return form, as STADD Rs,[Xn] is LDADD
     * Rs,WZR,[Xn] (STCLR, STEOR, STSET likewise).
     */
    private Stmt lse(Item it, ModelBuilder.ThreadBody t) {
        Matcher m = LSE.matcher(it.op());
        if (!m.matches() || m.group(1).startsWith("ST") && m.group(2) != null && m.group(2).startsWith("A")) {
            return null; // STADD and friends have no acquire form
        }
        SourcePos p = it.cell().pos();
        String text = it.cell().text();
        List<String> a = it.args();
        String base = m.group(1);
        String suffix = m.group(2) == null ? "" : m.group(2);
        if (base.startsWith("ST")) {
            arity(it, 2);
            a = List.of(a.get(0), "WZR", a.get(1));
            base = "LD" + base.substring(2);
        } else {
            arity(it, 3);
        }
        String f = dev.mmx.resolve.Builtins.ARM64 + base + suffix;
        Expr address = deref(it, a.get(2), t);
        if (base.equals("CAS")) {
            // CAS Rs,Rt,[Xn]: compares with Rs, stores Rt, and puts the value read in Rs
            Expr call = new Expr.Call(p, f, List.of(address, read(it, a.get(0), t), read(it, a.get(1), t)));
            return zero(a.get(0)) ? new Stmt.CallStmt(p, text, (Expr.Call) call)
                    : new Stmt.Assign(p, text, write(it, a.get(0), t), "=", call);
        }
        Expr call = new Expr.Call(p, f, List.of(address, read(it, a.get(0), t)));
        return zero(a.get(1)) ? new Stmt.CallStmt(p, text, (Expr.Call) call)
                : new Stmt.Assign(p, text, write(it, a.get(1), t), "=", call);
    }

    private static boolean zero(String reg) {
        return reg.equalsIgnoreCase("WZR") || reg.equalsIgnoreCase("XZR");
    }

    private static void postIndex(Item it) {
        if (it.args().size() == 3 && it.args().get(2).startsWith("#")) {
            throw new LitmusError(it.cell().pos(), "unsupported post-indexed address in '" + it.cell().text()
                    + "'; mmx cells have no byte layout");
        }
    }

    private static void arity(Item it, int n) {
        if (it.args().size() != n && !(n == 0 && it.args().size() == 1 && it.args().get(0).isEmpty())) {
            throw new LitmusError(it.cell().pos(), it.op() + " takes " + n + " operand" + (n == 1 ? "" : "s")
                    + ", but '" + it.cell().text() + "' has " + it.args().size());
        }
    }

    /** A register or an immediate {@code #n}. */
    private Expr operand(Item it, String arg, ModelBuilder.ThreadBody t) {
        if (arg.startsWith("#")) {
            try {
                return new Expr.IntLit(it.cell().pos(), Integer.decode(arg.substring(1)));
            } catch (NumberFormatException e) {
                throw new LitmusError(it.cell().pos(), "'" + arg + "' is not an immediate mmx can read");
            }
        }
        return read(it, arg, t);
    }

    private Expr read(Item it, String arg, ModelBuilder.ThreadBody t) {
        SourcePos p = it.cell().pos();
        if (arg.equalsIgnoreCase("WZR") || arg.equalsIgnoreCase("XZR")) {
            return new Expr.IntLit(p, 0);
        }
        String reg = registerIn(it, arg);
        t.reg(reg, p);
        return new Expr.Name(p, reg, List.of());
    }

    private Expr.Name write(Item it, String arg, ModelBuilder.ThreadBody t) {
        String reg = registerIn(it, arg);
        t.reg(reg, it.cell().pos());
        return new Expr.Name(it.cell().pos(), reg, List.of());
    }

    private String registerIn(Item it, String arg) {
        if (!REG.matcher(arg).matches() || arg.endsWith("ZR")) {
            throw new LitmusError(it.cell().pos(), "expected a register (W0-W30 or X0-X30) in '" + it.cell().text()
                    + "', found '" + arg + "'");
        }
        return "X" + arg.substring(1);
    }

    /** {@code [Xn]}, {@code [Xn,Xm]} or {@code [Xn,Wm,SXTW]}: the cell at that address. */
    private Expr deref(Item it, String arg, ModelBuilder.ThreadBody t) {
        SourcePos p = it.cell().pos();
        if (!arg.startsWith("[") || !arg.endsWith("]")) {
            throw new LitmusError(p, "expected an address like [X1] or [X1,X2] in '" + it.cell().text() + "'");
        }
        String[] parts = arg.substring(1, arg.length() - 1).split("\\s*,\\s*");
        Expr address = read(it, parts[0].trim(), t);
        if (parts.length >= 2) {
            String off = parts[1].trim();
            if (off.startsWith("#")) {
                if (!off.equals("#0")) {
                    throw new LitmusError(p, "unsupported address '" + arg + "': mmx cells have no byte layout, so "
                            + "only register offsets ([Xn,Xm]) and #0 are imported");
                }
            } else {
                address = new Expr.Binary(p, "+", address, read(it, off, t));
            }
        }
        if (parts.length == 3 && !parts[2].trim().equalsIgnoreCase("SXTW")
                && !parts[2].trim().equalsIgnoreCase("UXTW")) {
            throw new LitmusError(p, "unsupported address extension '" + parts[2].trim() + "' in '"
                    + it.cell().text() + "'");
        }
        if (parts.length > 3) {
            throw new LitmusError(p, "unsupported address '" + arg + "'");
        }
        return new Expr.Unary(p, "*", address);
    }
}
