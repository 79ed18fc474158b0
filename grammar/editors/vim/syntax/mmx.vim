" Vim syntax file for mmx race models (.mmx).
" The keyword lists must match grammar/Mmx.g4 and the kernel primitives mmx
" knows; EditorGrammarsTest fails when they drift.
if exists("b:current_syntax")
  finish
endif

" Identifiers such as READ_ONCE and smp_mb__after_atomic are keywords, so the
" default keyword characters (letters, digits, _) are what we need.
syn keyword mmxDeclaration param const enum proc thread invariant expect as
syn keyword mmxStorageClass shared ghost walks prefetches
syn keyword mmxType int bool spinlock mutex rwsem rwlock
syn keyword mmxConditional if else either or
syn keyword mmxRepeat while for in break continue
syn keyword mmxStatement await atomic assume assert skip
syn keyword mmxQuantifier exists forall
syn keyword mmxBoolean true false

syn keyword mmxBuiltin READ_ONCE WRITE_ONCE atomic_add atomic_add_return atomic_add_return_acquire
syn keyword mmxBuiltin atomic_add_return_relaxed atomic_add_return_release atomic_add_unless
syn keyword mmxBuiltin atomic_cmpxchg atomic_cmpxchg_acquire atomic_cmpxchg_relaxed
syn keyword mmxBuiltin atomic_cmpxchg_release atomic_dec atomic_dec_and_test atomic_dec_return
syn keyword mmxBuiltin atomic_dec_return_acquire atomic_dec_return_relaxed atomic_dec_return_release
syn keyword mmxBuiltin atomic_fetch_add atomic_fetch_add_acquire atomic_fetch_add_relaxed
syn keyword mmxBuiltin atomic_fetch_add_release atomic_fetch_dec atomic_fetch_dec_acquire
syn keyword mmxBuiltin atomic_fetch_dec_relaxed atomic_fetch_dec_release atomic_fetch_inc
syn keyword mmxBuiltin atomic_fetch_inc_acquire atomic_fetch_inc_relaxed atomic_fetch_inc_release
syn keyword mmxBuiltin atomic_fetch_sub atomic_fetch_sub_acquire atomic_fetch_sub_relaxed
syn keyword mmxBuiltin atomic_fetch_sub_release atomic_inc atomic_inc_and_test atomic_inc_not_zero
syn keyword mmxBuiltin atomic_inc_return atomic_inc_return_acquire atomic_inc_return_relaxed
syn keyword mmxBuiltin atomic_inc_return_release atomic_read atomic_read_acquire atomic_set
syn keyword mmxBuiltin atomic_set_release atomic_sub atomic_sub_and_test atomic_sub_return
syn keyword mmxBuiltin atomic_sub_return_acquire atomic_sub_return_relaxed atomic_sub_return_release
syn keyword mmxBuiltin atomic_xchg atomic_xchg_acquire atomic_xchg_relaxed atomic_xchg_release
syn keyword mmxBuiltin barrier choose cmpxchg cmpxchg_acquire cmpxchg_relaxed cmpxchg_release
syn keyword mmxBuiltin down_read down_read_trylock down_write down_write_trylock isb mutex_lock rcu_assign_pointer rcu_dereference
syn keyword mmxBuiltin mutex_trylock mutex_unlock read_lock read_trylock read_unlock
syn keyword mmxBuiltin smp_load_acquire smp_mb smp_mb__after_atomic smp_mb__after_spinlock
syn keyword mmxBuiltin smp_mb__after_unlock_lock smp_mb__before_atomic smp_rmb smp_store_release
syn keyword mmxBuiltin smp_wmb spin_lock spin_trylock spin_unlock up_read up_write write_lock
syn keyword mmxBuiltin write_trylock write_unlock xchg xchg_acquire xchg_relaxed xchg_release
syn keyword mmxBuiltin tlb_fill flush_tlb_page flush_tlb_range flush_tlb_ipi local_irq_disable local_irq_enable rcu_read_lock rcu_read_unlock
syn keyword mmxBuiltin synchronize_rcu get_page put_page pin_user_page unpin_user_page SetPageAnonExclusive ClearPageAnonExclusive
syn keyword mmxBuiltin PageAnonExclusive page_maybe_dma_pinned page_count PageFreed no_stale_tlb no_freed_access no_unreliable_pin
syn keyword mmxBuiltin flush_tlb_mm flush_tlb_broadcast local_flush_tlb_page
" the primitives only the Linux-kernel memory model (--mm lkmm) answers
syn keyword mmxBuiltin synchronize_rcu_expedited srcu_read_lock srcu_read_unlock srcu_down_read srcu_up_read
syn keyword mmxBuiltin synchronize_srcu synchronize_srcu_expedited smp_mb__after_srcu_read_unlock spin_is_locked
syn keyword mmxBuiltin __change_bit __clear_bit __clear_bit_unlock __read_seqcount_retry __set_bit change_bit clear_bit clear_bit_unlock clear_bit_unlock_is_negative_byte copy_highpage dec_tlb_flush_pending finish_wait inc_tlb_flush_pending is_migration_entry make_migration_entry mk_pte mm_tlb_flush_pending no_stale_write page_data page_to_pfn prepare_to_wait pte_dirty pte_mkclean pte_mkdirty pte_mkold pte_mkwrite pte_mkyoung pte_modify pte_none pte_pfn pte_present pte_protnone pte_write pte_wrprotect pte_young raw_read_seqcount raw_read_seqcount_begin raw_write_seqcount_begin raw_write_seqcount_end read_seqcount_begin read_seqcount_retry schedule set_bit smp_processor_id test_and_change_bit test_and_clear_bit test_and_set_bit test_and_set_bit_lock test_bit test_bit_acquire tlb_finish_mmu tlb_gather_mmu tlb_remove_page user_read user_write wait_event waitqueue_active wake_up write_seqcount_begin write_seqcount_end

syn match mmxNumber "\<\d\+\>"
syn match mmxNumber "\<0[xX]\x\+\>"
syn region mmxString start=+"+ skip=+\\\\\|\\"+ end=+"+ oneline
syn match mmxComment "//.*$"
syn region mmxComment start="/\*" end="\*/"

hi def link mmxDeclaration Keyword
hi def link mmxStorageClass StorageClass
hi def link mmxType Type
hi def link mmxConditional Conditional
hi def link mmxRepeat Repeat
hi def link mmxStatement Statement
hi def link mmxQuantifier Operator
hi def link mmxBoolean Boolean
hi def link mmxBuiltin Function
hi def link mmxNumber Number
hi def link mmxString String
hi def link mmxComment Comment

let b:current_syntax = "mmx"
