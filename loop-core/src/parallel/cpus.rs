//! How many threads a split may use: the CPUs this process may run on — its affinity mask
//! (`sched_getaffinity`) and its cgroup's CPU quota (`cpu.max` in cgroup v2, `cpu.cfs_quota_us`
//! / `cpu.cfs_period_us` in v1, the smallest along the cgroup's path) — capped by the
//! `LOOPTIME_THREADS` environment variable (`1` turns the threads off, `n` allows at most `n`
//! threads counting the caller's). A quota of 1.5 CPUs allows one thread: a second would be
//! throttled. Elsewhere than on Linux, `std::thread::available_parallelism`.
//!
//! The CPUs are read once per process; the variable at each [`threads`] after
//! `set_enabled(true)` (see `mod.rs`).

/// The affinity mask of this process: up to 1024 CPUs, bit `c` of word `c / 64` for CPU `c`.
pub type CpuMask = [u64; 16];

/// The CPUs this process may run on, read once: their number (affinity and quota) and the mask
/// (all ones when unknown).
pub fn cpus() -> (usize, &'static CpuMask) {
    static CPUS: std::sync::OnceLock<(usize, CpuMask)> = std::sync::OnceLock::new();
    let (n, mask) = CPUS.get_or_init(read_cpus);
    (*n, mask)
}

/// Threads allowed by `LOOPTIME_THREADS`: `None` when unset or not a positive number.
pub fn env_cap() -> Option<usize> {
    parse_cap(std::env::var("LOOPTIME_THREADS").ok().as_deref())
}

/// The number in `LOOPTIME_THREADS` (see [`env_cap`]).
pub fn parse_cap(value: Option<&str>) -> Option<usize> {
    value?.trim().parse::<usize>().ok().filter(|n| *n > 0)
}

/// The threads a split may use: the CPUs, within the variable's cap (at least 1).
pub fn threads() -> usize {
    let (n, _) = cpus();
    env_cap().map_or(n, |cap| cap.min(n)).max(1)
}

/// The CPUs a quota of `quota` per `period` allows (whole CPUs, at least 1); `None` when the
/// quota is `max` / negative (no limit) or unreadable.
pub fn quota_cpus(quota: &str, period: &str) -> Option<usize> {
    let quota: i64 = quota.trim().parse().ok()?;
    let period: i64 = period.trim().parse().ok()?;
    (quota > 0 && period > 0).then(|| usize::try_from(quota / period).unwrap_or(1).max(1))
}

/// The CPUs allowed by a cgroup v2 `cpu.max` (`"max 100000"`, `"150000 100000"`).
pub fn cpu_max(text: &str) -> Option<usize> {
    let mut words = text.split_whitespace();
    let quota = words.next()?;
    let period = words.next().unwrap_or("100000");
    if quota == "max" {
        return None;
    }
    quota_cpus(quota, period)
}

/// The cgroup paths of this process from `/proc/self/cgroup`: the v2 path (`0::/path`) and the
/// path of the v1 hierarchy holding the `cpu` controller.
pub fn cgroup_paths(text: &str) -> (Option<&str>, Option<&str>) {
    let (mut v2, mut v1) = (None, None);
    for line in text.lines() {
        let mut fields = line.splitn(3, ':');
        let (Some(_), Some(controllers), Some(path)) =
            (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        if controllers.is_empty() {
            v2 = Some(path);
        } else if controllers.split(',').any(|c| c == "cpu") {
            v1 = Some(path);
        }
    }
    (v2, v1)
}

/// `path` and each of its ancestors up to `/`, under `root`.
fn along(root: &str, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut path = path.trim_end_matches('/');
    loop {
        out.push(format!("{root}{path}"));
        match path.rfind('/') {
            Some(at) => path = &path[..at],
            None => break,
        }
        if path.is_empty() {
            out.push(root.to_owned());
            break;
        }
    }
    out.dedup();
    out
}

/// The smallest quota along this process's cgroup path (v2, then v1), in CPUs.
#[cfg(target_os = "linux")]
fn cgroup_quota() -> Option<usize> {
    let read = |p: &str| std::fs::read_to_string(p).ok();
    let text = read("/proc/self/cgroup")?;
    let (v2, v1) = cgroup_paths(&text);
    let mut best: Option<usize> = None;
    let mut take = |q: Option<usize>| {
        if let Some(q) = q {
            best = Some(best.map_or(q, |b| b.min(q)));
        }
    };
    if let Some(path) = v2 {
        for dir in along("/sys/fs/cgroup", path) {
            take(read(&format!("{dir}/cpu.max")).and_then(|t| cpu_max(&t)));
        }
    }
    if let Some(path) = v1 {
        for root in ["/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"] {
            for dir in along(root, path) {
                let quota = read(&format!("{dir}/cpu.cfs_quota_us"));
                let period = read(&format!("{dir}/cpu.cfs_period_us"));
                take(quota.zip(period).and_then(|(q, p)| quota_cpus(&q, &p)));
            }
        }
    }
    best
}

/// The affinity mask and its number of CPUs.
#[cfg(target_os = "linux")]
fn affinity() -> Option<(usize, CpuMask)> {
    // SAFETY: `cpu_set_t` is plain data; `sched_getaffinity` fills it for this process.
    let set = unsafe {
        let mut set: libc::cpu_set_t = core::mem::zeroed();
        if libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &raw mut set) != 0 {
            return None;
        }
        set
    };
    let mut mask = [0_u64; 16];
    let mut n = 0;
    for cpu in 0..(mask.len() * 64).min(libc::CPU_SETSIZE as usize) {
        // SAFETY: `cpu` is below CPU_SETSIZE.
        if unsafe { libc::CPU_ISSET(cpu, &set) } {
            mask[cpu / 64] |= 1 << (cpu % 64);
            n += 1;
        }
    }
    (n > 0).then_some((n, mask))
}

fn read_cpus() -> (usize, CpuMask) {
    let fallback = std::thread::available_parallelism().map_or(1, |n| n.get());
    #[cfg(target_os = "linux")]
    {
        let (n, mask) = affinity().unwrap_or((fallback, [u64::MAX; 16]));
        let n = cgroup_quota().map_or(n, |q| q.min(n));
        (n.max(1), mask)
    }
    #[cfg(not(target_os = "linux"))]
    {
        (fallback, [u64::MAX; 16])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_caps_with_a_positive_number() {
        assert_eq!(parse_cap(None), None);
        assert_eq!(parse_cap(Some("1")), Some(1));
        assert_eq!(parse_cap(Some(" 4\n")), Some(4));
        assert_eq!(parse_cap(Some("0")), None);
        assert_eq!(parse_cap(Some("many")), None);
    }

    #[test]
    fn quotas_in_both_cgroup_versions() {
        assert_eq!(cpu_max("max 100000\n"), None);
        assert_eq!(cpu_max("200000 100000\n"), Some(2));
        assert_eq!(cpu_max("150000 100000"), Some(1));
        assert_eq!(cpu_max("50000 100000"), Some(1));
        assert_eq!(quota_cpus("-1\n", "100000\n"), None);
        assert_eq!(quota_cpus("400000", "100000"), Some(4));
        assert_eq!(quota_cpus("garbage", "100000"), None);
    }

    #[test]
    fn the_cgroup_paths_of_both_versions() {
        let text = "12:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n0::/user.slice/x.scope\n";
        assert_eq!(
            cgroup_paths(text),
            (Some("/user.slice/x.scope"), Some("/docker/abc"))
        );
        assert_eq!(cgroup_paths("0::/\n"), (Some("/"), None));
        assert_eq!(
            along("/sys/fs/cgroup", "/a/b"),
            ["/sys/fs/cgroup/a/b", "/sys/fs/cgroup/a", "/sys/fs/cgroup"]
        );
        assert_eq!(along("/sys/fs/cgroup", "/"), ["/sys/fs/cgroup"]);
    }

    #[test]
    fn this_process_has_at_least_one_cpu() {
        let (n, mask) = cpus();
        assert!(n >= 1);
        assert!(mask.iter().any(|w| *w != 0));
        assert!(threads() >= 1 && threads() <= n);
    }
}
