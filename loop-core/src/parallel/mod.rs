//! More cores for a step that is worth splitting, without ever making things worse: [`join`]
//! runs two closures, one on the calling thread and one on a helper thread; [`for_each_piece`]
//! runs a closure over pieces of a population's slices on the caller and the helpers. Both
//! decide at each call whether splitting pays, and run everything on the calling thread when it
//! does not — with the same results, since a split step computes the same bits.
//!
//! Why not rayon: a step of a population of a thousand neurons takes a few microseconds, and it
//! is repeated ten thousand times. Handing half of it to a rayon pool from outside the pool costs
//! about as much as the step. Why not a helper that spins for work: on a machine busy with other
//! processes (a parameter sweep of two processes on two cores, a build, CI) it takes a core from
//! them, and waits on it make the caller up to ten times slower than one thread.
//!
//! How (one concept per file):
//!
//! - `pool.rs`: helper threads take *pieces* of a job; the caller does its share and then
//!   **takes back** every piece no helper has started, so a helper that is not running costs
//!   nothing. A helper looks for the next job for a few tens of microseconds after its last one,
//!   then sleeps on a futex; the caller sleeps too when it must wait long.
//! - `rule.rs`: at each call site, the step is timed split and whole; splitting is chosen only
//!   when measured at least 5% faster, is re-probed ever more rarely while it loses, and is left
//!   as soon as it stops paying. A step under 4 µs is never split.
//! - `load.rs`: a split is only tried when other processes leave a CPU free (Linux: the busy time
//!   of `/proc/stat` minus ours); two processes side by side on two cores both run whole.
//! - `cpus.rs`: how many threads at most: the affinity mask, the cgroup's CPU quota, and
//!   `LOOPTIME_THREADS` (`1` turns the threads off, `n` caps them).
//! - `site.rs`: [`Site`], a call site with its rule; the free functions keep one per closure type.
//! - `jobs.rs`: [`for_each_job`], whole runs of independent models spread over the cores when a
//!   CPU is free, without a rule (a run is long enough that a hand-off always pays).
//! - `parts.rs`: [`Parts`], the slices (or tuples of slices) a step is cut along.
//! - `wait.rs`: sleeping on a word (futex).
//! - `stats.rs`: counts of split and whole steps ([`stats()`]), for benchmarks to report.
//!
//! Everything runs on the calling thread when the process may use one CPU, when
//! `LOOPTIME_THREADS=1` is set, after [`set_enabled`]`(false)`, inside [`serial`], when no helper
//! could be spawned, in a child process forked after the helpers started (Linux; elsewhere, do
//! not `fork` a process that uses them), when the pool is busy with another split (another
//! thread's, or an enclosing one's), when the data of [`for_each_piece`] cannot be cut in two
//! pieces (then the CPUs are not even counted, nor a helper started), or when the site's rule
//! says so. Without the `std` feature, everything runs on the calling thread.
//!
//! A step that may split (the element driver of a population) calls, per step:
//!
//! ```
//! use loop_core::parallel::{self, Site};
//!
//! static STEP: Site = Site::new();
//! let (mut v, input) = (vec![0.0_f32; 1000], vec![1.0_f32; 1000]);
//! STEP.for_each_piece((&mut v[..], &input[..]), 16, |_first, (v, input)| {
//!     v.iter_mut().zip(input).for_each(|(v, i)| *v += 0.1 * i);
//! });
//! // Or, with no site of its own (a site per closure type):
//! parallel::for_each_piece(&mut v[..], 16, |_, v| v.iter_mut().for_each(|v| *v *= 2.0));
//! assert!(v.iter().all(|v| *v == 0.2));
//! ```

mod jobs;
// Without `std` nothing splits: the rule, the cutting of pieces and a site's state are unused.
#[cfg_attr(not(feature = "std"), allow(dead_code))]
mod parts;
#[cfg_attr(not(feature = "std"), allow(dead_code))]
mod rule;
#[cfg_attr(not(feature = "std"), allow(dead_code))]
mod site;
mod stats;

#[cfg(feature = "std")]
mod cpus;
#[cfg(feature = "std")]
mod load;
#[cfg(feature = "std")]
mod pool;
#[cfg(feature = "std")]
mod wait;

pub use jobs::for_each_job;
pub use parts::{Parts, RawMut};
pub use site::{PIECES_PER_THREAD, Site};
pub use stats::Stats;

/// A step that takes less than this on one thread is never split (see `rule.rs`).
pub const MIN_SPLIT_WORK: core::time::Duration =
    core::time::Duration::from_nanos(rule::MIN_SPLIT_NS);

/// Whether splits may happen at all: `std`, more than one CPU allowed (affinity, cgroup quota,
/// `LOOPTIME_THREADS`), not turned off by [`set_enabled`], not inside [`serial`], helpers
/// spawned (or not tried yet) and not lost to a `fork`. A step may use this to choose between
/// its split and its plain form; whether a given step splits is decided by its [`Site`].
#[inline]
pub fn available() -> bool {
    imp::available()
}

/// How many threads a split may use, the caller's included (1 when not [`available`]).
pub fn threads() -> usize {
    imp::threads()
}

/// Whether a step of about `work` on one thread may be worth splitting now: [`available`], a
/// CPU left free by other processes, and at least [`MIN_SPLIT_WORK`]. Cheap enough to ask per
/// step; the [`Site`] that runs the step still measures whether the split pays.
pub fn worth_splitting(work: core::time::Duration) -> bool {
    work >= MIN_SPLIT_WORK && imp::free_threads() >= 2
}

/// What the splits of this process did so far (take two readings and [`Stats::since`]).
pub fn stats() -> Stats {
    stats::read()
}

/// `f(first)` here and `f(second)` on a helper thread, as [`join`]: the shape of a split step,
/// one function over two halves of the data.
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

/// Starts the helper threads now, if [`available`] (else does nothing). The first split does it
/// anyway; call this where that one-time cost (thread spawns, which allocate) should not fall in
/// the middle of something measured.
pub fn start() {
    imp::start();
}

/// Runs `f` with every split in it (on this thread) running whole here, and [`available`]
/// saying `false`: for work that is already spread across cores another way (a rayon pool
/// stepping many models), where a second split would only crowd the cores.
pub fn serial<R>(f: impl FnOnce() -> R) -> R {
    imp::serial(f)
}

/// Runs `f` with every split inside it (on this thread) happening whenever the machine has a
/// helper thread, whatever the sites' rules and the machine's load say: for tests that compare
/// split and whole steps bit for bit, which must be sure a split happened. (Inside [`serial`],
/// or with the threads off, nothing splits still.)
pub fn split_always<R>(f: impl FnOnce() -> R) -> R {
    imp::split_always(f)
}

/// Turns the helper threads on or off from now on, in every thread (`false`: every split runs
/// whole on the calling thread; `true`: `LOOPTIME_THREADS` is read again).
pub fn set_enabled(enabled: bool) {
    imp::set_enabled(enabled);
}

/// Runs `a` on the calling thread and `b` on a helper thread (or both here, `a` first: see the
/// module docs), and returns both results once both have finished. Whether to split is decided
/// by a [`Site`] kept for the type of `b` (use [`Site::join`] to keep your own). A panic in either
/// is resumed here, after both have finished.
#[inline]
pub fn join<A, B, RA, RB>(a: A, b: B) -> (RA, RB)
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    let (site, key) = site::for_type::<B>();
    site.join_keyed(key, a, b)
}

/// `f(start, piece)` over `parts` cut at multiples of `align` elements, on this thread and
/// helpers, or `f(0, parts)` once here: [`Site::for_each_piece`] with a site kept for the type
/// of `f`.
///
/// # Panics
///
/// As [`Site::for_each_piece`].
pub fn for_each_piece<P, F>(parts: P, align: usize, f: F)
where
    P: Parts,
    F: Fn(usize, P) + Sync,
{
    let (site, key) = site::for_type::<F>();
    site.for_each_piece_keyed(key, parts, align, f);
}

#[cfg(not(feature = "std"))]
mod imp {
    pub fn available() -> bool {
        false
    }

    pub fn threads() -> usize {
        1
    }

    pub fn free_threads() -> usize {
        1
    }

    pub fn set_enabled(_: bool) {}

    pub fn start() {}

    pub fn serial<R>(f: impl FnOnce() -> R) -> R {
        f()
    }

    pub fn split_always<R>(f: impl FnOnce() -> R) -> R {
        f()
    }
}

#[cfg(feature = "std")]
mod imp {
    use core::cell::Cell;
    use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

    use super::{cpus, load, pool};

    /// Not asked yet / usable / not usable (one CPU, or turned off).
    const UNKNOWN: u8 = 0;
    const ON: u8 = 1;
    const OFF: u8 = 2;
    static ENABLED: AtomicU8 = AtomicU8::new(UNKNOWN);
    /// The threads allowed, read with `ENABLED`.
    static THREADS: AtomicUsize = AtomicUsize::new(1);

    std::thread_local! {
        /// Inside `serial` on this thread.
        static SERIAL: Cell<bool> = const { Cell::new(false) };
        /// Inside `split_always` on this thread.
        static FORCED: Cell<bool> = const { Cell::new(false) };
    }

    /// Runs `f` with `flag` set on this thread, restored as it was also when `f` panics.
    fn with_flag<R>(flag: &'static std::thread::LocalKey<Cell<bool>>, f: impl FnOnce() -> R) -> R {
        struct Restore(&'static std::thread::LocalKey<Cell<bool>>, bool);
        impl Drop for Restore {
            fn drop(&mut self) {
                self.0.with(|s| s.set(self.1));
            }
        }
        let _restore = Restore(flag, flag.with(|s| s.replace(true)));
        f()
    }

    pub fn serial<R>(f: impl FnOnce() -> R) -> R {
        with_flag(&SERIAL, f)
    }

    pub fn split_always<R>(f: impl FnOnce() -> R) -> R {
        with_flag(&FORCED, f)
    }

    /// Inside `split_always` on this thread.
    pub fn forced() -> bool {
        FORCED.with(Cell::get)
    }

    pub fn available() -> bool {
        if SERIAL.with(Cell::get) {
            return false;
        }
        let on = match ENABLED.load(Ordering::Relaxed) {
            ON => true,
            OFF => false,
            _ => {
                let threads = cpus::threads();
                THREADS.store(threads, Ordering::Relaxed);
                let on = threads > 1;
                ENABLED.store(if on { ON } else { OFF }, Ordering::Relaxed);
                on
            }
        };
        on && !pool::broken()
    }

    pub fn threads() -> usize {
        if available() {
            THREADS.load(Ordering::Relaxed)
        } else {
            1
        }
    }

    /// The threads a split could use now: [`threads`], fewer on a busy machine.
    pub fn free_threads() -> usize {
        load::usable_threads(threads())
    }

    pub fn set_enabled(enabled: bool) {
        // `true`: ask again (the variable) at the next `available`.
        ENABLED.store(if enabled { UNKNOWN } else { OFF }, Ordering::Relaxed);
    }

    pub fn start() {
        let threads = threads();
        if threads > 1 {
            pool::start(threads - 1);
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
        start();
        // A split the rule did not choose: the pool itself. The caller's side lasts 100 µs, so
        // that a running helper takes the other side first; another test's split may hold the
        // pool, or the machine may be busy: then both sides run here, and we try again.
        let busy_100us = || {
            let t = std::time::Instant::now();
            while t.elapsed() < std::time::Duration::from_micros(100) {
                core::hint::spin_loop();
            }
        };
        let begin = std::time::Instant::now();
        let elsewhere =
            core::iter::from_fn(|| (begin.elapsed().as_secs() < 20).then_some(())).any(|()| {
                pool::join(busy_100us, || std::thread::current().id(), 1)
                    .is_ok_and(|((_, there), helped)| helped && there != here)
            });
        assert!(elsewhere, "no helper ever took a job");
        let _toggling = TOGGLING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        set_enabled(false);
        assert!(!available());
        assert_eq!(threads(), 1);
        assert_eq!(join(|| (), || std::thread::current().id()).1, here);
        set_enabled(true);
        assert!(available());
    }

    #[test]
    fn for_each_piece_covers_every_element_once() {
        let mut v = vec![0_u32; 10_000];
        let w: Vec<u32> = (0..10_000).collect();
        let site = Site::new();
        for _ in 0..300 {
            site.for_each_piece((&mut v[..], &w[..]), 16, |start, (v, w)| {
                assert_eq!(start % 16, 0);
                assert_eq!(w[0] as usize, start);
                v.iter_mut().zip(w).for_each(|(v, w)| *v += w);
            });
        }
        assert!(v.iter().enumerate().all(|(k, v)| *v as usize == 300 * k));
        // Nothing to do, nothing called.
        for_each_piece(&mut v[..0], 16, |_, _| panic!("called on nothing"));
    }

    #[test]
    #[should_panic(expected = "differ in length")]
    fn for_each_piece_wants_parts_of_one_length() {
        let (mut a, b) = ([0_u8; 4], [0_u8; 5]);
        for_each_piece((&mut a[..], &b[..]), 1, |_, _| ());
    }

    #[test]
    fn worth_splitting_never_for_a_short_step() {
        assert!(!worth_splitting(MIN_SPLIT_WORK / 2));
        if !available() {
            assert!(!worth_splitting(core::time::Duration::from_secs(1)));
        }
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
        pool::usable() || available()
    }

    #[test]
    fn nested_joins_run_inline() {
        let (a, (b, c)) = join(|| 1, || join(|| 2, || 3));
        assert_eq!((a, b, c), (1, 2, 3));
    }
}
