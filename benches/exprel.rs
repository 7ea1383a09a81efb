//! Exponential Euler's factor `exprel(z)` over blocks of arguments, in f64 and f32, on one
//! thread, vectorized as the element driver's loops are (`loop_core::simd::vectorized`):
//!
//! - `exprel`: loop-core's general form (reduction, rational form, scaling by `2^k`);
//! - `exprel_near`: the Padé form for `|z| <= 1`, no reduction;
//! - `factor_any`: `integrate::exp_euler_factor(z, false)`, what a block with an argument beyond
//!   1 pays (both forms, one chosen per element);
//! - `factor_block`: `elements::Linear::factor_block`, which tests the block and takes the near
//!   form alone (every argument here is near).
//!
//! `cargo bench --bench exprel`

// criterion_group! and criterion_main! generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use loop_core::Real;
use loop_core::elements::{LANES, Lane, Linear};
use loop_core::integrate::{ExpEulerPart, exp_euler_factor};
use loop_core::math::{exprel, exprel_near};
use loop_core::simd;

/// Blocks of arguments: 64 blocks of `LANES`, spread over [-1, 1).
const BLOCKS: usize = 64;

fn arguments<T: Real>() -> Vec<T> {
    (0..BLOCKS * LANES)
        .map(|k| T::of(-1.0 + 2.0 * (k * 37 % (BLOCKS * LANES)) as f64 / (BLOCKS * LANES) as f64))
        .collect()
}

/// `y[k] = f(z[k])` in the vectorized code (`f` inlined into the loop).
#[inline(always)]
fn map<T: Real>(z: &[T], y: &mut [T], f: impl Fn(T) -> T + Copy) {
    simd::vectorized(
        &mut (z, y),
        f,
        #[inline(always)]
        |(z, y), f| {
            for (y, z) in y.iter_mut().zip(z.iter()) {
                *y = f(*z);
            }
        },
    );
}

/// One form's loop over every argument.
fn bench_form<T: Real>(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    form: &str,
    z: &[T],
    f: impl Fn(T) -> T + Copy,
) {
    let mut y = vec![T::zero(); z.len()];
    group.bench_function(form, |b| {
        b.iter(|| {
            map(black_box(z), &mut y, f);
            black_box(&y);
        });
    });
}

fn bench_type<T: Real>(c: &mut Criterion, name: &str) {
    let z = arguments::<T>();
    let mut group = c.benchmark_group(format!("exprel_{name}"));
    bench_form(&mut group, "exprel", &z, exprel::<T>);
    bench_form(&mut group, "exprel_near", &z, exprel_near::<T>);
    bench_form(&mut group, "factor_any", &z, |z| exp_euler_factor(z, false));
    let blocks: Vec<_> = z
        .chunks(LANES)
        .map(|chunk| {
            let mut block = ExpEulerPart::<T>::default().splat();
            for (j, z) in chunk.iter().enumerate() {
                let part = ExpEulerPart {
                    f: T::one(),
                    z: *z,
                    factored: false,
                };
                ExpEulerPart::set(&mut block, j, part);
            }
            block
        })
        .collect();
    group.bench_function("factor_block", |b| {
        b.iter(|| {
            let mut blocks = blocks.clone();
            simd::vectorized(
                &mut blocks,
                (),
                #[inline(always)]
                |blocks, ()| {
                    for block in blocks.iter_mut() {
                        ExpEulerPart::<T>::factor_block(block, LANES);
                    }
                },
            );
            black_box(&blocks);
        });
    });
    group.finish();
}

fn bench(c: &mut Criterion) {
    bench_type::<f64>(c, "f64");
    bench_type::<f32>(c, "f32");
}

criterion_group!(benches, bench);
criterion_main!(benches);
