package dev.mmx.system;

import java.util.List;

/**
 * How to print a value: as a number, a boolean, an enum member, or a location
 * (the name of the shared cell it addresses; {@code members} then lists every
 * memory cell's name).
 */
public record ValueType(String name, List<String> members) {
    public static final ValueType INT = new ValueType("int", List.of());
    public static final ValueType BOOL = new ValueType("bool", List.of());

    /**
     * Location values are cell numbers offset by this tag, so that an address is
     * never a small integer: 0 stays "no location" (NULL), and an integer
     * register holding an address can still be printed as one.
     */
    public static final int LOC_BASE = 0x4000_0000;

    /** The type of addresses of the given memory cells. */
    public static ValueType loc(List<String> cellNames) {
        return new ValueType("loc", List.copyOf(cellNames));
    }

    public boolean isBool() {
        return this == BOOL || name.equals("bool");
    }

    public boolean isLoc() {
        return name.equals("loc");
    }

    public boolean isEnum() {
        return !members.isEmpty() && !isLoc() && !isCpus() && !isPte();
    }

    /** A set of CPUs, one bit each; {@code members} are the CPUs' thread names. */
    public static ValueType cpus(List<String> threadNames) {
        return new ValueType("cpus", List.copyOf(threadNames));
    }

    public boolean isCpus() {
        return name.equals("cpus");
    }

    /** A page-table entry or TLB entry ({@link Pte}); {@code members} name the pages, page 1 first. */
    public static ValueType pte(List<String> pageNames) {
        return new ValueType("pte", List.copyOf(pageNames));
    }

    public boolean isPte() {
        return name.equals("pte");
    }

    public String format(int value) {
        if (isBool()) {
            return value == 0 ? "false" : "true";
        }
        if (isLoc()) {
            if (value == 0) {
                return "NULL";
            }
            String cell = cellName(value, members);
            return cell != null ? cell : Integer.toString(value);
        }
        if (isPte()) {
            return Pte.describe(value, members);
        }
        if (isCpus()) {
            List<String> in = new java.util.ArrayList<>();
            for (int t = 0; t < members.size(); t++) {
                if ((value & (1 << t)) != 0) {
                    in.add(members.get(t));
                }
            }
            return "{" + String.join(", ", in) + "}";
        }
        if (isEnum() && value >= 0 && value < members.size()) {
            return members.get(value);
        }
        return Integer.toString(value);
    }

    /** The name of the cell a location value addresses, or null when the value is no location. */
    public static String cellName(int value, List<String> cellNames) {
        long cell = (long) value - LOC_BASE;
        return cell >= 0 && cell < cellNames.size() ? cellNames.get((int) cell) : null;
    }
}
