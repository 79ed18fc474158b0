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
        Bell.Statics st = b.st;

        // (* Sequential Consistency Per Variable *) let com = rf | co | fr; acyclic po-loc | com as coherence
        if (!Rel.union(st.poLoc, b.rf, b.co, b.fr).acyclic()) {
            return null;
        }
        // (* Atomic Read-Modify-Write *) empty rmw & (fre ; coe) as atomic
        if (!b.rmw.inter(b.fre.seq(b.coe)).isEmpty()) {
            return null;
        }

        Rel po = st.po;
        // let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po
        Rel poUnlockLockPo = Rel.isEmpty(st.ul) ? new Rel(b.n)
                : po.to(st.ul).seq(po.union(b.rf)).to(st.lkr).seq(po);
        // mb's last terms: ([M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M])
        Rel mb = st.mbStatic.union(poUnlockLockPo.from(st.m).to(b.ev.tagged(Tag.F_AFTER_UNLOCK_LOCK)).seq(po)
                .to(st.m));
        Rel strongFence = mb.union(st.gp);
        // let nonrw-fence = strong-fence | po-rel | acq-po   let fence = nonrw-fence | wmb | rmb
        Rel nonrwFence = Rel.union(strongFence, st.poRel, st.acqPo);
        Rel fence = Rel.union(nonrwFence, st.wmb, st.rmb);

        Rel[] deps = b.dependencies();
        Rel addr = deps[0];
        Rel data = deps[1];
        Rel ctrl = deps[2];
        // let dep = addr | data   let rwdep = (dep | ctrl) ; [W]   let overwrite = co | fr
        Rel dep = addr.union(data);
        Rel rwdep = dep.union(ctrl).to(st.w);
        Rel overwrite = b.co.union(b.fr);
        // let to-w = rwdep | (overwrite & int) | (addr ; [Plain] ; wmb)
        Rel toW = Rel.union(rwdep, overwrite.inter(st.internal), addr.to(st.plain).seq(st.wmb));
        // let to-r = (addr ; [R]) | (dep ; [Marked] ; rfi)
        Rel toR = addr.to(st.r).union(dep.to(st.marked).seq(b.rfi));
        // let ppo = to-r | to-w | (fence & int) | (po-unlock-lock-po & int)
        Rel ppo = Rel.union(toR, toW, fence.inter(st.internal), poUnlockLockPo.inter(st.internal));

        // let A-cumul(r) = (rfe ; [Marked])? ; r   let rmw-sequence = (rf ; rmw)*
        Rel aCumul = b.rfe.to(st.marked).optional().seq(strongFence.union(st.poRel));
        Rel rmwSequence = b.rf.seq(b.rmw).star();
        // let cumul-fence = [Marked] ; (A-cumul(strong-fence | po-rel) | wmb | po-unlock-lock-po) ;
        //     [Marked] ; rmw-sequence
        Rel cumulFence = Rel.union(aCumul, st.wmb, poUnlockLockPo).restrict(st.marked, st.marked).seq(rmwSequence);
        // let prop = [Marked] ; (overwrite & ext)? ; cumul-fence* ; [Marked] ; rfe? ; [Marked]
        Rel prop = overwrite.inter(st.external).optional().from(st.marked).seq(cumulFence.star()).to(st.marked)
                .seq(b.rfe.optional()).to(st.marked);
        // let hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked]
        Rel hb = Rel.union(ppo, b.rfe, prop.minusId().inter(st.internal)).restrict(st.marked, st.marked);
        // acyclic hb as happens-before
        if (!hb.acyclic()) {
            return null;
        }
        Rel hbStar = hb.star();
        // let pb = prop ; strong-fence ; hb* ; [Marked]   acyclic pb as propagation
        Rel pb = prop.seq(strongFence).seq(hbStar).to(st.marked);
        if (!pb.acyclic()) {
            return null;
        }

        Rel rb = new Rel(b.n);
        Rel rcuFence = Rcu.fence(b, hbStar, pb, prop);
        if (!rcuFence.isEmpty()) {
            // let rb = prop ; rcu-fence ; hb* ; pb* ; [Marked]   irreflexive rb as rcu
            rb = Rel.seq(prop, rcuFence, hbStar, pb.star()).to(st.marked);
            if (!rb.irreflexive()) {
                return null;
            }
        }

        TreeSet<String> flags = new TreeSet<>();
        if (!Rel.isEmpty(st.plain)) {
            // let fence = fence | rcu-fence   let strong-fence = strong-fence | rcu-fence
            Plain plain = new Plain(b, addr, hb, pb, rb, fence.union(rcuFence), strongFence.union(rcuFence),
                    nonrwFence, cumulFence, rmwSequence);
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
        Flags.bellAndLocks(b, flags);
        return flags;
    }
}
