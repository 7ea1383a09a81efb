//! The decision rule of one call site: split this step across threads, or run it whole on the
//! calling thread? Decided by measurement, not by a fixed size.
//!
//! The rule keeps a *chosen* way (it starts with "whole") and runs steps that way for an epoch;
//! then it *probes* the other way for [`PROBE`] steps and compares the two. Not counted: the
//! split steps of a phase until a helper first takes a piece (a sleeping helper may take a long
//! while to be scheduled; [`PROBE`] such steps end the phase as a loss), then the first [`WARM`]
//! steps of every phase (caches move between cores) and, in a phase that splits, its first
//! [`SPLIT_WARM_NS`] of steps (a helper's core that sat idle runs slowly for a while; those
//! steps are given back to the phase, so a probe still counts [`PROBE`] steps). Compared: the
//! probe's mean step time with the mean of the chosen way's last block of [`BLOCK`] steps, each
//! without its single slowest step (so that one interruption, which may fall in either, decides
//! nothing; a split that often waits for a descheduled helper still shows in the mean):
//!
//! - splitting is chosen only when its mean is at most [`SPLIT_WINS`] of the whole step's mean
//!   (it must win by 5%), and when the whole step takes at least [`MIN_SPLIT_NS`] (4 µs; its
//!   fastest time in the last phase: the work itself, without interruptions; a hand-off cannot
//!   pay below that, so such a step is never probed);
//! - running whole is chosen back as soon as its mean is not above the split one's;
//! - a probe that loses doubles the epoch (up to [`MAX_EPOCH`] steps), so on a busy machine the
//!   cost of re-probing fades to well under 1%; a probe that wins resets it to at least
//!   [`EPOCH`];
//! - when splitting wins, the next chosen phase is also long enough that probing the whole step
//!   again costs at most about [`PROBE_COST`] percent of the time ([`epoch_for_margin`]; at most
//!   [`MAX_EPOCH`] steps, so a split more than about 3.5 times as fast pays a little more): a
//!   split that halves a step is not probed against the whole step every few dozen steps (the
//!   seed's RNN, run for a few hundred steps, spent a fifth of them whole, 1.15× the time of
//!   always splitting). The price: a win that was noise (a whole block measured in a busy spell)
//!   keeps a split that does not pay for up to that many steps, at the cost of what the split
//!   loses per step (small: a split whose helper is late has its pieces taken back). Bounding the
//!   phase after a first win to 256 steps until a second probe confirmed it made the RNN's short
//!   runs lose the split in one run of two (a noisy second probe) and take 1.07–1.13× the time.
//!   Not when running whole wins: a split that loses by far was most often waiting for a
//!   descheduled helper, a passing state that a long phase would keep;
//! - a chosen phase ends at once when most steps of a block take half again as long as the
//!   block before (the machine got busy; one long interruption is one slow step, not a busy
//!   machine), and the probe follows.
//!
//! A chosen phase that runs whole *coasts* ([`Rule::coast`]): its steps are neither timed nor
//! planned, but for the last [`WARM`] + [`BLOCK`], which give the block the next probe is compared
//! with; when splitting cannot pay (a step under [`MIN_SPLIT_NS`], no free CPU) the phases grow
//! as after a lost probe, so a step that never splits costs its site a count and nothing more.
//!
//! When splitting is not allowed at all (threads off, no free CPU, see `load`), the rule runs
//! whole and does not probe. The rule only counts; its caller reads the clock (`site`), so it is
//! tested here with made-up timings.

/// Steps of the first chosen phase, and of a chosen phase after a switch.
pub const EPOCH: u32 = 32;
/// The longest chosen phase, after probes kept losing.
pub const MAX_EPOCH: u32 = 4096;
/// Steps of a probe of the other way.
pub const PROBE: u32 = 32;
/// Steps at the start of each phase that are run but not counted.
pub const WARM: u32 = 4;
/// The time at the start of a phase that splits that is run but not counted (on top of
/// [`WARM`] steps), and given back to the phase. A split after a phase run whole starts on a
/// helper whose core sat idle: on a 2-core VM (AMD EPYC family 25, AVX2), 1000 HH neurons in f32
/// took 13-17 µs a split step over the first 30 of a probe, against 7-8 µs in a long split
/// phase and 8-11 µs whole, so nearly every probe lost and the default took 1.05-1.1x the time
/// of one thread; skipping the first 500 µs, the probes measured 7.5-7.8 µs.
pub const SPLIT_WARM_NS: u64 = 500_000;
/// What probing the losing way may cost, in percent of the time of the chosen phases.
pub const PROBE_COST: u64 = 2;
/// Splitting must take at most this fraction (percent) of the whole step's time to be chosen.
pub const SPLIT_WINS: u64 = 95;
/// A step shorter than this when run whole is never split: handing half of it to another
/// thread (two cache-line transfers each way, the data of the half) does not pay reliably.
/// Measured on 2-core virtual machines: with a bound of 2 µs and four pieces per thread, 1000
/// HH neurons in f32 (a 6 µs step) ran 1.43× slower by default than on one thread (Intel Xeon,
/// AVX-512), the rule misled by run-to-run noise larger than what a split could gain; with 8
/// µs that step never split, and ran 1.37× the time of the build before the redesign, whose
/// spinning helper split it (Intel Xeon, AVX2). With one piece per thread (a hand-off of 0.76
/// µs instead of 1.1) and 4 µs, it splits and runs in 0.72× the time of 8 µs (46 against 64
/// ms; 0.75 of one thread in `contention.py`, and no split when the machine is busy or shared);
/// the RNN in f64 0.91×; LIF's 4000 neurons (a 6 µs step bound by memory) are tried, seldom
/// split, and take the same time (0.99×).
pub const MIN_SPLIT_NS: u64 = 4_000;
/// A step of a chosen phase is slow when it exceeds the last block's mean by this factor
/// (percent); a block of mostly slow steps ends the phase early.
pub const EARLY_FACTOR: u64 = 150;
/// Counted steps in a block: what a probe is compared with, and the unit of the early end.
pub const BLOCK: u32 = 64;

/// Counted step times (ns) of a phase or a block.
#[derive(Clone, Copy, Debug)]
struct Window {
    sum: u64,
    n: u32,
    slowest: u64,
    fastest: u64,
    /// Steps above the slow threshold given to `add`.
    slow: u32,
}

impl Window {
    const EMPTY: Window = Window {
        sum: 0,
        n: 0,
        slowest: 0,
        fastest: u64::MAX,
        slow: 0,
    };

    fn add(&mut self, ns: u64, slow_above: u64) {
        self.sum = self.sum.saturating_add(ns);
        self.n += 1;
        self.slowest = self.slowest.max(ns);
        self.fastest = self.fastest.min(ns);
        self.slow += u32::from(ns > slow_above);
    }

    /// The mean without the slowest step (`None` when empty).
    fn mean(&self) -> Option<u64> {
        match self.n {
            0 => None,
            1 => Some(self.sum),
            n => Some((self.sum - self.slowest) / u64::from(n - 1)),
        }
    }
}

/// The state of the rule at one call site (see the module docs).
#[derive(Clone, Debug)]
pub struct Rule {
    /// The chosen way: split (`true`) or whole.
    chosen: bool,
    /// In a probe of the other way.
    probing: bool,
    /// Steps left in this phase.
    left: u32,
    /// Steps left to skip before counting.
    warm: u32,
    /// In a phase that splits: time (ns) left to skip before counting.
    warm_ns: u64,
    /// In a split phase: a helper has taken a piece.
    helped: bool,
    /// In a split phase: steps no helper took part in, before the first that one did.
    unhelped: u32,
    /// The counted steps of this phase, and of its current block.
    phase: Window,
    block: Window,
    /// Mean of the chosen way's last full block (ns; 0: none yet).
    chosen_mean: u64,
    /// Mean time of the step run whole, last measured (ns; 0: not yet).
    whole_mean: u64,
    /// The fastest whole step of the last phase that ran whole (ns; 0: not yet).
    whole_fastest: u64,
    /// Length of the next chosen phase.
    epoch: u32,
    /// What the site keys this rule by (a type's name, for the free functions).
    pub key: usize,
}

impl Rule {
    /// A fresh rule: runs whole for [`EPOCH`] steps, then probes splitting.
    pub const fn new() -> Rule {
        Rule {
            chosen: false,
            probing: false,
            left: EPOCH,
            warm: WARM,
            warm_ns: 0,
            helped: false,
            unhelped: 0,
            phase: Window::EMPTY,
            block: Window::EMPTY,
            chosen_mean: 0,
            whole_mean: 0,
            whole_fastest: 0,
            epoch: EPOCH,
            key: 0,
        }
    }

    /// Whether this phase splits.
    fn phase_splits(&self) -> bool {
        self.chosen != self.probing
    }

    /// Whether the next step splits. `allowed`: the threads can split now at all.
    pub fn plan(&mut self, allowed: bool) -> bool {
        if !allowed && self.phase_splits() {
            // Back to running whole, and stay there until splitting is allowed again; then probe
            // it soon.
            self.chosen = false;
            self.epoch = EPOCH;
            self.start_phase(false, EPOCH);
        }
        if self.left == 0 {
            self.end_phase(allowed);
        }
        self.left -= 1;
        self.phase_splits()
    }

    /// Whether the next step runs whole without being timed or planned (and counts it): in a
    /// chosen phase that runs whole, until the last [`WARM`] + [`BLOCK`] steps before its end,
    /// which are timed (they make the block a probe is compared with). Nothing else needs the
    /// time of a whole step: a machine that gets busy only makes a split pay less. The
    /// bookkeeping of a timed step (the clock, the machine's load, the rule) took 1-2% of a
    /// 3 µs LIF step that never splits.
    pub fn coast(&mut self) -> bool {
        let coasting = !self.chosen && !self.probing && self.left > WARM + BLOCK;
        if coasting {
            self.left -= 1;
        }
        coasting
    }

    /// The measured time of a step planned by [`plan`](Self::plan): `split` says how it ran
    /// (a planned split may have run whole, when the threads were taken), `helped` whether a
    /// helper ran a piece of it; a step that did not run the phase's way is not counted.
    pub fn record(&mut self, split: bool, helped: bool, ns: u64) {
        if split != self.phase_splits() {
            return;
        }
        if split && !self.helped {
            self.helped = helped;
            if !helped {
                // Not a step of this phase yet: give it back, unless the helpers never come.
                self.unhelped += 1;
                self.left = if self.unhelped >= PROBE {
                    0
                } else {
                    self.left + 1
                };
            }
            return;
        }
        if self.warm_ns > 0 {
            // A split phase warming up: not counted, and given back to the phase.
            self.warm_ns = self.warm_ns.saturating_sub(ns.max(1));
            self.left += 1;
            return;
        }
        if self.warm > 0 {
            self.warm -= 1;
            return;
        }
        let slow_above = self.chosen_mean.saturating_mul(EARLY_FACTOR) / 100;
        self.phase.add(ns, slow_above);
        self.block.add(ns, slow_above);
        if self.block.n == BLOCK {
            let busier = self.block.slow > BLOCK / 2 && self.chosen_mean > 0;
            if !self.probing {
                if busier {
                    // End now, and compare the probe with this block: it is how things are now.
                    self.left = 0;
                }
                self.chosen_mean = self.block.mean().unwrap_or(self.chosen_mean);
            }
            self.block = Window::EMPTY;
        }
    }

    fn start_phase(&mut self, probing: bool, steps: u32) {
        self.probing = probing;
        self.left = steps;
        self.warm = WARM;
        self.warm_ns = if self.chosen == probing {
            0
        } else {
            SPLIT_WARM_NS
        };
        self.helped = false;
        self.unhelped = 0;
        self.phase = Window::EMPTY;
        self.block = Window::EMPTY;
    }

    fn end_phase(&mut self, allowed: bool) {
        if self.phase_splits() && !self.helped && self.unhelped > 0 {
            // No helper came: splitting lost, whether probed or chosen.
            self.chosen = false;
            self.epoch = if self.probing {
                (self.epoch * 2).min(MAX_EPOCH)
            } else {
                EPOCH
            };
            self.start_phase(false, self.epoch);
            return;
        }
        if self.probing {
            if let Some(probe) = self.phase.mean() {
                if !self.chosen {
                    // The probe split.
                    if probe * 100 <= self.chosen_mean * SPLIT_WINS {
                        self.chosen = true;
                        self.epoch = epoch_for_margin(EPOCH, probe, self.chosen_mean);
                    } else {
                        self.epoch = (self.epoch * 2).min(MAX_EPOCH);
                    }
                } else {
                    // The probe ran whole.
                    self.whole_mean = probe;
                    self.whole_fastest = self.phase.fastest;
                    if probe <= self.chosen_mean {
                        self.chosen = false;
                        self.epoch = EPOCH;
                    } else {
                        self.epoch = epoch_for_margin(
                            (self.epoch * 2).min(MAX_EPOCH),
                            self.chosen_mean,
                            probe,
                        );
                    }
                }
                // The chosen way's last block will be measured anew.
                self.chosen_mean = if self.chosen { 0 } else { self.whole_mean };
            }
            self.start_phase(false, self.epoch);
            return;
        }
        // A chosen phase too short for a block is compared as a whole.
        if self.chosen_mean == 0 || self.phase.n < BLOCK {
            self.chosen_mean = self.phase.mean().unwrap_or(self.chosen_mean);
        }
        if !self.chosen && self.phase.n > 0 {
            self.whole_mean = self.chosen_mean;
            self.whole_fastest = self.phase.fastest;
        }
        let probe_split = !self.chosen;
        let worth_it = self.whole_fastest >= MIN_SPLIT_NS;
        if self.chosen_mean == 0 {
            // Nothing to compare with: another chosen phase.
            self.start_phase(false, self.epoch);
        } else if probe_split && !(allowed && worth_it) {
            // Splitting cannot pay (a short step, or no free CPU): a longer chosen phase, as
            // after a lost probe, so that its steps coast.
            self.epoch = (self.epoch * 2).min(MAX_EPOCH);
            self.start_phase(false, self.epoch);
        } else {
            self.start_phase(true, PROBE);
        }
    }
}

/// The next chosen phase after a comparison that the way taking `winner` ns a step won against
/// the one taking `loser`: at least `epoch` steps, and enough that the next probe of the loser
/// ([`PROBE`] steps, each `loser - winner` slower) costs at most [`PROBE_COST`] percent of the
/// phase; at most [`MAX_EPOCH`].
fn epoch_for_margin(epoch: u32, winner: u64, loser: u64) -> u32 {
    let lost = u64::from(PROBE).saturating_mul(loser.saturating_sub(winner));
    let steps = lost
        .saturating_mul(100)
        .div_ceil(PROBE_COST.saturating_mul(winner.max(1)));
    epoch.max(u32::try_from(steps).unwrap_or(u32::MAX).min(MAX_EPOCH))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `steps` steps with the given times (ns) for a split and a whole step; returns how
    /// many were split.
    fn drive(rule: &mut Rule, steps: u32, allowed: bool, split_ns: u64, whole_ns: u64) -> u32 {
        let mut splits = 0;
        for _ in 0..steps {
            let split = rule.plan(allowed);
            splits += u32::from(split);
            rule.record(split, split, if split { split_ns } else { whole_ns });
        }
        splits
    }

    /// The split steps of a phase's warm-up in time ([`SPLIT_WARM_NS`]), at `split_ns` a step.
    fn warm_steps(split_ns: u64) -> u32 {
        u32::try_from(SPLIT_WARM_NS.div_ceil(split_ns)).unwrap()
    }

    #[test]
    fn a_split_that_wins_by_far_is_not_probed_against_the_whole_step_for_long() {
        // Split 6 µs, whole 10 µs: a probe of 32 whole steps loses 128 µs, 2% of 1067 split
        // steps. One phase of EPOCH whole steps and the split's probe; after that, no whole step
        // for 1067 steps.
        let mut rule = Rule::new();
        // (The probe's result is read when the step after it is planned: its first split step.
        // The probe's warm-up in time is given back to it.)
        let warm = warm_steps(6_000);
        let splits = drive(&mut rule, EPOCH + PROBE + warm + 1, true, 6_000, 10_000);
        assert_eq!(splits, PROBE + warm + 1);
        assert!(rule.chosen);
        assert_eq!(drive(&mut rule, 1_066, true, 6_000, 10_000), 1_066);
        assert_eq!(epoch_for_margin(EPOCH, 6_000, 10_000), 1_067);
        // A narrow win keeps the short epoch; a huge one is capped.
        assert_eq!(epoch_for_margin(EPOCH, 9_900, 10_000), EPOCH);
        assert_eq!(epoch_for_margin(EPOCH, 1, 1_000_000), MAX_EPOCH);
        assert_eq!(epoch_for_margin(EPOCH, 0, 0), EPOCH);
    }

    #[test]
    fn a_split_that_pays_is_chosen_and_kept() {
        let mut rule = Rule::new();
        drive(&mut rule, 200, true, 6_000, 10_000);
        assert!(rule.chosen);
        let splits = drive(&mut rule, 100_000, true, 6_000, 10_000);
        assert!(splits > 99_000, "{splits} of 100 000 steps split");
    }

    #[test]
    fn a_split_that_does_not_pay_is_probed_more_and_more_rarely() {
        let mut rule = Rule::new();
        let splits = drive(&mut rule, 100_000, true, 12_000, 10_000);
        assert!(!rule.chosen);
        assert!(splits < 2_250, "{splits} of 100 000 steps split");
        assert_eq!(rule.epoch, MAX_EPOCH);
        // At the longest epoch, one probe (and its warm-up) per MAX_EPOCH + PROBE steps.
        let probe = PROBE + warm_steps(12_000);
        let splits = drive(&mut rule, 10 * (MAX_EPOCH + probe), true, 12_000, 10_000);
        assert_eq!(splits, 10 * probe);
    }

    #[test]
    fn a_split_that_is_slow_only_while_its_helper_warms_up_is_chosen() {
        // Split steps take 15 µs for the first 400 µs of each phase that splits (the helper's
        // idle core), then 6 µs; whole steps 10 µs. Counted from the start, a probe of 32 split
        // steps would average over 10 µs and lose every time.
        let mut rule = Rule::new();
        let (mut splits, mut since) = (0, 0_u64);
        let mut was_split = false;
        for _ in 0..20_000 {
            let split = rule.plan(true);
            if split && !was_split {
                since = 0;
            }
            was_split = split;
            let ns = if !split {
                10_000
            } else if since < 400_000 {
                15_000
            } else {
                6_000
            };
            since += ns;
            splits += u32::from(split);
            rule.record(split, split, ns);
        }
        assert!(rule.chosen);
        assert!(splits > 18_000, "{splits} of 20 000 steps split");
    }

    #[test]
    fn a_split_must_win_by_the_margin() {
        let mut rule = Rule::new();
        let splits = drive(&mut rule, 50_000, true, 9_800, 10_000);
        assert!(!rule.chosen);
        assert!(splits < 1_500, "{splits}");
    }

    #[test]
    fn nothing_splits_when_splitting_is_not_allowed() {
        let mut rule = Rule::new();
        assert_eq!(drive(&mut rule, 50_000, false, 1_000, 10_000), 0);
        // Allowed again: probed and chosen.
        drive(&mut rule, 10_000, true, 1_000, 10_000);
        assert!(rule.chosen);
        // Disallowed while split: the very next step runs whole.
        assert!(!rule.plan(false));
        assert!(!rule.chosen);
    }

    #[test]
    fn a_whole_phase_coasts_until_its_last_block_and_still_probes() {
        let mut rule = Rule::new();
        // Splitting loses: the epochs grow, and their steps coast but for the last block.
        let (mut coasted, mut planned, mut splits) = (0, 0, 0);
        for _ in 0..100_000 {
            if rule.coast() {
                coasted += 1;
                continue;
            }
            planned += 1;
            let split = rule.plan(true);
            splits += u32::from(split);
            rule.record(split, split, if split { 12_000 } else { 10_000 });
        }
        assert!(coasted > 90_000, "{coasted} of 100 000 steps coasted");
        assert!(splits > 0 && splits < 2_250, "{splits} split");
        // When splitting starts to pay, a probe still finds it.
        drive(&mut rule, 10 * MAX_EPOCH, true, 6_000, 10_000);
        assert!(rule.chosen);
        assert!(!rule.coast(), "a chosen split never coasts");
        assert!(planned > 0);
    }

    #[test]
    fn a_step_too_short_to_split_coasts() {
        let mut rule = Rule::new();
        let whole = MIN_SPLIT_NS / 2;
        let mut coasted = 0;
        for _ in 0..100_000 {
            if rule.coast() {
                coasted += 1;
            } else {
                let split = rule.plan(true);
                assert!(!split);
                rule.record(split, false, whole);
            }
        }
        assert!(coasted > 90_000, "{coasted} of 100 000 steps coasted");
    }

    #[test]
    fn a_short_step_is_never_probed() {
        let mut rule = Rule::new();
        let whole = MIN_SPLIT_NS - 1;
        assert_eq!(drive(&mut rule, 50_000, true, whole / 4, whole), 0);
    }

    #[test]
    fn one_interrupted_step_does_not_make_a_short_step_long() {
        let mut rule = Rule::new();
        // 100 ns steps, one of them preempted for 1 ms: the mean is over 2 µs, the work is not.
        let mut splits = 0;
        for k in 0..50_000 {
            let split = rule.plan(true);
            splits += u32::from(split);
            let ns = if split {
                50
            } else if k == 10 {
                1_000_000
            } else {
                100
            };
            rule.record(split, split, ns);
        }
        assert_eq!(splits, 0);
    }

    #[test]
    fn a_split_that_stops_paying_is_left_within_a_few_hundred_steps() {
        let mut rule = Rule::new();
        drive(&mut rule, 100_000, true, 6_000, 10_000);
        assert!(rule.chosen);
        assert_eq!(rule.epoch, MAX_EPOCH);
        // The machine gets busy: a split step now takes 30 µs. The phase ends early, the probe
        // of the whole step wins.
        let mut steps = 0;
        while rule.chosen {
            drive(&mut rule, 1, true, 30_000, 10_000);
            steps += 1;
        }
        assert!(steps <= 2 * BLOCK + WARM + PROBE + 1, "{steps} steps");
    }

    #[test]
    fn split_steps_count_from_the_first_a_helper_took_part_in() {
        let mut rule = Rule::new();
        drive(&mut rule, EPOCH, true, 0, 10_000);
        // The probe: the helper sleeps for 20 steps (each then runs whole, and slowly), then
        // takes its pieces: the split is judged by those, and chosen.
        let mut k = 0;
        while !rule.chosen && k < 1000 {
            let split = rule.plan(true);
            let helped = split && k >= 20;
            rule.record(split, helped, if helped { 6_000 } else { 12_000 });
            k += 1;
        }
        assert!(rule.chosen, "{rule:?}");
    }

    #[test]
    fn a_split_no_helper_takes_part_in_loses() {
        let mut rule = Rule::new();
        let mut splits = 0;
        for _ in 0..100_000 {
            let split = rule.plan(true);
            splits += u32::from(split);
            rule.record(split, false, if split { 1_000 } else { 10_000 });
        }
        assert!(!rule.chosen);
        assert_eq!(rule.epoch, MAX_EPOCH);
        assert!(splits < 2_000, "{splits}");
    }

    #[test]
    fn an_interruption_now_and_then_does_not_end_a_split() {
        let mut rule = Rule::new();
        drive(&mut rule, 10_000, true, 6_000, 10_000);
        assert!(rule.chosen);
        // One step in a hundred preempted for 1 ms: still split, probing whole rarely.
        let mut whole = 0;
        for k in 0..100_000 {
            let split = rule.plan(true);
            whole += u32::from(!split);
            let ns = if k % 100 == 0 {
                1_000_000
            } else if split {
                6_000
            } else {
                10_000
            };
            rule.record(split, split, ns);
        }
        assert!(rule.chosen);
        assert!(whole < 1_000, "{whole} of 100 000 steps whole");
    }

    #[test]
    fn steps_that_ran_the_other_way_are_not_counted() {
        let mut rule = Rule::new();
        for _ in 0..10_000 {
            let split = rule.plan(true);
            // A planned split always finds the threads taken and runs whole (fast).
            rule.record(false, false, if split { 100 } else { 10_000 });
        }
        // The probes never counted a split step, so nothing was compared and nothing changed.
        assert!(!rule.chosen);
        assert_eq!(rule.whole_mean, 10_000);
    }
}
