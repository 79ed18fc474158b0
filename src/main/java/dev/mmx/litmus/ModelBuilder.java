package dev.mmx.litmus;

import dev.mmx.lang.Decl;
import dev.mmx.lang.Expr;
import dev.mmx.lang.Model;
import dev.mmx.lang.SourcePos;
import dev.mmx.lang.Stmt;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects what a litmus test declares (locations, locks, threads with their
 * registers and statements) and assembles the same AST an .mmx file parses to.
 * Threads are named P0, P1, ... as in the test, so traces read like it.
 */
final class ModelBuilder {
    private final String file;
    private final Map<String, Shared> shared = new LinkedHashMap<>();
    private final Map<String, SourcePos> locks = new LinkedHashMap<>();
    private final Map<Integer, ThreadBody> threads = new TreeMap<>();

    /** A shared location: its initial value (an int or an address) and whether it holds addresses. */
    private record Shared(SourcePos pos, Expr init, boolean loc) {}

    /** One thread's registers (declared at its top) and statements. */
    static final class ThreadBody {
        final int index;
        final SourcePos pos;
        final Map<String, Stmt.Local> regs = new LinkedHashMap<>();
        final List<Stmt> body = new ArrayList<>();
        private int temps;

        ThreadBody(int index, SourcePos pos) {
            this.index = index;
            this.pos = pos;
        }

        String name() {
            return "P" + index;
        }

        /** Declares a register (value 0) unless it already is. */
        void reg(String name, SourcePos pos) {
            regs.putIfAbsent(name, new Stmt.Local(pos, "int " + name + ";", "int", name, null));
        }

        /** Declares a register with a constant initial value (a number or an address). */
        void initReg(String name, Expr value, boolean loc, SourcePos pos) {
            String type = loc ? "loc" : "int";
            regs.put(name, new Stmt.Local(pos, type + " " + name + ";", type, name, value));
        }

        boolean hasReg(String name) {
            return regs.containsKey(name);
        }

        /** A fresh register for a value the test computes but does not name (a call inside an expression). */
        String temp(SourcePos pos) {
            String name;
            do {
                name = "__t" + ++temps;
            } while (regs.containsKey(name));
            reg(name, pos);
            return name;
        }
    }

    ModelBuilder(String file) {
        this.file = file;
    }

    String file() {
        return file;
    }

    void shared(String name, SourcePos pos) {
        shared.putIfAbsent(name, new Shared(pos, null, false));
    }

    void initShared(String name, Expr value, boolean loc, SourcePos pos) {
        shared.put(name, new Shared(pos, value, loc));
    }

    boolean isShared(String name) {
        return shared.containsKey(name);
    }

    void lock(String name, SourcePos pos) {
        locks.putIfAbsent(name, pos);
        shared.remove(name);
    }

    boolean isLock(String name) {
        return locks.containsKey(name);
    }

    ThreadBody thread(int index, SourcePos pos) {
        return threads.computeIfAbsent(index, i -> new ThreadBody(i, pos));
    }

    ThreadBody existingThread(int index) {
        return threads.get(index);
    }

    int threadCount() {
        return threads.size();
    }

    Model build(Decl.Final fin) {
        List<Decl> decls = new ArrayList<>();
        shared.forEach((name, s) -> {
            if (!locks.containsKey(name)) {
                decls.add(new Decl.Var(s.pos(), false, s.loc() ? "loc" : "int", name, List.of(),
                        s.init() == null ? null : List.of(s.init()), false));
            }
        });
        locks.forEach((name, pos) -> decls.add(new Decl.Lock(pos, Decl.LockKind.SPINLOCK, name, List.of())));
        for (ThreadBody t : threads.values()) {
            List<Stmt> body = new ArrayList<>(t.regs.values());
            body.addAll(t.body);
            decls.add(new Decl.Thread(t.pos, t.name(), null, null, new Stmt.Block(t.pos, List.copyOf(body))));
        }
        decls.add(fin);
        return new Model(file, List.copyOf(decls));
    }
}
