//! Whether the machine has CPUs to spare: a split is only worth trying when another CPU is idle.
//! On a machine already busy with other processes, a helper thread would only take a core from
//! them (or from our own caller), and two processes that both split on two cores slow each
//! other down.
//!
//! On Linux, every [`INTERVAL`] the busy time of the CPUs in this process's affinity mask is read
//! from `/proc/stat`, minus this process's own CPU time (`CLOCK_PROCESS_CPUTIME_ID`): what is
//! left is the load of the other processes, in CPUs. A split may use as many threads as CPUs are
//! left free, rounded (1.5 free CPUs allow two threads), within [`threads`](super::cpus::threads).
//! The file is read with `libc` into a stack buffer: a step that takes a sample allocates
//! nothing. The clock is read at one call in [`CLOCK_EVERY`], to see whether a sample is due.
//! Until a second sample gives the first interval, the process's first [`INTERVAL`], the free
//! CPUs are guessed from the threads runnable now (`/proc/loadavg`'s fourth field, minus this
//! process's caller and its helpers not asleep: [`free_from_runnable`]), so that a process
//! started beside busy ones does not split its first steps against them (every CPU counted as
//! free, HH beside two busy loops made 309 futex calls and 344 context switches in its first run
//! of 10 000 steps, against none and 30 on one thread). The guess is renewed every
//! [`GUESS_EVERY`] until then, and a CPU counts as busy only when each of the last [`GUESSES`]
//! readings says so ([`recent_free`]; a busy loop is runnable at every reading). One reading is
//! a snapshot: a thread runnable for an instant (a helper on its way to sleep, another process
//! starting) made the single first reading say "busy" for the whole first interval in 3 of 6
//! runs of a training step on a quiet 2-core VM (AMD EPYC family 26, 2026-12-05), so that
//! nothing split in its first 200 calls; renewed, two readings in a row still said so about
//! every 100 ms.
//! Elsewhere every CPU counts as free.

use std::time::Duration;

/// How often the load is sampled (the time over which it is measured).
pub const INTERVAL: Duration = Duration::from_millis(100);

/// One call in this many reads the clock to see whether a new sample is due.
pub const CLOCK_EVERY: u32 = 16;

/// How often the guess of the first interval is renewed (see the module docs).
pub const GUESS_EVERY: Duration = Duration::from_millis(2);

/// How many of the last guesses a CPU must be busy in to count as busy.
pub const GUESSES: usize = 4;

/// The free CPUs of the recent `guesses` (NaN: no reading in that slot yet): the most any
/// says, NaN when none has been made.
pub fn recent_free(guesses: [f64; GUESSES]) -> f64 {
    guesses
        .into_iter()
        .filter(|g| !g.is_nan())
        .fold(f64::NAN, f64::max)
}

/// Whether the guess made at `guessed_ns` (ns from the first reading; [`u64::MAX`]: an interval
/// has been measured, no more guesses) is to be renewed at `now_ns`.
pub fn guess_due(now_ns: u64, guessed_ns: u64) -> bool {
    let every = u64::try_from(GUESS_EVERY.as_nanos()).unwrap_or(u64::MAX);
    guessed_ns != u64::MAX && now_ns.saturating_sub(guessed_ns) >= every
}

/// The threads a split may use on this machine now: `threads` (the CPUs allowed), fewer when
/// other processes keep CPUs busy. Takes a new sample when the last is [`INTERVAL`] old.
pub fn usable_threads(threads: usize) -> usize {
    if threads < 2 {
        return threads;
    }
    imp::free_cpus().map_or(threads, |free| usable(threads, free))
}

/// The threads that `free` idle CPUs (others' load subtracted) allow: rounded, within
/// `threads`, at least 1.
pub fn usable(threads: usize, free: f64) -> usize {
    // Rounded: a float in 0..threads, non-negative after `max`.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let rounded = (free.max(0.0) + 0.5) as usize;
    rounded.clamp(1, threads)
}

/// The CPUs of the mask left free by other processes over an interval: `busy` and `total`
/// ticks of those `cpus` CPUs elapsed, `ours` seconds of this process's CPU time over `wall`
/// seconds.
pub fn free_cpus(cpus: usize, busy: u64, total: u64, ours: f64, wall: f64) -> f64 {
    if total == 0 || wall <= 0.0 {
        return cpus as f64;
    }
    let busy_cpus = busy as f64 / total as f64 * cpus as f64;
    let others = (busy_cpus - ours / wall).max(0.0);
    cpus as f64 - others
}

/// The CPUs of `cpus` left free by the threads runnable now, from `/proc/loadavg` (`loadavg`:
/// its text, whose fourth field is `runnable/total` scheduling entities of the whole machine,
/// this thread included) less `ours` of this process's threads that may be among them: a guess
/// for the time before the first interval is measured. `None` when the text does not parse.
pub fn free_from_runnable(loadavg: &[u8], cpus: usize, ours: usize) -> Option<f64> {
    let field = loadavg
        .split(|b| *b == b' ')
        .filter(|f| !f.is_empty())
        .nth(3)?;
    let runnable = field.split(|b| *b == b'/').next()?;
    let runnable: usize = core::str::from_utf8(runnable).ok()?.parse().ok()?;
    let others = runnable.saturating_sub(ours.max(1));
    Some(cpus.saturating_sub(others) as f64)
}

/// The busy and total ticks of one `cpuN` line of `/proc/stat`, if `N` is in `mask` (`None` for
/// any other line, including the `cpu` line of all CPUs).
pub fn stat_line(line: &[u8], mask: &super::cpus::CpuMask) -> Option<(u64, u64)> {
    let rest = line.strip_prefix(b"cpu")?;
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let cpu: usize = core::str::from_utf8(&rest[..digits]).ok()?.parse().ok()?;
    if mask
        .get(cpu / 64)
        .is_none_or(|w| w & (1 << (cpu % 64)) == 0)
    {
        return None;
    }
    // user nice system idle iowait irq softirq steal (guest and guest_nice are in user, nice).
    let mut fields = rest[digits..]
        .split(|b| *b == b' ')
        .filter(|f| !f.is_empty())
        .map(|f| {
            core::str::from_utf8(f)
                .ok()
                .and_then(|s| s.trim().parse::<u64>().ok())
        });
    let mut t = [0_u64; 8];
    for slot in &mut t {
        *slot = fields.next().flatten().unwrap_or(0);
    }
    let idle = t[3] + t[4];
    let busy = t[0] + t[1] + t[2] + t[5] + t[6] + t[7];
    Some((busy, busy + idle))
}

#[cfg(target_os = "linux")]
mod imp {
    use core::ffi::CStr;
    use core::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
    use std::sync::{Mutex, OnceLock};
    use std::time::Instant;

    use super::super::cpus::{CpuMask, cpus};

    /// One reading: ticks of the mask's CPUs, this process's CPU time, when.
    #[derive(Clone, Copy)]
    struct Sample {
        cpus: usize,
        busy: u64,
        total: u64,
        ours: f64,
        at: Instant,
    }

    /// The last sample, and the free CPUs over the last interval (`f64` bits; NaN: unknown).
    static LAST: Mutex<Option<Sample>> = Mutex::new(None);
    static FREE: AtomicU64 = AtomicU64::new(0x7ff8_0000_0000_0000);
    /// Nanoseconds from `BASE` of the last sample (to skip the lock between samples).
    static LAST_NS: AtomicU64 = AtomicU64::new(0);
    /// Nanoseconds from `BASE` of the last guess from the runnable threads; `u64::MAX` once an
    /// interval has been measured.
    static GUESSED_NS: AtomicU64 = AtomicU64::new(0);
    /// The free CPUs of each of the last guesses (`f64` bits; NaN: none yet), and how many
    /// guesses were made.
    static GUESSED_FREE: [AtomicU64; super::GUESSES] =
        [const { AtomicU64::new(0x7ff8_0000_0000_0000) }; super::GUESSES];
    static GUESS_COUNT: AtomicU32 = AtomicU32::new(0);
    /// The CPUs of the mask found in `/proc/stat` by the first sample.
    static STAT_CPUS: AtomicUsize = AtomicUsize::new(0);
    static BASE: OnceLock<Instant> = OnceLock::new();
    /// Calls since the clock was last read (a plain load and store: a lost count only shifts
    /// the next reading).
    static CALLS: AtomicU32 = AtomicU32::new(0);

    pub fn free_cpus() -> Option<f64> {
        let calls = CALLS.load(Ordering::Relaxed);
        CALLS.store(calls.wrapping_add(1), Ordering::Relaxed);
        if calls.is_multiple_of(super::CLOCK_EVERY) {
            let now = Instant::now();
            let base = *BASE.get_or_init(|| now);
            let now_ns = u64::try_from(now.saturating_duration_since(base).as_nanos());
            let now_ns = now_ns.unwrap_or(u64::MAX);
            let last = LAST_NS.load(Ordering::Relaxed);
            let interval = u64::try_from(super::INTERVAL.as_nanos()).unwrap_or(u64::MAX);
            if last == 0 || now_ns.saturating_sub(last) >= interval {
                sample(now, now_ns);
            } else if super::guess_due(now_ns, GUESSED_NS.load(Ordering::Relaxed)) {
                guess(now_ns, STAT_CPUS.load(Ordering::Relaxed));
            }
        }
        let free = f64::from_bits(FREE.load(Ordering::Relaxed));
        (!free.is_nan()).then_some(free)
    }

    fn sample(now: Instant, now_ns: u64) {
        let Ok(mut last) = LAST.try_lock() else {
            return; // another thread is sampling
        };
        LAST_NS.store(now_ns.max(1), Ordering::Relaxed);
        let (_, mask) = cpus();
        let (Some((cpus, busy, total)), Some(ours)) = (read_stat(mask), process_cpu_seconds())
        else {
            return;
        };
        let new = Sample {
            cpus,
            busy,
            total,
            ours,
            at: now,
        };
        if last.is_none() {
            // The first sample: no interval yet.
            STAT_CPUS.store(new.cpus, Ordering::Relaxed);
            guess(now_ns, new.cpus);
        }
        if let Some(old) = *last {
            GUESSED_NS.store(u64::MAX, Ordering::Relaxed);
            let wall = new.at.saturating_duration_since(old.at).as_secs_f64();
            let free = super::free_cpus(
                new.cpus,
                new.busy.saturating_sub(old.busy),
                new.total.saturating_sub(old.total),
                new.ours - old.ours,
                wall,
            );
            FREE.store(free.to_bits(), Ordering::Relaxed);
        }
        *last = Some(new);
    }

    /// Guesses which of `cpus` CPUs are free from the threads runnable now, less this caller and
    /// the helpers not asleep (until an interval is measured).
    fn guess(now_ns: u64, cpus: usize) {
        GUESSED_NS.store(now_ns, Ordering::Relaxed);
        let ours = 1 + super::super::pool::awake();
        if let Some(free) =
            read_loadavg().and_then(|text| super::free_from_runnable(&text.0[..text.1], cpus, ours))
        {
            // Busy only when the recent readings all said so.
            let slot = GUESS_COUNT.fetch_add(1, Ordering::Relaxed) as usize % super::GUESSES;
            GUESSED_FREE[slot].store(free.to_bits(), Ordering::Relaxed);
            let guesses =
                core::array::from_fn(|k| f64::from_bits(GUESSED_FREE[k].load(Ordering::Relaxed)));
            FREE.store(super::recent_free(guesses).to_bits(), Ordering::Relaxed);
        }
    }

    /// A file of `/proc` open for reading with `libc` (no allocation), closed when dropped.
    struct ProcFile(libc::c_int);

    impl ProcFile {
        fn open(path: &CStr) -> Option<ProcFile> {
            // SAFETY: a NUL-terminated path; the descriptor is closed on drop.
            let fd = unsafe { libc::open(path.as_ptr(), libc::O_RDONLY | libc::O_CLOEXEC) };
            (fd >= 0).then_some(ProcFile(fd))
        }

        /// Reads into `buf`: the bytes read, 0 at the end, `None` on an error.
        fn read(&self, buf: &mut [u8]) -> Option<usize> {
            // SAFETY: reads at most `buf.len()` bytes into `buf`.
            let got = unsafe { libc::read(self.0, buf.as_mut_ptr().cast(), buf.len()) };
            usize::try_from(got).ok()
        }
    }

    impl Drop for ProcFile {
        fn drop(&mut self) {
            // SAFETY: the descriptor opened by `open`, closed once.
            unsafe { libc::close(self.0) };
        }
    }

    /// The text of `/proc/loadavg` (a stack buffer and its length), without allocating.
    fn read_loadavg() -> Option<([u8; 128], usize)> {
        let file = ProcFile::open(c"/proc/loadavg")?;
        let mut buf = [0_u8; 128];
        let got = file.read(&mut buf).filter(|n| *n > 0)?;
        Some((buf, got))
    }

    /// This process's CPU time, in seconds.
    fn process_cpu_seconds() -> Option<f64> {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: fills `ts`.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &raw mut ts) } == 0;
        ok.then_some(ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9)
    }

    /// The number of CPUs in `mask` found in `/proc/stat`, and their busy and total ticks;
    /// without allocating.
    fn read_stat(mask: &CpuMask) -> Option<(usize, u64, u64)> {
        let file = ProcFile::open(c"/proc/stat")?;
        let mut buf = [0_u8; 4096];
        let (mut filled, mut busy, mut total, mut seen) = (0, 0, 0, 0);
        'read: while let Some(got) = file.read(&mut buf[filled..]).filter(|n| *n > 0) {
            filled += got;
            let mut start = 0;
            while let Some(end) = buf[start..filled].iter().position(|b| *b == b'\n') {
                let line = &buf[start..start + end];
                start += end + 1;
                if !line.starts_with(b"cpu") {
                    break 'read; // the CPU lines come first
                }
                if let Some((b, t)) = super::stat_line(line, mask) {
                    busy += b;
                    total += t;
                    seen += 1;
                }
            }
            buf.copy_within(start..filled, 0);
            filled -= start;
            if filled == buf.len() {
                break; // a line longer than the buffer: not a CPU line
            }
        }
        (seen > 0).then_some((seen, busy, total))
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    pub fn free_cpus() -> Option<f64> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn others_load_is_the_busy_time_minus_ours() {
        // Two CPUs, 200 ticks elapsed, 100 busy: one CPU busy. If it was us, both are free.
        assert_eq!(free_cpus(2, 100, 200, 1.0, 1.0), 2.0);
        // If it was someone else, one is free: no second thread.
        assert_eq!(free_cpus(2, 100, 200, 0.0, 1.0), 1.0);
        assert_eq!(usable(2, free_cpus(2, 100, 200, 0.0, 1.0)), 1);
        // Both busy, half of it ours (a caller and a helper at 50%): one other CPU busy.
        assert_eq!(usable(2, free_cpus(2, 200, 200, 1.0, 1.0)), 1);
        // Quiet: the two threads.
        assert_eq!(usable(2, free_cpus(2, 10, 200, 0.0, 1.0)), 2);
        // Sixteen CPUs, three busy with others: at most the threads allowed.
        assert_eq!(usable(4, free_cpus(16, 300, 1600, 0.0, 1.0)), 4);
        assert_eq!(usable(16, free_cpus(16, 300, 1600, 0.0, 1.0)), 13);
        // Never below one thread, never from nothing.
        assert_eq!(usable(2, -3.0), 1);
        assert_eq!(free_cpus(2, 0, 0, 0.0, 1.0), 2.0);
    }

    #[test]
    fn cpu_lines_of_the_mask_only() {
        let mut mask = [0_u64; 16];
        mask[0] = 0b101; // CPUs 0 and 2
        let line = b"cpu0 10 1 5 100 4 1 2 3 7 0";
        assert_eq!(stat_line(line, &mask), Some((22, 126)));
        assert_eq!(stat_line(b"cpu1 10 1 5 100 4 1 2 3 0 0", &mask), None);
        assert_eq!(stat_line(b"cpu  10 1 5 100 4 1 2 3 0 0", &mask), None);
        assert_eq!(stat_line(b"intr 1 2 3", &mask), None);
        // Old kernels have fewer fields.
        assert_eq!(stat_line(b"cpu2 1 2 3 4", &mask), Some((6, 10)));
    }

    #[test]
    fn before_the_first_interval_the_runnable_threads_are_counted() {
        // Two CPUs, beside two busy loops: three threads runnable (the loops and this caller;
        // its helper asleep): no CPU free, no second thread.
        let busy = b"2.04 1.10 0.52 3/251 4242\n";
        assert_eq!(free_from_runnable(busy, 2, 1), Some(0.0));
        assert_eq!(usable(2, free_from_runnable(busy, 2, 1).unwrap()), 1);
        // The same with the helper spinning (runnable too, and counted as ours).
        assert_eq!(
            free_from_runnable(b"2.04 1.10 0.52 4/251 4242", 2, 2),
            Some(0.0)
        );
        // Quiet: this thread alone, or with its helper: both CPUs free.
        assert_eq!(
            free_from_runnable(b"0.00 0.01 0.05 1/120 99", 2, 2),
            Some(2.0)
        );
        assert_eq!(
            free_from_runnable(b"0.00 0.01 0.05 2/120 99", 2, 2),
            Some(2.0)
        );
        assert_eq!(usable(2, 2.0), 2);
        // One busy loop beside us on four CPUs: three free.
        assert_eq!(free_from_runnable(b"1.0 1.0 1.0 2/300 7", 4, 1), Some(3.0));
        // More runnable than CPUs: none free, never negative.
        assert_eq!(free_from_runnable(b"9.0 9.0 9.0 40/300 7", 4, 1), Some(0.0));
        // Text that does not parse.
        assert_eq!(free_from_runnable(b"", 2, 1), None);
        assert_eq!(free_from_runnable(b"1.0 1.0 1.0 x/300 7", 2, 1), None);
    }

    #[test]
    fn a_cpu_is_busy_only_when_every_recent_guess_says_so() {
        let nan = f64::NAN;
        // A thread runnable at one reading of four: both CPUs free.
        assert_eq!(recent_free([2.0, 1.0, 2.0, 2.0]), 2.0);
        // A busy loop beside us, runnable at every reading: one free.
        assert_eq!(recent_free([1.0, 1.0, 1.0, 1.0]), 1.0);
        assert_eq!(recent_free([0.0, 1.0, 0.0, 0.0]), 1.0);
        // The first readings: only those made count.
        assert_eq!(recent_free([1.0, nan, nan, nan]), 1.0);
        assert!(recent_free([nan; GUESSES]).is_nan());
    }

    #[test]
    fn the_guess_is_renewed_until_an_interval_is_measured() {
        let every = u64::try_from(GUESS_EVERY.as_nanos()).unwrap();
        assert!(!guess_due(5, 0));
        assert!(!guess_due(every - 1, 0));
        assert!(guess_due(every, 0));
        assert!(guess_due(7 * every, 3 * every));
        // Once an interval was measured, never again.
        assert!(!guess_due(u64::MAX - 1, u64::MAX));
        // A clock read before the last guess (another thread's) is not a reason.
        assert!(!guess_due(every, 2 * every));
    }

    #[test]
    fn a_sample_can_be_taken_here() {
        for _ in 0..2 * CLOCK_EVERY {
            let threads = usable_threads(2);
            assert!((1..=2).contains(&threads));
        }
    }
}
