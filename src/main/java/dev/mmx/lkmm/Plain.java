package dev.mmx.lkmm;

/**
 * linux-kernel.cat's "Plain accesses and data races" section: when a plain
 * (unmarked) access is visible to, or executes before, a conflicting access
 * of another thread; the plain-coherence axiom; and the data-race and
 * mixed-accesses flags.
 */
final class Plain {
    private final Bell b;
    private final Bell.Statics st;
    private final Rel fence;
    private final Rel strongFence;
    private final Rel nonrwFence;
    private final Rel cumulFence;
    private final Rel xbstar;
    private final Rel wwVis;
    private final Rel wrVis;
    private final Rel rwXbstar;
    private final Rel preRace;

    /** {@code fence} and {@code strongFence} include rcu-fence, as the cat has them by this section. */
    Plain(Bell b, Rel addr, Rel hb, Rel pb, Rel rb, Rel fence, Rel strongFence, Rel nonrwFence, Rel cumulFence,
          Rel rmwSequence) {
        this.b = b;
        this.st = b.st;
        this.fence = fence;
        this.strongFence = strongFence;
        this.nonrwFence = nonrwFence;
        this.cumulFence = cumulFence;
        long[] marked = st.marked;
        long[] r4rmb = st.r4rmb;
        long[] notNoreturn = Rel.minus(st.all, st.noreturn);
        // let xbstar = (hb | pb | rb)*
        xbstar = Rel.union(hb, pb, rb).star();
        // let vis = cumul-fence* ; rfe? ; [Marked] ;
        //     ((strong-fence ; [Marked] ; xbstar) | (xbstar & int))
        Rel vis = cumulFence.star().seq(b.rfe.optional()).to(marked)
                .seq(strongFence.to(marked).seq(xbstar).union(xbstar.inter(st.internal)));
        Rel rmbRel = st.fencerel(b.ev.tagged(Tag.F_RMB));
        // let w-pre-bounded = [Marked] ; (addr | fence)?
        Rel wPre = addr.union(fence).optional().from(marked);
        // let r-pre-bounded = [Marked] ; (addr | nonrw-fence | ([R4rmb] ; fencerel(Rmb) ; [~Noreturn]))?
        Rel rPre = Rel.union(addr, nonrwFence, rmbRel.restrict(r4rmb, notNoreturn)).optional().from(marked);
        // let w-post-bounded = fence? ; [Marked] ; rmw-sequence
        Rel wPost = fence.optional().to(marked).seq(rmwSequence);
        // let r-post-bounded = (nonrw-fence | ([~Noreturn] ; fencerel(Rmb) ; [R4rmb]))? ; [Marked]
        Rel rPost = nonrwFence.union(rmbRel.restrict(notNoreturn, r4rmb)).optional().to(marked);
        // let ww-vis = fence | (strong-fence ; xbstar ; w-pre-bounded) | (w-post-bounded ; vis ; w-pre-bounded)
        wwVis = Rel.union(fence, Rel.seq(strongFence, xbstar, wPre), Rel.seq(wPost, vis, wPre));
        // let wr-vis = fence | (strong-fence ; xbstar ; r-pre-bounded) | (w-post-bounded ; vis ; r-pre-bounded)
        wrVis = Rel.union(fence, Rel.seq(strongFence, xbstar, rPre), Rel.seq(wPost, vis, rPre));
        // let rw-xbstar = fence | (r-post-bounded ; xbstar ; w-pre-bounded)
        rwXbstar = fence.union(Rel.seq(rPost, xbstar, wPre));
        // let pre-race = ext & ((Plain * M) | ((M \ IW) * Plain))
        preRace = st.external.inter(Rel.product(b.n, st.plain, st.m)
                .union(Rel.product(b.n, Rel.minus(st.m, st.iw), st.plain)));
    }

    /** empty (wr-incoh | rw-incoh | ww-incoh) as plain-coherence. */
    boolean coherent() {
        // let wr-incoh = pre-race & rf & rw-xbstar^-1
        Rel wr = preRace.inter(b.rf).inter(rwXbstar.inverse());
        // let rw-incoh = pre-race & fr & wr-vis^-1
        Rel rw = preRace.inter(b.fr).inter(wrVis.inverse());
        // let ww-incoh = pre-race & co & ww-vis^-1
        Rel ww = preRace.inter(b.co).inter(wwVis.inverse());
        return Rel.union(wr, rw, ww).isEmpty();
    }

    /** flag ~empty (ww-race | wr-race | rw-race) as data-race. */
    boolean race() {
        long[] marked = st.marked;
        // let ww-nonrace = ww-vis & ((Marked * W) | rw-xbstar) & ((W * Marked) | wr-vis)
        Rel wwNonrace = wwVis.inter(Rel.product(b.n, marked, st.w).union(rwXbstar))
                .inter(Rel.product(b.n, st.w, marked).union(wrVis));
        // let ww-race = (pre-race & co) \ ww-nonrace
        Rel ww = preRace.inter(b.co).minus(wwNonrace);
        // let wr-race = (pre-race & (co? ; rf)) \ wr-vis \ rw-xbstar^-1
        Rel wr = preRace.inter(b.co.optional().seq(b.rf)).minus(wrVis).minus(rwXbstar.inverse());
        // let rw-race = (pre-race & fr) \ rw-xbstar
        Rel rw = preRace.inter(b.fr).minus(rwXbstar);
        return !Rel.union(ww, wr, rw).isEmpty();
    }

    /**
     * flag ~empty mixed-accesses: a plain write and a marked access to the
     * same location in one thread with no compiler barrier between them.
     */
    boolean mixedAccesses() {
        // let barrier = fencerel(Barrier | Rmb | Wmb | Mb | Sync-rcu | Sync-srcu | Before-atomic |
        //     After-atomic | Acquire | Release | Rcu-lock | Rcu-unlock | Srcu-lock | Srcu-unlock) |
        //     (po ; [Release]) | ([Acquire] ; po)
        long[] barriers = b.ev.tagged(Tag.F_BARRIER | Tag.F_RMB | Tag.F_WMB | Tag.F_SYNC_RCU | Tag.F_BEFORE_ATOMIC
                | Tag.F_AFTER_ATOMIC | Tag.F_RCU_LOCK | Tag.F_RCU_UNLOCK);
        barriers = Rel.union(barriers, Rel.union(Rel.union(st.mb, st.syncSrcu), Rel.union(st.acquire, st.release)));
        barriers = Rel.union(barriers, Rel.union(st.srcuLock, st.srcuUnlock));
        Rel barrier = Rel.union(st.fencerel(barriers), st.po.to(st.release), st.po.from(st.acquire));
        // let mixed-accesses = ([Plain & W] ; (po-loc \ barrier) ; [Marked]) |
        //     ([Marked] ; (po-loc \ barrier) ; [Plain & W])
        Rel poLoc = st.poLoc.minus(barrier);
        long[] plainW = Rel.inter(st.plain, st.w);
        return !poLoc.restrict(plainW, st.marked).union(poLoc.restrict(st.marked, plainW)).isEmpty();
    }
}
