package dev.mmx.lkmm;

/**
 * The event classes and relations linux-kernel.bell and lock.cat define for
 * one candidate execution, before linux-kernel.cat's axioms: which events are
 * reads, writes, marked or plain accesses, acquires, releases, full barriers;
 * program order, locations and threads; dependencies carried through plain
 * accesses; RCU and SRCU read-side critical sections.
 */
final class Bell {
    final Execution x;
    final Events ev;
    final int n;

    // sets
    final long[] all;
    final long[] iw;
    /** lock.cat: let R = R | LKR | LF | RU (LF includes RL). */
    final long[] r;
    /** lock.cat: let W = W | LKW, and later W | UL. */
    final long[] w;
    final long[] m;
    final long[] lkr;
    final long[] lkw;
    final long[] ul;
    final long[] lf;
    final long[] ru;
    final long[] plain;
    final long[] marked;
    final long[] acquire;
    final long[] release;
    final long[] mb;
    final long[] noreturn;
    /** herd7's RMW set: every access a read-modify-write issues, successful or not. */
    final long[] rmwSet;
    final long[] srcuLock;
    final long[] srcuUnlock;
    final long[] syncSrcu;
    /** lock.cat's ALL-LOCKS: every lock event and every SRCU event. */
    final long[] allLocks;

    // relations
    final Rel id;
    final Rel po;
    final Rel loc;
    final Rel internal;
    final Rel external;
    final Rel poLoc;
    final Rel rf;
    final Rel rfe;
    final Rel rfi;
    final Rel co;
    final Rel coe;
    final Rel fr;
    final Rel fre;
    final Rel rmw;
    final Rel addr;
    final Rel data;
    final Rel ctrl;
    final Rel rcuRscs;
    final Rel srcuRscs;

    Bell(Execution x) {
        this.x = x;
        this.ev = x.events();
        this.n = ev.n;
        all = Rel.emptySet(n);
        for (int e = 0; e < n; e++) {
            Rel.add(all, e);
        }
        iw = ev.ofKind(EventKind.INIT);
        lkr = ev.ofKind(EventKind.LOCK_READ);
        lkw = ev.ofKind(EventKind.LOCK_WRITE);
        ul = ev.ofKind(EventKind.UNLOCK);
        lf = ev.ofKind(EventKind.LOCK_FAIL, EventKind.READ_LOCKED); // lock.cat: let LF = LF | RL
        ru = ev.ofKind(EventKind.READ_UNLOCKED);
        long[] memRead = ev.ofKind(EventKind.READ);
        long[] memWrite = ev.ofKind(EventKind.INIT, EventKind.WRITE);
        long[] mem = Rel.union(memRead, memWrite);
        r = Rel.union(Rel.union(memRead, lkr), Rel.union(lf, ru));
        w = Rel.union(Rel.union(memWrite, lkw), ul);
        m = Rel.union(r, w);
        srcuLock = ev.tagged(Tag.SRCU_LOCK);
        srcuUnlock = ev.tagged(Tag.SRCU_UNLOCK);
        syncSrcu = ev.ofKind(EventKind.SYNC_SRCU);
        allLocks = Rel.union(Rel.union(Rel.union(lkr, lkw), Rel.union(ul, lf)),
                Rel.union(Rel.union(ru, srcuLock), Rel.union(srcuUnlock, syncSrcu)));

        id = Rel.id(n, all);
        po = ev.po;
        loc = x.sameLoc();
        internal = x.sameThread();
        external = Rel.product(n, all, all).minus(internal);
        poLoc = po.inter(loc);
        rmw = x.rmw();

        // linux-kernel.bell: FailedRMW = RMW \ (domain(rmw) | range(rmw)), and the annotations it cancels
        rmwSet = ev.tagged(Tag.ATOMIC);
        long[] failed = Rel.minus(rmwSet, Rel.union(ev.rmw.domain(), ev.rmw.range()));
        acquire = Rel.union(Rel.minus(Rel.minus(ev.tagged(Tag.ACQUIRE), memWrite), failed), lkr);
        release = Rel.union(Rel.minus(Rel.minus(ev.tagged(Tag.RELEASE), memRead), failed), ul);
        mb = Rel.minus(ev.tagged(Tag.MB | Tag.F_MB), failed);
        noreturn = Rel.minus(ev.tagged(Tag.NORETURN), memWrite);
        // Marked = (~M) | IW | ONCE | RELEASE | ACQUIRE | MB | RMW | LKR | LKW | UL | LF | RL | RU
        //          | Srcu-lock | Srcu-unlock; Plain = M \ Marked (M being herd7's memory accesses here)
        long[] annotated = ev.tagged(Tag.ONCE | Tag.RELEASE | Tag.ACQUIRE | Tag.MB | Tag.ATOMIC | Tag.SRCU_LOCK
                | Tag.SRCU_UNLOCK);
        plain = Rel.minus(Rel.minus(mem, iw), annotated);
        marked = Rel.minus(all, plain);

        rf = x.rf();
        co = x.co();
        rfe = rf.inter(external);
        rfi = rf.inter(internal);
        coe = co.inter(external);
        // fr = rf^-1 ; co (cos-opt.cat and lock.cat remove the identity)
        fr = rf.inverse().seq(co).minusId();
        fre = fr.inter(external);

        // Redefine dependencies to include those carried through plain accesses:
        // carry-dep = (data ; [~ Srcu-unlock] ; rfi)*, with rfi the memory reads-from
        Rel memRfi = memoryRf().inter(internal);
        Rel carry = ev.data.to(Rel.minus(all, srcuUnlock)).seq(memRfi).star();
        addr = carry.seq(ev.addr);
        ctrl = carry.seq(ev.ctrl);
        data = carry.seq(ev.data);

        rcuRscs = rcuSections();
        // srcu-rscs = ([Srcu-lock] ; carry-srcu-data ; data ; [Srcu-unlock]) & loc,
        // carry-srcu-data = (data ; [~ Srcu-unlock] ; rf)*, with the dependencies not yet carried
        Rel carrySrcu = ev.data.to(Rel.minus(all, srcuUnlock)).seq(memoryRf()).star();
        srcuRscs = carrySrcu.from(srcuLock).seq(ev.data).to(srcuUnlock).inter(loc);
    }

    /** herd7's reads-from between memory accesses only, as the bell sees it before lock.cat adds lock reads. */
    private Rel memoryRf() {
        long[] memRead = ev.ofKind(EventKind.READ);
        return rf.to(memRead);
    }

    /**
     * rcu-rscs: each rcu_read_lock() with the rcu_read_unlock() that closes it,
     * nested sections matched innermost first (the bell's recursive definition
     * pairs a lock with the next unlock that has no unmatched event between).
     */
    private Rel rcuSections() {
        Rel r = new Rel(n);
        java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
        int thread = Integer.MIN_VALUE;
        for (int e = 0; e < n; e++) {
            if (ev.thread[e] != thread) {
                open.clear();
                thread = ev.thread[e];
            }
            if (Tag.has(ev.tags[e], Tag.F_RCU_LOCK)) {
                open.push(e);
            } else if (Tag.has(ev.tags[e], Tag.F_RCU_UNLOCK) && !open.isEmpty()) {
                r.add(open.pop(), e);
            }
        }
        return r;
    }

    long[] fence(int tag) {
        return ev.tagged(tag);
    }

    /** fencerel(S) = (po & (_ * S)) ; po. */
    Rel fencerel(long[] s) {
        return po.to(s).seq(po);
    }
}
