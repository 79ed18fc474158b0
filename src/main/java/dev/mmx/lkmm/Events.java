package dev.mmx.lkmm;

import dev.mmx.system.Program;
import dev.mmx.system.Src;
import java.util.BitSet;
import java.util.List;

/**
 * The events of one combination of control paths (one path per thread),
 * numbered globally: the initial write of every shared cell first, then each
 * thread's events in program order. Holds what does not depend on
 * reads-from: kinds, annotations, program order and the dependencies.
 */
final class Events {
    final Program program;
    final List<Path> paths;
    final int n;
    final int cells;
    final EventKind[] kind;
    final int[] tags;
    /** The thread, or -1 for an initial write. */
    final int[] thread;
    /** The path event behind each thread event (null for an initial write). */
    final Path.Event[] pathEvent;
    /** For a read with a value (READ), its number among all reads; else -1. */
    final int[] read;
    /** The event of each read number. */
    final int[] readEvent;
    /** Where each thread's reads start in the read numbering. */
    final int[] readBase;
    /** Where each thread's events start. */
    final int[] eventBase;
    final Rel po;
    final Rel addr;
    final Rel data;
    final Rel ctrl;
    /** Read to write of each successful read-modify-write (herd7's atomic load-store pairs). */
    final Rel rmw;
    /** For the read of a successful read-modify-write, its write; else -1. */
    final int[] rmwWrite;
    /** What the model computes once for these events and their locations (see {@link Bell.Statics}). */
    Bell.Statics statics;

    Events(Program program, List<Path> paths) {
        this.program = program;
        this.paths = paths;
        this.cells = program.memory().size();
        int total = cells;
        int reads = 0;
        eventBase = new int[paths.size()];
        readBase = new int[paths.size()];
        for (int t = 0; t < paths.size(); t++) {
            eventBase[t] = total;
            readBase[t] = reads;
            total += paths.get(t).events().size();
            reads += paths.get(t).reads();
        }
        n = total;
        kind = new EventKind[n];
        tags = new int[n];
        thread = new int[n];
        pathEvent = new Path.Event[n];
        read = new int[n];
        readEvent = new int[reads];
        rmwWrite = new int[n];
        java.util.Arrays.fill(read, -1);
        java.util.Arrays.fill(rmwWrite, -1);
        po = new Rel(n);
        addr = new Rel(n);
        data = new Rel(n);
        ctrl = new Rel(n);
        rmw = new Rel(n);
        for (int c = 0; c < cells; c++) {
            kind[c] = EventKind.INIT;
            thread[c] = -1;
        }
        for (int t = 0; t < paths.size(); t++) {
            List<Path.Event> evs = paths.get(t).events();
            int base = eventBase[t];
            for (int i = 0; i < evs.size(); i++) {
                Path.Event pe = evs.get(i);
                int e = base + i;
                kind[e] = pe.kind();
                tags[e] = pe.tags();
                thread[e] = t;
                pathEvent[e] = pe;
                if (pe.readSlot() >= 0) {
                    read[e] = readBase[t] + pe.readSlot();
                    readEvent[read[e]] = e;
                }
                for (int j = i + 1; j < evs.size(); j++) {
                    po.add(e, base + j);
                }
                copy(pe.addr(), addr, base, e);
                copy(pe.data(), data, base, e);
                copy(pe.ctrl(), ctrl, base, e);
                // ThreadPaths emits the write of a successful read-modify-write right after its read
                if (pe.kind() == EventKind.WRITE && Tag.has(pe.tags(), Tag.ATOMIC) && i > 0
                        && evs.get(i - 1).kind() == EventKind.READ && evs.get(i - 1).src() == pe.src()
                        && Tag.has(evs.get(i - 1).tags(), Tag.ATOMIC)) {
                    rmw.add(e - 1, e);
                    rmwWrite[e - 1] = e;
                }
            }
        }
    }

    private static void copy(BitSet from, Rel to, int base, int e) {
        for (int i = from.nextSetBit(0); i >= 0; i = from.nextSetBit(i + 1)) {
            to.add(base + i, e);
        }
    }

    int reads() {
        return readEvent.length;
    }

    Src src(int e) {
        return pathEvent[e] == null ? Src.NONE : pathEvent[e].src();
    }

    /** The set of events of the given kinds. */
    long[] ofKind(EventKind... kinds) {
        long[] s = Rel.emptySet(n);
        for (int e = 0; e < n; e++) {
            for (EventKind k : kinds) {
                if (kind[e] == k) {
                    Rel.add(s, e);
                }
            }
        }
        return s;
    }

    /** The set of events carrying any of the tags. */
    long[] tagged(int anyOf) {
        long[] s = Rel.emptySet(n);
        for (int e = 0; e < n; e++) {
            if ((tags[e] & anyOf) != 0) {
                Rel.add(s, e);
            }
        }
        return s;
    }
}
