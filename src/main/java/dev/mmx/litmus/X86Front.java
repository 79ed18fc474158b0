package dev.mmx.litmus;

import dev.mmx.lang.Expr;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.List;
import java.util.regex.Pattern;

/**
 * X86 litmus threads. MOV to or from memory is a plain access (x86 loads and
 * stores are already ordered as TSO says), MFENCE is smp_mb, XCHG is a fully
 * ordered exchange, and LOCK-prefixed ADD/SUB/INC/DEC are fully ordered
 * read-modify-writes: every locked instruction is a full barrier on x86.
 */
final class X86Front implements LitmusParser.Front {
    private static final Pattern REGISTER = Pattern.compile("[RE]?[ABCD]X|[RE]?[SD]I|[RE]?BP|R(8|9|1[0-5])D?");

    private final ModelBuilder mb;

    X86Front(ModelBuilder mb) {
        this.mb = mb;
    }

    @Override
    public String register(String written, SourcePos pos) {
        if (!REGISTER.matcher(written).matches()) {
            throw new LitmusError(pos, "'" + written + "' is not an X86 register (EAX, EBX, ECX, EDX, ESI, EDI, ...)");
        }
        return written;
    }

    @Override
    public void threads(Lexer lex, String text) {
        List<List<AsmTable.Cell>> table = AsmTable.read(lex, text, mb.file());
        for (int t = 0; t < table.size(); t++) {
            ModelBuilder.ThreadBody body = mb.thread(t, table.get(t).isEmpty()
                    ? lex.pos() : table.get(t).get(0).pos());
            for (AsmTable.Cell c : table.get(t)) {
                body.body.add(instruction(c, body));
            }
        }
    }

    private Stmt instruction(AsmTable.Cell c, ModelBuilder.ThreadBody t) {
        String text = c.text();
        String[] words = text.split("\\s+", 2);
        String op = words[0].toUpperCase();
        String rest = words.length > 1 ? words[1] : "";
        if (op.equals("LOCK")) {
            return locked(c, rest, t);
        }
        String[] args = operands(rest);
        SourcePos p = c.pos();
        switch (op) {
            case "MFENCE" -> {
                arity(c, op, args, 0);
                return new Stmt.CallStmt(p, text, new Expr.Call(p, "smp_mb", List.of()));
            }
            case "MOV" -> {
                arity(c, op, args, 2);
                Expr.Name dst = target(c, args[0], t);
                return new Stmt.Assign(p, text, dst, "=", source(c, args[1], t));
            }
            case "XCHG" -> {
                arity(c, op, args, 2);
                boolean memFirst = args[0].startsWith("[");
                String mem = memFirst ? args[0] : args[1];
                String reg = memFirst ? args[1] : args[0];
                if (!mem.startsWith("[") || reg.startsWith("[")) {
                    throw new LitmusError(p, "XCHG needs one memory operand and one register: '" + text + "'");
                }
                Expr.Name r = (Expr.Name) source(c, reg, t);
                Expr call = new Expr.Call(p, "xchg", List.of(address(c, mem), r));
                return new Stmt.Assign(p, text, r, "=", call);
            }
            default -> throw new LitmusError(p, "unsupported X86 instruction '" + words[0]
                    + "'; mmx imports MOV, MFENCE, XCHG and LOCK ADD/SUB/INC/DEC/XCHG");
        }
    }

    /** LOCK ADD [x],$1 and friends: a fully ordered atomic update whose result is not kept. */
    private Stmt locked(AsmTable.Cell c, String rest, ModelBuilder.ThreadBody t) {
        String[] words = rest.trim().split("\\s+", 2);
        String op = words[0].toUpperCase();
        String[] args = operands(words.length > 1 ? words[1] : "");
        SourcePos p = c.pos();
        if (op.equals("XCHG")) {
            return instruction(new AsmTable.Cell(rest.trim(), p), t);
        }
        switch (op) {
            case "ADD", "SUB" -> {
                arity(c, "LOCK " + op, args, 2);
                Expr value = source(c, args[1], t);
                String f = op.equals("ADD") ? "atomic_fetch_add" : "atomic_fetch_sub";
                return new Stmt.CallStmt(p, c.text(), new Expr.Call(p, f, List.of(value, address(c, args[0]))));
            }
            case "INC", "DEC" -> {
                arity(c, "LOCK " + op, args, 1);
                String f = op.equals("INC") ? "atomic_fetch_inc" : "atomic_fetch_dec";
                return new Stmt.CallStmt(p, c.text(), new Expr.Call(p, f, List.of(address(c, args[0]))));
            }
            default -> throw new LitmusError(p, "unsupported X86 instruction 'LOCK " + words[0]
                    + "'; mmx imports LOCK ADD, SUB, INC, DEC and XCHG");
        }
    }

    private static String[] operands(String rest) {
        String r = rest.trim();
        return r.isEmpty() ? new String[0] : r.split("\\s*,\\s*");
    }

    private static void arity(AsmTable.Cell c, String op, String[] args, int n) {
        if (args.length != n) {
            throw new LitmusError(c.pos(), op + " takes " + n + " operand" + (n == 1 ? "" : "s") + ", but '"
                    + c.text() + "' has " + args.length);
        }
    }

    /** A destination: a memory location or a register. */
    private Expr.Name target(AsmTable.Cell c, String arg, ModelBuilder.ThreadBody t) {
        if (arg.startsWith("$")) {
            throw new LitmusError(c.pos(), "an immediate cannot be a destination: '" + c.text() + "'");
        }
        Expr e = source(c, arg, t);
        return (Expr.Name) e;
    }

    /** [x] (memory), $1 (immediate) or EAX (register). */
    private Expr source(AsmTable.Cell c, String arg, ModelBuilder.ThreadBody t) {
        SourcePos p = c.pos();
        if (arg.startsWith("[")) {
            return new Expr.Name(p, memory(c, arg), List.of());
        }
        if (arg.startsWith("$")) {
            try {
                return new Expr.IntLit(p, Integer.decode(arg.substring(1)));
            } catch (NumberFormatException e) {
                throw new LitmusError(p, "'" + arg + "' is not an immediate mmx can read (write $1 or $-1)");
            }
        }
        String reg = register(arg, p);
        t.reg(reg, p);
        return new Expr.Name(p, reg, List.of());
    }

    private Expr address(AsmTable.Cell c, String arg) {
        if (!arg.startsWith("[")) {
            throw new LitmusError(c.pos(), "expected a memory operand like [x] in '" + c.text() + "'");
        }
        return new Expr.Unary(c.pos(), "&", new Expr.Name(c.pos(), memory(c, arg), List.of()));
    }

    private String memory(AsmTable.Cell c, String arg) {
        if (!arg.endsWith("]") || !arg.substring(1, arg.length() - 1).trim().matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new LitmusError(c.pos(), "unsupported X86 memory operand '" + arg + "'; mmx reads [x] with x a "
                    + "location name");
        }
        String name = arg.substring(1, arg.length() - 1).trim();
        if (REGISTER.matcher(name).matches()) {
            throw new LitmusError(c.pos(), "unsupported X86 memory operand '" + arg + "': mmx reads only [x] with "
                    + "x a location, not an address held in a register");
        }
        mb.shared(name, c.pos());
        return name;
    }
}
