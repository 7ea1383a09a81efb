//! [`StaticHistory`]: the bytes of the boxed arrays a static loop fills, and the limit
//! `loop_over_time!` holds them to ([`MAX_HISTORY_BYTES`]): a loop past it is a compile error at
//! the user's `duration`, `steps` or `inputs` (checked when the code is built, as the sizes of
//! the model's types are known then), not an allocation that aborts the process at run time.

use core::mem::size_of;

use super::{StaticBatchMonitors, StaticBatchRun, StaticMonitors, StaticRun};
use crate::{Batched, DynamicalSystem, FromSamples};

/// The most bytes the outputs and monitors of one `loop_over_time!` may take: 1 GiB. A longer
/// recording belongs in `LoopOverTime` with `record_every(n)`, or in a stream to disk.
pub const MAX_HISTORY_BYTES: u128 = 1 << 30;

/// The bytes a static loop's outputs and monitors take, all steps together.
pub trait StaticHistory {
    /// Outputs and monitors of every step, in bytes.
    const BYTES: u128;
}

impl<M, A, Mon, const T: usize> StaticHistory for StaticRun<'_, M, A, Mon, T>
where
    M: DynamicalSystem<A>,
    Mon: StaticMonitors<M, T>,
{
    const BYTES: u128 = (size_of::<M::Output>() as u128 + Mon::BYTES_PER_STEP) * T as u128;
}

impl<M, A, Mon, const T: usize, const B: usize> StaticHistory
    for StaticBatchRun<'_, M, A, Mon, T, B>
where
    M: DynamicalSystem<A>,
    M::Input: FromSamples,
    M::Output: Batched,
    Mon: StaticBatchMonitors<M, T, B>,
{
    const BYTES: u128 = (size_of::<<M::Output as Batched>::Sample>() as u128 * B as u128
        + Mon::BYTES_PER_STEP)
        * T as u128;
}
