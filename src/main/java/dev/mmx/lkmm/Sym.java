package dev.mmx.lkmm;

import dev.mmx.system.CExpr;
import dev.mmx.system.ModelFault;

/**
 * A value computed by one control path of a thread, possibly in terms of what
 * its reads return: herd7 runs each thread once per control path with a fresh
 * variable for each read, and solves for the variables once reads-from is
 * chosen. {@link Read} is the value of the path's k-th read.
 */
sealed interface Sym {
    /** Marks a value that depends on a read whose value is not known yet. */
    long UNKNOWN = Long.MIN_VALUE;

    /** The values of a path's reads, or {@link #UNKNOWN}. */
    interface Reads {
        long value(int slot);
    }

    /** The value, or {@link #UNKNOWN}; throws ModelFault on a division by zero. */
    long eval(Reads reads);

    record Const(int value) implements Sym {
        public long eval(Reads reads) {
            return value;
        }
    }

    record Read(int slot) implements Sym {
        public long eval(Reads reads) {
            return reads.value(slot);
        }
    }

    record Unary(char op, Sym operand) implements Sym {
        public long eval(Reads reads) {
            long v = operand.eval(reads);
            return v == UNKNOWN ? UNKNOWN : apply(op, (int) v);
        }
    }

    record Binary(CExpr.Op op, Sym left, Sym right) implements Sym {
        public long eval(Reads reads) {
            long a = left.eval(reads);
            if (a == UNKNOWN) {
                return UNKNOWN;
            }
            if (op == CExpr.Op.LAND && a == 0) {
                return 0;
            }
            if (op == CExpr.Op.LOR && a != 0) {
                return 1;
            }
            long b = right.eval(reads);
            return b == UNKNOWN ? UNKNOWN : op.apply((int) a, (int) b);
        }
    }

    record Ite(Sym test, Sym then, Sym otherwise) implements Sym {
        public long eval(Reads reads) {
            long t = test.eval(reads);
            if (t == UNKNOWN) {
                return UNKNOWN;
            }
            return t != 0 ? then.eval(reads) : otherwise.eval(reads);
        }
    }

    static int apply(char op, int v) {
        return switch (op) {
            case '!' -> v == 0 ? 1 : 0;
            case '-' -> -v;
            case '~' -> ~v;
            default -> throw new IllegalStateException("unary " + op);
        };
    }

    /** Reads with no known value: evaluates only what needs no read. */
    Reads NONE = slot -> UNKNOWN;

    /** The constant, when the value needs no read. */
    static Sym fold(Sym s) {
        if (s instanceof Const) {
            return s;
        }
        try {
            long v = s.eval(NONE);
            return v == UNKNOWN ? s : new Const((int) v);
        } catch (ModelFault e) {
            return s; // a division by zero surfaces when an execution computes it
        }
    }

    static Sym binary(CExpr.Op op, Sym a, Sym b) {
        return fold(new Binary(op, a, b));
    }

    static Sym unary(char op, Sym a) {
        return fold(new Unary(op, a));
    }

    static Sym ite(Sym t, Sym a, Sym b) {
        return fold(new Ite(t, a, b));
    }
}
