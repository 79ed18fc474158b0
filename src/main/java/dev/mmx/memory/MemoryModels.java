package dev.mmx.memory;

import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.List;

/**
 * Every memory model mmx checks under, in one list: its name (as {@code --mm}
 * and {@code expect} lines write it), what it is, which bound keeps it finite,
 * and how to build the transition system that explores a program under it.
 * Commands, the model language's {@code expect} lines and the test runner read
 * their choices from here.
 *
 * <p>Adding a memory model: an in-order one is a {@link MemoryModel} (what a
 * load returns, where a store goes, the memory subsystem's own steps) run by
 * {@link Machine}; one that reorders more is a {@link TransitionSystem} of its
 * own, as {@link ArmMachine} is, running instructions through {@link Semantics}.
 * Either way, one class in this package and one entry below.
 */
public final class MemoryModels {
    private MemoryModels() {}

    /** Builds the transition system that explores a program under one memory model. */
    public interface Factory {
        TransitionSystem build(Program p, Bounds bounds);
    }

    /** An in-order machine over a memory model (what its loads return, where its stores go). */
    record InOrder(MemoryModel.Factory policy) implements Factory {
        public TransitionSystem build(Program p, Bounds bounds) {
            return new Machine(p, policy, bounds.storeBuffer());
        }
    }

    /** Which of {@link Bounds} keeps a model's state finite. */
    public enum Bound { NONE, STORE_BUFFER, ARM_WINDOW }

    /**
     * One memory model. {@code factory} is null for a model that is not explored as a
     * transition system: lkmm, herd7's axiomatic Linux-kernel memory model, which
     * enumerates candidate executions of loop-free threads instead.
     */
    public record Entry(String name, String description, Bound bound, Factory factory) {
        public boolean explored() {
            return factory != null;
        }
    }

    public static final List<Entry> ALL = List.of(
            new Entry("sc", "sequential consistency: one memory, every access acts on it at once",
                    Bound.NONE, new InOrder((layout, threads, bound) -> new Sc(layout))),
            new Entry("tso", "x86-TSO: a FIFO store buffer per CPU (the kernel's x86-64 mapping)",
                    Bound.STORE_BUFFER, new InOrder(Tso::new)),
            new Entry("arm", "ARMv8-like: accesses perform out of order within a window of in-flight "
                    + "instructions, as aarch64.cat orders them", Bound.ARM_WINDOW,
                    (p, bounds) -> new ArmMachine(p, bounds.armWindow())),
            new Entry("lkmm", "the Linux-kernel memory model (linux-kernel.cat), for models whose threads "
                    + "have no loops", Bound.NONE, null));

    /** The entry of a name, or null for a name mmx does not know. */
    public static Entry find(String name) {
        for (Entry e : ALL) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** Every name, in the registry's order. */
    public static List<String> names() {
        return ALL.stream().map(Entry::name).toList();
    }

    /** The names of the models explored as transition systems (every one but lkmm). */
    public static List<String> explored() {
        return ALL.stream().filter(Entry::explored).map(Entry::name).toList();
    }

    /** The names as a sentence lists them: "sc, tso, arm or lkmm". */
    public static String listed(List<String> names) {
        if (names.size() < 2) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }

    /** The transition system for a memory model; null for a name that is not explored as one. */
    public static TransitionSystem system(Program p, String name, Bounds bounds) {
        Entry e = find(name);
        return e == null || !e.explored() ? null : e.factory().build(p, bounds);
    }

    /** The memory model an in-order machine runs for a name (sc, tso). */
    static MemoryModel.Factory inOrder(String name) {
        Entry e = find(name);
        if (e != null && e.factory() instanceof InOrder io) {
            return io.policy();
        }
        throw new IllegalArgumentException("not an in-order memory model: " + name);
    }
}
