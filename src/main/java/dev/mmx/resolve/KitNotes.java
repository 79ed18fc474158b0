package dev.mmx.resolve;

import dev.mmx.lang.Stmt;

/** What each kernel-kit primitive's step did, in words, for traces (the arguments as written). */
final class KitNotes {
    private KitNotes() {}

    private static final String BY_ARCH = " (x86: by IPI, once every other CPU has interrupts on; arm64: by a "
            + "broadcast TLBI)";

    /** What a primitive's step does, in words, for the trace (its arguments as written). */
    static String note(Stmt.CallStmt call) {
        String t = call.text().replaceFirst("^[^(]*=\\s*(?=[A-Za-z_]+\\()", "");
        String args = t.indexOf('(') >= 0 && t.lastIndexOf(')') > t.indexOf('(')
                ? t.substring(t.indexOf('(') + 1, t.lastIndexOf(')')).trim() : "";
        String first = args.contains(",") ? args.substring(0, args.lastIndexOf(',')).trim() : args;
        String last = args.contains(",") ? args.substring(args.lastIndexOf(',') + 1).trim() : args;
        return switch (call.call().function()) {
            case "tlb_fill" -> "the MMU walks to " + first + " for address " + last + " and caches what it finds";
            case "flush_tlb_page" -> "flushes " + args + " from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_range" -> "flushes " + first + ".." + last + " from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_mm" -> "flushes every address from the TLB of every CPU" + BY_ARCH;
            case "flush_tlb_ipi" -> "flushes " + args + " from the TLB of every CPU by IPI (every other CPU has "
                    + "interrupts on)";
            case "flush_tlb_broadcast" -> "flushes " + args + " from the TLB of every CPU by a broadcast TLBI "
                    + "(waits for no one)";
            case "local_flush_tlb_page" -> "flushes " + args + " from this CPU's TLB only";
            case "user_read" -> "the user program reads address " + args + " through this CPU's TLB";
            case "user_write" -> "the user program writes address " + first + " through this CPU's TLB"
                    + (args.contains(",") ? " (" + last + ")" : "");
            case "copy_highpage" -> "copies the contents of " + last + " into " + first;
            case "tlb_remove_page" -> "queues " + args + " to be freed after the TLB flush (tlb_finish_mmu)";
            case "tlb_finish_mmu" -> "flushes every address from the TLB of every CPU" + BY_ARCH + " and frees "
                    + "the pages this CPU gathered";
            case "local_irq_disable" -> "interrupts off on this CPU";
            case "local_irq_enable" -> "interrupts on on this CPU";
            case "rcu_read_lock" -> "enters an RCU read-side critical section";
            case "rcu_read_unlock" -> "leaves an RCU read-side critical section";
            case "synchronize_rcu" -> "a grace period starts: it waits for the readers now inside";
            case "get_page" -> "takes a reference on " + args;
            case "put_page" -> "drops a reference on " + args + " (the last one frees it)";
            case "pin_user_page" -> "pins " + args + " (a pin and a reference)";
            case "unpin_user_page" -> "drops the pin on " + args + " and its reference";
            case "SetPageAnonExclusive" -> "marks " + args + " exclusive to one process";
            case "ClearPageAnonExclusive" -> "marks " + args + " possibly shared";
            default -> throw new IllegalStateException("no words for " + call.call().function());
        };
    }
}
