package dev.mmx.lkmm;

import java.util.Arrays;

/**
 * The event classes and relations linux-kernel.bell and lock.cat define for
 * one candidate execution, before linux-kernel.cat's axioms: which events are
 * reads, writes, marked or plain accesses, acquires, releases, full barriers;
 * program order, locations and threads; reads-from, coherence and from-read;
 * dependencies carried through plain accesses; RCU and SRCU read-side
 * critical sections. What depends only on the events and their locations
 * ({@link Statics}) is computed once for all the candidates sharing them.
 */
final class Bell {
    final Execution x;
    final Events ev;
    final Statics st;
    final int n;

    final Rel rf;
    final Rel rfe;
    final Rel rfi;
    final Rel co;
    final Rel coe;
    final Rel fr;
    final Rel fre;
    final Rel rmw;

    Bell(Execution x) {
        this.x = x;
        this.ev = x.events();
        this.st = Statics.of(x);
        this.n = ev.n;
        rf = x.rf();
        co = x.co();
        rmw = x.rmw();
        rfe = rf.inter(st.external);
        rfi = rf.inter(st.internal);
        coe = co.inter(st.external);
        // fr = rf^-1 ; co (cos-opt.cat and lock.cat; an RMW is two events, so it has no identity pairs)
        fr = rf.inverse().seq(co);
        fre = fr.inter(st.external);
    }

    /**
     * Dependencies carried through plain accesses (linux-kernel.bell):
     * carry-dep = (data ; [~ Srcu-unlock] ; rfi)*, and addr, ctrl, data each
     * prefixed with it; rfi is herd7's reads-from between memory accesses.
     * Returns {addr, data, ctrl}.
     */
    Rel[] dependencies() {
        Rel memRfi = rfi.to(st.memRead);
        if (memRfi.isEmpty()) {
            return new Rel[] {ev.addr, ev.data, ev.ctrl};
        }
        Rel carry = ev.data.to(st.notSrcuUnlock).seq(memRfi).star();
        return new Rel[] {carry.seq(ev.addr), carry.seq(ev.data), carry.seq(ev.ctrl)};
    }

    /**
     * srcu-rscs = ([Srcu-lock] ; carry-srcu-data ; data ; [Srcu-unlock]) & loc,
     * with carry-srcu-data = (data ; [~ Srcu-unlock] ; rf)* over the dependencies
     * as herd7 gives them.
     */
    Rel srcuSections() {
        if (Rel.isEmpty(st.srcuLock)) {
            return new Rel(n);
        }
        Rel carry = ev.data.to(st.notSrcuUnlock).seq(rf.to(st.memRead)).star();
        return carry.from(st.srcuLock).seq(ev.data).to(st.srcuUnlock).inter(st.loc);
    }

    /** fencerel(S) = (po & (_ * S)) ; po. */
    Rel fencerel(long[] s) {
        return st.po.to(s).seq(st.po);
    }

    /** What depends only on the events of a combination of paths and their locations. */
    static final class Statics {
        final int[] locs;
        final long[] all;
        final long[] iw;
        final long[] memRead;
        /** lock.cat: let R = R | LKR | LF | RU (LF includes RL). */
        final long[] r;
        /** lock.cat: let W = W | LKW, and later W | UL. */
        final long[] w;
        final long[] m;
        final long[] lkr;
        final long[] lkw;
        final long[] ul;
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
        final long[] notSrcuUnlock;
        final long[] syncSrcu;
        /** lock.cat's ALL-LOCKS: every lock event and every SRCU event. */
        final long[] allLocks;
        final Rel po;
        final Rel loc;
        final Rel internal;
        final Rel external;
        final Rel poLoc;
        final Rel rcuRscs;
        /** R4rmb = R \ Noreturn: the reads smp_rmb() orders. */
        final long[] r4rmb;
        // linux-kernel.cat relations built from program order and the event classes only
        final Rel acqPo;
        final Rel poRel;
        final Rel rmb;
        final Rel wmb;
        /** mb without its po-unlock-lock-po term, which needs rf. */
        final Rel mbStatic;
        final Rel gp;

        private Statics(Events ev, int[] locs) {
            int n = ev.n;
            this.locs = locs;
            all = Rel.emptySet(n);
            for (int e = 0; e < n; e++) {
                Rel.add(all, e);
            }
            iw = ev.ofKind(EventKind.INIT);
            lkr = ev.ofKind(EventKind.LOCK_READ);
            lkw = ev.ofKind(EventKind.LOCK_WRITE);
            ul = ev.ofKind(EventKind.UNLOCK);
            long[] lf = ev.ofKind(EventKind.LOCK_FAIL, EventKind.READ_LOCKED); // lock.cat: let LF = LF | RL
            long[] ru = ev.ofKind(EventKind.READ_UNLOCKED);
            memRead = ev.ofKind(EventKind.READ);
            long[] memWrite = ev.ofKind(EventKind.INIT, EventKind.WRITE);
            long[] mem = Rel.union(memRead, memWrite);
            r = Rel.union(Rel.union(memRead, lkr), Rel.union(lf, ru));
            w = Rel.union(Rel.union(memWrite, lkw), ul);
            m = Rel.union(r, w);
            srcuLock = ev.tagged(Tag.SRCU_LOCK);
            srcuUnlock = ev.tagged(Tag.SRCU_UNLOCK);
            notSrcuUnlock = Rel.minus(all, srcuUnlock);
            syncSrcu = ev.ofKind(EventKind.SYNC_SRCU);
            allLocks = Rel.union(Rel.union(Rel.union(lkr, lkw), Rel.union(ul, lf)),
                    Rel.union(Rel.union(ru, srcuLock), Rel.union(srcuUnlock, syncSrcu)));

            // linux-kernel.bell: FailedRMW = RMW \ (domain(rmw) | range(rmw)), and the annotations it cancels:
            // Acquire = ACQUIRE \ W \ FailedRMW, Release = RELEASE \ R \ FailedRMW, Mb = MB \ FailedRMW;
            // lock.cat then adds LKR to Acquire and UL to Release
            rmwSet = ev.tagged(Tag.ATOMIC);
            long[] failed = Rel.minus(rmwSet, Rel.union(ev.rmw.domain(), ev.rmw.range()));
            acquire = Rel.union(Rel.minus(Rel.minus(ev.tagged(Tag.ACQUIRE), memWrite), failed), lkr);
            release = Rel.union(Rel.minus(Rel.minus(ev.tagged(Tag.RELEASE), memRead), failed), ul);
            mb = Rel.minus(ev.tagged(Tag.MB | Tag.F_MB), failed);
            // Noreturn = NORETURN \ W
            noreturn = Rel.minus(ev.tagged(Tag.NORETURN), memWrite);
            // Marked = (~M) | IW | ONCE | RELEASE | ACQUIRE | MB | RMW | LKR | LKW | UL | LF | RL | RU
            //          | Srcu-lock | Srcu-unlock; Plain = M \ Marked (M being herd7's memory accesses here)
            long[] annotated = ev.tagged(Tag.ONCE | Tag.RELEASE | Tag.ACQUIRE | Tag.MB | Tag.ATOMIC
                    | Tag.SRCU_LOCK | Tag.SRCU_UNLOCK);
            plain = Rel.minus(Rel.minus(mem, iw), annotated);
            marked = Rel.minus(all, plain);

            po = ev.po;
            loc = new Rel(n);
            internal = new Rel(n);
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    if (locs[a] >= 0 && locs[b] == locs[a]) {
                        loc.add(a, b);
                    }
                    if (ev.thread[a] == ev.thread[b]) {
                        internal.add(a, b); // initial writes count as one thread of their own
                    }
                }
            }
            external = Rel.product(n, all, all).minus(internal);
            poLoc = po.inter(loc);
            rcuRscs = rcuSections(ev);

            // let acq-po = [Acquire] ; po ; [M]   let po-rel = [M] ; po ; [Release]
            acqPo = po.restrict(acquire, m);
            poRel = po.restrict(m, release);
            // let R4rmb = R \ Noreturn   let rmb = [R4rmb] ; fencerel(Rmb) ; [R4rmb]
            r4rmb = Rel.minus(r, noreturn);
            rmb = fencerel(ev.tagged(Tag.F_RMB)).restrict(r4rmb, r4rmb);
            // let wmb = [W] ; fencerel(Wmb) ; [W]
            wmb = fencerel(ev.tagged(Tag.F_WMB)).restrict(w, w);
            mbStatic = mbWithoutUnlockLock(ev);
            // let gp = po ; [Sync-rcu | Sync-srcu] ; po?
            gp = po.to(Rel.union(ev.tagged(Tag.F_SYNC_RCU), syncSrcu)).seq(po.optional());
        }

        /** fencerel(S) = (po & (_ * S)) ; po. */
        Rel fencerel(long[] s) {
            return po.to(s).seq(po);
        }

        /** linux-kernel.cat's mb: smp_mb() and the fully ordered operations and fences that act like it. */
        private Rel mbWithoutUnlockLock(Events ev) {
            Rel poOpt = po.optional();
            // ([M] ; fencerel(Mb) ; [M])
            Rel r = fencerel(mb).restrict(m, m);
            // ([M] ; po ; [Mb & R]) | ([Mb & W] ; po ; [M])
            r = r.union(po.restrict(m, Rel.inter(mb, this.r)));
            r = r.union(po.restrict(Rel.inter(mb, w), m));
            // ([M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M])
            r = r.union(fencerel(ev.tagged(Tag.F_BEFORE_ATOMIC)).from(m).to(rmwSet).seq(poOpt).to(m));
            // ([M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M])
            r = r.union(poOpt.restrict(m, rmwSet).seq(fencerel(ev.tagged(Tag.F_AFTER_ATOMIC))).to(m));
            // ([M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M])
            r = r.union(poOpt.restrict(m, lkw).seq(fencerel(ev.tagged(Tag.F_AFTER_SPINLOCK))).to(m));
            // ([M] ; po? ; [Srcu-unlock] ; fencerel(After-srcu-read-unlock) ; [M])
            r = r.union(poOpt.restrict(m, srcuUnlock).seq(fencerel(ev.tagged(Tag.F_AFTER_SRCU_READ_UNLOCK))).to(m));
            return r;
        }

        /** The statics of an execution's events and locations, computed on first use. */
        static Statics of(Execution x) {
            Events ev = x.events();
            Statics s = ev.statics;
            if (s == null || !Arrays.equals(s.locs, x.loc())) {
                s = new Statics(ev, x.loc());
                ev.statics = s;
            }
            return s;
        }

        /**
         * rcu-rscs: each rcu_read_lock() with the rcu_read_unlock() that closes it,
         * nested sections matched innermost first (the bell's recursive definition
         * pairs a lock with the next unlock that has no unmatched event between).
         */
        private static Rel rcuSections(Events ev) {
            Rel r = new Rel(ev.n);
            java.util.ArrayDeque<Integer> open = new java.util.ArrayDeque<>();
            int thread = Integer.MIN_VALUE;
            for (int e = 0; e < ev.n; e++) {
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
    }
}
