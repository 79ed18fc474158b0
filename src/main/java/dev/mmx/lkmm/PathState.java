package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.Layout;
import dev.mmx.system.Program;
import dev.mmx.system.Ref;
import dev.mmx.system.Src;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where one control path of a thread has got to (see {@link ThreadPaths}):
 * each register's symbolic value and the reads it depends on, the thread's
 * ghost updates, the events so far with their dependencies, the guards, the
 * enclosing branches and the assertions met.
 */
final class PathState {
    /** What every path of one thread shares: where its registers and the ghost cells are. */
    record Frame(Program program, int thread, int regBase, int regCount, boolean[] temp, int ghostBase,
                 int ghostCount) {
        static Frame of(Program program, int thread) {
            Layout l = program.layout();
            int count = l.regCount(thread);
            boolean[] temp = new boolean[count];
            List<Program.Register> regs = program.threads().get(thread).regs();
            for (int r = 0; r < count; r++) {
                // registers the front ends make up for a value used inside an expression (see condTaint)
                temp[r] = regs.get(r).hidden() || regs.get(r).name().startsWith("__t");
            }
            return new Frame(program, thread, l.regSlot(thread, 0), count, temp, l.ghostSlot(0), l.ghostCells());
        }
    }

    /** A control-flow region: events before {@code merge} depend on the reads in {@code taint}. */
    record Region(int merge, BitSet taint) {}

    /** Where an access goes: its location (a cell number), and the reads its address depends on. */
    record Access(Sym loc, int lo, int hi, String what, BitSet addr, BitSet cond) {}

    final Frame frame;
    int pc;
    private final Sym[] regs;
    /** The reads each register's value comes from (herd7's data flow through registers). */
    private final BitSet[] data;
    /** For a front end's temporary: every read of the expression it was lifted from. */
    private final BitSet[] cond;
    final Map<Integer, Sym> ghosts = new HashMap<>();
    final List<Path.Event> events = new ArrayList<>();
    int reads;
    final List<Path.Guard> guards = new ArrayList<>();
    final Deque<Region> ctrl = new ArrayDeque<>();
    final List<Path.Check> checks = new ArrayList<>();

    /** The state at the thread's start: registers at their initial values, depending on nothing. */
    PathState(Frame frame) {
        this.frame = frame;
        regs = new Sym[frame.regCount()];
        data = new BitSet[frame.regCount()];
        cond = new BitSet[frame.regCount()];
        List<Program.Register> rs = frame.program().threads().get(frame.thread()).regs();
        for (int r = 0; r < frame.regCount(); r++) {
            regs[r] = new Sym.Const(rs.get(r).initial());
            data[r] = new BitSet();
            cond[r] = new BitSet();
        }
    }

    private PathState(PathState o) {
        frame = o.frame;
        pc = o.pc;
        regs = o.regs.clone();
        data = o.data.clone();
        cond = o.cond.clone();
        ghosts.putAll(o.ghosts);
        events.addAll(o.events);
        reads = o.reads;
        guards.addAll(o.guards);
        ctrl.addAll(o.ctrl);
        checks.addAll(o.checks);
    }

    PathState copy() {
        return new PathState(this);
    }

    /** The finished path. */
    Path path() {
        return new Path(frame.thread(), List.copyOf(events), reads, List.copyOf(guards), regs.clone(),
                Map.copyOf(ghosts), List.copyOf(checks), null);
    }

    /** The path as far as a runtime fault let it go. */
    Path faulted(Lkmm.Fault fault) {
        return new Path(frame.thread(), List.copyOf(events), reads, List.copyOf(guards), regs.clone(),
                Map.copyOf(ghosts), List.copyOf(checks), fault);
    }

    // ---------------------------------------------------------------- registers

    boolean isRegister(int slot) {
        return slot >= frame.regBase() && slot < frame.regBase() + frame.regCount();
    }

    boolean isGhost(int slot) {
        return slot >= frame.ghostBase() && slot < frame.ghostBase() + frame.ghostCount();
    }

    /** Sets the register at a state slot: its value and the reads the value depends on. */
    void setReg(int slot, Sym v, BitSet dataDeps, BitSet condDeps) {
        int r = slot - frame.regBase();
        regs[r] = v;
        data[r] = dataDeps;
        cond[r] = condDeps;
    }

    /** The value of a compiled expression over this thread's registers and ghost cells. */
    Sym sym(CExpr e) {
        if (e instanceof CExpr.Const c) {
            return new Sym.Const(c.value());
        }
        if (e instanceof CExpr.Slot x) {
            return slotValue(x.slot());
        }
        if (e instanceof CExpr.SlotArray x) {
            Sym i = sym(x.index());
            if (!(i instanceof Sym.Const k)) {
                throw ThreadPaths.error(Src.NONE, "an index into " + x.name() + " depends on a value read from "
                        + "memory; LKMM answers only register and ghost accesses fixed by the path");
            }
            return slotValue(x.base() + CExpr.checkIndex(k.value(), x.length(), x.name()));
        }
        if (e instanceof CExpr.FlatIndex x) {
            Sym flat = new Sym.Const(0);
            for (int d = 0; d < x.dims().length; d++) {
                flat = Sym.binary(CExpr.Op.ADD, Sym.binary(CExpr.Op.MUL, flat, new Sym.Const(x.dims()[d])),
                        sym(x.indices()[d]));
            }
            return flat;
        }
        if (e instanceof CExpr.Unary u) {
            return Sym.unary(u.op(), sym(u.operand()));
        }
        if (e instanceof CExpr.Binary b) {
            return Sym.binary(b.op(), sym(b.left()), sym(b.right()));
        }
        if (e instanceof CExpr.Ite t) {
            return Sym.ite(sym(t.test()), sym(t.then()), sym(t.otherwise()));
        }
        if (e instanceof CExpr.Mem || e instanceof CExpr.MemArray) {
            throw ThreadPaths.error(Src.NONE, "a shared location read inside an expression; LKMM needs each read "
                    + "as an access of its own");
        }
        throw new IllegalStateException("no symbolic value for " + e);
    }

    private Sym slotValue(int slot) {
        if (isRegister(slot)) {
            return regs[slot - frame.regBase()];
        }
        if (isGhost(slot)) {
            Sym v = ghosts.get(slot);
            return v != null ? v : new Sym.Const(frame.program().ghosts().get(slot - frame.ghostBase()).initial());
        }
        throw new IllegalStateException("slot " + slot + " is not P" + frame.thread() + "'s");
    }

    /** The reads whose values flow into the expression (data and address dependencies). */
    BitSet taint(CExpr e) {
        BitSet t = new BitSet();
        walk(e, slot -> {
            if (isRegister(slot)) {
                t.or(data[slot - frame.regBase()]);
            }
        });
        return t;
    }

    /**
     * The reads an if condition depends on. herd7 makes every read of the
     * condition's own expression a control source; mmx's front ends lift a
     * read-modify-write or load out of an expression into a temporary, so a
     * temporary brings every read of the expression it stands for.
     */
    BitSet condTaint(CExpr e) {
        BitSet t = new BitSet();
        walk(e, slot -> {
            if (isRegister(slot)) {
                int r = slot - frame.regBase();
                t.or(frame.temp()[r] ? cond[r] : data[r]);
            }
        });
        return t;
    }

    private interface SlotVisitor {
        void visit(int slot);
    }

    private static void walk(CExpr e, SlotVisitor v) {
        if (e == null || e instanceof CExpr.Const || e instanceof CExpr.Mem) {
            return;
        }
        if (e instanceof CExpr.Slot x) {
            v.visit(x.slot());
        } else if (e instanceof CExpr.SlotArray x) {
            walk(x.index(), v);
            for (int k = 0; k < x.length(); k++) {
                v.visit(x.base() + k);
            }
        } else if (e instanceof CExpr.MemArray x) {
            walk(x.index(), v);
        } else if (e instanceof CExpr.FlatIndex x) {
            for (CExpr i : x.indices()) {
                walk(i, v);
            }
        } else if (e instanceof CExpr.Unary u) {
            walk(u.operand(), v);
        } else if (e instanceof CExpr.Binary b) {
            walk(b.left(), v);
            walk(b.right(), v);
        } else if (e instanceof CExpr.Ite t) {
            walk(t.test(), v);
            walk(t.then(), v);
            walk(t.otherwise(), v);
        } else {
            throw new IllegalStateException("no dependencies for " + e);
        }
    }

    // ---------------------------------------------------------------- events

    Access access(Ref ref) {
        if (!ref.memory()) {
            throw new IllegalStateException("access to a register " + ref.name());
        }
        if (ref.index() == null) {
            return new Access(new Sym.Const(ref.base()), ref.base(), ref.base() + 1, ref.name(), new BitSet(),
                    new BitSet());
        }
        Sym loc = Sym.binary(CExpr.Op.ADD, new Sym.Const(ref.base()), sym(ref.index()));
        return new Access(loc, ref.base(), ref.base() + ref.length(), ref.name(), taint(ref.index()),
                condTaint(ref.index()));
    }

    /** A read with a value of its own (the next read slot); returns its index in the path. */
    int emitRead(EventKind kind, int tags, Access a, Src src) {
        int slot = reads++;
        return emit(kind, tags, a, new Sym.Read(slot), slot, new BitSet(), src);
    }

    void emitFence(int tag, Src src) {
        events.add(new Path.Event(EventKind.FENCE, tag, null, 0, 0, null, null, -1, new BitSet(), new BitSet(),
                ctrl(), src));
    }

    /** An event; returns its index in the path. */
    int emit(EventKind kind, int tags, Access a, Sym value, int readSlot, BitSet dataDeps, Src src) {
        events.add(new Path.Event(kind, tags, a.loc(), a.lo(), a.hi(), a.what(), value, readSlot, a.addr(), dataDeps,
                ctrl(), src));
        return events.size() - 1;
    }

    /** The reads the enclosing branches' conditions depend on. */
    private BitSet ctrl() {
        BitSet c = new BitSet();
        for (Region r : ctrl) {
            c.or(r.taint());
        }
        return c;
    }
}
