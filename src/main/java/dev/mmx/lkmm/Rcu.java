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
        // let rec rcu-order = ... : the least fixpoint, from the terms without rcu-order up
        Rel order = new Rel(b.n);
        while (true) {
            Rel next = Rel.union(
                    rcuGp,
                    srcuGp,
                    Rel.seq(rcuGp, link, rcuRscsi),
                    Rel.seq(srcuGp, link, srcuRscsi).inter(loc),
                    Rel.seq(rcuRscsi, link, rcuGp),
                    Rel.seq(srcuRscsi, link, srcuGp).inter(loc),
                    Rel.seq(rcuGp, link, order, link, rcuRscsi),
                    Rel.seq(srcuGp, link, order, link, srcuRscsi).inter(loc),
                    Rel.seq(rcuRscsi, link, order, link, rcuGp),
                    Rel.seq(srcuRscsi, link, order, link, srcuGp).inter(loc),
                    Rel.seq(order, link, order));
            if (next.equals(order)) {
                break;
            }
            order = next;
        }
        // let rcu-fence = po ; rcu-order ; po?
        return po.seq(order).seq(po.optional());
    }
}
