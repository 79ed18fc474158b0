package dev.mmx.lkmm;

import java.util.TreeSet;

/**
 * linux-kernel.cat, the Linux-kernel memory model's axioms, on one candidate
 * execution: coherence, atomicity, happens-before, propagation, RCU, plain
 * coherence, and the flags herd7 reports (data-race, ...). Each relation is
 * the cat definition of the same name; the comments quote it.
 */
final class KernelCat {
    private KernelCat() {}

    /** The flags a consistent execution raises (possibly none), or null when an axiom rejects it. */
    static TreeSet<String> check(Execution x) {
        Bell b = new Bell(x);
        TreeSet<String> flags = new TreeSet<>();
        bellFlags(b, flags);

        // (* Sequential Consistency Per Variable *) acyclic po-loc | com as coherence
        Rel com = Rel.union(b.rf, b.co, b.fr);
        if (!b.poLoc.union(com).acyclic()) {
            return null;
        }
        // (* Atomic Read-Modify-Write *) empty rmw & (fre ; coe) as atomic
        if (!b.rmw.inter(b.fre.seq(b.coe)).isEmpty()) {
            return null;
        }

        long[] mSet = b.m;
        Rel po = b.po;
        // let acq-po = [Acquire] ; po ; [M]   let po-rel = [M] ; po ; [Release]
        Rel acqPo = po.restrict(b.acquire, mSet);
        Rel poRel = po.restrict(mSet, b.release);
        // let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po
        Rel poUnlockLockPo = po.to(b.ul).seq(po.union(b.rf)).to(b.lkr).seq(po);

        // let R4rmb = R \ Noreturn   let rmb = [R4rmb] ; fencerel(Rmb) ; [R4rmb]
        long[] r4rmb = Rel.minus(b.r, b.noreturn);
        Rel rmb = b.fencerel(b.fence(Tag.F_RMB)).restrict(r4rmb, r4rmb);
        // let wmb = [W] ; fencerel(Wmb) ; [W]
        Rel wmb = b.fencerel(b.fence(Tag.F_WMB)).restrict(b.w, b.w);
        Rel mb = mb(b, poUnlockLockPo);
        // let gp = po ; [Sync-rcu | Sync-srcu] ; po?
        Rel gp = po.to(Rel.union(b.fence(Tag.F_SYNC_RCU), b.syncSrcu)).seq(po.optional());
        Rel strongFence = mb.union(gp);
        Rel nonrwFence = Rel.union(strongFence, poRel, acqPo);
        Rel fence = Rel.union(nonrwFence, wmb, rmb);

        // let dep = addr | data   let rwdep = (dep | ctrl) ; [W]   let overwrite = co | fr
        Rel dep = b.addr.union(b.data);
        Rel rwdep = dep.union(b.ctrl).to(b.w);
        Rel overwrite = b.co.union(b.fr);
        // let to-w = rwdep | (overwrite & int) | (addr ; [Plain] ; wmb)
        Rel toW = Rel.union(rwdep, overwrite.inter(b.internal), b.addr.to(b.plain).seq(wmb));
        // let to-r = (addr ; [R]) | (dep ; [Marked] ; rfi)
        Rel toR = b.addr.to(b.r).union(dep.to(b.marked).seq(b.rfi));
        // let ppo = to-r | to-w | (fence & int) | (po-unlock-lock-po & int)
        Rel ppo = Rel.union(toR, toW, fence.inter(b.internal), poUnlockLockPo.inter(b.internal));

        // let A-cumul(r) = (rfe ; [Marked])? ; r   let rmw-sequence = (rf ; rmw)*
        Rel aCumul = b.rfe.to(b.marked).optional().seq(strongFence.union(poRel));
        Rel rmwSequence = b.rf.seq(b.rmw).star();
        // let cumul-fence = [Marked] ; (A-cumul(strong-fence | po-rel) | wmb | po-unlock-lock-po) ;
        //     [Marked] ; rmw-sequence
        Rel cumulFence = Rel.union(aCumul, wmb, poUnlockLockPo).restrict(b.marked, b.marked).seq(rmwSequence);
        // let prop = [Marked] ; (overwrite & ext)? ; cumul-fence* ; [Marked] ; rfe? ; [Marked]
        Rel prop = overwrite.inter(b.external).optional().from(b.marked).seq(cumulFence.star()).to(b.marked)
                .seq(b.rfe.optional()).to(b.marked);
        // let hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked]
        Rel hb = Rel.union(ppo, b.rfe, prop.minusId().inter(b.internal)).restrict(b.marked, b.marked);
        // acyclic hb as happens-before
        if (!hb.acyclic()) {
            return null;
        }
        Rel hbStar = hb.star();
        // let pb = prop ; strong-fence ; hb* ; [Marked]   acyclic pb as propagation
        Rel pb = prop.seq(strongFence).seq(hbStar).to(b.marked);
        if (!pb.acyclic()) {
            return null;
        }
        Rel pbStar = pb.star();

        Rel rcuFence = Rcu.fence(b, hbStar, pbStar, prop);
        Rel rb = new Rel(b.n);
        if (!rcuFence.isEmpty()) {
            // let rb = prop ; rcu-fence ; hb* ; pb* ; [Marked]   irreflexive rb as rcu
            rb = prop.seq(rcuFence).seq(hbStar).seq(pbStar).to(b.marked);
            if (!rb.irreflexive()) {
                return null;
            }
        }
        // let fence = fence | rcu-fence   let strong-fence = strong-fence | rcu-fence
        Rel fence2 = fence.union(rcuFence);
        Rel strongFence2 = strongFence.union(rcuFence);

        if (!Rel.isEmpty(b.plain)) {
            Plain plain = new Plain(b, hb, pb, rb, fence2, strongFence2, nonrwFence, cumulFence, r4rmb, rmwSequence);
            if (!plain.coherent()) {
                return null;
            }
            if (plain.mixedAccesses()) {
                flags.add("mixed-accesses");
            }
            if (plain.race()) {
                flags.add("data-race");
            }
        }
        return flags;
    }

    /** The mb relation: smp_mb() and the fully ordered operations and fences that act like it. */
    private static Rel mb(Bell b, Rel poUnlockLockPo) {
        Rel po = b.po;
        long[] m = b.m;
        Rel poOpt = po.optional();
        // ([M] ; fencerel(Mb) ; [M])
        Rel mb = b.fencerel(b.mb).restrict(m, m);
        // ([M] ; po ; [Mb & R]) | ([Mb & W] ; po ; [M])
        mb = mb.union(po.restrict(m, Rel.inter(b.mb, b.r)));
        mb = mb.union(po.restrict(Rel.inter(b.mb, b.w), m));
        // ([M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M])
        mb = mb.union(b.fencerel(b.fence(Tag.F_BEFORE_ATOMIC)).from(m).to(b.rmwSet).seq(poOpt).to(m));
        // ([M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M])
        mb = mb.union(poOpt.restrict(m, b.rmwSet).seq(b.fencerel(b.fence(Tag.F_AFTER_ATOMIC))).to(m));
        // ([M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M])
        mb = mb.union(poOpt.restrict(m, b.lkw).seq(b.fencerel(b.fence(Tag.F_AFTER_SPINLOCK))).to(m));
        // ([M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M])
        mb = mb.union(poUnlockLockPo.from(m).to(b.fence(Tag.F_AFTER_UNLOCK_LOCK)).seq(po).to(m));
        // ([M] ; po? ; [Srcu-unlock] ; fencerel(After-srcu-read-unlock) ; [M])
        mb = mb.union(poOpt.restrict(m, b.srcuUnlock).seq(b.fencerel(b.fence(Tag.F_AFTER_SRCU_READ_UNLOCK)))
                .to(m));
        return mb;
    }

    /** The flags linux-kernel.bell and lock.cat raise, whatever the axioms say. */
    private static void bellFlags(Bell b, TreeSet<String> flags) {
        Events ev = b.ev;
        long[] rcuLock = ev.tagged(Tag.F_RCU_LOCK);
        long[] rcuUnlock = ev.tagged(Tag.F_RCU_UNLOCK);
        // flag ~empty Rcu-lock \ domain(rcu-rscs) as unmatched-rcu-lock (and unlock)
        if (!Rel.isEmpty(Rel.minus(rcuLock, b.rcuRscs.domain()))) {
            flags.add("unmatched-rcu-lock");
        }
        if (!Rel.isEmpty(Rel.minus(rcuUnlock, b.rcuRscs.range()))) {
            flags.add("unmatched-rcu-unlock");
        }
        if (!Rel.isEmpty(Rel.minus(b.srcuLock, b.srcuRscs.domain()))) {
            flags.add("unmatched-srcu-lock");
        }
        if (!Rel.isEmpty(Rel.minus(b.srcuUnlock, b.srcuRscs.range()))) {
            flags.add("unmatched-srcu-unlock");
        }
        // flag ~empty (srcu-rscs^-1 ; srcu-rscs) \ id as multiple-srcu-matches
        if (!b.srcuRscs.inverse().seq(b.srcuRscs).minusId().isEmpty()) {
            flags.add("multiple-srcu-matches");
        }
        // flag ~empty rcu-rscs & (po ; [Sync-srcu] ; po) as invalid-sleep
        if (!b.rcuRscs.inter(b.po.to(b.syncSrcu).seq(b.po)).isEmpty()) {
            flags.add("invalid-sleep");
        }
        // flag ~empty different-values(srcu-rscs) as srcu-bad-value-match
        for (int a = 0; a < b.n; a++) {
            for (int c = 0; c < b.n; c++) {
                if (b.srcuRscs.has(a, c) && b.x.value()[a] != b.x.value()[c]) {
                    flags.add("srcu-bad-value-match");
                }
            }
        }
        // lock.cat: flag ~empty [M \ IW \ ALL-LOCKS] ; loc ; [ALL-LOCKS] as mixed-lock-accesses
        long[] mem = ev.ofKind(EventKind.READ, EventKind.WRITE);
        if (!b.loc.restrict(Rel.minus(mem, b.allLocks), b.allLocks).isEmpty()) {
            flags.add("mixed-lock-accesses");
        }
        // lock.cat: flag ~empty UL \ range(critical) as unmatched-unlock
        for (int e = 0; e < b.n; e++) {
            if (ev.kind[e] == EventKind.UNLOCK && !unlockCloses(b, e)) {
                flags.add("unmatched-unlock");
            }
        }
    }

    /** Whether an unlock closes a critical section: some LKW before it in its thread, with no LKW or UL between. */
    private static boolean unlockCloses(Bell b, int ul) {
        Events ev = b.ev;
        int[] loc = b.x.loc();
        for (int f = ul - 1; f >= 0 && ev.thread[f] == ev.thread[ul]; f--) {
            if (loc[f] == loc[ul] && (ev.kind[f] == EventKind.LOCK_WRITE || ev.kind[f] == EventKind.UNLOCK)) {
                return ev.kind[f] == EventKind.LOCK_WRITE;
            }
        }
        return false;
    }
}
