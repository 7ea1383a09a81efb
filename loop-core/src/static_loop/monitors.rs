//! Monitors of a static loop: a tuple of [`Select`]ors recorded into [`StaticTrace`]s and handed
//! out as a tuple of boxed arrays, time-first ([`StaticMonitors`]) or batch-first
//! ([`StaticBatchMonitors`]).

use alloc::boxed::Box;

use super::StaticTrace;
use crate::{Batched, Select};

/// Selectors recorded after every step of a `T`-step loop, time-first.
pub trait StaticMonitors<M: ?Sized, const T: usize> {
    /// Bytes the selectors record at one step.
    const BYTES_PER_STEP: u128;
    /// One [`StaticTrace`] per selector.
    type Traces;
    /// One `Box<[V; T]>` per selector.
    type Arrays;
    /// Empty traces of `T` values each.
    fn traces(&self) -> Self::Traces;
    /// Records every selector's value after step `k`.
    fn record(&self, model: &M, traces: &mut Self::Traces, k: usize);
    /// The full traces as arrays.
    fn arrays(traces: Self::Traces) -> Self::Arrays;
}

/// Selectors recorded after every step of a `T`-step loop over a batch of `B`, batch-first.
pub trait StaticBatchMonitors<M: ?Sized, const T: usize, const B: usize> {
    /// Bytes the selectors record at one step (all samples).
    const BYTES_PER_STEP: u128;
    /// One [`StaticTrace`] per selector.
    type Traces;
    /// One `Box<[[S; T]; B]>` per selector.
    type Arrays;
    /// Empty traces of `T * B` samples each.
    fn traces(&self) -> Self::Traces;
    /// Records every sample of every selector's value after step `k`.
    fn record(&self, model: &M, traces: &mut Self::Traces, k: usize);
    /// The full traces as arrays.
    fn arrays(traces: Self::Traces) -> Self::Arrays;
}

/// Writes the `B` samples of `value` at `[b][k]`.
#[inline(always)]
pub(crate) fn write_samples<V: Batched, const T: usize, const B: usize>(
    trace: &mut StaticTrace<V::Sample>,
    value: &V,
    k: usize,
) {
    const {
        assert!(
            V::BATCH == B,
            "a batch-first loop records one sample per input column: a monitored value (or the output) has another number of columns than the input"
        )
    };
    for b in 0..B {
        trace.write(b * T + k, value.sample(b));
    }
}

impl<M: ?Sized, const T: usize> StaticMonitors<M, T> for () {
    const BYTES_PER_STEP: u128 = 0;
    type Traces = ();
    type Arrays = ();
    fn traces(&self) {}
    fn record(&self, _: &M, _: &mut (), _: usize) {}
    fn arrays(_: ()) {}
}

impl<M: ?Sized, const T: usize, const B: usize> StaticBatchMonitors<M, T, B> for () {
    const BYTES_PER_STEP: u128 = 0;
    type Traces = ();
    type Arrays = ();
    fn traces(&self) {}
    fn record(&self, _: &M, _: &mut (), _: usize) {}
    fn arrays(_: ()) {}
}

macro_rules! tuple_static_monitors {
    ($($name:ident $idx:tt),+) => {
        impl<M: ?Sized, const T: usize, $($name: Select<M>),+> StaticMonitors<M, T> for ($($name,)+) {
            const BYTES_PER_STEP: u128 = 0 $(+ core::mem::size_of::<$name::Value>() as u128)+;
            type Traces = ($(StaticTrace<$name::Value>,)+);
            type Arrays = ($(Box<[$name::Value; T]>,)+);

            fn traces(&self) -> Self::Traces {
                ($(StaticTrace::<$name::Value>::new(T),)+)
            }

            #[inline(always)]
            fn record(&self, model: &M, traces: &mut Self::Traces, k: usize) {
                $(traces.$idx.write(k, self.$idx.select(model));)+
            }

            fn arrays(traces: Self::Traces) -> Self::Arrays {
                ($(traces.$idx.into_array::<T>(),)+)
            }
        }

        impl<M: ?Sized, const T: usize, const B: usize, $($name: Select<M>),+> StaticBatchMonitors<M, T, B> for ($($name,)+)
        where
            $($name::Value: Batched,)+
        {
            const BYTES_PER_STEP: u128 = 0
                $(+ core::mem::size_of::<<$name::Value as Batched>::Sample>() as u128 * B as u128)+;
            type Traces = ($(StaticTrace<<$name::Value as Batched>::Sample>,)+);
            type Arrays = ($(Box<[[<$name::Value as Batched>::Sample; T]; B]>,)+);

            fn traces(&self) -> Self::Traces {
                ($(StaticTrace::<<$name::Value as Batched>::Sample>::new(T * B),)+)
            }

            #[inline(always)]
            fn record(&self, model: &M, traces: &mut Self::Traces, k: usize) {
                $(write_samples::<_, T, B>(&mut traces.$idx, &self.$idx.select(model), k);)+
            }

            fn arrays(traces: Self::Traces) -> Self::Arrays {
                ($(traces.$idx.into_batch_array::<T, B>(),)+)
            }
        }
    };
}
tuple_static_monitors!(A 0);
tuple_static_monitors!(A 0, B1 1);
tuple_static_monitors!(A 0, B1 1, C 2);
tuple_static_monitors!(A 0, B1 1, C 2, D 3);
tuple_static_monitors!(A 0, B1 1, C 2, D 3, E 4);
tuple_static_monitors!(A 0, B1 1, C 2, D 3, E 4, F 5);
tuple_static_monitors!(A 0, B1 1, C 2, D 3, E 4, F 5, G 6);
tuple_static_monitors!(A 0, B1 1, C 2, D 3, E 4, F 5, G 6, H 7);
