package dev.mmx.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mmx.Fixtures;
import dev.mmx.explore.Explorer;
import dev.mmx.explore.Options;
import dev.mmx.explore.Result;
import dev.mmx.system.Program;
import dev.mmx.system.TransitionSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A read-modify-write under arm is two events, a read and a write, ordered as
 * aarch64.cat orders them (see ArmRmw). Each test is a two-CPU shape whose
 * final states, worked out by hand from the ordering rule named, are compared
 * whole; and every final state sc reaches must be one arm reaches.
 */
class ArmRmwTest {

    /** The final states of a model under a memory model, each as "name=value ..." over the given names. */
    private static Set<String> finals(String text, String mm, String... names) {
        Program p = Fixtures.compile("rmw.mmx", text, Map.of());
        TransitionSystem ts = mm.equals("arm") ? new ArmMachine(p, 32) : new Machine(p, mm, 4);
        Set<String> out = new TreeSet<>();
        Result r = Explorer.finalStates(ts, Options.defaults().withPor(false), s -> out.add(render(p, s, names)));
        assertEquals(Result.Verdict.PASS, r.verdict());
        assertEquals(null, ts.boundReached());
        return out;
    }

    /** A name is a shared variable ("x") or a thread's register ("cpu0.r0"). */
    private static String render(Program p, int[] s, String... names) {
        List<String> parts = new ArrayList<>();
        for (String name : names) {
            parts.add(name + "=" + s[slot(p, name)]);
        }
        return String.join(" ", parts);
    }

    private static int slot(Program p, String name) {
        if (name.contains(".")) {
            String thread = name.substring(0, name.indexOf('.'));
            String reg = name.substring(name.indexOf('.') + 1);
            for (int t = 0; t < p.threads().size(); t++) {
                Program.ThreadCode tc = p.threads().get(t);
                for (int r = 0; r < tc.regs().size(); r++) {
                    if (tc.name().equals(thread) && tc.regs().get(r).name().equals(reg)) {
                        return p.layout().regSlot(t, r);
                    }
                }
            }
        }
        for (int c = 0; c < p.memory().size(); c++) {
            if (p.memory().get(c).name().equals(name)) {
                return p.layout().memSlot(c);
            }
        }
        throw new AssertionError("no register or variable " + name);
    }

    /** arm reaches these, and sc reaches a subset of them. */
    private static void armReaches(Set<String> expected, String text, String... names) {
        Set<String> arm = finals(text, "arm", names);
        assertEquals(expected, arm);
        Set<String> sc = finals(text, "sc", names);
        assertTrue(arm.containsAll(sc), "sc reaches " + sc + ", arm " + arm);
    }

    // store buffering against an RMW: cpu0 updates x, then loads y; cpu1 stores y, smp_mb(), loads x
    private static String storeBuffering(String rmw) {
        return "shared int x = 0;\nshared int y = 0;\n"
                + "thread cpu0 {\n    int r0;\n    int r1;\n    r0 = " + rmw + ";\n    r1 = READ_ONCE(y);\n}\n"
                + "thread cpu1 {\n    int r2;\n    WRITE_ONCE(y, 1);\n    smp_mb();\n    r2 = READ_ONCE(x);\n}\n";
    }

    private static final Set<String> SB_ALL = Set.of("cpu0.r1=0 cpu1.r2=0", "cpu0.r1=0 cpu1.r2=1",
            "cpu0.r1=1 cpu1.r2=0", "cpu0.r1=1 cpu1.r2=1");
    private static final Set<String> SB_ORDERED = Set.of("cpu0.r1=0 cpu1.r2=1", "cpu0.r1=1 cpu1.r2=0",
            "cpu0.r1=1 cpu1.r2=1");

    @Test
    void anAcquireRmwsWriteMayBecomeVisibleAfterALaterLoad() {
        // bob: [A]; po; [M] orders the load of y after the RMW's read only: its write to x may come after it
        armReaches(SB_ALL, storeBuffering("xchg_acquire(&x, 1)"), "cpu0.r1", "cpu1.r2");
        armReaches(SB_ALL, storeBuffering("atomic_fetch_add_acquire(1, &x)"), "cpu0.r1", "cpu1.r2");
        armReaches(SB_ALL, storeBuffering("cmpxchg_acquire(&x, 0, 1)"), "cpu0.r1", "cpu1.r2");
        armReaches(SB_ALL, storeBuffering("xchg_relaxed(&x, 1)"), "cpu0.r1", "cpu1.r2");
    }

    @Test
    void aFullyOrderedRmwOrdersItsWriteBeforeLaterLoads() {
        // LDXR/STLXR then DMB ISH, or SWPAL: both events before everything after
        armReaches(SB_ORDERED, storeBuffering("xchg(&x, 1)"), "cpu0.r1", "cpu1.r2");
        armReaches(SB_ORDERED, storeBuffering("atomic_fetch_add(1, &x)"), "cpu0.r1", "cpu1.r2");
        armReaches(SB_ORDERED, storeBuffering("cmpxchg(&x, 0, 1)"), "cpu0.r1", "cpu1.r2");
    }

    // message passing: cpu0 stores data then flags with the given statement; cpu1 reads flag (acquire) then data
    private static String messagePassing(String publish) {
        return "shared int data = 0;\nshared int flag = 0;\n"
                + "thread cpu0 {\n    int r;\n    WRITE_ONCE(data, 1);\n    " + publish + ";\n}\n"
                + "thread cpu1 {\n    int f;\n    int d;\n    f = smp_load_acquire(&flag);\n"
                + "    d = READ_ONCE(data);\n}\n";
    }

    @Test
    void aReleaseRmwOrdersEarlierStoresBeforeItsWrite() {
        // bob: [M]; po; [L]: seeing flag == 1 means data == 1; a relaxed RMW orders nothing
        armReaches(Set.of("cpu1.f=0 cpu1.d=0", "cpu1.f=0 cpu1.d=1", "cpu1.f=1 cpu1.d=1"),
                messagePassing("r = xchg_release(&flag, 1)"), "cpu1.f", "cpu1.d");
        armReaches(Set.of("cpu1.f=0 cpu1.d=0", "cpu1.f=0 cpu1.d=1", "cpu1.f=1 cpu1.d=0", "cpu1.f=1 cpu1.d=1"),
                messagePassing("r = xchg_relaxed(&flag, 1)"), "cpu1.f", "cpu1.d");
    }

    // cpu0 stores data, then releases flag to 1; cpu1 updates flag with the given RMW, then reads data
    private static String rmwReader(String rmw, String barrier) {
        return "shared int data = 0;\nshared int flag = 0;\n"
                + "thread cpu0 {\n    WRITE_ONCE(data, 1);\n    smp_store_release(&flag, 1);\n}\n"
                + "thread cpu1 {\n    int f = 0;\n    int d;\n    " + rmw + ";\n    " + barrier
                + "\n    d = READ_ONCE(data);\n}\n";
    }

    @Test
    void aVoidAtomicsReadIsNotOrderedBySmpRmb() {
        // atomic_inc is STADD with LSE, a no-return atomic: [R \ NoRet]; po; [dmb.ld] leaves its read out, so
        // it may read flag == 1 (leaving 2) while the load of data after smp_rmb() still sees 0
        armReaches(Set.of("flag=1 cpu1.d=0", "flag=1 cpu1.d=1", "flag=2 cpu1.d=0", "flag=2 cpu1.d=1"),
                rmwReader("atomic_inc(&flag)", "smp_rmb();"), "flag", "cpu1.d");
        // atomic_inc_return_relaxed returns what it read: smp_rmb() orders that read before the load of data
        armReaches(Set.of("flag=1 cpu1.d=0", "flag=1 cpu1.d=1", "flag=2 cpu1.d=1"),
                rmwReader("f = atomic_inc_return_relaxed(&flag)", "smp_rmb();"), "flag", "cpu1.d");
    }

    @Test
    void aFailedCmpxchgIsARead() {
        // cmpxchg(&flag, 5, 6) always fails: a fully ordered cmpxchg that fails is LL/SC's plain LDXR, which
        // orders nothing, so it may read flag == 1 while data is still 0; cmpxchg_acquire reads with acquire
        // whether it succeeds or not (LDAXR, CASA)
        armReaches(Set.of("cpu1.f=0 cpu1.d=0", "cpu1.f=0 cpu1.d=1", "cpu1.f=1 cpu1.d=0", "cpu1.f=1 cpu1.d=1"),
                rmwReader("f = cmpxchg(&flag, 5, 6)", ""), "cpu1.f", "cpu1.d");
        armReaches(Set.of("cpu1.f=0 cpu1.d=0", "cpu1.f=0 cpu1.d=1", "cpu1.f=1 cpu1.d=1"),
                rmwReader("f = cmpxchg_acquire(&flag, 5, 6)", ""), "cpu1.f", "cpu1.d");
    }

    @Test
    void noWriteComesBetweenAnRmwsReadAndItsWrite() {
        // two relaxed increments and a store race on x; an increment never loses the other's update, and the
        // store lands before both, between them or after both (0+1+1, 5+1+1, 1+5... never a lost increment)
        String text = "shared int x = 0;\n"
                + "thread a {\n    atomic_inc(&x);\n}\n"
                + "thread b {\n    atomic_inc(&x);\n}\n"
                + "thread c {\n    WRITE_ONCE(x, 5);\n}\n";
        armReaches(Set.of("x=5", "x=6", "x=7"), text, "x");
    }

    @Test
    void aSpinLockIsAnAcquireSoAnEarlierStoreMayPassALaterLoad() {
        String text = "shared int x = 0;\nshared int y = 0;\nspinlock s;\n"
                + "thread cpu0 {\n    int r0;\n    WRITE_ONCE(x, 1);\n    spin_lock(&s);\n    r0 = READ_ONCE(y);\n"
                + "    spin_unlock(&s);\n}\n"
                + "thread cpu1 {\n    int r1;\n    WRITE_ONCE(y, 1);\n    smp_mb();\n    r1 = READ_ONCE(x);\n}\n";
        armReaches(Set.of("cpu0.r0=0 cpu1.r1=0", "cpu0.r0=0 cpu1.r1=1", "cpu0.r0=1 cpu1.r1=0",
                "cpu0.r0=1 cpu1.r1=1"), text, "cpu0.r0", "cpu1.r1");
        String fenced = text.replace("spin_lock(&s);\n", "spin_lock(&s);\n    smp_mb__after_spinlock();\n");
        armReaches(Set.of("cpu0.r0=0 cpu1.r1=1", "cpu0.r0=1 cpu1.r1=0", "cpu0.r0=1 cpu1.r1=1"), fenced,
                "cpu0.r0", "cpu1.r1");
    }

    @Test
    void locksStillExcludeEachOther() {
        // the lock word's write follows its read with no other CPU's lock operation between: two increments
        // under the lock never lose one
        String text = "shared int n = 0;\nspinlock s;\n"
                + "thread cpu[2] {\n    int t;\n    spin_lock(&s);\n    t = READ_ONCE(n);\n    WRITE_ONCE(n, t + 1);\n"
                + "    spin_unlock(&s);\n}\n";
        armReaches(Set.of("n=2"), text, "n");
    }
}
