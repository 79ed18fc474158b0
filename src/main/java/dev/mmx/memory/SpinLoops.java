package dev.mmx.memory;

import dev.mmx.system.CExpr;
import dev.mmx.system.Instr;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The spin loops of a thread whose next iteration the ARM machine fetches only
 * in program order, once every earlier instruction of the CPU has been
 * performed: {@code while (READ_ONCE(x) == 0) { }}, {@code while (g == 0) { }},
 * {@code while (true) { r = READ_ONCE(x); if (r) break; cpu_relax(); }}.
 *
 * <p>A spin loop here is a loop (the instructions from its head to its last
 * jump back to the head) whose every instruction only reads: loads, reads of
 * ghost state into registers, register work, branches, jumps, barriers and
 * {@code skip}/{@code barrier()}; it stores nothing, takes no lock, writes no
 * ghost state, waits on nothing and has no inner loop; nothing outside it
 * jumps into its middle; each register it reads that it also writes is
 * written earlier in the same iteration on every path, and every register it
 * writes is written on every path from the head to each way out (no value
 * flows from one iteration to the next, nor from an earlier iteration past
 * the loop); and no invariant reads the CPU's registers.
 *
 * <p>Why holding the next iteration back loses no behaviour. Take any
 * execution of the machine without this rule in which the CPU leaves the loop
 * in iteration k (or faults in it, or is in it when the execution ends). Drop
 * every other iteration (those before k, and any fetched after k that had not
 * been resolved yet, which performed reads only) and let iteration k be the
 * first: perform each of its
 * loads and ghost reads at the moment the original performed them, reading
 * the same value (the loop writes nothing, so memory, ghost state and the
 * CPU's earlier stores it may forward from are the same at each moment; and
 * as no value flows between iterations, iteration k computes the same
 * registers and takes the same branches when it comes first, and leaves the
 * loop with the same value in every register the loop writes). Nothing in
 * this shorter execution is ordered later than in the original: each access
 * of the kept iteration has the same earlier instructions before it, less the
 * dropped iterations, which could only hold it back (barriers, acquires,
 * program-order ghost reads) and which, being reads, do not make a later read
 * of the same location stale (CoRR: the kept read is checked against the same
 * later reads as before). The instructions after the loop see the same
 * register values (the last iteration's) and perform at the same moments. So
 * the shorter execution has the same writes, in the same order, and passes
 * through the same memory, ghost state and other CPUs' registers, hence the
 * same final states and the same invariant violations (the CPU's own
 * registers differ only inside the loop, which is why no invariant may read
 * them). It has only one iteration in flight at any time, so the rule never
 * blocks it; and it is an execution of the machine with the rule, which
 * fetches the loop's first iteration as before and may still guess that
 * iteration's branches, "leave the loop" included, and run past it. The
 * machine with the rule only removes executions, so it adds none either.
 * SpinLoopDifferentialTest compares the final states with and without it.
 *
 * <p>Without the rule the CPU guesses "go round again" at each unresolved
 * exit test until its window is full, so every run of a spin-wait filled the
 * window and was reported incomplete.
 */
final class SpinLoops {
    /** [thread][instruction]: the instruction is a jump back to the head of a spin loop. */
    private final boolean[][] backEdge;

    /** The spin loops of every thread; none for a CPU whose registers an invariant reads. */
    SpinLoops(Instr[][] code, Deps[][] deps, ProgramView view, boolean[] watched) {
        backEdge = new boolean[code.length][];
        for (int t = 0; t < code.length; t++) {
            backEdge[t] = new boolean[code[t].length];
            if (watched[t]) {
                continue;
            }
            for (int head = 0; head < code[t].length; head++) {
                int end = lastJumpBack(code[t], head);
                if (end >= 0 && spin(code[t], deps[t], view, head, end)) {
                    for (int j = head; j <= end; j++) {
                        backEdge[t][j] = code[t][j] instanceof Instr.Jump x && x.target() == head;
                    }
                }
            }
        }
    }

    /**
     * Whether instruction {@code jump} of thread t goes round a spin loop again: with
     * other instructions of the CPU in flight, fetch waits there until they have all
     * been performed.
     */
    boolean backEdge(int t, int jump) {
        return backEdge[t][jump];
    }

    private static int lastJumpBack(Instr[] code, int head) {
        int last = -1;
        for (int j = head; j < code.length; j++) {
            if (code[j] instanceof Instr.Jump x && x.target() == head) {
                last = j;
            }
        }
        return last;
    }

    private static boolean spin(Instr[] code, Deps[] deps, ProgramView view, int head, int end) {
        for (int i = head; i <= end; i++) {
            if (!readsOnly(code[i], view)) {
                return false;
            }
            for (int target : targets(code[i])) {
                if (target <= i && target != head) {
                    return false; // a jump back elsewhere: an inner loop, or a loop around this one
                }
            }
        }
        for (int i = 0; i < code.length; i++) {
            if (i >= head && i <= end) {
                continue;
            }
            for (int target : targets(code[i])) {
                if (target > head && target <= end) {
                    return false; // something jumps into the middle of the loop
                }
            }
        }
        return noValueFlowsBetweenIterations(code, deps, head, end);
    }

    /** Instructions that read but write nothing another CPU sees, and never wait. */
    private static boolean readsOnly(Instr i, ProgramView view) {
        if (i instanceof Instr.Load || i instanceof Instr.Branch || i instanceof Instr.Jump
                || i instanceof Instr.Clear || i instanceof Instr.Fence) {
            return true;
        } else if (i instanceof Instr.Assign a) {
            return !a.target().memory() && a.target().fixed() && !view.isGhost(a.target().base());
        } else if (i instanceof Instr.Assume a) {
            return a.cond() instanceof CExpr.Const c && c.value() != 0; // skip, barrier()
        }
        return false;
    }

    private static int[] targets(Instr i) {
        if (i instanceof Instr.Jump j) {
            return new int[] {j.target()};
        } else if (i instanceof Instr.Branch b) {
            return new int[] {b.elseTarget()};
        } else if (i instanceof Instr.Either e) {
            return e.targets();
        }
        return new int[0];
    }

    /**
     * Forward over the loop's body (its only jumps back go to the head, and end an
     * iteration): the registers written on every path from the head so far. A read of
     * a register the loop writes, at a point where not every path has written it, reads
     * a value from the iteration before; an exit where not every register the loop writes
     * has been written leaves one holding an earlier iteration's value (a register the
     * loop sets only on the way round), which the instructions after the loop and the
     * final state would see.
     */
    private static boolean noValueFlowsBetweenIterations(Instr[] code, Deps[] deps, int head, int end) {
        BitSet writtenInLoop = new BitSet();
        for (int i = head; i <= end; i++) {
            for (int w : deps[i].writes) {
                writtenInLoop.set(w);
            }
        }
        BitSet[] before = new BitSet[end - head + 1];
        before[0] = new BitSet();
        for (int i = head; i <= end; i++) {
            BitSet in = before[i - head];
            if (in == null) {
                continue; // unreachable from the head within one iteration
            }
            for (int[] reads : new int[][] {deps[i].address, deps[i].data}) {
                for (int r : reads) {
                    if (writtenInLoop.get(r) && !in.get(r)) {
                        return false;
                    }
                }
            }
            BitSet out = (BitSet) in.clone();
            for (int w : deps[i].writes) {
                out.set(w);
            }
            Instr x = code[i];
            List<Integer> next = new ArrayList<>();
            if (x instanceof Instr.Branch b && b.cond() instanceof CExpr.Const c) {
                next.add(c.value() != 0 ? i + 1 : b.elseTarget()); // while (true): never leaves at its test
            } else {
                if (!(x instanceof Instr.Jump)) {
                    next.add(i + 1);
                }
                for (int target : targets(x)) {
                    if (target > i) {
                        next.add(target);
                    }
                }
            }
            for (int to : next) {
                if (to > end) {
                    BitSet unwritten = (BitSet) writtenInLoop.clone();
                    unwritten.andNot(out);
                    if (!unwritten.isEmpty()) {
                        return false; // leaves the loop with a register from an earlier iteration
                    }
                } else if (before[to - head] == null) {
                    before[to - head] = (BitSet) out.clone();
                } else {
                    before[to - head].and(out);
                }
            }
        }
        return true;
    }
}
