package dev.mmx.lkmm;

/**
 * linux-kernel.cat's RCU section: grace periods (synchronize_rcu(),
 * synchronize_srcu()) against read-side critical sections, combined into
 * rcu-order and rcu-fence.
 */
final class Rcu {
    private Rcu() {}

    /** rcu-fence, empty when the execution has no grace period. */
    static Rel fence(Bell b, Rel hbStar, Rel pb, Rel prop) {
        Bell.Statics st = b.st;
        long[] syncRcu = b.ev.tagged(Tag.F_SYNC_RCU);
        if (Rel.isEmpty(syncRcu) && Rel.isEmpty(st.syncSrcu)) {
            return new Rel(b.n); // every rcu-order term starts from or ends in a grace period
        }
        Rel po = st.po;
        // let rcu-gp = [Sync-rcu]   let srcu-gp = [Sync-srcu]
        Rel rcuGp = Rel.id(b.n, syncRcu);
        Rel srcuGp = Rel.id(b.n, st.syncSrcu);
        // let rcu-rscsi = rcu-rscs^-1   let srcu-rscsi = srcu-rscs^-1
        Rel rcuRscsi = st.rcuRscs.inverse();
        Rel srcuRscsi = b.srcuSections().inverse();
        // let rcu-link = po? ; hb* ; pb* ; prop ; po
        Rel link = Rel.seq(po.optional(), hbStar, pb.star(), prop, po);
        Rel loc = st.loc;
        boolean srcu = !Rel.isEmpty(st.syncSrcu);
        // let rec rcu-order = ... : the least fixpoint, from the terms without rcu-order up; each term
        // gp ; rcu-link ; X ; rcu-link ; rscsi is computed as (gp ; rcu-link) ; X ; (rcu-link ; rscsi)
        Rel gpLink = rcuGp.seq(link);
        Rel rscsiLink = rcuRscsi.seq(link);
        Rel linkRscsi = link.seq(rcuRscsi);
        Rel linkGp = link.seq(rcuGp);
        Rel srcuGpLink = srcu ? srcuGp.seq(link) : null;
        Rel srcuRscsiLink = srcu ? srcuRscsi.seq(link) : null;
        Rel linkSrcuRscsi = srcu ? link.seq(srcuRscsi) : null;
        Rel linkSrcuGp = srcu ? link.seq(srcuGp) : null;
        Rel base = Rel.union(rcuGp, srcuGp, gpLink.seq(rcuRscsi), rscsiLink.seq(rcuGp));
        if (srcu) {
            base = Rel.union(base, srcuGpLink.seq(srcuRscsi).inter(loc), srcuRscsiLink.seq(srcuGp).inter(loc));
        }
        Rel order = base;
        while (true) {
            Rel next = Rel.union(base,
                    Rel.seq(gpLink, order, linkRscsi),
                    Rel.seq(rscsiLink, order, linkGp),
                    Rel.seq(order, link, order));
            if (srcu) {
                next = Rel.union(next, Rel.seq(srcuGpLink, order, linkSrcuRscsi).inter(loc),
                        Rel.seq(srcuRscsiLink, order, linkSrcuGp).inter(loc));
            }
            if (next.equals(order)) {
                break;
            }
            order = next;
        }
        // let rcu-fence = po ; rcu-order ; po?
        return po.seq(order).seq(po.optional());
    }
}
