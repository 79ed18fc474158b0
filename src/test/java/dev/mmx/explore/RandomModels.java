package dev.mmx.explore;

import java.util.Random;

/**
 * Small random models for differential tests and oracles. Two or three
 * threads (and sometimes one that spins on local work forever) mix loads,
 * stores, register-only arithmetic, ghost reads and writes, locks (properly
 * nested), trylocks, barriers, awaits, atomic blocks, read-modify-writes,
 * either, choose, skip, assume and assert, branches and loops over registers
 * and over ghost state (ghost variables, TLB entries, page queries), and every
 * kernel-kit primitive: TLB fills and every flush, interrupt masking, RCU, page
 * references, pins and flags, bitops, sequence counts, wait queues, the user
 * program's accesses through the TLB (whose MMU fills it by itself in one
 * two-CPU model in three), the deferred flush and page contents.
 * Each model has an invariant and a final condition. The same seed always
 * gives the same model.
 */
public final class RandomModels {
    private static final String[] VARS = {"x", "y", "z"};
    private static final String[] REGS = {"r0", "r1"};

    private final Random r;
    private final StringBuilder m = new StringBuilder();
    /** Locks a and b held by the thread being written (nested sections take only free ones). */
    private final boolean[] held = new boolean[2];
    /** Whether the thread being written is inside an RCU read-side section or has interrupts off. */
    private boolean inReader;
    private boolean irqsOff;

    /** Whether the model may loop: a spinning thread, loops over ghost state. */
    private final boolean loops;
    /** Whether threads may spin-wait: loops that only read until another CPU changes what they read. */
    private final boolean spins;

    private RandomModels(long seed, boolean loops, boolean spins) {
        this.r = new Random(seed);
        this.loops = loops;
        this.spins = spins;
    }

    /**
     * A random model; one in eight has a thread that spins on register-only
     * work forever, and some loop over ghost state until another CPU ends them.
     */
    public static String generate(long seed) {
        return new RandomModels(seed, true, false).model(seed);
    }

    /**
     * A random model without loops: each thread runs each of its statements at
     * most once. arm's window can hold such a thread whole, so no run of it
     * hits the window bound (a CPU spinning in a loop fills any window, and a
     * run that hits a bound proves nothing).
     */
    public static String generateLoopFree(long seed) {
        return new RandomModels(seed, false, false).model(seed);
    }

    /**
     * A random model whose only loops are spin-waits (a loop that only reads,
     * {@code while (READ_ONCE(x) == 0) { }} and the like, until another CPU
     * changes what it reads): arm runs each iteration in program order, so no
     * run of it hits the window bound either.
     */
    public static String generateWithSpinWaits(long seed) {
        return new RandomModels(seed, false, true).model(seed);
    }

    private String model(long seed) {
        m.append("// random model, seed ").append(seed).append('\n');
        m.append("shared int x = 0;\nshared int y = 0;\nshared int z = ").append(r.nextInt(3)).append(";\n");
        m.append("shared int arr[2];\n");
        int threads = r.nextInt(10) < 7 ? 2 : 3;
        // one two-CPU model in three lets the MMU fill the TLB by itself (with three CPUs, the fills of
        // words that atomics keep changing take arm past the oracles' state limit)
        boolean prefetches = threads == 2 && r.nextInt(3) == 0;
        m.append("ghost int g = 0;\nspinlock a;\nspinlock b;\nghost tlb tlb[2] ")
                .append(prefetches ? "prefetches" : "walks").append(" {x, y};\nghost page pg[2];\n"
                + "shared wait_queue_head wq;\n");
        if (r.nextInt(8) == 0 && loops) {
            // a thread that spins on local work forever: the state graph has cycles of its steps alone,
            // which a reduction without its cycle proviso would follow while never running the others
            m.append("thread spin {\n    int s = 0;\n    while (true) {\n        s = 1 - s;\n    }\n}\n");
        }
        for (int t = 0; t < threads; t++) {
            // r1 starts at a constant, sometimes a constant ?: (no step either)
            String r1 = switch (r.nextInt(4)) {
                case 0 -> "1 > 0 ? 1 : 2";
                case 1 -> "1 < 0 ? 2 : 0";
                default -> Integer.toString(r.nextInt(2));
            };
            m.append("thread t").append(t).append(" {\n    int r0 = 0;\n    int r1 = ").append(r1)
                    .append(";\n    bool ok = false;\n");
            held[0] = held[1] = false;
            inReader = irqsOff = false;
            body(2 + r.nextInt(3), 1);
            m.append("}\n");
        }
        m.append("invariant inv: ").append(invariant()).append(";\n");
        if (r.nextBoolean()) {
            m.append("exists (t0.r0 == ").append(r.nextInt(3)).append(" && t1.r1 == ").append(r.nextInt(3))
                    .append(r.nextBoolean() ? "" : " && g == " + r.nextInt(3)).append(");\n");
        } else if (r.nextInt(3) == 0) {
            m.append("forall (no_unreliable_pin() || ").append(var()).append(" != ").append(r.nextInt(3))
                    .append(");\n");
        } else {
            m.append("forall (").append(var()).append(" != ").append(r.nextInt(4)).append(" || ")
                    .append(ghostCondition()).append(");\n");
        }
        return m.toString();
    }

    private String invariant() {
        return switch (r.nextInt(7)) {
            // another CPU's registers, which sc shows at every step that sets them
            case 5 -> "t0.r0 != " + r.nextInt(3) + " || " + var() + " != " + r.nextInt(3);
            case 6 -> "t1.r1 != " + r.nextInt(3) + " || t0.r1 != " + r.nextInt(3);
            case 0 -> var() + " != " + (2 + r.nextInt(3)) + " || g != " + r.nextInt(3);
            case 1 -> (r.nextBoolean() ? "no_stale_tlb()" : "no_stale_write()") + " || g != " + r.nextInt(3);
            case 2 -> "no_freed_access() || " + var() + " == " + r.nextInt(3);
            case 3 -> "page_count(&pg[" + r.nextInt(2) + "]) != " + r.nextInt(3) + " || t0.r0 != " + r.nextInt(3);
            default -> "!(tlb[" + r.nextInt(2) + "][" + r.nextInt(2) + "] != 0 && g == " + r.nextInt(3) + ")";
        };
    }

    private String var() {
        return VARS[r.nextInt(3)];
    }

    private String reg() {
        return REGS[r.nextInt(2)];
    }

    private String page() {
        return "&pg[" + r.nextInt(2) + "]";
    }

    /** A condition over ghost state: a ghost variable, a TLB entry, or a page query. */
    private String ghostCondition() {
        return switch (r.nextInt(7)) {
            case 0, 1 -> "g == " + r.nextInt(3);
            case 2 -> "tlb[" + r.nextInt(2) + "][" + r.nextInt(2) + "] != 0";
            case 6 -> r.nextBoolean() ? "page_data(" + page() + ") == " + r.nextInt(3)
                    : "pte_write(tlb[" + r.nextInt(2) + "][" + r.nextInt(2) + "])";
            case 3 -> "PageAnonExclusive(" + page() + ")";
            case 4 -> "page_count(" + page() + ") > 1";
            default -> r.nextBoolean() ? "!PageFreed(" + page() + ")" : "page_maybe_dma_pinned(" + page() + ")";
        };
    }

    private void line(int depth, String text) {
        m.append("    ".repeat(depth)).append(text).append('\n');
    }

    private void body(int statements, int depth) {
        for (int i = 0; i < statements; i++) {
            statement(depth);
        }
    }

    /** A nested body, or a barrier where nesting would go too deep. */
    private void nested(int depth) {
        if (depth > 2) {
            line(depth, "smp_wmb();");
        } else {
            body(1 + r.nextInt(2), depth + 1);
        }
    }

    private void statement(int depth) {
        String v = var();
        String reg = reg();
        switch (r.nextInt(31)) {
            case 0, 1 -> line(depth, reg + " = READ_ONCE(" + v + ");");
            case 2 -> line(depth, "WRITE_ONCE(" + v + ", " + r.nextInt(3) + ");");
            case 3 -> line(depth, "WRITE_ONCE(" + v + ", " + reg + " + 1);");
            case 4 -> line(depth, r.nextBoolean() ? reg + " = (" + reg() + " + 1) % 3;" : reg + " = " + reg() + ";");
            case 5 -> line(depth, switch (r.nextInt(4)) {
                case 0 -> "g = " + r.nextInt(3) + ";";
                case 1 -> "g = g + 1;";
                case 2 -> "g = " + reg + ";";
                default -> reg + " = g;";
            });
            case 6 -> line(depth, r.nextBoolean() ? "WRITE_ONCE(" + v + ", g);" : "skip;");
            case 7 -> lockSection(depth);
            case 8 -> line(depth, "await (" + v + " != " + (1 + r.nextInt(3)) + ");");
            case 9 -> line(depth, "atomic { " + v + " = " + v + " + 1; g = g + 1; }");
            case 10 -> {
                line(depth, "if (" + reg + " == " + r.nextInt(2) + ") {");
                nested(depth);
                line(depth, "}");
            }
            case 11 -> {
                line(depth, "if (" + ghostCondition() + ") {");
                nested(depth);
                if (r.nextBoolean()) {
                    line(depth, "} else {");
                    nested(depth);
                }
                line(depth, "}");
            }
            case 12 -> line(depth, switch (r.nextInt(4)) {
                case 0 -> "r1 = xchg(&" + v + ", " + r.nextInt(3) + ");";
                case 1 -> reg + " = cmpxchg(&" + v + ", " + r.nextInt(2) + ", " + (1 + r.nextInt(2)) + ");";
                case 2 -> reg + " = atomic_fetch_add(1, &" + v + ");";
                default -> "atomic_inc(&" + v + ");";
            });
            case 13, 14, 15 -> kernel(depth);
            case 16 -> line(depth, switch (r.nextInt(3)) {
                case 0 -> "smp_mb();";
                case 1 -> "smp_rmb();";
                default -> "smp_wmb();";
            });
            case 17 -> line(depth, "assert (" + reg + " != 2 || g != " + r.nextInt(3) + ", \"r and g\");");
            case 18 -> {
                line(depth, "either {");
                nested(depth);
                line(depth, "} or {");
                line(depth + 1, "g = " + r.nextInt(3) + ";");
                line(depth, "}");
            }
            case 19 -> line(depth, reg + " = choose(0, 2);");
            case 20 -> line(depth, "assume (" + reg + " != " + (1 + r.nextInt(2)) + " || g != 0);");
            case 21 -> {
                // a loop over ghost state that another CPU (or its own body) ends; rarer than an if, as
                // such a loop may wait long for another CPU
                int k = r.nextInt(2);
                if (r.nextInt(3) == 0 && loops) {
                    line(depth, "while (g == " + k + ") {");
                    line(depth + 1, r.nextBoolean() ? "g = " + (k + 1) + ";" : "skip;");
                } else {
                    line(depth, "if (g == " + k + ") {");
                    line(depth + 1, "g = " + (k + 1) + ";");
                    line(depth, "} else {");
                    line(depth + 1, "skip;");
                }
                line(depth, "}");
            }
            case 22 -> {
                line(depth, "if (" + reg + " != " + r.nextInt(3) + " && " + ghostCondition() + ") {");
                nested(depth);
                line(depth, "}");
            }
            case 24 -> line(depth, switch (r.nextInt(3)) {
                // arguments loaded left to right, the location's index among them
                case 0 -> reg + " = cmpxchg(&" + v + ", READ_ONCE(" + var() + "), READ_ONCE(" + var() + ") + 1);";
                case 1 -> "atomic_add(READ_ONCE(" + var() + "), &arr[READ_ONCE(" + var() + ") % 2]);";
                default -> "ok = atomic_add_unless(&" + v + ", READ_ONCE(" + var() + "), READ_ONCE(" + var() + "));";
            });
            case 25 -> line(depth, switch (r.nextInt(4)) {
                // ghost reads inside accesses: steps of their own
                case 0 -> "WRITE_ONCE(arr[g % 2], " + reg + ");";
                case 1 -> reg + " = READ_ONCE(arr[g % 2]);";
                case 2 -> "atomic_add(g, &" + v + ");";
                default -> reg + " = xchg(&" + v + ", g + " + reg() + ");";
            });
            // faults when the register holds 2 (a division by zero), and otherwise never waits
            case 26 -> line(depth, "await (READ_ONCE(" + v + ") / (" + reg + " - 2) != 9);");
            case 27 -> {
                if (spins) {
                    spinWait(depth, v, reg);
                } else {
                    line(depth, "WRITE_ONCE(" + v + ", " + r.nextInt(3) + ");");
                }
            }
            case 28 -> bitop(depth);
            case 29, 30 -> secondKit(depth);
            default -> line(depth, "g = g + " + reg + ";");
        }
    }

    /** A bitop on bit 0 or 1 of a shared word: atomic, value-returning, non-atomic, or test_bit. */
    private void bitop(int depth) {
        String v = var();
        int nr = r.nextInt(2);
        line(depth, switch (r.nextInt(8)) {
            case 0 -> (r.nextBoolean() ? "set_bit(" : "clear_bit(") + nr + ", &" + v + ");";
            case 1 -> (r.nextBoolean() ? "change_bit(" : "clear_bit_unlock(") + nr + ", &" + v + ");";
            case 2 -> "ok = " + (r.nextBoolean() ? "test_and_set_bit(" : r.nextBoolean() ? "test_and_clear_bit("
                    : "test_and_change_bit(") + nr + ", &" + v + ");";
            case 3 -> "ok = test_and_set_bit_lock(" + nr + ", &" + v + ");";
            case 4 -> (r.nextBoolean() ? "__set_bit(" : r.nextBoolean() ? "__clear_bit_unlock(" : r.nextBoolean()
                    ? "__clear_bit(" : "__change_bit(") + nr + ", &" + v + ");";
            case 5 -> "ok = clear_bit_unlock_is_negative_byte(" + nr + ", &" + v + ");";
            case 6 -> "ok = test_bit(" + nr + ", &" + v + ");";
            default -> "if (test_bit_acquire(" + nr + ", &" + v + ")) { g = " + r.nextInt(3) + "; }";
        });
    }

    /**
     * The kit's second round: sequence counts (on z), wait queues, the user
     * program's accesses through the TLB (which walks x and y), the deferred
     * flush, page contents and smp_processor_id().
     */
    private void secondKit(int depth) {
        String reg = reg();
        int addr = r.nextInt(2);
        switch (r.nextInt(10)) {
            case 0 -> line(depth, r.nextBoolean() ? "write_seqcount_begin(&z);" : "write_seqcount_end(&z);");
            case 1 -> {
                line(depth, reg + " = read_seqcount_begin(&z);");
                line(depth, "ok = " + (r.nextBoolean() ? "read_seqcount_retry" : "__read_seqcount_retry") + "(&z, "
                        + reg + ");");
            }
            case 2 -> line(depth, reg + " = raw_read_seqcount(&z);");
            case 3 -> line(depth, switch (r.nextInt(4)) {
                case 0 -> "prepare_to_wait(&wq);";
                case 1 -> "finish_wait(&wq);";
                case 2 -> "schedule();";
                default -> "wait_event(wq, READ_ONCE(" + var() + ") != 0);";
            });
            case 4 -> line(depth, r.nextBoolean() ? "wake_up(&wq);" : "if (waitqueue_active(&wq)) { wake_up(&wq); }");
            case 5 -> line(depth, "ok = " + (r.nextBoolean() ? "user_read(" : "user_write(") + addr + ");");
            case 6 -> line(depth, "user_write(" + addr + ", " + (1 + r.nextInt(2)) + ");");
            case 7 -> line(depth, switch (r.nextInt(5)) {
                case 0 -> "tlb_gather_mmu();";
                case 1 -> "tlb_remove_page(" + page() + ");";
                case 2 -> r.nextBoolean() ? "inc_tlb_flush_pending();" : "dec_tlb_flush_pending();";
                case 3 -> "WRITE_ONCE(" + (addr == 0 ? "x" : "y") + ", " + pte() + ");";
                default -> "tlb_finish_mmu();";
            });
            case 8 -> line(depth, r.nextBoolean() ? "copy_highpage(&pg[0], &pg[1]);"
                    : "if (mm_tlb_flush_pending()) { g = 1; }");
            default -> line(depth, r.nextBoolean() ? "tlb_fill(" + addr + ");" : reg + " = smp_processor_id();");
        }
    }

    /** A PTE word for a walked address: a page with or without write permission, write-protected, or none. */
    private String pte() {
        String page = "mk_pte(&pg[" + r.nextInt(2) + "])";
        return switch (r.nextInt(4)) {
            case 0 -> "pte_mkwrite(" + page + ")";
            case 1 -> page;
            case 2 -> "pte_wrprotect(READ_ONCE(" + var() + "))";
            default -> "pte_mkwrite(pte_mkdirty(" + page + "))";
        };
    }

    /** A loop that only reads until another CPU changes what it reads, sometimes ordered after by smp_rmb(). */
    private void spinWait(int depth, String v, String reg) {
        int k = r.nextInt(2);
        switch (r.nextInt(4)) {
            case 0 -> line(depth, "while (READ_ONCE(" + v + ") == " + k + ") { }");
            case 1 -> line(depth, "while (READ_ONCE(" + v + ") != " + (k + 1) + ") { barrier(); }");
            case 2 -> {
                line(depth, "while (true) {");
                line(depth + 1, reg + " = READ_ONCE(" + v + ");");
                line(depth + 1, "if (" + reg + " != " + k + ") {");
                line(depth + 2, "break;");
                line(depth + 1, "}");
                line(depth, "}");
            }
            default -> line(depth, "while (g == " + k + ") { }");
        }
        if (r.nextBoolean()) {
            line(depth, "smp_rmb();");
        }
    }

    private void lockSection(int depth) {
        int l = r.nextInt(2);
        if (held[l] || depth > 2) {
            line(depth, "smp_mb();");
            return;
        }
        String lock = l == 0 ? "a" : "b";
        held[l] = true;
        if (r.nextInt(4) == 0) {
            // a trylock that may fail: only the success path holds the lock
            line(depth, "ok = spin_trylock(&" + lock + ");");
            line(depth, "if (ok) {");
            nested(depth);
            line(depth + 1, "spin_unlock(&" + lock + ");");
            line(depth, "}");
        } else {
            line(depth, "spin_lock(&" + lock + ");");
            body(1 + r.nextInt(2), depth);
            line(depth, "spin_unlock(&" + lock + ");");
        }
        held[l] = false;
    }

    /** One kernel-kit primitive; read-side sections and irq-off sections enclose a small body. */
    private void kernel(int depth) {
        int addr = r.nextInt(2);
        String page = page();
        switch (r.nextInt(12)) {
            case 0 -> line(depth, "tlb_fill(" + var() + ", " + addr + ");");
            case 1 -> line(depth, r.nextBoolean() ? "flush_tlb_page(" + addr + ");" : "flush_tlb_mm();");
            case 2 -> line(depth, switch (r.nextInt(3)) {
                case 0 -> "flush_tlb_ipi(" + addr + ");";
                case 1 -> "flush_tlb_broadcast(" + addr + ");";
                default -> "local_flush_tlb_page(" + addr + ");";
            });
            case 3 -> line(depth, "flush_tlb_range(0, " + addr + ");");
            case 4, 5 -> {
                boolean rcu = r.nextBoolean();
                if (rcu ? inReader : irqsOff) {
                    line(depth, "smp_mb();");
                    return;
                }
                line(depth, rcu ? "rcu_read_lock();" : "local_irq_disable();");
                if (rcu) {
                    inReader = true;
                } else {
                    irqsOff = true;
                }
                nested(depth);
                if (rcu) {
                    inReader = false;
                } else {
                    irqsOff = false;
                }
                line(depth, rcu ? "rcu_read_unlock();" : "local_irq_enable();");
            }
            case 6 -> line(depth, inReader ? "smp_mb();" : "synchronize_rcu();");
            case 7 -> line(depth, "get_page(" + page + ");");
            case 8 -> line(depth, "put_page(" + page + ");");
            case 9 -> line(depth, r.nextBoolean() ? "pin_user_page(" + page + ");" : "unpin_user_page(" + page + ");");
            case 10 -> line(depth, "SetPageAnonExclusive(" + page + ");");
            default -> line(depth, "ClearPageAnonExclusive(" + page + ");");
        }
    }
}
