//! [`for_each_job`]: long independent jobs — a whole run of a model each, milliseconds rather
//! than the microseconds of one step — spread over this thread and the helpers whenever other
//! processes leave a CPU free (`load`), with no [`Site`](super::Site) rule.
//!
//! A rule measures whether splitting a step pays, over dozens of steps; a run is called a few
//! times, and its hand-off (a few microseconds) is nothing beside it, so what decides is only
//! whether a CPU is free now. A job no helper has started when this thread has finished its own
//! is run here (a helper that is not running costs nothing); inside [`serial`](super::serial),
//! with the threads off, or without `std`, every job runs here, in order. A job must not depend
//! on where or in which order the jobs run; each job's result is then the same bits.

use super::Parts;
use super::site::whole;

/// `f(job)` for every job of `jobs`, one job per piece, on this thread and the helpers when a CPU
/// is free (see the module docs).
///
/// ```
/// use loop_core::parallel;
///
/// // Two halves of a population, each stepped through a whole run on its own core.
/// let mut halves = [vec![0.0_f64; 500], vec![0.0_f64; 500]];
/// parallel::for_each_job(&mut halves, |v| {
///     for _ in 0..1000 {
///         v.iter_mut().for_each(|v| *v += 0.001);
///     }
/// });
/// assert!(halves.iter().flatten().all(|v| (v - 1.0).abs() < 1e-9));
/// ```
///
/// # Panics
/// When `f` panics (after every job has finished or been abandoned by that panic).
pub fn for_each_job<J: Send, F: Fn(&mut J) + Sync>(jobs: &mut [J], f: F) {
    let each = |_: usize, jobs: &mut [J]| jobs.iter_mut().for_each(&f);
    let len = jobs.len();
    let raw = jobs.into_raw();
    if len >= 2 && imp::split(raw, len, &each) {
        super::stats::SPLIT_STEPS.add();
    } else {
        whole(raw, len, &each);
    }
}

#[cfg(feature = "std")]
mod imp {
    use super::super::pool;
    use super::super::site::imp::helpers;
    use super::Parts;

    /// Runs `each` over the jobs of `raw` split one per piece, when a helper may take some;
    /// whether it did (else nothing ran).
    pub fn split<J: Send, E: Fn(usize, &mut [J]) + Sync>(
        raw: <&mut [J] as Parts>::Raw,
        len: usize,
        each: &E,
    ) -> bool {
        let threads = super::super::threads();
        if threads < 2 {
            return false;
        }
        let helpers = helpers(threads);
        helpers > 0
            && pool::for_each_piece::<&mut [J], E>(raw, len, 1, len, helpers, each).is_some()
    }
}

#[cfg(not(feature = "std"))]
mod imp {
    use super::Parts;

    pub fn split<J: Send, E: Fn(usize, &mut [J])>(
        _: <&mut [J] as Parts>::Raw,
        _: usize,
        _: &E,
    ) -> bool {
        false
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::super::{available, serial, split_always, start};
    use super::*;

    /// Job `k` of `n`: a run of 2000 steps over its own values, recording the thread it ran on.
    fn jobs(n: usize) -> Vec<(Vec<f64>, Option<std::thread::ThreadId>)> {
        (0..n).map(|k| (vec![k as f64; 256], None)).collect()
    }

    fn run(job: &mut (Vec<f64>, Option<std::thread::ThreadId>)) {
        for _ in 0..2000 {
            job.0
                .iter_mut()
                .for_each(|v| *v = (*v * 1.000_1).sin() + 0.5);
        }
        job.1 = Some(std::thread::current().id());
    }

    #[test]
    fn every_job_runs_once_with_the_same_result_wherever_it_runs() {
        let here = std::thread::current().id();
        let mut alone = jobs(5);
        serial(|| for_each_job(&mut alone, run));
        assert!(alone.iter().all(|(_, on)| *on == Some(here)));

        start();
        let begin = std::time::Instant::now();
        // Split (whenever the machine has a helper): the same values; retried, since another
        // test's split may hold the pool.
        loop {
            let mut split = jobs(5);
            split_always(|| for_each_job(&mut split, run));
            let values =
                |jobs: &[(Vec<f64>, _)]| jobs.iter().map(|j| j.0.clone()).collect::<Vec<_>>();
            assert_eq!(values(&split), values(&alone));
            let elsewhere = split.iter().any(|(_, on)| *on != Some(here));
            if elsewhere || !available() || begin.elapsed().as_secs() > 20 {
                assert!(elsewhere || !available(), "no helper ever took a job");
                break;
            }
        }
    }

    #[test]
    fn no_job_and_one_job_run_here() {
        for_each_job(&mut [] as &mut [u8], |_| panic!("called on nothing"));
        let mut one = [0_u8];
        split_always(|| for_each_job(&mut one, |x| *x += 1));
        assert_eq!(one, [1]);
    }

    #[test]
    fn a_panicking_job_reaches_the_caller() {
        let caught = std::panic::catch_unwind(|| {
            let mut jobs = [0_u8, 1, 2, 3];
            split_always(|| {
                for_each_job(&mut jobs, |x| {
                    if *x == 2 {
                        panic!("job 2");
                    }
                })
            });
        });
        assert!(caught.is_err());
        // The pool is free again.
        let mut jobs = [0_u8, 1];
        for_each_job(&mut jobs, |x| *x += 1);
        assert_eq!(jobs, [1, 2]);
    }
}
