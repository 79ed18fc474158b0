package dev.mmx.lkmm;

import dev.mmx.system.Src;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

/**
 * One control path of one thread, as herd7 builds it before reads-from is
 * known: the events in program order, each with a symbolic location and
 * value; the conditions the path's branches (and cmpxchg outcomes) put on the
 * values read; the registers' and ghost cells' final values; the
 * assertions met on the way; and, for a path cut short by a runtime fault
 * (an index out of range), what the fault was.
 */
record Path(int thread, List<Event> events, int reads, List<Guard> guards, Sym[] registers,
            Map<Integer, Sym> ghosts, List<Check> checks,
            Lkmm.Fault fault) {

    /**
     * An event of the path. {@code loc} is a cell number once evaluated (the access may address cells {@code lo} to
     * {@code hi - 1}; {@code what} names it for a fault); {@code value} is the value written, or for a read {@link Sym.Read} of
     * its {@code readSlot}. {@code addr}, {@code data} and {@code ctrl} hold the
     * indices (in this path) of the reads it depends on, as herd7 computes the
     * dependencies of the C front end.
     */
    record Event(EventKind kind, int tags, Sym loc, int lo, int hi, String what, Sym value, int readSlot, BitSet addr,
                 BitSet data, BitSet ctrl, Src src) {}

    /** The path is taken only when {@code cond} evaluates to true ({@code holds}) or false. */
    record Guard(Sym cond, boolean holds) {}

    /** An assertion met on the path: a consistent execution in which {@code cond} is 0 violates it. */
    record Check(Sym cond, String property, String message, Src src) {}
}
