package dev.mmx.resolve;

import java.util.List;

/** Types of values in the language: int, bool, an enum, or ANY for a procedure parameter. */
public record Type(String name, List<String> members) {
    public static final Type INT = new Type("int", List.of());
    public static final Type BOOL = new Type("bool", List.of());
    public static final Type ANY = new Type("any", List.of());

    public boolean isEnum() {
        return !members.isEmpty();
    }

    /** Whether a value of type {@code other} may be used where this type is expected. */
    public boolean accepts(Type other) {
        return this == ANY || other == ANY || this.name.equals(other.name);
    }

    @Override
    public String toString() {
        return name;
    }
}
