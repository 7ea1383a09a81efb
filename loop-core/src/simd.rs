//! Runtime choice of the vector instructions a step is compiled for. [`vectorized`] runs a
//! step compiled three times on x86-64 — for the baseline (SSE2), for AVX2 and for AVX-512 —
//! and picks the widest the CPU has, once per call (a cached feature test).
//!
//! Why at run time: a portable binary (no `-C target-cpu=native`) would otherwise use 2 f64 lanes
//! where the CPU has 8. `#[dynamical_system]` wraps every generated `update` in [`vectorized`],
//! and marks the model's `#[update]` and `#[ode]` functions `#[inline(always)]`, so that the
//! whole step — the loop over neurons, the equations, [`exp`](crate::math::exp) — is compiled
//! into each version. The three versions compute the same bits: the math uses no fused
//! multiply-add, and vectorizing an element-wise loop does not reorder any sum.
//!
//! Each level can be forced, to measure it or test it on a machine that has wider ones: the
//! `LOOPTIME_SIMD` environment variable (`sse2` or `baseline`, `avx2`, `avx512`), read once,
//! caps the level for the whole process, and [`set_cap`] caps it from code. A level the CPU
//! lacks is never used: asking for one gives a warning on stderr (see [`env_cap`]) and the
//! widest the CPU has. `tests/large_population.rs` compares the bits of every level the CPU has,
//! and `.ci/run` runs the tests that compare against references at each of them.
//!
//! Without the `std` feature (no feature detection, no environment) or on other architectures,
//! [`vectorized`] just calls the closure, compiled for the target's own features.

use core::sync::atomic::{AtomicU8, Ordering};

/// A set of vector instructions, from the narrowest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// What the target guarantees (SSE2 on x86-64).
    Baseline,
    /// AVX2 (4 f64 or 8 f32 lanes).
    Avx2,
    /// AVX-512 F/DQ/VL/BW (8 f64 or 16 f32 lanes).
    Avx512,
}

impl Level {
    /// Every level, from the narrowest.
    pub const ALL: [Level; 3] = [Level::Baseline, Level::Avx2, Level::Avx512];

    /// The name used on command lines and in `LOOPTIME_SIMD`: `baseline`, `avx2`, `avx512`.
    pub const fn name(self) -> &'static str {
        match self {
            Level::Baseline => "baseline",
            Level::Avx2 => "avx2",
            Level::Avx512 => "avx512",
        }
    }

    /// The level called `name` (`sse2` is another name of `baseline`), if any.
    pub fn from_name(name: &str) -> Option<Level> {
        let name = name.trim();
        if name == "sse2" {
            return Some(Level::Baseline);
        }
        Level::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The levels this CPU supports, from the narrowest.
    pub fn supported() -> impl Iterator<Item = Level> {
        Level::ALL.into_iter().filter(|l| *l <= detected())
    }

    const fn from_u8(x: u8) -> Level {
        match x {
            0 => Level::Baseline,
            1 => Level::Avx2,
            _ => Level::Avx512,
        }
    }
}

/// The highest level [`vectorized`] may use (`u8::MAX`: no cap).
static CAP: AtomicU8 = AtomicU8::new(u8::MAX);

/// The detected level, once known (`u8::MAX`: not yet).
static DETECTED: AtomicU8 = AtomicU8::new(u8::MAX);

/// The detected level within `LOOPTIME_SIMD`, once known (`u8::MAX`: not yet).
static CEILING: AtomicU8 = AtomicU8::new(u8::MAX);

/// The widest level this CPU supports (tested once, then cached).
#[inline]
pub fn detected() -> Level {
    match DETECTED.load(Ordering::Relaxed) {
        u8::MAX => {
            let level = detect();
            DETECTED.store(level as u8, Ordering::Relaxed);
            level
        }
        known => Level::from_u8(known),
    }
}

fn detect() -> Level {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    {
        if std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512dq")
            && std::is_x86_feature_detected!("avx512vl")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx2")
            && std::is_x86_feature_detected!("fma")
        {
            return Level::Avx512;
        }
        if std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma") {
            return Level::Avx2;
        }
    }
    Level::Baseline
}

/// Caps the level that [`vectorized`] uses from now on, in every thread (to compare levels, or
/// to rule one out); `None` lifts the cap. The level used is never above [`detected`].
pub fn set_cap(cap: Option<Level>) {
    CAP.store(cap.map_or(u8::MAX, |l| l as u8), Ordering::Relaxed);
}

/// Why `LOOPTIME_SIMD` cannot be followed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EnvError {
    /// Not the name of a level.
    #[error("LOOPTIME_SIMD: not sse2, baseline, avx2 or avx512")]
    Unknown,
    /// A level this CPU does not have.
    #[error("LOOPTIME_SIMD={asked}: this CPU supports up to {widest}", asked = .asked.name(), widest = .widest.name())]
    Unsupported {
        /// The level asked for.
        asked: Level,
        /// The widest level of this CPU.
        widest: Level,
    },
}

/// The cap `LOOPTIME_SIMD` asks for: `Ok(None)` when it is unset (or without `std`),
/// `Ok(Some(level))` for a level this CPU has, an error for another name or a level the CPU
/// lacks (the process then uses the CPU's widest, after one warning on stderr).
pub fn env_cap() -> Result<Option<Level>, EnvError> {
    let Some(level) = env::read(Level::from_name) else {
        return Ok(None);
    };
    let level = level.ok_or(EnvError::Unknown)?;
    if level > detected() {
        return Err(EnvError::Unsupported {
            asked: level,
            widest: detected(),
        });
    }
    Ok(Some(level))
}

/// The widest level allowed: the detected one within `LOOPTIME_SIMD` (read once). Every step
/// asks (in [`vectorized`]), so the known answer is a load inlined at the call; working it out
/// the first time is a call of its own (with it inlined, `level` was too large to inline and
/// stayed a call in every step).
#[inline(always)]
fn ceiling() -> Level {
    match CEILING.load(Ordering::Relaxed) {
        u8::MAX => first_ceiling(),
        known => Level::from_u8(known),
    }
}

/// [`ceiling`] the first time: `LOOPTIME_SIMD` read and checked, the answer kept.
#[cold]
#[inline(never)]
fn first_ceiling() -> Level {
    let ceiling = match env_cap() {
        Ok(cap) => cap.map_or(detected(), |cap| cap.min(detected())),
        Err(e) => {
            env::warn(e);
            detected()
        }
    };
    CEILING.store(ceiling as u8, Ordering::Relaxed);
    ceiling
}

/// The level [`vectorized`] uses now: the detected one, within `LOOPTIME_SIMD` and the cap.
#[inline(always)]
pub fn level() -> Level {
    let cap = Level::from_u8(CAP.load(Ordering::Relaxed));
    ceiling().min(cap)
}

/// Reading `LOOPTIME_SIMD` without allocating (a step may be the first to ask for the level,
/// inside code that must not allocate), and warning about it.
mod env {
    /// `parse` of the variable's value, if it is set.
    #[cfg(all(feature = "std", target_os = "linux"))]
    pub fn read<R>(parse: impl FnOnce(&str) -> R) -> Option<R> {
        // SAFETY: a NUL-terminated name; the value is read at once, before any other call that
        // could change the environment on this thread (changing it from another thread while
        // reading is `unsafe` on the caller's side: `std::env::set_var`).
        let value = unsafe { libc::getenv(c"LOOPTIME_SIMD".as_ptr()) };
        if value.is_null() {
            return None;
        }
        // SAFETY: a NUL-terminated string of the environment.
        let value = unsafe { core::ffi::CStr::from_ptr(value) };
        Some(parse(value.to_str().unwrap_or("")))
    }

    #[cfg(all(feature = "std", not(target_os = "linux")))]
    pub fn read<R>(parse: impl FnOnce(&str) -> R) -> Option<R> {
        std::env::var("LOOPTIME_SIMD").ok().map(|v| parse(&v))
    }

    #[cfg(not(feature = "std"))]
    pub fn read<R>(_: impl FnOnce(&str) -> R) -> Option<R> {
        None
    }

    #[cfg(feature = "std")]
    pub fn warn(e: super::EnvError) {
        std::eprintln!("looptime: {e}; using the widest level of this CPU");
    }

    #[cfg(not(feature = "std"))]
    pub fn warn(_: super::EnvError) {}
}

/// Runs `step(state, input)`, compiled for the widest vector instructions this CPU has (see the
/// module docs). Mark the closure `#[inline(always)]` (and what it calls), so that its body is
/// compiled into each version rather than called from it.
///
/// The state and the input are passed as arguments, not captured: a captured `&mut` reaches the
/// step as a pointer loaded from the closure, which the compiler can no longer prove unaliased,
/// and the loop over neurons then stays scalar.
#[inline(always)]
pub fn vectorized<S: ?Sized, X, R>(
    state: &mut S,
    input: X,
    step: impl FnOnce(&mut S, X) -> R,
) -> R {
    #[cfg(all(feature = "std", target_arch = "x86_64"))]
    {
        match level() {
            // SAFETY: `level()` is at most what the CPU was detected to support.
            Level::Avx512 => return unsafe { x86::avx512(state, input, step) },
            // SAFETY: as above.
            Level::Avx2 => return unsafe { x86::avx2(state, input, step) },
            Level::Baseline => {}
        }
    }
    step(state, input)
}

#[cfg(all(feature = "std", target_arch = "x86_64"))]
mod x86 {
    /// `f` compiled for AVX-512. Safety: the CPU must support the enabled features.
    #[target_feature(enable = "avx512f,avx512dq,avx512vl,avx512bw,avx2,fma")]
    #[inline]
    pub unsafe fn avx512<S: ?Sized, X, R>(s: &mut S, x: X, f: impl FnOnce(&mut S, X) -> R) -> R {
        f(s, x)
    }

    /// `f` compiled for AVX2. Safety: the CPU must support the enabled features.
    #[target_feature(enable = "avx2,fma")]
    #[inline]
    pub unsafe fn avx2<S: ?Sized, X, R>(s: &mut S, x: X, f: impl FnOnce(&mut S, X) -> R) -> R {
        f(s, x)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cap_bounds_the_level_and_lifts() {
        let detected = detected();
        set_cap(Some(Level::Baseline));
        assert_eq!(level(), Level::Baseline);
        assert_eq!(vectorized(&mut 2, 2, |a, b| *a + b), 4);
        set_cap(None);
        assert_eq!(level(), ceiling());
        assert!(ceiling() <= detected);
        assert_eq!(Level::from_name("avx2"), Some(Level::Avx2));
        assert_eq!(Level::from_name("sse2"), Some(Level::Baseline));
        assert_eq!(Level::from_name("avx1024"), None);
        assert_eq!(Level::supported().last(), Some(detected));
    }

    #[test]
    fn the_variable_is_followed_or_reported() {
        // Whatever the variable says here, the level in use is one the CPU has.
        match env_cap() {
            Ok(cap) => assert_eq!(ceiling(), cap.unwrap_or(detected())),
            Err(EnvError::Unsupported { asked, widest }) => {
                assert!(asked > widest);
                assert_eq!(ceiling(), detected());
            }
            Err(EnvError::Unknown) => assert_eq!(ceiling(), detected()),
        }
        let e = EnvError::Unsupported {
            asked: Level::Avx512,
            widest: Level::Avx2,
        };
        assert_eq!(
            e.to_string(),
            "LOOPTIME_SIMD=avx512: this CPU supports up to avx2"
        );
    }
}
