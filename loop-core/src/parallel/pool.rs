//! The helper threads, and how the pieces of one job reach them.
//!
//! A *job* is a number of pieces (up to 65 535) of work that may run on any thread. The caller
//! publishes it in one word ([`pack`]: a generation, the front and the back of the pieces not yet
//! taken), wakes sleeping helpers, does its own share, then **takes back** every piece no helper
//! has started: the caller takes pieces from the front, helpers from the back, each piece by one
//! compare-and-swap of that word, so every piece runs exactly once. The caller then waits only
//! for pieces a helper has *started*; a helper that is descheduled before it takes a piece costs
//! nothing, and one descheduled in the middle of a piece costs that piece.
//!
//! Nobody spins for long: a helper looks for the next job for [`SPIN`] after its last one
//! (steps of a run come every few microseconds), then sleeps on a futex of its own until a job is
//! published. The caller that wakes it marks it awake in the same instruction, so the callers of
//! the next jobs, published before the woken helper is scheduled again (tens of microseconds on
//! a virtual machine), do not each make a system call to wake it again;
//! the caller spins for [`WAIT_SPIN`] for the pieces helpers are finishing, then sleeps until the
//! last one wakes it. The job's control words live in one static pool; the job itself (the
//! closure, its data) lives on the caller's stack, and a helper reads it only after taking a
//! piece, which the caller waits for: a helper late by any amount finds the word of a newer
//! generation and takes nothing.
//!
//! One job at a time: a caller that finds the pool taken (another thread's job, or a nested one
//! inside a piece) is told so and runs its work itself. A child of `fork` made after the helpers
//! started has none (Linux: marked by a `pthread_atfork` handler), and runs everything itself.
//! A panic in a piece is caught where it runs and resumed on the caller once every piece is done.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::sync::{Mutex, Once, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use super::parts::{Parts, bounds};
use super::stats::{CALLER_PIECES, HELPER_PIECES};
use super::wait::{wait, wake};

/// How long a helper keeps looking for the next job after its last one, before it sleeps.
pub const SPIN: Duration = Duration::from_micros(50);

/// How long the caller spins for the pieces helpers are running, before it sleeps.
pub const WAIT_SPIN: Duration = Duration::from_micros(20);

/// The most pieces in one job.
pub const MAX_PIECES: usize = u16::MAX as usize;

/// The most helper threads a process starts.
pub const MAX_HELPERS: usize = 255;

/// A helper's sleep word: it runs or spins (or a caller has woken it).
const AWAKE: u32 = 0;
/// A helper's sleep word: it sleeps, or is about to, until a caller wakes it.
const ASLEEP: u32 = 1;

/// What a helper sees of a job: how to run piece `k` of it. The first field of every job type.
struct Task {
    run: unsafe fn(*const Task, usize),
}

/// The shared words of the pool (see the module docs).
struct Pool {
    /// A job owns the pool.
    busy: AtomicBool,
    /// The pieces not taken yet ([`pack`]).
    claim: AtomicU64,
    /// The job's task (valid while one of its pieces is taken and not done).
    task: AtomicPtr<Task>,
    /// Pieces of the job done.
    done: AtomicU32,
    /// The caller sleeps on `done`.
    waiting: AtomicU32,
    /// Each helper's sleep word ([`AWAKE`] or [`ASLEEP`]; helper `k` sleeps on word `k`).
    sleep: [AtomicU32; MAX_HELPERS],
    /// Helper threads started.
    helpers: AtomicUsize,
    /// A piece of the job panicked (so the caller need not lock `panic` after every job).
    panicked: AtomicBool,
    /// The first panic of a piece of the job.
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

static POOL: Pool = Pool {
    busy: AtomicBool::new(false),
    claim: AtomicU64::new(0),
    task: AtomicPtr::new(core::ptr::null_mut()),
    done: AtomicU32::new(0),
    waiting: AtomicU32::new(0),
    sleep: [const { AtomicU32::new(AWAKE) }; MAX_HELPERS],
    helpers: AtomicUsize::new(0),
    panicked: AtomicBool::new(false),
    panic: Mutex::new(None),
};

static START: Once = Once::new();

/// This process is a child of `fork` made after the helpers started: it has none.
static FORKED: AtomicBool = AtomicBool::new(false);

/// Test hook: helpers take no piece while set (so the caller must take everything back).
#[cfg(test)]
pub static HOLD: AtomicBool = AtomicBool::new(false);

/// Test counts: times a helper marked itself asleep, and wake-up calls made by callers.
#[cfg(test)]
static SLEEPS: AtomicU64 = AtomicU64::new(0);
#[cfg(test)]
static WAKES: AtomicU64 = AtomicU64::new(0);

/// The claim word: generation (32 bits), front (16), back (16). Pieces `front..back` are free.
pub const fn pack(generation: u32, front: u16, back: u16) -> u64 {
    ((generation as u64) << 32) | ((front as u64) << 16) | back as u64
}

/// The generation, front and back of a claim word.
pub const fn unpack(word: u64) -> (u32, u16, u16) {
    // Truncations: the fields of `pack`.
    #[allow(clippy::cast_possible_truncation)]
    ((word >> 32) as u32, (word >> 16) as u16, word as u16)
}

/// The word after taking the front piece, and that piece; `None` when none is free.
pub const fn take_front(word: u64) -> Option<(u64, usize)> {
    let (generation, front, back) = unpack(word);
    if front < back {
        Some((pack(generation, front + 1, back), front as usize))
    } else {
        None
    }
}

/// The word after taking the back piece, and that piece; `None` when none is free.
pub const fn take_back(word: u64) -> Option<(u64, usize)> {
    let (generation, front, back) = unpack(word);
    if front < back {
        Some((pack(generation, front, back - 1), back as usize - 1))
    } else {
        None
    }
}

/// Takes a free piece of the current job with `take` (front or back), if any.
fn claim(take: fn(u64) -> Option<(u64, usize)>) -> Option<usize> {
    let mut word = POOL.claim.load(Ordering::Acquire);
    loop {
        let (new, piece) = take(word)?;
        match POOL
            .claim
            .compare_exchange_weak(word, new, Ordering::AcqRel, Ordering::Acquire)
        {
            Ok(_) => return Some(piece),
            Err(now) => word = now,
        }
    }
}

/// Starts `helpers` helper threads (at most [`MAX_HELPERS`]), once per process (later calls do
/// nothing). Returns whether any is running.
pub fn start(helpers: usize) -> bool {
    START.call_once(|| {
        let mut started = 0;
        for k in 0..helpers.min(MAX_HELPERS) {
            let spawned = thread::Builder::new()
                .name(format!("looptime-helper-{k}"))
                .spawn(move || helper_loop(&POOL.sleep[k]));
            if spawned.is_err() {
                break;
            }
            started += 1;
        }
        if started > 0 {
            // A child of `fork` has no helper threads: it must not wait for them.
            #[cfg(target_os = "linux")]
            // SAFETY: registers a handler that only stores to an atomic.
            unsafe {
                libc::pthread_atfork(None, None, Some(after_fork_in_child));
            }
        }
        POOL.helpers.store(started, Ordering::Release);
    });
    usable()
}

/// The helpers were started and none can be used: none could be spawned, or this process is a
/// child of `fork`.
pub fn broken() -> bool {
    START.is_completed() && !usable()
}

/// The helper threads of this process that are not asleep (running, spinning, or woken).
pub fn awake() -> usize {
    POOL.sleep[..POOL.helpers.load(Ordering::Acquire)]
        .iter()
        .filter(|sleep| sleep.load(Ordering::Relaxed) == AWAKE)
        .count()
}

/// Helper threads exist in this process.
pub fn usable() -> bool {
    POOL.helpers.load(Ordering::Acquire) > 0 && !FORKED.load(Ordering::Relaxed)
}

#[cfg(target_os = "linux")]
extern "C" fn after_fork_in_child() {
    FORKED.store(true, Ordering::Relaxed);
}

/// A helper's life: take pieces while there are any, look for more for [`SPIN`], then sleep on
/// its word `sleep` until a caller wakes it.
fn helper_loop(sleep: &AtomicU32) {
    let mut idle_since = Instant::now();
    let mut polls: u32 = 0;
    loop {
        #[cfg(test)]
        let held = HOLD.load(Ordering::Relaxed);
        #[cfg(not(test))]
        let held = false;
        if !held && let Some(piece) = claim(take_back) {
            let task = POOL.task.load(Ordering::Acquire);
            // SAFETY: the piece is taken and not done, so the job is live: its caller waits for
            // `done` before it returns.
            unsafe { ((*task).run)(task, piece) };
            finish_piece();
            HELPER_PIECES.add();
            idle_since = Instant::now();
            polls = 0;
            continue;
        }
        polls = polls.wrapping_add(1);
        // The clock costs more than a poll: read it every 64 polls.
        if polls.is_multiple_of(64) && idle_since.elapsed() > SPIN {
            #[cfg(test)]
            SLEEPS.fetch_add(1, Ordering::SeqCst);
            sleep.store(ASLEEP, Ordering::SeqCst);
            // Either this sees the new job, or its caller sees this helper asleep, marks it
            // awake and wakes it (or has marked it when the wait begins): all SeqCst.
            if take_back(POOL.claim.load(Ordering::SeqCst)).is_none() {
                while sleep.load(Ordering::SeqCst) == ASLEEP {
                    wait(sleep, ASLEEP);
                }
            } else {
                sleep.store(AWAKE, Ordering::SeqCst);
            }
            idle_since = Instant::now();
            polls = 0;
        } else {
            core::hint::spin_loop();
        }
    }
}

/// Wakes up to `helpers` sleeping helpers for the job just published. A helper going to sleep
/// marks its word, then looks at `claim`: if this sees it awake, it will see the job (both
/// SeqCst). Each helper marked asleep here is marked awake by the same swap that finds it: one
/// system call per sleep, however many jobs are published before it runs again.
fn wake_helpers(helpers: usize) {
    let mut left = helpers;
    for sleep in &POOL.sleep[..POOL.helpers.load(Ordering::Acquire)] {
        if left == 0 {
            break;
        }
        if sleep.load(Ordering::SeqCst) == ASLEEP && sleep.swap(AWAKE, Ordering::SeqCst) == ASLEEP {
            #[cfg(test)]
            WAKES.fetch_add(1, Ordering::SeqCst);
            wake(sleep, 1);
            left -= 1;
        }
    }
}

/// Marks a piece done, waking the caller if it sleeps.
fn finish_piece() {
    POOL.done.fetch_add(1, Ordering::SeqCst);
    if POOL.waiting.load(Ordering::SeqCst) != 0 {
        wake(&POOL.done, 1);
    }
}

/// Keeps the first panic of a piece for the caller.
fn keep_panic(payload: Box<dyn Any + Send>) {
    let mut slot = POOL.panic.lock().unwrap_or_else(PoisonError::into_inner);
    if slot.is_none() {
        *slot = Some(payload);
    }
    POOL.panicked.store(true, Ordering::Release);
}

/// Waits until `pieces` pieces are done: spins for [`WAIT_SPIN`], then sleeps.
fn wait_done(pieces: u32) {
    // The clock is read only once the wait is not over after a few polls.
    let mut start: Option<Instant> = None;
    let mut polls: u32 = 0;
    while POOL.done.load(Ordering::Acquire) != pieces {
        polls = polls.wrapping_add(1);
        if polls.is_multiple_of(64) && start.get_or_insert_with(Instant::now).elapsed() > WAIT_SPIN
        {
            POOL.waiting.store(1, Ordering::SeqCst);
            loop {
                let done = POOL.done.load(Ordering::SeqCst);
                if done == pieces {
                    break;
                }
                wait(&POOL.done, done);
            }
            POOL.waiting.store(0, Ordering::Relaxed);
            return;
        }
        core::hint::spin_loop();
    }
}

/// Frees the pool when a job ends, also when it unwinds.
struct Release;

impl Drop for Release {
    fn drop(&mut self) {
        POOL.busy.store(false, Ordering::Release);
    }
}

/// Runs a job of `pieces` pieces of `task`, waking up to `helpers` sleeping helpers: `first` on
/// this thread while helpers take pieces from the back, then the pieces left from the front,
/// then waits for the pieces helpers started. Returns `first`'s result and whether a helper ran
/// any piece; `Err(first)` (nothing run) when the pool has no helpers or runs another job. A
/// panic in `first` or a piece is resumed here once all are done.
fn run_job<R, F: FnOnce() -> R>(
    task: *const Task,
    pieces: usize,
    helpers: usize,
    first: F,
) -> Result<(R, bool), F> {
    debug_assert!(pieces <= MAX_PIECES);
    if !usable() || POOL.busy.swap(true, Ordering::Acquire) {
        return Err(first);
    }
    let release = Release;
    POOL.done.store(0, Ordering::Relaxed);
    POOL.task.store(task.cast_mut(), Ordering::Relaxed);
    let (generation, _, _) = unpack(POOL.claim.load(Ordering::Relaxed));
    // Truncation: at most MAX_PIECES.
    #[allow(clippy::cast_possible_truncation)]
    let word = pack(generation.wrapping_add(1), 0, pieces as u16);
    POOL.claim.store(word, Ordering::SeqCst);
    wake_helpers(helpers);
    let first = catch_unwind(AssertUnwindSafe(first));
    // Take back what no helper has started.
    let mut mine = 0;
    while let Some(piece) = claim(take_front) {
        mine += 1;
        // SAFETY: the task is live (on the stack of this call's caller) and the piece is ours.
        unsafe { ((*task).run)(task, piece) };
        POOL.done.fetch_add(1, Ordering::SeqCst);
        CALLER_PIECES.add();
    }
    #[allow(clippy::cast_possible_truncation)]
    wait_done(pieces as u32);
    // Every piece is done: a panic of one was kept before its `done`.
    let panic = if POOL.panicked.swap(false, Ordering::Acquire) {
        POOL.panic
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    } else {
        None
    };
    drop(release);
    match (first, panic) {
        (Err(payload), _) | (Ok(_), Some(payload)) => resume_unwind(payload),
        (Ok(r), None) => Ok((r, mine < pieces)),
    }
}

/// The job of a `join`: one piece, `b`.
#[repr(C)]
struct JoinTask<B, RB> {
    task: Task,
    b: UnsafeCell<Option<B>>,
    rb: UnsafeCell<Option<RB>>,
}

/// Runs the piece of a [`JoinTask`]. Safety: `task` is the header of a live `JoinTask<B, RB>`,
/// and the piece is taken by this thread.
unsafe fn run_join<B: FnOnce() -> RB, RB>(task: *const Task, _piece: usize) {
    // SAFETY: as the contract says; `JoinTask` is repr(C) with the header first.
    let job = unsafe { &*task.cast::<JoinTask<B, RB>>() };
    // SAFETY: only the thread that took the piece touches `b` and `rb` until it is done.
    let b = unsafe { (*job.b.get()).take() };
    match catch_unwind(AssertUnwindSafe(move || b.map(|b| b()))) {
        // SAFETY: as above.
        Ok(rb) => unsafe { *job.rb.get() = rb },
        Err(payload) => keep_panic(payload),
    }
}

/// `a` here and `b` on a helper if one takes it in time (else here too, after `a`); both
/// results, and whether a helper ran `b`. `Err((a, b))` (nothing run) when the pool is not
/// free.
pub fn join<A, B, RA, RB>(a: A, b: B, helpers: usize) -> Result<((RA, RB), bool), (A, B)>
where
    A: FnOnce() -> RA,
    B: FnOnce() -> RB + Send,
    RB: Send,
{
    let job = JoinTask {
        task: Task {
            run: run_join::<B, RB>,
        },
        b: UnsafeCell::new(Some(b)),
        rb: UnsafeCell::new(None),
    };
    // A pointer to the whole job (helpers reach `b` and `rb` through it), cast to its header.
    let task = (&raw const job).cast::<Task>();
    match run_job(task, 1, helpers, a) {
        Ok((ra, helped)) => {
            let rb = job.rb.into_inner().expect("a finished join has its result");
            Ok(((ra, rb), helped))
        }
        Err(a) => {
            let b = job
                .b
                .into_inner()
                .expect("an unpublished join keeps its closure");
            Err((a, b))
        }
    }
}

/// The job of [`for_each_piece`]: `f` over the pieces of `raw`.
#[repr(C)]
struct PiecesTask<'f, P: Parts, F> {
    task: Task,
    raw: P::Raw,
    len: usize,
    align: usize,
    pieces: usize,
    f: &'f F,
}

/// Runs piece `k` of a [`PiecesTask`]. Safety: `task` is the header of a live
/// `PiecesTask<P, F>`, and piece `k` is taken by this thread.
unsafe fn run_piece<P: Parts, F: Fn(usize, P) + Sync>(task: *const Task, k: usize) {
    // SAFETY: as the contract says; `PiecesTask` is repr(C) with the header first.
    let job = unsafe { &*task.cast::<PiecesTask<'_, P, F>>() };
    let (start, end) = bounds(job.len, job.align, job.pieces, k);
    if start == end {
        return;
    }
    // SAFETY: piece `k`'s range, taken by this thread only; pieces are disjoint.
    let piece = unsafe { P::piece(job.raw, start, end) };
    if let Err(payload) = catch_unwind(AssertUnwindSafe(|| (job.f)(start, piece))) {
        keep_panic(payload);
    }
}

/// `f(start, piece)` for each of `pieces` pieces of `raw` (`len` elements, cut at multiples of
/// `align`), on this thread and on helpers; whether a helper ran any piece. `None` (nothing run)
/// when the pool is not free.
pub fn for_each_piece<P, F>(
    raw: P::Raw,
    len: usize,
    align: usize,
    pieces: usize,
    helpers: usize,
    f: &F,
) -> Option<bool>
where
    P: Parts,
    F: Fn(usize, P) + Sync,
{
    let job = PiecesTask::<P, F> {
        task: Task {
            run: run_piece::<P, F>,
        },
        raw,
        len,
        align,
        pieces: pieces.min(MAX_PIECES),
        f,
    };
    let task = (&raw const job).cast::<Task>();
    run_job(task, job.pieces, helpers, || ())
        .ok()
        .map(|((), helped)| helped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn pieces_are_taken_from_both_ends_once() {
        let mut word = pack(7, 0, 5);
        let mut taken = Vec::new();
        for k in 0.. {
            let step = if k % 3 == 0 {
                take_back(word)
            } else {
                take_front(word)
            };
            let Some((next, piece)) = step else { break };
            taken.push(piece);
            word = next;
        }
        taken.sort_unstable();
        assert_eq!(taken, [0, 1, 2, 3, 4]);
        assert_eq!(unpack(word).0, 7);
        assert_eq!(take_front(word), None);
        assert_eq!(take_back(word), None);
        assert_eq!(unpack(pack(u32::MAX, u16::MAX, 3)), (u32::MAX, u16::MAX, 3));
    }

    /// Held by tests that hold the helpers back, so that other tests of this module see them.
    static HOLDING: Mutex<()> = Mutex::new(());

    #[test]
    fn the_caller_takes_back_what_no_helper_started() {
        let _holding = HOLDING.lock().unwrap_or_else(PoisonError::into_inner);
        if !start(1) {
            return;
        }
        HOLD.store(true, Ordering::SeqCst);
        let here = thread::current().id();
        let mut ran = 0;
        for _ in 0..1000 {
            // Another test's job may hold the pool: then nothing runs, and that is fine too.
            if let Ok(((_, there), helped)) = join(|| (), || thread::current().id(), 1) {
                assert_eq!(there, here);
                assert!(!helped);
                ran += 1;
            }
        }
        let counts: Vec<AtomicUsize> = (0..64).map(|_| AtomicUsize::new(0)).collect();
        let mut data = [0_u32; 64];
        let ran_pieces = for_each_piece::<&mut [u32], _>(
            (&mut data[..]).into_raw(),
            64,
            1,
            64,
            1,
            &|start, piece: &mut [u32]| {
                counts[start].fetch_add(1, Ordering::SeqCst);
                piece[0] += 1;
            },
        );
        HOLD.store(false, Ordering::SeqCst);
        assert!(ran > 0 || ran_pieces.is_none());
        assert_ne!(ran_pieces, Some(true));
        if ran_pieces.is_some() {
            assert!(counts.iter().all(|c| c.load(Ordering::SeqCst) == 1));
            assert_eq!(data, [1; 64]);
        }
    }

    #[test]
    fn every_piece_runs_once_on_some_thread() {
        let _holding = HOLDING.lock().unwrap_or_else(PoisonError::into_inner);
        start(1);
        let mut data = vec![0_u64; 10_000];
        for round in 1..=200_u64 {
            let f = |start: usize, piece: &mut [u64]| {
                for (k, x) in piece.iter_mut().enumerate() {
                    *x += (start + k) as u64;
                }
            };
            let raw = (&mut data[..]).into_raw();
            if for_each_piece::<&mut [u64], _>(raw, 10_000, 8, 16, 1, &f).is_none() {
                f(0, &mut data);
            }
            assert!(data.iter().enumerate().all(|(k, x)| *x == k as u64 * round));
        }
    }

    #[test]
    fn a_sleeping_helper_is_woken_once_however_many_jobs_come_before_it_runs() {
        // Each round lets the helper fall asleep (idle past SPIN), then publishes jobs back to
        // back: the first finds it asleep and wakes it; the next ones, published before it is
        // scheduled again, must not call the kernel again. Counted for the whole process (other
        // tests' jobs included): a wake-up call is made only by the swap that marks a sleeping
        // helper awake, so there are never more calls than sleeps.
        let _holding = HOLDING.lock().unwrap_or_else(PoisonError::into_inner);
        start(1);
        let ran = AtomicUsize::new(0);
        for _ in 0..50 {
            thread::sleep(SPIN * 4);
            for _ in 0..8 {
                let b = || {
                    ran.fetch_add(1, Ordering::Relaxed);
                };
                if let Err((a, b)) = join(|| (), b, 1) {
                    a();
                    b();
                }
            }
        }
        assert_eq!(ran.load(Ordering::Relaxed), 50 * 8);
        let (wakes, sleeps) = (WAKES.load(Ordering::SeqCst), SLEEPS.load(Ordering::SeqCst));
        assert!(wakes > 0, "the helper never slept between the rounds");
        assert!(wakes <= sleeps, "{wakes} wake-up calls for {sleeps} sleeps");
    }

    #[test]
    fn a_panicking_piece_is_resumed_after_every_piece_is_done() {
        let _holding = HOLDING.lock().unwrap_or_else(PoisonError::into_inner);
        start(1);
        let finished = AtomicUsize::new(0);
        let caught = catch_unwind(AssertUnwindSafe(|| {
            let f = |start: usize, _: &[u8]| {
                if start == 0 {
                    panic!("piece 0");
                }
                finished.fetch_add(1, Ordering::SeqCst);
            };
            let data = [0_u8; 8];
            if for_each_piece::<&[u8], _>((&data[..]).into_raw(), 8, 1, 8, 1, &f).is_none() {
                panic!("the pool was taken");
            }
        }));
        assert!(caught.is_err());
        // Unless the pool was taken, the other seven pieces ran before the panic came back.
        let n = finished.load(Ordering::SeqCst);
        assert!(n == 7 || n == 0, "{n}");
        // The pool is free again, and the panic was taken with it.
        assert!(POOL.panic.lock().unwrap().is_none());
        let sums = join(|| 1, || 2, 1).map_or((1, 2), |(sums, _)| sums);
        assert_eq!(sums, (1, 2));
    }
}
