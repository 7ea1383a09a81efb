//! loop-core's element driver (`loop_core::elements::step_elements`) on its own, against the
//! plain loop one writes by hand over the same slices: one step of 4000 LIF-like elements
//! (`v += dt (a i - v)`, a spike and a reset at a threshold), in f64, on one thread
//! (`loop_core::parallel::set_enabled(false)`):
//!
//! - `cached_input`: the same input column every step (it stays in the cache);
//! - `stored_inputs`: each step reads the next row of a stored run of inputs (64 MB, cycled),
//!   as `LoopOverTime` reads an input array: the rows come from memory, where the driver's
//!   prefetch of the inputs ahead of the block it steps matters.
//!
//! `cargo bench --bench element_driver`

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use loop_core::elements::step_elements;
use loop_core::parallel;

const N: usize = 4000;
/// Rows of the stored run: 2000 × 4000 f64 = 64 MB, more than the caches.
const ROWS: usize = 2000;
const DT: f64 = 0.1;
const THRESHOLD: f64 = 20.0;

/// One step by the driver.
fn driver_step(v: &mut [f64], spike: &mut [bool], a: &[f64], input: &[f64]) {
    step_elements(
        (v,),
        (a, input),
        (spike,),
        |_: (f64,), _: (f64, f64)| (),
        #[inline(always)]
        |(v,): &mut (f64,), (a, i): (f64, f64), ()| {
            *v += DT * (a * i - *v);
            let fired = *v >= THRESHOLD;
            *v = if fired { 0.0 } else { *v };
            (fired,)
        },
    );
}

/// The same step as a plain loop.
fn plain_step(v: &mut [f64], spike: &mut [bool], a: &[f64], input: &[f64]) {
    for (((v, s), a), i) in v.iter_mut().zip(spike.iter_mut()).zip(a).zip(input) {
        *v += DT * (a * i - *v);
        *s = *v >= THRESHOLD;
        if *s {
            *v = 0.0;
        }
    }
}

type Step = fn(&mut [f64], &mut [bool], &[f64], &[f64]);

fn bench(c: &mut Criterion) {
    parallel::set_enabled(false);
    let a: Vec<f64> = (0..N).map(|k| 1.0 + (k % 13) as f64 * 0.01).collect();
    let stored: Vec<f64> = (0..ROWS * N)
        .map(|k| 20.0 + (k % 29) as f64 * 0.1)
        .collect();
    let steps: [(&str, Step); 2] = [("driver", driver_step), ("plain_loop", plain_step)];
    for (input, cycled) in [("cached_input", false), ("stored_inputs", true)] {
        let mut group = c.benchmark_group(format!("element_driver_{input}"));
        for (name, step) in steps {
            let (mut v, mut spike) = (vec![0.0_f64; N], vec![false; N]);
            let mut row = 0;
            group.bench_function(name, |b| {
                b.iter(|| {
                    let input = &stored[row * N..(row + 1) * N];
                    if cycled {
                        row = (row + 1) % ROWS;
                    }
                    step(&mut v, &mut spike, &a, input);
                    black_box(&v);
                });
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
