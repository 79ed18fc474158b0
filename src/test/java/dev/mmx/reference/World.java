package dev.mmx.reference;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Stmt;
import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Type;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What never changes while the reference interpreter runs one resolved model:
 * where each shared variable, lock and ghost variable lives, the threads (one
 * per CPU, replicated ones expanded) and their registers, and numbers for the
 * model's statements and expressions, so that a state names a statement by a
 * number (the AST's own records compare whole subtrees).
 */
final class World {
    /** An address is its cell's number plus this tag (grammar/LOCATIONS.md), so 0 is never an address. */
    static final int LOC_BASE = 1 << 30;

    /** One memory cell (shared value or lock) or ghost cell: its printed name and type; lock kind or null. */
    record Cell(String name, Type type, Decl.LockKind lock, int initial) {}

    /** A register: its name as traces show it ({@code proc.r} for a procedure's), type and value at the start. */
    record Register(String name, Type type, int initial) {}

    /** One CPU: its printed name, its declaration, its index in a replicated thread (or -1), its registers. */
    record Cpu(String name, Decl.Thread decl, int index, List<Register> registers, Map<String, Integer> byName) {}

    final Resolved model;
    /** Shared value cells in declaration order, then lock cells: the numbering addresses use. */
    final List<Cell> memory = new ArrayList<>();
    final List<Cell> ghosts = new ArrayList<>();
    /** The first memory cell of each shared variable and lock, and the first ghost cell of each ghost. */
    final Map<String, Integer> base = new LinkedHashMap<>();
    final List<Cpu> cpus = new ArrayList<>();
    private final List<Stmt> stmts = new ArrayList<>();
    private final Map<Stmt, Integer> stmtIds = new IdentityHashMap<>();
    private final List<Expr> exprs = new ArrayList<>();
    private final Map<Expr, Integer> exprIds = new IdentityHashMap<>();

    World(Resolved model) {
        this.model = model;
        for (Resolved.Variable v : model.variables().values()) {
            if (!v.ghost()) {
                base.put(v.name(), memory.size());
                for (int i = 0; i < v.cells(); i++) {
                    memory.add(new Cell(cellName(v.name(), v.dims(), i), v.type(), null, v.init()[i]));
                }
            }
        }
        for (Resolved.LockSym l : model.locks().values()) {
            base.put(l.name(), memory.size());
            for (int i = 0; i < l.cells(); i++) {
                memory.add(new Cell(cellName(l.name(), l.dims(), i), Type.INT, l.kind(), 0));
            }
        }
        for (Resolved.Variable v : model.variables().values()) {
            if (v.ghost()) {
                base.put(v.name(), ghosts.size());
                for (int i = 0; i < v.cells(); i++) {
                    ghosts.add(new Cell(cellName(v.name(), v.dims(), i), v.type(), null, v.init()[i]));
                }
            }
        }
    }

    /** Adds the CPUs; their registers come from a walk that needs constant evaluation, so it runs later. */
    void addCpu(String name, Decl.Thread decl, int index, List<Register> registers) {
        Map<String, Integer> byName = new LinkedHashMap<>();
        for (int i = 0; i < registers.size(); i++) {
            byName.put(registers.get(i).name(), i);
        }
        cpus.add(new Cpu(name, decl, index, List.copyOf(registers), byName));
    }

    int id(Stmt s) {
        return stmtIds.computeIfAbsent(s, k -> {
            stmts.add(k);
            return stmts.size() - 1;
        });
    }

    Stmt stmt(int id) {
        return stmts.get(id);
    }

    int id(Expr e) {
        return exprIds.computeIfAbsent(e, k -> {
            exprs.add(k);
            return exprs.size() - 1;
        });
    }

    Expr expr(int id) {
        return exprs.get(id);
    }

    /** {@code x}, {@code a[1]}, {@code tlb[0][2]}: a cell named as the model would write it. */
    static String cellName(String name, int[] dims, int flat) {
        StringBuilder index = new StringBuilder();
        for (int d = dims.length - 1; d >= 0; d--) {
            index.insert(0, "[" + flat % dims[d] + "]");
            flat /= dims[d];
        }
        return name + index;
    }

    /** A value as traces print it for its declared type. */
    String format(Type type, int value) {
        if (type == Type.BOOL) {
            return value == 0 ? "false" : "true";
        }
        if (type == Type.LOC) {
            if (value == 0) {
                return "NULL";
            }
            long cell = (long) value - LOC_BASE;
            return cell >= 0 && cell < memory.size() ? memory.get((int) cell).name() : Integer.toString(value);
        }
        if (type == Type.CPUS) {
            // a wait queue's list: the CPUs (threads) whose bit is set
            List<String> in = new ArrayList<>();
            for (int t = 0; t < cpus.size(); t++) {
                if ((value & (1 << t)) != 0) {
                    in.add(cpus.get(t).name());
                }
            }
            return "{" + String.join(", ", in) + "}";
        }
        if (type == Type.PTE) {
            return dev.mmx.system.Pte.describe(value, pages());
        }
        if (type.isEnum() && value >= 0 && value < type.members().size()) {
            return type.members().get(value);
        }
        return Integer.toString(value);
    }

    /** The kit's pages, page 1 first: the ghosts named {@code pg.refcount} or {@code pg.refcount[i]}. */
    private List<String> pages() {
        List<String> out = new ArrayList<>();
        for (Cell g : ghosts) {
            int at = g.name().indexOf(KernelKit.REFCOUNT);
            if (at >= 0) {
                out.add(g.name().substring(0, at) + g.name().substring(at + KernelKit.REFCOUNT.length()));
            }
        }
        return out;
    }
}
