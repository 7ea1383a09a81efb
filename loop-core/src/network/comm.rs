//! [`Comm`]: how a projection's connectivity and weights carry presynaptic activity to its
//! targets — BrainPy's `comm` (`EventCSRLinear`, `CSRLinear`, `AllToAll`, `OneToOne`, dense
//! `Linear`). Projections ([`AlignPost`](super::AlignPost), [`AlignPre`](super::AlignPre)) are
//! generic over it.

use crate::Real;

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

    /// Event-driven delivery as BrainPy rounds it: for every target `j`, the weights of the
    /// presynaptic `i` with `spikes[i]` are summed from zero in presynaptic order, and the sum is
    /// added to `g[j]`. `scratch` (`n_post` values) must be all zero; it is left all zero.
    ///
    /// The default sums with [`add_events`](Self::add_events) into `scratch`, then adds all of it
    /// to `g`; a sparse comm overrides it to touch only the targets of the neurons that fired.
    #[inline]
    fn deliver_events(&self, spikes: &[bool], scratch: &mut [T], g: &mut [T])
    where
        T: Real,
    {
        assert_eq!(g.len(), scratch.len(), "conductance of the wrong length");
        self.add_events(spikes, scratch);
        for (g, s) in g.iter_mut().zip(scratch.iter_mut()) {
            *g += *s;
            *s = T::zero();
        }
    }
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
