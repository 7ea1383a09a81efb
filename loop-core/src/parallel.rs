//! A second core for a step that is worth splitting: [`join`] runs two closures, one on the
//! calling thread and one on a helper thread, and returns when both are done.
//!
//! Why not rayon: a step of a population of a thousand neurons takes a few microseconds, and it
//! is repeated ten thousand times. Handing half of it to a rayon pool from outside the pool costs
//! about as much as the step (the caller sleeps on a lock until the pool answers). Here the
//! helper thread spins while steps keep coming, so a hand-off is two cache-line transfers
//! (a fraction of a microsecond); after [`SPIN`] without work it parks, and the next [`join`]
//! wakes it.
//!
//! There is one helper, started on the first [`join`] that can use it. A [`join`] runs both
//! closures on the calling thread, one after the other, when the machine has one core, when
//! `LOOPTIME_THREADS=1` is set, after [`set_enabled`]`(false)`, inside [`serial`], when the
//! helper could not be spawned, in a child process forked after it started (Linux; elsewhere,
//! do not `fork` a process that uses it), or when the helper is already busy with another
//! [`join`] (another thread's, or an enclosing one's): nothing waits on anything, and the results
//! are the same.
//!
//! Without the `std` feature, [`join`] always runs `a` then `b`.

/// How long the helper keeps spinning for the next job before it parks.
pub const SPIN: core::time::Duration = core::time::Duration::from_micros(200);

/// Whether [`join`] may use the helper thread at all: `std`, more than one core, not turned off
/// by `LOOPTIME_THREADS=1` or [`set_enabled`]. A step uses this to choose between its split and
/// its plain form.
#[inline]
pub fn available() -> bool {
    imp::available()
}

/// `f(first)` on the calling thread and `f(second)` on the helper thread, as [`join`]: the shape
/// of a split step, one function over two halves of the data.
#[inline]
pub fn join_halves<H, R, F>(first: H, second: H, f: F) -> (R, R)
where
    H: Send,
    R: Send,
    F: Fn(H) -> R + Sync,
{
    let f = &f;
    join(move || f(first), move || f(second))
}

/// Starts the helper thread now, if [`available`] (else does nothing). The first [`join`] does it
/// anyway; call this where that one-time cost (a thread spawn, which allocates) should not fall
/// in the middle of something measured.
pub fn start() {
    imp::start();
}

/// Runs `f` with every [`join`] in it (on this thread) running both sides here, and
/// [`available`] saying `false`: for work that is already spread across cores another way (a
/// rayon pool stepping many models), where a second split would only crowd the cores.
pub fn serial<R>(f: impl FnOnce() -> R) -> R {
    imp::serial(f)
}

/// Turns the helper thread on or off from now on, in every thread (`false`: every [`join`] runs
/// both closures on the calling thread).
pub fn set_enabled(enabled: bool) {
    imp::set_enabled(enabled);
}

/// Runs `a` on the calling thread and `b` on the helper thread (or both here, see the module
/// docs), and returns both results once both have finished. A panic in either is resumed here,
/// after both have finished.
#[inline]
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    imp::join(a, b)
}

#[cfg(not(feature = "std"))]
mod imp {
    pub fn available() -> bool {
        false
    }

    pub fn set_enabled(_: bool) {}

    pub fn start() {}

    pub fn serial<R>(f: impl FnOnce() -> R) -> R {
        f()
    }

    pub fn join<A: FnOnce() -> RA, B: FnOnce() -> RB, RA, RB>(a: A, b: B) -> (RA, RB) {
        (a(), b())
    }
}

#[cfg(feature = "std")]
mod imp {
    use core::cell::UnsafeCell;
    use core::ptr;
    use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, Ordering};
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::sync::{Once, OnceLock};
    use std::thread::{self, Thread};
    use std::time::Instant;

    /// Not asked yet / usable / not usable (one core, or turned off).
    const UNKNOWN: u8 = 0;
    const ON: u8 = 1;
    const OFF: u8 = 2;
    static ENABLED: AtomicU8 = AtomicU8::new(UNKNOWN);

    /// The helper's state: spinning for work, or parked.
    const SPINNING: u8 = 0;
    const PARKED: u8 = 1;

    /// The one helper thread and the slot it takes its jobs from.
    struct Helper {
        /// The job to run (null: none). Set by `join`, taken by the helper.
        job: AtomicPtr<Header>,
        /// `SPINNING` or `PARKED`.
        state: AtomicU8,
        /// A `join` owns the helper (the others run inline).
        busy: AtomicBool,
        /// The helper's handle, to unpark it (set by the helper before it first parks).
        thread: OnceLock<Thread>,
    }

    static HELPER: Helper = Helper {
        job: AtomicPtr::new(ptr::null_mut()),
        state: AtomicU8::new(SPINNING),
        busy: AtomicBool::new(false),
        thread: OnceLock::new(),
    };
    static START: Once = Once::new();

    /// What the helper sees of a job: how to run it, and where to say it is done.
    struct Header {
        run: unsafe fn(*const Header),
        done: AtomicBool,
    }

    /// A job on the stack of the `join` that made it; `header` first, so a pointer to the header
    /// is a pointer to the job.
    #[repr(C)]
    struct Job<F, R> {
        header: Header,
        f: UnsafeCell<Option<F>>,
        result: UnsafeCell<Option<thread::Result<R>>>,
    }

    /// Runs the job behind `header`. Safety: `header` is the header of a live `Job<F, R>` whose
    /// closure has not run, and nothing else touches it until `done` is set.
    unsafe fn run<F: FnOnce() -> R, R>(header: *const Header) {
        // SAFETY: as the function's contract says; `Job` is repr(C) with the header first.
        let job = unsafe { &*header.cast::<Job<F, R>>() };
        // SAFETY: only this thread touches `f` and `result` until `done` is set.
        let f = unsafe { (*job.f.get()).take() };
        let result = catch_unwind(AssertUnwindSafe(move || f.map(|f| f())));
        let result = match result {
            Ok(Some(r)) => Ok(r),
            Ok(None) => Err(Box::new("a parallel job ran twice") as Box<_>),
            Err(panic) => Err(panic),
        };
        // SAFETY: as above.
        unsafe { *job.result.get() = Some(result) };
        // The last touch of the job: once `done` is seen, the `join` returns and the job is gone.
        job.header.done.store(true, Ordering::Release);
    }

    std::thread_local! {
        /// Inside `serial` on this thread.
        static SERIAL: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
    }

    pub fn serial<R>(f: impl FnOnce() -> R) -> R {
        /// Restores the flag as it was, also when `f` panics.
        struct Restore(bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                SERIAL.with(|s| s.set(self.0));
            }
        }
        let _restore = Restore(SERIAL.with(|s| s.replace(true)));
        f()
    }

    pub fn available() -> bool {
        if SERIAL.with(core::cell::Cell::get) {
            return false;
        }
        match ENABLED.load(Ordering::Relaxed) {
            ON => true,
            OFF => false,
            _ => {
                let off_by_env = std::env::var("LOOPTIME_THREADS").is_ok_and(|v| v.trim() == "1");
                let cores = thread::available_parallelism().map_or(1, |n| n.get());
                let on = cores > 1 && !off_by_env;
                ENABLED.store(if on { ON } else { OFF }, Ordering::Relaxed);
                on
            }
        }
    }

    pub fn set_enabled(enabled: bool) {
        if enabled {
            // Ask again (cores, environment) at the next `available`.
            ENABLED.store(UNKNOWN, Ordering::Relaxed);
        } else {
            ENABLED.store(OFF, Ordering::Relaxed);
        }
    }

    /// The helper's loop: run jobs as they come, spin for `SPIN` after each, then park.
    fn helper_loop() {
        let helper = &HELPER;
        let _ = helper.thread.set(thread::current());
        let mut idle_since = Instant::now();
        let mut polls: u32 = 0;
        loop {
            let job = helper.job.swap(ptr::null_mut(), Ordering::Acquire);
            if !job.is_null() {
                // SAFETY: `join` published a live job and waits for `done` before it returns.
                unsafe { ((*job).run)(job) };
                idle_since = Instant::now();
                polls = 0;
                continue;
            }
            polls = polls.wrapping_add(1);
            // Reading the clock costs more than a poll: look at it every 64 polls.
            if polls.is_multiple_of(64) && idle_since.elapsed() > super::SPIN {
                helper.state.store(PARKED, Ordering::SeqCst);
                // Either this sees the job, or `join` sees PARKED and unparks (both SeqCst).
                if helper.job.load(Ordering::SeqCst).is_null() {
                    thread::park();
                }
                helper.state.store(SPINNING, Ordering::SeqCst);
                idle_since = Instant::now();
            } else {
                core::hint::spin_loop();
            }
        }
    }

    pub fn start() {
        if available() {
            let _ = helper();
        }
    }

    /// The helper, started on first use; `None` when it could not be started.
    fn helper() -> Option<&'static Helper> {
        START.call_once(|| {
            let spawned = thread::Builder::new()
                .name("looptime-helper".into())
                .spawn(helper_loop);
            match spawned {
                Ok(_) => {
                    // A child of `fork` has no helper thread: it must not wait for one.
                    #[cfg(target_os = "linux")]
                    // SAFETY: registers a handler that only stores to an atomic.
                    unsafe {
                        libc::pthread_atfork(None, None, Some(after_fork_in_child));
                    }
                    SPAWNED.store(true, Ordering::Release);
                }
                Err(_) => ENABLED.store(OFF, Ordering::Relaxed),
            }
        });
        (helper_usable() && available()).then_some(&HELPER)
    }

    /// The helper thread exists in this process.
    pub(super) fn helper_usable() -> bool {
        SPAWNED.load(Ordering::Acquire) && !FORKED.load(Ordering::Relaxed)
    }

    /// The helper thread was spawned (a failed spawn is never retried, and `set_enabled(true)`
    /// cannot make `join` wait for a thread that does not exist).
    static SPAWNED: AtomicBool = AtomicBool::new(false);

    /// This process is a child of `fork` made after the helper started (Linux): it has no
    /// helper thread, so every `join` runs inline.
    static FORKED: AtomicBool = AtomicBool::new(false);

    #[cfg(target_os = "linux")]
    extern "C" fn after_fork_in_child() {
        FORKED.store(true, Ordering::Relaxed);
    }

    pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB + Send,
        RB: Send,
    {
        if !available() {
            return (a(), b());
        }
        let Some(helper) = helper() else {
            return (a(), b());
        };
        if helper.busy.swap(true, Ordering::Acquire) {
            return (a(), b());
        }
        let job = Job {
            header: Header {
                run: run::<B, RB>,
                done: AtomicBool::new(false),
            },
            f: UnsafeCell::new(Some(b)),
            result: UnsafeCell::new(None),
        };
        // A pointer to the whole job (the helper reaches `f` and `result` through it), cast to
        // its first field.
        let header = (&raw const job).cast::<Header>().cast_mut();
        helper.job.store(header, Ordering::SeqCst);
        if helper.state.load(Ordering::SeqCst) == PARKED
            && let Some(thread) = helper.thread.get()
        {
            thread.unpark();
        }
        let ra = catch_unwind(AssertUnwindSafe(a));
        // The job lives on this stack: wait for it whatever happened to `a`.
        let mut spins: u32 = 0;
        while !job.header.done.load(Ordering::Acquire) {
            spins = spins.wrapping_add(1);
            if spins.is_multiple_of(4096) {
                // The helper may have been descheduled: let it run.
                thread::yield_now();
            } else {
                core::hint::spin_loop();
            }
        }
        helper.busy.store(false, Ordering::Release);
        let rb = job.result.into_inner();
        match (ra, rb) {
            (Ok(ra), Some(Ok(rb))) => (ra, rb),
            (Err(panic), _) | (_, Some(Err(panic))) => resume_unwind(panic),
            (Ok(_), None) => unreachable!("a finished job has a result"),
        }
    }
}

/// Held by the unit tests that turn the helper off and on, so that they do not undo each other.
#[cfg(all(test, feature = "std"))]
pub(crate) static TOGGLING: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    #[test]
    fn both_halves_run_and_return_their_results() {
        let mut left = [0_u64; 1000];
        let mut right = [0_u64; 1000];
        for round in 0..2000_u64 {
            let (a, b) = join(
                || {
                    left.iter_mut().for_each(|x| *x += round);
                    left[0]
                },
                || {
                    right.iter_mut().for_each(|x| *x += 2 * round);
                    right[999]
                },
            );
            let sum: u64 = (0..=round).sum();
            assert_eq!((a, b), (sum, 2 * sum));
        }
    }

    #[test]
    fn the_helper_side_runs_on_another_thread_when_available() {
        let here = std::thread::current().id();
        if !available() {
            let (_, there) = join(|| (), || std::thread::current().id());
            assert_eq!(there, here);
            return;
        }
        // Another test's join may hold the helper for a while: then both sides run here.
        let start = std::time::Instant::now();
        let elsewhere = core::iter::from_fn(|| (start.elapsed().as_secs() < 20).then_some(()))
            .any(|()| join(|| (), || std::thread::current().id()).1 != here);
        assert!(elsewhere, "the helper never took a job");
        let _toggling = TOGGLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        set_enabled(false);
        assert!(!available());
        assert_eq!(join(|| (), || std::thread::current().id()).1, here);
        set_enabled(true);
        assert!(available());
    }

    #[test]
    fn a_panic_on_either_side_reaches_the_caller_after_both_finish() {
        let finished = std::sync::atomic::AtomicBool::new(false);
        let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            join(
                || panic!("left"),
                || finished.store(true, std::sync::atomic::Ordering::SeqCst),
            )
        }));
        assert!(caught.is_err());
        assert!(finished.load(std::sync::atomic::Ordering::SeqCst));
        let caught = std::panic::catch_unwind(|| join(|| 1, || -> u8 { panic!("right") }));
        assert!(caught.is_err());
        // The helper is free again.
        assert_eq!(join(|| 1, || 2), (1, 2));
    }

    #[test]
    fn serial_keeps_joins_on_this_thread_and_ends_with_its_closure() {
        let here = std::thread::current().id();
        let before = available();
        let (ids, inside) = serial(|| {
            let ids: Vec<_> = (0..1000)
                .map(|_| join(|| (), || std::thread::current().id()).1)
                .collect();
            (ids, available())
        });
        assert!(ids.iter().all(|id| *id == here));
        assert!(!inside);
        assert_eq!(available(), before);
        let _ = std::panic::catch_unwind(|| serial(|| panic!("inside serial")));
        assert_eq!(available(), before);
    }

    #[test]
    fn join_halves_applies_one_function_to_both_halves() {
        let mut data: Vec<u32> = (0..100).collect();
        let (low, high) = data.split_at_mut(50);
        let sums = join_halves(low, high, |half: &mut [u32]| {
            half.iter_mut().for_each(|x| *x *= 2);
            half.iter().sum::<u32>()
        });
        assert_eq!(sums, ((0..50).sum::<u32>() * 2, (50..100).sum::<u32>() * 2));
        assert!(data.iter().enumerate().all(|(k, x)| *x == 2 * k as u32));
    }

    /// A child forked after the helper started has no helper thread: its joins run inline
    /// instead of waiting forever for one.
    #[test]
    #[cfg(target_os = "linux")]
    fn a_forked_child_joins_without_the_helper() {
        start();
        // SAFETY: the child only does async-signal-safe work (atomics, arithmetic) and leaves
        // by `_exit`; `alarm` ends it if a join hangs.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            unsafe { libc::alarm(10) };
            let sums = join(|| (1..=10).sum::<u32>(), || (11..=20).sum::<u32>());
            let code = if sums == (55, 155) && !available_in_child() {
                0
            } else {
                1
            };
            unsafe { libc::_exit(code) };
        }
        let mut status = 0;
        // SAFETY: waits for the child made above.
        let waited = unsafe { libc::waitpid(pid, &raw mut status, 0) };
        assert_eq!(waited, pid);
        assert!(
            libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
            "the child's join hung or failed (status {status})"
        );
    }

    /// Whether the child would hand a job to a helper (it must not).
    #[cfg(target_os = "linux")]
    fn available_in_child() -> bool {
        imp::helper_usable()
    }

    #[test]
    fn nested_joins_run_inline() {
        let (a, (b, c)) = join(|| 1, || join(|| 2, || 3));
        assert_eq!((a, b, c), (1, 2, 3));
    }
}
