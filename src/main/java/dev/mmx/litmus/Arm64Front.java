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
 * release, DMB ISH/SY smp_mb, DMB ISHLD/LD smp_rmb, DMB ISHST/ST smp_wmb, ISB
 * isb(). Register arithmetic (MOV, ADD, SUB, EOR, AND, ORR, CSEL) is kept as written,
 * so {@code EOR W1,W0,W0} stays an expression over W0 and the data flow the
 * ARM model orders by survives. Forward branches become if statements.
 * W and X names of one register are one register, named Xn.
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
            Stmt s = instruction(it, t);
            if (s != null) {
                out.add(s);
            }
            i++;
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
            case "LDR", "LDAR" -> {
                postIndex(it);
                arity(it, 2);
                String f = it.op().equals("LDR") ? "READ_ONCE" : "smp_load_acquire";
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
            default -> throw new LitmusError(p, "unsupported AArch64 instruction '" + it.cell().text().split("\\s+")[0]
                    + "'; mmx imports LDR, STR, LDAR, STLR, MOV, ADD, SUB, EOR, AND, ORR, CMP, CSEL, B, B.cond, "
                    + "CBZ, CBNZ, DMB and ISB");
        }
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
