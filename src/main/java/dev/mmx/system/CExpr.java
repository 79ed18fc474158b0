package dev.mmx.system;

/**
 * A compiled expression over a state: registers and ghost cells are read from
 * state slots, shared cells through a {@link MemoryReader}. Values are 32-bit
 * ints; booleans are 0 and 1.
 */
public sealed interface CExpr {
    int eval(int[] s, MemoryReader mem);

    /** True when evaluation reads shared memory. */
    boolean readsMemory();

    record Const(int value) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return value;
        }

        public boolean readsMemory() {
            return false;
        }
    }

    /** A register or ghost cell at a fixed slot. */
    record Slot(int slot) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return s[slot];
        }

        public boolean readsMemory() {
            return false;
        }
    }

    /** An element of a ghost array (or register array), bounds-checked. */
    record SlotArray(int base, int length, CExpr index, String name) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return s[base + checkIndex(index.eval(s, mem), length, name)];
        }

        public boolean readsMemory() {
            return index.readsMemory();
        }
    }

    /** A shared cell, read through the memory reader. */
    record Mem(int cell, String name) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return mem.read(s, cell);
        }

        public boolean readsMemory() {
            return true;
        }
    }

    record MemArray(int base, int length, CExpr index, String name) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return mem.read(s, base + checkIndex(index.eval(s, mem), length, name));
        }

        public boolean readsMemory() {
            return true;
        }
    }

    /** A multi-dimensional index flattened to one, each dimension bounds-checked. */
    record FlatIndex(CExpr[] indices, int[] dims, String name) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            int flat = 0;
            for (int d = 0; d < dims.length; d++) {
                int i = indices[d].eval(s, mem);
                if (dims.length == 1) {
                    checkIndex(i, dims[d], name); // "a[2]": a one-dimensional array has no "dimension 1"
                } else if (i < 0 || i >= dims[d]) {
                    throw new ModelFault("index_out_of_range", "index " + i + " is out of range for dimension "
                            + (d + 1) + " of " + name + " (valid: 0.." + (dims[d] - 1) + ")");
                }
                flat = flat * dims[d] + i;
            }
            return flat;
        }

        public boolean readsMemory() {
            for (CExpr i : indices) {
                if (i.readsMemory()) {
                    return true;
                }
            }
            return false;
        }
    }

    record Unary(char op, CExpr operand) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            int v = operand.eval(s, mem);
            return switch (op) {
                case '!' -> v == 0 ? 1 : 0;
                case '-' -> -v;
                case '~' -> ~v;
                default -> throw new IllegalStateException("unary " + op);
            };
        }

        public boolean readsMemory() {
            return operand.readsMemory();
        }
    }

    /** Binary operators; && and || short-circuit. */
    enum Op {
        ADD("+"), SUB("-"), MUL("*"), DIV("/"), MOD("%"), SHL("<<"), SHR(">>"), AND("&"), OR("|"), XOR("^"),
        EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">="), LAND("&&"), LOR("||");

        public final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public static Op of(String symbol) {
            for (Op op : values()) {
                if (op.symbol.equals(symbol)) {
                    return op;
                }
            }
            throw new IllegalArgumentException("no operator " + symbol);
        }

        public boolean comparison() {
            return ordinal() >= EQ.ordinal() && ordinal() <= GE.ordinal();
        }

        public boolean logical() {
            return this == LAND || this == LOR;
        }

        public int apply(int a, int b) {
            return switch (this) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> {
                    if (b == 0) {
                        throw new ModelFault("division_by_zero", "division by zero: " + a + " / 0");
                    }
                    yield a / b;
                }
                case MOD -> {
                    if (b == 0) {
                        throw new ModelFault("division_by_zero", "division by zero: " + a + " % 0");
                    }
                    yield a % b;
                }
                case SHL -> a << b;
                case SHR -> a >> b;
                case AND -> a & b;
                case OR -> a | b;
                case XOR -> a ^ b;
                case EQ -> a == b ? 1 : 0;
                case NE -> a != b ? 1 : 0;
                case LT -> a < b ? 1 : 0;
                case LE -> a <= b ? 1 : 0;
                case GT -> a > b ? 1 : 0;
                case GE -> a >= b ? 1 : 0;
                case LAND -> a != 0 && b != 0 ? 1 : 0;
                case LOR -> a != 0 || b != 0 ? 1 : 0;
            };
        }
    }

    record Binary(Op op, CExpr left, CExpr right) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            int a = left.eval(s, mem);
            if (op == Op.LAND) {
                return a != 0 && right.eval(s, mem) != 0 ? 1 : 0;
            }
            if (op == Op.LOR) {
                return a != 0 || right.eval(s, mem) != 0 ? 1 : 0;
            }
            return op.apply(a, right.eval(s, mem));
        }

        public boolean readsMemory() {
            return left.readsMemory() || right.readsMemory();
        }
    }

    record Ite(CExpr test, CExpr then, CExpr otherwise) implements CExpr {
        public int eval(int[] s, MemoryReader mem) {
            return test.eval(s, mem) != 0 ? then.eval(s, mem) : otherwise.eval(s, mem);
        }

        public boolean readsMemory() {
            return test.readsMemory() || then.readsMemory() || otherwise.readsMemory();
        }
    }

    static int checkIndex(int i, int length, String name) {
        if ((i < 0 || i >= length) && name.startsWith("*")) {
            // a dereference: the index is the pointer minus the location tag
            long pointer = (long) i + ValueType.LOC_BASE;
            String what = pointer == 0 ? "NULL" : pointer >= ValueType.LOC_BASE
                    ? "an address past the last shared variable" : pointer + ", which is not an address";
            throw new ModelFault("index_out_of_range", name + " dereferences " + what);
        }
        if (i < 0 || i >= length) {
            throw new ModelFault("index_out_of_range",
                    "index " + i + " is out of range for " + name + "[" + length + "] (valid: 0.." + (length - 1) + ")");
        }
        return i;
    }
}
