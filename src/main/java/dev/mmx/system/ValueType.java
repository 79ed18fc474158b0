package dev.mmx.system;

import java.util.List;

/** How to print a value: as a number, a boolean, or an enum member. */
public record ValueType(String name, List<String> members) {
    public static final ValueType INT = new ValueType("int", List.of());
    public static final ValueType BOOL = new ValueType("bool", List.of());

    public boolean isBool() {
        return this == BOOL || name.equals("bool");
    }

    public boolean isEnum() {
        return !members.isEmpty();
    }

    public String format(int value) {
        if (isBool()) {
            return value == 0 ? "false" : "true";
        }
        if (isEnum() && value >= 0 && value < members.size()) {
            return members.get(value);
        }
        return Integer.toString(value);
    }
}
