//! [`Site`]: one place in the code that may split its work across threads, with its own
//! decision rule (`rule.rs`) fed by the measured time of each of its steps.
//!
//! A site decides, step by step, whether to split: only when the threads are on, the machine
//! has a CPU to spare (`load.rs`), and splitting was measured to pay at this site. When a split
//! is possible it reads the clock at the start of each step and tells the rule the time from
//! one step's start to the next's: the *period* of the step, which holds what a split costs
//! after it returns too (the caller reading outputs the helper's core wrote, in its own cache).
//! A period counts at most [`PERIOD_PER_STEP`] times the step's own time ([`counted_period`]):
//! a caller that does other work between two steps of a site (a training step's whole forward
//! pass and loss between the last backward step of one pass and the first of the next, once
//! every 30 steps) does not make that one step look 30 times as long. A period over
//! [`MAX_PERIOD`] (the steps stopped for a while) is not counted; when no split is possible,
//! nothing is timed. The free functions of this module
//! ([`join`](super::join), [`for_each_piece`](super::for_each_piece)) use a site per closure
//! type, from a small table ([`for_type`]): each place that calls them learns on its own.

use core::cell::UnsafeCell;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;

use super::parts::Parts;
use super::rule::Rule;
use super::stats::WHOLE_STEPS;

/// How many pieces per usable thread [`Site::for_each_piece`] cuts its data into: one. A piece
/// no helper has started when the caller is done with its own is taken back by the caller; a
/// piece a helper has started holds up the step until it is done, however small the pieces.
/// Smaller pieces balance a late helper more finely, but each costs a hand-off: measured on a
/// 2-core Intel Xeon (AVX2), an even split of 12 µs of work cost 1.1 µs over half of it with
/// four pieces per thread and 0.76 µs with one, and 1000 HH neurons in f64 ran in 0.94x the
/// time with one (89 against 95 ms, alternated); `contention.py` split no step with either
/// when the machine was busy or shared. Again on a 2-core AMD EPYC (family 25, AVX2), whose
/// second CPU ran slower than the first that day: three pieces per thread, which would let the
/// faster thread take more of them, took 1.07x the time of one in 1000 HH neurons (f64 and f32,
/// 10 alternated rounds each).
pub const PIECES_PER_THREAD: usize = 1;

/// The longest time from one step's start to the next that is counted as a step's period.
pub const MAX_PERIOD: Duration = Duration::from_millis(100);

/// A step's period counts at most this many times the step's own time (see
/// [`counted_period`]).
pub const PERIOD_PER_STEP: u32 = 2;

/// The part of a step's `period` (start to the next step's start) that the rule is told: at
/// most [`PERIOD_PER_STEP`] times the step's own time `step` (start to return). What a split
/// costs after it returns (reading outputs in another core's cache) is a fraction of the step;
/// a longer gap is the caller's other work. Uncapped, the seed's RNN training step (a site's 30
/// forward steps of 10–20 µs each, then 0.5 ms of loss and backward pass before the next) put
/// one such gap in most blocks of 64 steps the rule compares and rarely in a probe of 28: the
/// blocks of the split looked 1.7 times as slow as they were, a probe of the whole step won
/// against them, and 7–10% of its steps ran whole (a median training step 1.12–1.27 ms against
/// 0.95–1.0 with every step split, f64, AVX2, AMD EPYC family 25).
pub fn counted_period(period: Duration, step: Duration) -> Duration {
    period.min(step.saturating_mul(PERIOD_PER_STEP))
}

/// The start of the last timed step, its own time (start to return), and whether it split and
/// a helper took part.
#[cfg(feature = "std")]
type Last = Option<(std::time::Instant, Duration, bool, bool)>;
#[cfg(not(feature = "std"))]
type Last = Option<()>;

/// What a site keeps between steps.
struct State {
    rule: Rule,
    last: Last,
}

/// A place in the code that may split its work across threads, and its decision rule (see the
/// module docs). Make one per call site: a `static`, or a field of the model that splits.
///
/// ```
/// use loop_core::parallel::Site;
///
/// static STEP: Site = Site::new();
/// let mut v = vec![1.0_f64; 4096];
/// let input = vec![0.5_f64; 4096];
/// // Element `k` of every slice belongs to neuron `k`; pieces start at multiples of 8.
/// STEP.for_each_piece((&mut v[..], &input[..]), 8, |_start, (v, input)| {
///     v.iter_mut().zip(input).for_each(|(v, i)| *v += i);
/// });
/// assert!(v.iter().all(|v| *v == 1.5));
/// ```
pub struct Site {
    /// A step of this site is running (a second one at the same time runs whole, unmeasured).
    used: AtomicBool,
    state: UnsafeCell<State>,
}

// SAFETY: `state` is only touched by the thread that set `used` (see `Lease`).
unsafe impl Sync for Site {}

impl Default for Site {
    fn default() -> Self {
        Site::new()
    }
}

/// A clone measures afresh (a cloned model may run on another machine, or beside the original).
impl Clone for Site {
    fn clone(&self) -> Self {
        Site::new()
    }
}

impl core::fmt::Debug for Site {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Site").finish_non_exhaustive()
    }
}

/// The right to use a site's rule, released on drop (also when a step unwinds).
struct Lease<'a>(&'a Site);

impl Lease<'_> {
    fn state(&mut self) -> &mut State {
        // SAFETY: this lease set `used`: no other thread touches the state until it is dropped.
        unsafe { &mut *self.0.state.get() }
    }

    fn rule(&mut self) -> &mut Rule {
        &mut self.state().rule
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        self.0.used.store(false, Ordering::Release);
    }
}

impl Site {
    /// A site that has measured nothing yet (it starts by running its steps whole).
    pub const fn new() -> Site {
        Site {
            used: AtomicBool::new(false),
            state: UnsafeCell::new(State {
                rule: Rule::new(),
                last: None,
            }),
        }
    }

    /// The rule, unless another step of this site is running; a rule kept for another `key`
    /// starts afresh.
    fn lease(&self, key: usize) -> Option<Lease<'_>> {
        if self.used.swap(true, Ordering::Acquire) {
            return None;
        }
        let mut lease = Lease(self);
        if lease.rule().key != key {
            *lease.state() = State {
                rule: Rule::new(),
                last: None,
            };
            lease.rule().key = key;
        }
        Some(lease)
    }

    /// `a` here and `b` on a helper thread when this site decides to split (see the module
    /// docs), else both here, `a` first; both results. A panic in either is resumed here after
    /// both have finished.
    pub fn join<A, B, RA, RB>(&self, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB + Send,
        RB: Send,
    {
        self.join_keyed(0, a, b)
    }

    pub(super) fn join_keyed<A, B, RA, RB>(&self, key: usize, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB + Send,
        RB: Send,
    {
        imp::join(self, key, a, b)
    }

    /// `f(first)` here and `f(second)` on a helper thread, as [`join`](Self::join): the shape
    /// of a step split in two halves.
    pub fn join_halves<H, R, F>(&self, first: H, second: H, f: F) -> (R, R)
    where
        H: Send,
        R: Send,
        F: Fn(H) -> R + Sync,
    {
        let f = &f;
        self.join(move || f(first), move || f(second))
    }

    /// `f(start, piece)` over `parts` cut into pieces at multiples of `align` elements (`start`:
    /// the piece's first element), on this thread and helper threads, when this site decides to
    /// split; else `f(0, parts)` once, here. `f` must give the same result whatever the cut (an
    /// element-wise step does). Not called when `parts` is empty.
    ///
    /// # Panics
    ///
    /// When the parts of a tuple differ in length, or (after every piece has finished) when `f`
    /// panics.
    pub fn for_each_piece<P, F>(&self, parts: P, align: usize, f: F)
    where
        P: Parts,
        F: Fn(usize, P) + Sync,
    {
        self.for_each_piece_keyed(0, parts, align, f);
    }

    pub(super) fn for_each_piece_keyed<P, F>(&self, key: usize, parts: P, align: usize, f: F)
    where
        P: Parts,
        F: Fn(usize, P) + Sync,
    {
        let raw = parts.into_raw();
        // No parts with elements: nothing to do.
        let len = P::len(&raw).unwrap_or(0);
        if len == 0 {
            return;
        }
        imp::for_each_piece(self, key, raw, len, align.max(1), &f);
    }
}

/// The site of the free functions for the closure type `K` (and the key of its rule): one of
/// 64, chosen by the type's name; two types that meet in a slot take turns, each starting afresh.
pub fn for_type<K: ?Sized>() -> (&'static Site, usize) {
    static SITES: [Site; 64] = [const { Site::new() }; 64];
    let name = core::any::type_name::<K>();
    let key = (name.as_ptr() as usize) ^ name.len().rotate_left(17);
    let slot = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58;
    // Truncation: a 6-bit slot.
    #[allow(clippy::cast_possible_truncation)]
    (&SITES[slot as usize], key | 1)
}

/// Runs the whole of `raw` in one call of `f`.
pub(super) fn whole<P: Parts, F: Fn(usize, P)>(raw: P::Raw, len: usize, f: &F) {
    WHOLE_STEPS.add();
    // SAFETY: the whole range of the data `raw` came from, the only piece made of it.
    f(0, unsafe { P::piece(raw, 0, len) });
}

#[cfg(feature = "std")]
pub(super) mod imp {
    use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
    use std::time::Instant;

    use super::super::parts::count;
    use super::super::stats::SPLIT_STEPS;
    use super::super::{load, pool};
    use super::{PIECES_PER_THREAD, Parts, Site, WHOLE_STEPS, whole};

    /// The helper threads this step may wake (0: run whole) out of `threads` (at least 2, from
    /// [`threads`](super::super::threads)), started if need be. Inside `split_always`, every
    /// helper, however busy the machine.
    pub(in super::super) fn helpers(threads: usize) -> usize {
        if !pool::start(threads - 1) {
            return 0;
        }
        if super::super::imp::forced() {
            return threads - 1;
        }
        load::usable_threads(threads) - 1
    }

    /// Whether this step splits: the rule's plan, or always inside `split_always`.
    fn plan(lease: &mut super::Lease<'_>, allowed: bool) -> bool {
        let planned = lease.rule().plan(allowed);
        allowed && (planned || super::super::imp::forced())
    }

    /// `a` then `b`, here; a panic in `a` is resumed after `b` has run, as after a split.
    fn both_here<A: FnOnce() -> RA, B: FnOnce() -> RB, RA, RB>(a: A, b: B) -> (RA, RB) {
        WHOLE_STEPS.add();
        let ra = catch_unwind(AssertUnwindSafe(a));
        let rb = b();
        match ra {
            Ok(ra) => (ra, rb),
            Err(payload) => resume_unwind(payload),
        }
    }

    /// Whether this step runs whole untimed ([`Rule::coast`]; never inside `split_always`); the
    /// period of the last timed step is then dropped.
    fn coast(lease: &mut super::Lease<'_>) -> bool {
        if super::super::imp::forced() || !lease.rule().coast() {
            return false;
        }
        lease.state().last = None;
        true
    }

    /// Starts timing a step (when a split is possible): the period of the last timed step ends
    /// now, and goes to the rule.
    fn begin(lease: &mut super::Lease<'_>, timed: bool) -> Option<Instant> {
        let last = lease.state().last.take();
        if !timed {
            return None;
        }
        let now = Instant::now();
        if let Some((start, step, split, helped)) = last {
            let period = now.saturating_duration_since(start);
            if period <= super::MAX_PERIOD {
                let counted = super::counted_period(period, step);
                let ns = u64::try_from(counted.as_nanos()).unwrap_or(u64::MAX);
                lease.rule().record(split, helped, ns);
            }
        }
        Some(now)
    }

    /// Ends a step begun at `start`: its period runs until the next one begins.
    fn end(lease: &mut super::Lease<'_>, start: Option<Instant>, split: bool, helped: bool) {
        lease.state().last = start.map(|start| (start, start.elapsed(), split, helped));
    }

    pub fn join<A, B, RA, RB>(site: &Site, key: usize, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB + Send,
        RB: Send,
    {
        // No helper threads at all (then `threads` is 1): nothing to measure.
        let threads = super::super::threads();
        if threads < 2 {
            return both_here(a, b);
        }
        let Some(mut lease) = site.lease(key) else {
            return both_here(a, b);
        };
        if coast(&mut lease) {
            return both_here(a, b);
        }
        let helpers = helpers(threads);
        // A step is timed only when a split is possible: else the rule has nothing to compare.
        let start = begin(&mut lease, helpers > 0);
        let (out, split, helped) = if plan(&mut lease, helpers > 0) {
            match pool::join(a, b, helpers) {
                Ok((out, helped)) => {
                    SPLIT_STEPS.add();
                    (out, true, helped)
                }
                Err((a, b)) => (both_here(a, b), false, false),
            }
        } else {
            (both_here(a, b), false, false)
        };
        end(&mut lease, start, split, helped);
        out
    }

    pub fn for_each_piece<P, F>(
        site: &Site,
        key: usize,
        raw: P::Raw,
        len: usize,
        align: usize,
        f: &F,
    ) where
        P: Parts,
        F: Fn(usize, P) + Sync,
    {
        // Data that cannot be cut in two pieces, or no helper threads at all (then `threads`
        // is 1): nothing to measure (and the CPUs are not even counted, nor a helper started).
        if len <= align {
            return whole(raw, len, f);
        }
        let threads = super::super::threads();
        if threads < 2 {
            return whole(raw, len, f);
        }
        let Some(mut lease) = site.lease(key) else {
            return whole(raw, len, f);
        };
        if coast(&mut lease) {
            return whole(raw, len, f);
        }
        let helpers = helpers(threads);
        let pieces = count(len, align, PIECES_PER_THREAD * (helpers + 1));
        let allowed = helpers > 0 && pieces > 1;
        let start = begin(&mut lease, allowed);
        let ran = if plan(&mut lease, allowed) {
            pool::for_each_piece::<P, F>(raw, len, align, pieces, helpers, f)
        } else {
            None
        };
        if ran.is_some() {
            SPLIT_STEPS.add();
        } else {
            whole(raw, len, f);
        }
        end(&mut lease, start, ran.is_some(), ran == Some(true));
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use super::{Parts, Site, WHOLE_STEPS, whole};

    pub fn join<A, B, RA, RB>(_: &Site, _: usize, a: A, b: B) -> (RA, RB)
    where
        A: FnOnce() -> RA,
        B: FnOnce() -> RB,
    {
        WHOLE_STEPS.add();
        (a(), b())
    }

    pub fn for_each_piece<P: Parts, F: Fn(usize, P)>(
        _: &Site,
        _: usize,
        raw: P::Raw,
        len: usize,
        _: usize,
        f: &F,
    ) {
        whole(raw, len, f);
    }
}

#[cfg(test)]
mod tests {
    use super::super::rule::Rule;
    use super::*;

    const US: Duration = Duration::from_micros(1);

    #[test]
    fn a_period_counts_its_after_costs_up_to_twice_the_step() {
        // A split step of 8 µs and 4 µs of the caller's work before the next: all counted.
        assert_eq!(counted_period(12 * US, 8 * US), 12 * US);
        // The same step followed by a training step's loss and backward pass: two steps' time.
        assert_eq!(counted_period(550 * US, 8 * US), 16 * US);
        assert_eq!(counted_period(16 * US, 8 * US), 16 * US);
        // A step the caller was descheduled in counts whole (it is in the step's own time).
        assert_eq!(counted_period(2_000 * US, 1_990 * US), 2_000 * US);
        assert_eq!(
            counted_period(Duration::ZERO, Duration::ZERO),
            Duration::ZERO
        );
    }

    /// Steps a rule through a training-like run: 30 steps of a site (8 µs split, 16 µs whole,
    /// each followed by 4 µs of the caller's work), then 550 µs of other work before the next
    /// 30. Returns the fraction of steps after the first thousand that ran whole.
    fn whole_fraction(period_of: impl Fn(Duration, Duration) -> Duration) -> f64 {
        let mut rule = Rule::new();
        let (mut whole, mut counted) = (0, 0);
        for k in 0..30_000_u32 {
            let split = rule.plan(true);
            let step = if split { 8 * US } else { 16 * US };
            let gap = if k % 30 == 29 { 550 * US } else { 4 * US };
            let ns = period_of(step + gap, step).as_nanos();
            rule.record(split, true, u64::try_from(ns).unwrap_or(u64::MAX));
            if k >= 1_000 {
                counted += 1;
                whole += u32::from(!split);
            }
        }
        f64::from(whole) / f64::from(counted)
    }

    #[test]
    fn a_gap_between_passes_does_not_make_the_rule_run_whole() {
        // The cap: whole only for the rule's probes (0.9%: rarely, since the split wins by far).
        let capped = whole_fraction(counted_period);
        assert!(capped < 0.02, "{capped} of the steps ran whole");
        // Uncapped, the gaps fall in the blocks of the split more often than in the probes of
        // the whole step, and the whole step wins probes it should lose.
        let raw = whole_fraction(|period, _| period);
        // (5.5% here; 7-10% in the seed's training step on a 2-core VM.)
        assert!(raw > 3.0 * capped, "uncapped {raw}, capped {capped}");
    }
}
