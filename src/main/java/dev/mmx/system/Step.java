package dev.mmx.system;

import java.util.List;

/**
 * One step of an execution, as a trace shows it: who acted (a thread, or the
 * memory subsystem writing back a buffered store), the source line, the
 * operation as written, and what it read, wrote, took or released.
 */
public record Step(int thread, String actor, int line, String text, List<Effect> effects, String note) {

    /** What a step did to one thing; {@code kind} is one of the constants below. */
    public record Effect(String kind, String target, String value) {
        public static final String READ = "read";
        public static final String WRITE = "write";
        public static final String BUFFER = "buffer";
        public static final String FLUSH = "flush";
        public static final String REG = "reg";
        public static final String GHOST = "ghost";
        public static final String LOCK = "lock";
        public static final String UNLOCK = "unlock";
        public static final String FAIL = "fail";
        public static final String FAULT = "fault";
        public static final String DISCARD = "discard";
        public static final String NOTE = "note";

        /** How the CPU-column view prints it. */
        public String render() {
            return switch (kind) {
                case READ -> "reads " + target + " = " + value;
                case WRITE -> target + " = " + value;
                case BUFFER -> target + " = " + value + " (buffered)";
                case FLUSH -> target + " = " + value + " visible";
                case REG, GHOST -> target + " = " + value;
                case LOCK -> "takes " + target + (value.isEmpty() ? "" : " " + value);
                case UNLOCK -> "releases " + target + (value.isEmpty() ? "" : " " + value);
                case FAIL -> target + " " + value;
                case FAULT -> "FAULT: " + value;
                case DISCARD -> "discarded: " + value;
                case NOTE -> value;
                default -> kind + " " + target + " " + value;
            };
        }
    }
}
