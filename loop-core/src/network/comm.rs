//! [`Comm`]: how a projection's connectivity and weights carry presynaptic activity to its
//! targets — BrainPy's `comm` (`EventCSRLinear`, `CSRLinear`, `AllToAll`, `OneToOne`, dense
//! `Linear`). Projections ([`AlignPost`](super::AlignPost), [`AlignPre`](super::AlignPre)) are
//! generic over it.

/// Carries presynaptic activity to `n_post` targets through weights `w[i][j]`. Both methods add
/// into `out` (length `n_post`) and visit presynaptic neurons in increasing order, so sums are
/// formed as BrainPy's CPU kernels form them. They panic if a slice has the wrong length.
pub trait Comm<T> {
    /// Presynaptic neurons.
    fn n_pre(&self) -> usize;
    /// Postsynaptic neurons.
    fn n_post(&self) -> usize;
    /// Event-driven: `out[j] += w[i][j]` for every presynaptic `i` with `spikes[i]`; only the
    /// rows of neurons that fired are read.
    fn add_events(&self, spikes: &[bool], out: &mut [T]);
    /// Values: `out[j] += w[i][j] * x[i]` for every presynaptic `i` (an align-pre projection's
    /// per-source conductances).
    fn add_values(&self, x: &[T], out: &mut [T]);
}

/// Panics unless `pre` and `post` have the comm's lengths.
#[inline]
pub(super) fn check_lengths(n_pre: usize, n_post: usize, pre: usize, post: usize) {
    assert_eq!(pre, n_pre, "presynaptic slice of {pre} for {n_pre} neurons");
    assert_eq!(
        post, n_post,
        "postsynaptic slice of {post} for {n_post} neurons"
    );
}
