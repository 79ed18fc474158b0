package dev.mmx.memory;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.Map;

/**
 * Checks a small model under sc, tso or arm the way the kit's tests ask it:
 * the machine from the memory-model registry, a store buffer of 4 and the
 * test's own arm window.
 */
final class KitChecks {
    private KitChecks() {}

    static TransitionSystem system(Program p, String mm, int armWindow) {
        return MemoryModels.system(p, mm, new Bounds(4, armWindow));
    }

    static Result run(String file, String text, String mm, int armWindow, Options options) {
        Program p = Fixtures.compile(file, text, Map.of());
        return Explorer.explore(system(p, mm, armWindow), options);
    }

    /** pass, deadlock, incomplete, or the name of the property violated. */
    static String verdict(Result r) {
        return switch (r.verdict()) {
            case PASS -> "pass";
            case DEADLOCK -> "deadlock";
            case VIOLATION -> r.violation().property();
            case INCOMPLETE -> "incomplete";
        };
    }
}
