package dev.mmx.reference;

import java.util.List;

/**
 * Small models that between them use every construct of the language
 * (grammar/README.md) at least once, for the differential test: what random
 * models and the models under models/ leave out (procedures with every kind
 * of argument, for loops, quantifiers over enums and thread groups, rwsems,
 * rwlocks and mutexes, every read-modify-write, addresses in registers,
 * value primitives into ghost and shared targets, atomic blocks that wait).
 */
final class Constructs {
    private Constructs() {}

    /**
     * A value primitive whose target is a ghost or shared variable: the result
     * reaches the target in a further step (the language reference's table of
     * statements). Kept apart from {@link #MODELS} because the pipeline stores
     * 0 there today (see ReferenceDifferentialTest).
     */
    static final String VALUE_INTO_GHOST_AND_SHARED = """
            shared int v = 0;
            shared int w = 5;
            spinlock l;
            ghost int g;
            ghost bool took;
            thread t0 {
                g = atomic_fetch_add_acquire(2, &v);
                took = spin_trylock(&l);
            }
            thread t1 {
                w = atomic_cmpxchg(&v, 0, 9);
                g = choose(1, 2);
            }
            forall (took);
            """;

    static final List<String> MODELS = List.of(
            // params, consts, enums, arrays with list initialisers, a replicated thread, for loops, quantifiers
            """
            param N = 2;
            const LAST = N - 1;
            enum state { FREE, USED, GONE };
            shared int a[2][2] = {1, 2, 3, 4};
            shared state st[N] = USED;
            ghost int seen[N];
            thread cpu[N] as c {
                int v;
                for (i in 0..LAST) {
                    v = a[c][i] + v;
                }
                st[c] = c == 0 ? FREE : GONE;
                seen[c] = v;
            }
            invariant states_known: forall s in state: s != GONE || true;
            forall (exists c in cpu: seen[c] == 3 || seen[c] == 7);
            """,
            // procedures: constant, register, shared variable, lock, array and expression arguments; locals; nesting
            """
            shared int x = 0;
            shared int arr[3];
            spinlock l;
            ghost int calls = 0;
            proc bump(loc_, by) { loc_ = loc_ + by; }
            proc locked(lk, cell, k) {
                int seen = 0;
                spin_lock(&lk);
                seen = cell[k];
                cell[k] = seen + 1;
                spin_unlock(&lk);
                note(seen);
            }
            proc note(v) { atomic { calls = calls + v + 1; } }
            thread t0 {
                int r = 2;
                bump(x, r);
                locked(l, arr, 1);
            }
            thread t1 {
                bump(x, READ_ONCE(x) + 1);
                locked(l, arr, 1);
                locked(l, arr, 2);
            }
            forall (arr[1] == 2 && arr[2] == 1);
            """,
            // every read-modify-write and void atomic, their results in registers
            """
            shared int v = 0;
            shared int w = 5;
            thread t0 {
                int a; int b; bool c; bool d; int g;
                a = xchg_relaxed(&v, 3);
                b = cmpxchg(&v, 3, 4);
                c = atomic_dec_and_test(&w);
                d = atomic_add_unless(&w, 2, 4);
                g = atomic_fetch_add_acquire(2, &v);
            }
            thread t1 {
                int e; int f; int h;
                e = atomic_add_return(1, &v);
                f = atomic_sub_return_release(1, &w);
                atomic_inc(&v);
                h = atomic_cmpxchg(&v, 0, 9);
            }
            exists (v == 0 && w == 0);
            """,
            """
            shared int v = 1;
            shared int w = 0;
            thread t0 {
                bool h = atomic_inc_not_zero(&v);
                int k = atomic_fetch_dec(&w);
                bool m = atomic_sub_and_test(1, &v);
                atomic_sub(2, &w);
                k = atomic_fetch_sub(1, &v);
            }
            thread t1 {
                int q;
                bool n = atomic_inc_and_test(&w);
                atomic_dec(&v);
                atomic_add(1, &w);
                int o = atomic_inc_return(&v);
                o = o + atomic_read(&w);
                q = atomic_fetch_inc(&w);
                q = atomic_dec_return(&v);
            }
            """,
            // rwsem, rwlock, mutex, trylocks of each kind, lock arrays
            """
            rwsem sem;
            rwlock rw;
            mutex m;
            spinlock ptl[2];
            shared int data = 0;
            ghost int readers;
            thread reader[2] as i {
                bool got;
                down_read(&sem);
                readers++;
                readers--;
                up_read(&sem);
                got = read_trylock(&rw);
                if (got) {
                    read_unlock(&rw);
                }
                spin_lock(&ptl[i]);
                spin_unlock(&ptl[i]);
            }
            thread writer {
                bool got = down_write_trylock(&sem);
                if (got) {
                    WRITE_ONCE(data, 1);
                    up_write(&sem);
                } else {
                    down_write(&sem);
                    WRITE_ONCE(data, 2);
                    up_write(&sem);
                }
                write_lock(&rw);
                write_unlock(&rw);
                got = mutex_trylock(&m);
                if (!got) {
                    mutex_lock(&m);
                }
                mutex_unlock(&m);
                got = down_read_trylock(&sem);
                if (got) {
                    up_read(&sem);
                }
                got = spin_trylock(&ptl[0]);
                got = write_trylock(&rw);
            }
            invariant few_readers: readers <= 2;
            """,
            // addresses: loc registers and variables, *p loads, stores and RMWs, p + n
            """
            shared int data[2] = {1, 2};
            shared loc ready;
            thread producer {
                WRITE_ONCE(data[1], 42);
                smp_store_release(ready, &data[0]);
            }
            thread consumer {
                loc p = smp_load_acquire(ready);
                int v = 0;
                int u = 0;
                if (p != 0) {
                    v = READ_ONCE(*(p + 1));
                    u = xchg(*p, 7);
                    WRITE_ONCE(*p, u + v);
                }
            }
            forall (data[0] == 1 || data[0] == 49 || data[0] == 9);
            """,
            // await, atomic blocks waiting on a condition and on a lock, nested atomic, assume, either, choose
            """
            shared int flag = 0;
            spinlock l;
            ghost int g = 0;
            thread a {
                int r = choose(1, 3);
                either {
                    WRITE_ONCE(flag, r);
                } or {
                    atomic { flag = 2; atomic { g = g + 1; } }
                } or {
                    skip;
                }
            }
            thread b {
                atomic {
                    await (flag != 0);
                    g = flag;
                }
                atomic {
                    spin_lock(&l);
                    g = g * 2;
                }
                spin_unlock(&l);
            }
            thread c {
                int s;
                s = READ_ONCE(flag);
                assume (s != 1);
                await (READ_ONCE(flag) != 3);
            }
            exists (g == 4);
            """,
            // while with break and continue, ++ and --, += and -=, operators, a shared read in a condition
            """
            shared int x = 0;
            ghost int steps;
            thread t {
                int i = 0;
                while (true) {
                    i++;
                    if (i == 2) {
                        continue;
                    }
                    if (i > 4) {
                        break;
                    }
                    steps += (i << 2) >> 1 ^ 1 | 8 & 12;
                    steps -= i % 3 * 2 / 1;
                }
                while (READ_ONCE(x) < 2 && i != 0) {
                    x++;
                }
                i--;
            }
            thread u {
                WRITE_ONCE(x, -1);
            }
            forall (steps != 0 && !(x < -1) && (x >= 2 || x == 0 || x == 1));
            """,
            // faults: a division by zero skipped by &&, an assertion, index checks through a register
            """
            shared int a[2];
            thread t {
                int r = 0;
                int q = 0;
                if (r != 0 && 10 / r > 1) {
                    q = 1;
                }
                r = READ_ONCE(a[1]);
                q = a[r + 1];
                assert (q == 0, "a[1] was 0 here");
            }
            thread u {
                WRITE_ONCE(a[1], 1);
            }
            """,
            // the kernel kit: TLBs, IPIs, RCU, page references and queries in conditions and properties
            """
            shared int pte = 1;
            ghost tlb tlb[2];
            ghost page pg[2];
            ghost page zero;
            thread mm {
                WRITE_ONCE(pte, 0);
                flush_tlb_ipi(0);
                flush_tlb_range(0, 1);
                synchronize_rcu();
                put_page(&pg[0]);
                if (PageFreed(&pg[0]) && !page_maybe_dma_pinned(&zero)) {
                    get_page(&zero);
                }
            }
            thread user {
                local_irq_disable();
                tlb_fill(pte, 0);
                local_irq_enable();
                rcu_read_lock();
                if (tlb[1][0] != 0) {
                    pin_user_page(&pg[1]);
                    SetPageAnonExclusive(&pg[1]);
                }
                rcu_read_unlock();
                if (page_count(&pg[1]) > 1) {
                    ClearPageAnonExclusive(&pg[1]);
                    unpin_user_page(&pg[1]);
                }
            }
            invariant safe: no_freed_access();
            forall (no_stale_tlb() && no_unreliable_pin() && PageAnonExclusive(&pg[1]) == false);
            """,
            // a register-only loop reached after a step, and only on one path: livelock
            """
            shared int x = 0;
            thread t0 {
                int r = READ_ONCE(x);
                while (r == 1) {
                    if (r == 2) {
                        break;
                    }
                }
            }
            thread t1 {
                WRITE_ONCE(x, 1);
            }
            """,
            // an ABBA deadlock
            """
            spinlock a;
            spinlock b;
            thread t0 {
                spin_lock(&a);
                spin_lock(&b);
                spin_unlock(&b);
                spin_unlock(&a);
            }
            thread t1 {
                spin_lock(&b);
                spin_lock(&a);
                spin_unlock(&a);
                spin_unlock(&b);
            }
            """,
            // smp barriers of every kind, a ~exists condition, registers read by properties of a replicated thread
            """
            shared int x = 0;
            shared int y = 0;
            thread w {
                WRITE_ONCE(x, 1);
                smp_wmb();
                smp_mb__before_atomic();
                smp_mb__after_atomic();
                smp_mb__after_spinlock();
                smp_mb__after_unlock_lock();
                barrier();
                isb();
                WRITE_ONCE(y, 1);
            }
            thread r[2] {
                int a = READ_ONCE(y);
                smp_rmb();
                int b = READ_ONCE(x);
                smp_mb();
            }
            ~exists (r[0].a == 1 && r[0].b == 0 || r[1].a == 1 && r[1].b == 0);
            """,
            // a constant ?: initialiser is no step: the register holds its value in the initial state,
            // which an invariant over the register sees
            """
            param C = true;
            shared int x = 0;
            thread t {
                int r = C ? 1 : 2;
                WRITE_ONCE(x, r);
            }
            invariant set_from_the_start: t.r != 0;
            forall (x == 1);
            """,
            // a primitive loads its arguments left to right as written: cmpxchg's old before its new,
            // atomic_add's operand before its location's index; w stores z before y, so a CPU that loads y
            // first and reads 1 reads z == 1 too (x ends 3, never 2; a[0] stays 0)
            """
            shared int x = 1;
            shared int y = 0;
            shared int z = 0;
            shared int a[2];
            thread w {
                WRITE_ONCE(z, 1);
                WRITE_ONCE(y, 1);
            }
            thread c {
                cmpxchg(&x, READ_ONCE(y), READ_ONCE(z) + 2);
            }
            thread d {
                atomic_add(READ_ONCE(y), &a[READ_ONCE(z)]);
            }
            forall (x != 2 && a[0] == 0);
            """);
}
