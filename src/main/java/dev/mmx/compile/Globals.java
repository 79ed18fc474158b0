package dev.mmx.compile;

import dev.mmx.resolve.KernelKit;
import dev.mmx.resolve.Resolved;
import dev.mmx.resolve.Type;
import dev.mmx.system.Program;
import dev.mmx.system.ValueType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where each shared variable, lock and ghost variable lives: memory cells and ghost cells. */
final class Globals {
    /** A global's storage: {@code base} is a memory cell (shared, lock) or a ghost index. */
    record Storage(String name, boolean ghost, boolean lock, int base, int[] dims, ValueType type) {}

    final Map<String, Storage> byName = new LinkedHashMap<>();
    final List<Program.Cell> memory = new ArrayList<>();
    final List<Program.Cell> ghosts = new ArrayList<>();
    /** The state slot of ghost cell 0; set once the thread count is known. */
    int ghostSlotBase;

    /** How addresses print: every memory cell's name, in cell order. */
    final ValueType locType;
    /** How the kit's sets of CPUs print: the threads' names, in CPU order. */
    final ValueType cpusType;
    /** How the kit's PTE and TLB entries print: with the names of the kit's pages, page 1 first. */
    final ValueType pteType;

    Globals(Resolved r) {
        List<String> cellNames = new ArrayList<>();
        for (Resolved.Variable v : r.variables().values()) {
            for (int i = 0; i < v.cells() && !v.ghost(); i++) {
                cellNames.add(cellName(v.name(), v.dims(), i));
            }
        }
        for (Resolved.LockSym l : r.locks().values()) {
            for (int i = 0; i < l.cells(); i++) {
                cellNames.add(cellName(l.name(), l.dims(), i));
            }
        }
        locType = ValueType.loc(cellNames);
        List<String> threadNames = new ArrayList<>();
        for (Resolved.ThreadSym t : r.threads()) {
            for (int i = 0; i < Math.max(1, t.count()); i++) {
                threadNames.add(t.count() == 0 ? t.decl().name() : t.decl().name() + "[" + i + "]");
            }
        }
        cpusType = ValueType.cpus(threadNames);
        List<String> pages = new ArrayList<>();
        for (Resolved.Variable v : r.variables().values()) {
            if (v.name().endsWith(KernelKit.REFCOUNT)) {
                String page = v.name().substring(0, v.name().length() - KernelKit.REFCOUNT.length());
                for (int i = 0; i < v.cells(); i++) {
                    pages.add(cellName(page, v.dims(), i));
                }
            }
        }
        pteType = ValueType.pte(pages);
        for (Resolved.Variable v : r.variables().values()) {
            List<Program.Cell> into = v.ghost() ? ghosts : memory;
            ValueType type = valueType(v.type());
            byName.put(v.name(), new Storage(v.name(), v.ghost(), false, into.size(), v.dims(), type));
            for (int i = 0; i < v.cells(); i++) {
                into.add(new Program.Cell(cellName(v.name(), v.dims(), i), type, Program.CellKind.VALUE, v.init()[i]));
            }
        }
        for (Resolved.LockSym l : r.locks().values()) {
            Program.CellKind kind = switch (l.kind()) {
                case SPINLOCK -> Program.CellKind.SPINLOCK;
                case MUTEX -> Program.CellKind.MUTEX;
                case RWSEM -> Program.CellKind.RWSEM;
                case RWLOCK -> Program.CellKind.RWLOCK;
            };
            byName.put(l.name(), new Storage(l.name(), false, true, memory.size(), l.dims(), ValueType.INT));
            for (int i = 0; i < l.cells(); i++) {
                memory.add(new Program.Cell(cellName(l.name(), l.dims(), i), ValueType.INT, kind, 0));
            }
        }
    }

    ValueType valueType(Type t) {
        if (t == Type.BOOL) {
            return ValueType.BOOL;
        }
        if (t == Type.LOC) {
            return locType;
        }
        if (t == Type.CPUS) {
            return cpusType;
        }
        if (t == Type.PTE) {
            return pteType;
        }
        if (t.isEnum()) {
            return new ValueType(t.name(), t.members());
        }
        return ValueType.INT;
    }

    /** "x", "pte[1]", "tlb[0][2]": the cell's name as the user would write it. */
    static String cellName(String name, int[] dims, int flat) {
        if (dims.length == 0) {
            return name;
        }
        int[] idx = new int[dims.length];
        for (int d = dims.length - 1; d >= 0; d--) {
            idx[d] = flat % dims[d];
            flat /= dims[d];
        }
        StringBuilder sb = new StringBuilder(name);
        for (int i : idx) {
            sb.append('[').append(i).append(']');
        }
        return sb.toString();
    }
}
