package dev.mmx.resolve;

import java.util.List;

/**
 * Types of values in the language: int, bool, loc (the address of a shared
 * cell), an enum, or ANY for a procedure parameter.
 */
public record Type(String name, List<String> members) {
    public static final Type INT = new Type("int", List.of());
    public static final Type BOOL = new Type("bool", List.of());
    public static final Type LOC = new Type("loc", List.of());
    public static final Type ANY = new Type("any", List.of());
    /**
     * The kernel kit's word of CPUs, one bit each (a wait queue's list of
     * waiters): an int that prints as the set of CPUs it holds. The name cannot
     * be written in a model.
     */
    public static final Type CPUS = new Type("~cpus", List.of());
    /** The kernel kit's page-table and TLB entry word (dev.mmx.system.Pte): an int printed decoded. */
    public static final Type PTE = new Type("~pte", List.of());

    public boolean isEnum() {
        return !members.isEmpty();
    }

    /**
     * Whether a value of type {@code other} may be used where this type is
     * expected. An address converts to and from int as in kernel C (and as in
     * litmus tests, whose registers hold either); the declared type only
     * decides how a value prints.
     */
    public boolean accepts(Type other) {
        return this == ANY || other == ANY || this.name.equals(other.name) || (intLike() && other.intLike());
    }

    private boolean intLike() {
        return name.equals("int") || name.equals("loc") || kit();
    }

    /** A kernel kit type: an int to the language, printed in the kit's own way. */
    public boolean kit() {
        return name.startsWith("~");
    }

    @Override
    public String toString() {
        return kit() ? "int" : name;
    }
}
