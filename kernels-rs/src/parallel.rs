//! A tiny worker pool over shared linear memory (the `threads` build), and the
//! same API run inline everywhere else.
//!
//! `parallel_for(n, f)` runs `f(chunk, tid)` for every chunk `0..n`. Callers fix
//! chunk boundaries from the problem size alone (never from the thread count) and
//! combine per-chunk partial results in chunk order, so results are bit-identical
//! for any number of threads, including the single-threaded build, which runs the
//! same chunks in order.
//!
//! ## The pool (feature `threads` on wasm32)
//! Every thread runs its own instance of the same module over one shared memory;
//! statics live in that memory and function-table indices agree across instances.
//! Workers sit in `fx_worker_loop(tid)`, parked on the futex word `SEQ` (through the
//! imported `fx_wait`, i.e. `Atomics.wait`: stable Rust 1.63 has no wait intrinsic).
//! The main thread publishes a job (function pointer + context), bumps `SEQ`, wakes
//! the workers, claims chunks itself like any worker, then waits for chunks still
//! running elsewhere: it spins briefly, then parks on `DONE` through its own
//! `fx_wait`, which blocks where the host allows it (Node, Deno) and returns at
//! once on a browser main thread (which cannot block), so there it keeps spinning.
//! The worker finishing the last chunk notifies `DONE`.
//!
//! Invariants: only the main thread (tid 0) calls `parallel_for`, and chunk bodies
//! never call it. `CLAIM` packs `(generation << 32) | next chunk`; the main thread
//! resets it before touching the job fields, so a straggler from an older job can
//! never claim a chunk of a newer one (its compare-exchange fails).

/// Threads (main + workers) that may run chunks; `tid < MAX_THREADS`.
/// Mirrored by `MAX_THREADS` in src/backends/wasm/abi.ts.
pub const MAX_THREADS: usize = 64;

/// Per-thread state indexed by `tid` (`thread_local!` is not usable here: the
/// prebuilt std knows nothing of threads).
pub struct PerThread<T>(pub [core::cell::UnsafeCell<T>; MAX_THREADS]);

// Each slot is only touched by the thread whose tid it is.
unsafe impl<T> Sync for PerThread<T> {}

impl<T> PerThread<T> {
    /// The slot of thread `tid`. Safety: called only by that thread, not re-entrantly.
    #[allow(clippy::mut_from_ref)]
    pub unsafe fn get(&self, tid: usize) -> &mut T {
        &mut *self.0[tid].get()
    }
}

/// Runs `f(chunk, tid)` for each chunk in `0..n` (any order, any thread).
///
/// Safety: `f` runs on several threads at once (no `Sync` bound, since kernels
/// pass raw pointers): chunks must write disjoint memory and share only reads.
pub unsafe fn parallel_for<F: Fn(usize, usize)>(n: usize, f: F) {
    #[cfg(all(feature = "threads", target_arch = "wasm32"))]
    if n > 1 && pool::workers() > 0 {
        pool::run(n, trampoline::<F>, &f as *const F as *const u8);
        return;
    }
    for c in 0..n {
        f(c, 0);
    }
}

/// Threads that run chunks (1 without a pool).
pub fn threads() -> usize {
    #[cfg(all(feature = "threads", target_arch = "wasm32"))]
    return 1 + pool::workers();
    #[cfg(not(all(feature = "threads", target_arch = "wasm32")))]
    1
}

#[cfg(all(feature = "threads", target_arch = "wasm32"))]
unsafe fn trampoline<F: Fn(usize, usize)>(ctx: *const u8, chunk: usize, tid: usize) {
    (*(ctx as *const F))(chunk, tid)
}

#[cfg(all(feature = "threads", target_arch = "wasm32"))]
pub mod pool {
    use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering::SeqCst};

    pub type Job = unsafe fn(*const u8, usize, usize);

    #[link(wasm_import_module = "ferrax")]
    extern "C" {
        /// Blocks while `*addr == expected` (until notified); may return at once
        /// (spuriously, or always where the thread cannot block).
        fn fx_wait(addr: *const u32, expected: u32);
        /// Wakes every thread blocked on `addr`.
        fn fx_notify(addr: *const u32);
    }

    /// The futex word: the generation of the latest job.
    static SEQ: AtomicU32 = AtomicU32::new(0);
    /// `(generation << 32) | next unclaimed chunk`.
    static CLAIM: AtomicU64 = AtomicU64::new(0);
    static DONE: AtomicUsize = AtomicUsize::new(0);
    static JOB_FN: AtomicUsize = AtomicUsize::new(0);
    static JOB_CTX: AtomicUsize = AtomicUsize::new(0);
    static JOB_N: AtomicUsize = AtomicUsize::new(0);
    static WORKERS: AtomicUsize = AtomicUsize::new(0);
    /// Workers parked (or about to park) on `SEQ`, and whether the caller of `run` is
    /// parked on `DONE`: a notify (a system call) is made only when someone sleeps.
    /// Dekker-style with SeqCst: a sleeper counts itself before its wait re-checks the
    /// word, a waker changes the word before it reads the count, so either the waker
    /// sees the sleeper or the sleeper's wait sees the new word and returns at once.
    static SLEEPERS: AtomicUsize = AtomicUsize::new(0);
    static CALLER_PARKED: AtomicUsize = AtomicUsize::new(0);

    /// Polls of `SEQ` before a worker parks (a short spin catches back-to-back jobs).
    const SPIN: u32 = 4096;

    fn seq_ptr() -> *const u32 {
        &SEQ as *const AtomicU32 as *const u32
    }
    fn done_ptr() -> *const u32 {
        &DONE as *const AtomicUsize as *const u32
    }

    pub fn workers() -> usize {
        WORKERS.load(SeqCst)
    }

    /// Claims and runs chunks of job `gen` until none is left.
    unsafe fn work(gen: u32, tid: usize) {
        loop {
            let w = CLAIM.load(SeqCst);
            let i = w as u32 as usize;
            if (w >> 32) as u32 != gen || i >= JOB_N.load(SeqCst) {
                return;
            }
            if CLAIM.compare_exchange(w, w + 1, SeqCst, SeqCst).is_err() {
                continue;
            }
            // Claimed chunk i of `gen`: the job cannot finish (nor its fields change) before it is done.
            let (f, n): (Job, usize) = (core::mem::transmute(JOB_FN.load(SeqCst)), JOB_N.load(SeqCst));
            f(JOB_CTX.load(SeqCst) as *const u8, i, tid);
            if DONE.fetch_add(1, SeqCst) + 1 == n && tid != 0 && CALLER_PARKED.load(SeqCst) != 0 {
                fx_notify(done_ptr());
            }
        }
    }

    /// Publishes a job of `n` chunks, helps run it, returns when every chunk is done.
    pub unsafe fn run(n: usize, f: Job, ctx: *const u8) {
        let gen = SEQ.load(SeqCst).wrapping_add(1);
        CLAIM.store((gen as u64) << 32, SeqCst);
        DONE.store(0, SeqCst);
        JOB_FN.store(f as usize, SeqCst);
        JOB_CTX.store(ctx as usize, SeqCst);
        JOB_N.store(n, SeqCst);
        SEQ.store(gen, SeqCst);
        if SLEEPERS.load(SeqCst) != 0 {
            fx_notify(seq_ptr());
        }
        work(gen, 0);
        let mut spins = 0;
        loop {
            let d = DONE.load(SeqCst);
            if d >= n {
                return;
            }
            if spins < SPIN {
                spins += 1;
                core::hint::spin_loop();
            } else {
                CALLER_PARKED.store(1, SeqCst);
                fx_wait(done_ptr(), d as u32);
                CALLER_PARKED.store(0, SeqCst);
            }
        }
    }

    /// A worker's life: park on `SEQ`, run each new job's chunks. Never returns.
    pub unsafe fn worker_loop(tid: usize) -> ! {
        let mut seen = SEQ.load(SeqCst);
        WORKERS.fetch_add(1, SeqCst);
        loop {
            let mut s = SEQ.load(SeqCst);
            let mut spins = 0;
            while s == seen {
                if spins < SPIN {
                    spins += 1;
                    core::hint::spin_loop();
                } else {
                    SLEEPERS.fetch_add(1, SeqCst);
                    fx_wait(seq_ptr(), seen);
                    SLEEPERS.fetch_sub(1, SeqCst);
                }
                s = SEQ.load(SeqCst);
            }
            seen = s;
            work(s, tid);
        }
    }
}

/// Rust's allocator is not thread-safe in the prebuilt std (its lock compiles to
/// nothing without `atomics`), so the threads build wraps it in a spin lock.
#[cfg(all(feature = "threads", target_arch = "wasm32"))]
mod locked_alloc {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicBool, Ordering};

    struct Locked;
    static LOCK: AtomicBool = AtomicBool::new(false);

    fn with<R>(f: impl FnOnce() -> R) -> R {
        while LOCK.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
            core::hint::spin_loop();
        }
        let r = f();
        LOCK.store(false, Ordering::Release);
        r
    }

    unsafe impl GlobalAlloc for Locked {
        unsafe fn alloc(&self, l: Layout) -> *mut u8 {
            with(|| System.alloc(l))
        }
        unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
            with(|| System.dealloc(p, l))
        }
        unsafe fn alloc_zeroed(&self, l: Layout) -> *mut u8 {
            with(|| System.alloc_zeroed(l))
        }
        unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
            with(|| System.realloc(p, l, n))
        }
    }

    #[global_allocator]
    static GLOBAL: Locked = Locked;
}
