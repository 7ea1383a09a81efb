//! Export of a run's [`History`](crate::History) in forms Python users open directly: one `.npy`
//! file per variable (numpy), a CSV with the variable names as headers (pandas), and monitors
//! streamed to `.npy` while the loop runs, for long runs that must not grow in memory.
//!
//! Shapes follow BrainPy: a trace of `T` steps of a state `SMatrix<_, N, B>` is `(T, B, N)`, and
//! `(T, N)` when `B = 1`; a scalar trace is `(T,)`. Batch-first traces put the sample first:
//! `(B, T, N)`.

mod columns;
mod csv;
#[cfg(feature = "npy")]
mod npy;
#[cfg(feature = "npy")]
mod npy_header;
mod spikes;
#[cfg(feature = "npy")]
mod stream;

pub use columns::{
    Column, ColumnData, Columns, ExportError, ExportItem, ExportTraces, Gather, trace_column,
};
pub use csv::ToCsv;
#[cfg(feature = "npy")]
pub use npy::SaveNpy;
pub use spikes::{save_spike_csv, spike_csv_string, write_spike_csv};
#[cfg(feature = "npy")]
pub use stream::NpyStream;
