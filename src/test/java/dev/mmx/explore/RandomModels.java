package dev.mmx.explore;

import java.util.Random;

/**
 * Small random models for differential tests: 2 or 3 threads of loads,
 * stores, local arithmetic, locks (properly nested), fences, awaits,
 * atomic blocks and branches over x, y, z, and the kernel kit's TLB, page,
 * interrupt and RCU primitives, with an invariant and a final condition. The same seed always gives the same model.
 */
final class RandomModels {
    private RandomModels() {}

    static String generate(long seed) {
        Random r = new Random(seed);
        StringBuilder m = new StringBuilder();
        m.append("// random model, seed ").append(seed).append('\n');
        m.append("shared int x = 0;\nshared int y = 0;\nshared int z = 0;\n");
        m.append("ghost int g = 0;\nspinlock a;\nspinlock b;\nghost tlb tlb[2];\nghost page pg[2];\n");
        int threads = 2 + r.nextInt(2);
        if (r.nextInt(4) == 0) {
            // a thread that spins on local work forever: the state graph has cycles of its steps alone,
            // which a reduction without its cycle proviso would follow while never running the others
            m.append("thread spin {\n    int s = 0;\n    while (true) {\n        s = 1 - s;\n    }\n}\n");
        }
        for (int t = 0; t < threads; t++) {
            m.append("thread t").append(t).append(" {\n    int r0 = 0;\n    int r1 = 0;\n");
            body(m, r, 2 + r.nextInt(5), 1, new boolean[2]);
            m.append("}\n");
        }
        String[] vars = {"x", "y", "z"};
        m.append("invariant inv: ").append(vars[r.nextInt(3)]).append(" != ").append(2 + r.nextInt(3))
                .append(" || g != ").append(r.nextInt(3)).append(r.nextBoolean() ? " || !no_stale_tlb()" : "")
                .append(";\n");
        if (r.nextBoolean()) {
            m.append("exists (t0.r0 == ").append(r.nextInt(3)).append(" && t1.r1 == ").append(r.nextInt(3))
                    .append(");\n");
        } else {
            m.append("forall (").append(vars[r.nextInt(3)]).append(" != ").append(r.nextInt(4)).append(");\n");
        }
        return m.toString();
    }

    private static void body(StringBuilder m, Random r, int statements, int depth, boolean[] held) {
        String pad = "    ".repeat(depth);
        String[] vars = {"x", "y", "z"};
        String[] regs = {"r0", "r1"};
        for (int i = 0; i < statements; i++) {
            String v = vars[r.nextInt(3)];
            String reg = regs[r.nextInt(2)];
            switch (r.nextInt(14)) {
                case 0, 1 -> m.append(pad).append(reg).append(" = READ_ONCE(").append(v).append(");\n");
                case 2, 3 -> m.append(pad).append("WRITE_ONCE(").append(v).append(", ").append(r.nextInt(3))
                        .append(");\n");
                case 4 -> m.append(pad).append("WRITE_ONCE(").append(v).append(", ").append(reg).append(" + 1);\n");
                case 5 -> m.append(pad).append(reg).append(" = ").append(reg).append(" + 1;\n");
                case 6 -> {
                    int l = r.nextInt(2);
                    if (held[l] || depth > 2) {
                        m.append(pad).append("smp_mb();\n");
                    } else {
                        String lock = l == 0 ? "a" : "b";
                        held[l] = true;
                        m.append(pad).append("spin_lock(&").append(lock).append(");\n");
                        body(m, r, 1 + r.nextInt(3), depth, held);
                        m.append(pad).append("spin_unlock(&").append(lock).append(");\n");
                        held[l] = false;
                    }
                }
                case 7 -> m.append(pad).append("await (").append(v).append(" != ").append(1 + r.nextInt(3))
                        .append(");\n");
                case 8 -> m.append(pad).append("atomic { ").append(v).append(" = ").append(v)
                        .append(" + 1; g = g + 1; }\n");
                case 9 -> {
                    if (depth > 2) {
                        m.append(pad).append("smp_wmb();\n");
                    } else {
                        m.append(pad).append("if (").append(reg).append(" == ").append(r.nextInt(2)).append(") {\n");
                        body(m, r, 1 + r.nextInt(2), depth + 1, held);
                        m.append(pad).append("}\n");
                    }
                }
                case 10 -> m.append(pad).append("r1 = xchg(&").append(v).append(", ").append(r.nextInt(3))
                        .append(");\n");
                case 11, 12 -> kernel(m, r, pad, v, depth, held);
                default -> m.append(pad).append("g = ").append(r.nextInt(3)).append(";\n");
            }
        }
    }

    /** One kernel-kit primitive; read-side sections and irq-off sections enclose a small body. */
    private static void kernel(StringBuilder m, Random r, String pad, String v, int depth, boolean[] held) {
        int addr = r.nextInt(2);
        String page = "&pg[" + r.nextInt(2) + "]";
        switch (r.nextInt(9)) {
            case 0 -> m.append(pad).append("tlb_fill(").append(v).append(", ").append(addr).append(");\n");
            case 1 -> m.append(pad).append("flush_tlb_page(").append(addr).append(");\n");
            case 2 -> m.append(pad).append("flush_tlb_ipi(").append(addr).append(");\n");
            case 3 -> m.append(pad).append("flush_tlb_range(0, ").append(addr).append(");\n");
            case 4, 5 -> {
                boolean rcu = r.nextBoolean();
                m.append(pad).append(rcu ? "rcu_read_lock();\n" : "local_irq_disable();\n");
                if (depth <= 2) {
                    body(m, r, 1 + r.nextInt(2), depth + 1, held);
                }
                m.append(pad).append(rcu ? "rcu_read_unlock();\n" : "local_irq_enable();\n");
            }
            case 6 -> m.append(pad).append("synchronize_rcu();\n");
            case 7 -> m.append(pad).append(r.nextBoolean() ? "get_page(" : "put_page(").append(page).append(");\n");
            default -> m.append(pad).append(r.nextBoolean() ? "SetPageAnonExclusive(" : "pin_user_page(")
                    .append(page).append(");\n");
        }
    }
}
