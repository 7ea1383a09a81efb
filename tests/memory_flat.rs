//! A long run that streams its monitor to disk keeps its memory flat: the peak of live heap bytes
//! during a run of 200 000 steps is that of a run of 20 000 steps. Bytes are counted by a global
//! allocator (this file is its own test binary); nothing is timed.
#![cfg(feature = "npy")]

mod common;

use common::counting_alloc::{Counting, peak_bytes_in};
use looptime::export::NpyStream;
use looptime::integrate::exp_euler;
use looptime::nalgebra::SVector;
use looptime::{DynamicalSystem, LoopError, LoopOverTime, Shared};

#[global_allocator]
static GLOBAL: Counting = Counting;

/// 100 leaky neurons driven by a constant current.
struct Population {
    v: SVector<f64, 100>,
}

impl DynamicalSystem for Population {
    type Input = ();
    type Output = f64;

    fn update(&mut self, sh: &Shared, _: ()) -> f64 {
        let f = self.v.map(|v| (5.0 - v) / 10.0);
        let a = SVector::<f64, 100>::from_element(-0.1);
        self.v = exp_euler(&self.v, sh.dt, &f, &a);
        self.v[0]
    }

    fn reset_state(&mut self) {
        self.v = SVector::zeros();
    }
}

fn streamed_run(steps: usize, path: &std::path::Path) -> usize {
    peak_bytes_in(|| {
        let mut run = LoopOverTime::new(Population {
            v: SVector::zeros(),
        })
        .keep_outputs(false)
        .observe(NpyStream::overwrite(path, |m: &Population| m.v).unwrap());
        let h = run
            .run_steps(steps)
            .map_err(LoopError::without_history)
            .unwrap();
        assert_eq!(h.steps, steps);
        let (stream,) = run.observers();
        assert!(stream.error().is_none());
        assert_eq!(stream.written(), steps as u64);
    })
}

#[test]
fn a_long_streamed_run_keeps_its_memory_flat() {
    let dir = std::env::temp_dir().join(format!("looptime-flat-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let short = streamed_run(20_000, &dir.join("short.npy"));
    let long = streamed_run(200_000, &dir.join("long.npy"));
    // The long run streamed 160 MB to disk; its peak is the short run's (times t0/i0 buffers).
    let len = std::fs::metadata(dir.join("long.npy")).unwrap().len();
    assert!(
        len > 200_000 * 100 * 8,
        "the file holds every value ({len} bytes)"
    );
    assert!(
        long <= short + 16 * 1024,
        "peak heap of the streamed run grew with its length: {short} B for 20 000 steps, {long} B for 200 000"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn recording_the_same_monitor_in_memory_grows_with_the_run() {
    // The counter itself: a recorded monitor of 800 B per step must show.
    let recorded = |steps: usize| {
        peak_bytes_in(|| {
            let mut run = LoopOverTime::new(Population {
                v: SVector::zeros(),
            })
            .monitor("v", |m: &Population| m.v);
            run.run_steps(steps)
                .map_err(LoopError::without_history)
                .unwrap();
        })
    };
    let short = recorded(2_000);
    let long = recorded(20_000);
    assert!(long >= short + 18_000 * 800, "{short} B vs {long} B");
}
