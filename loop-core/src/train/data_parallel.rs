//! [`DataParallel`]: one gradient of a batch computed as `N` gradients of its parts, each by its
//! own replica of the model (the same parameters at a batch `N` times smaller) with its own
//! [`Bptt`], the replicas spread over the cores by [`parallel`](crate::parallel) — what
//! PyTorch's `DistributedDataParallel` does across devices.
//!
//! Why: a gradient through time is a long chain of small steps (30 steps of products of a few
//! hundred thousand multiplications for the seed's network). Splitting each product across
//! cores hands work over, and moves its data between the cores' caches, several times per
//! step; a replica per core hands over once per gradient, and each core keeps its own samples'
//! states, records and gradients in its own cache all the way through.
//!
//! The parts' gradients are combined in replica order (`g₀ + g₁ + …`, then scaled by `1/N`
//! for a [`Reduction::Mean`] loss), whatever ran where: a gradient is the same bits on one
//! thread or on many, loaded machine or quiet. It equals the whole batch's gradient up to the
//! rounding of that different order of additions.
//!
//! After an optimizer step on the first replica ([`DataParallel::step`],
//! [`DataParallel::update`]), its parameters are copied to the others, so the replicas stay one
//! model.

use alloc::vec::Vec;

use super::trainable::params_into;
use super::{Backward, Bptt, LossError, Optimizer, TrainError, Zeroable, params_from_slice};
use crate::{Real, States, parallel};

/// How the replicas' losses (and gradients) make the whole batch's.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reduction {
    /// The loss is a mean over samples (as [`softmax_cross_entropy`] and [`mse`] are): the whole
    /// batch's loss and gradient are the means of the replicas'.
    ///
    /// [`softmax_cross_entropy`]: super::loss::softmax_cross_entropy
    /// [`mse`]: super::loss::mse
    #[default]
    Mean,
    /// The loss is a sum over samples: the whole batch's loss and gradient are the sums.
    Sum,
}

/// A model and the driver of its gradient, with the result of its last gradient.
struct Replica<M: Backward<A> + States, A> {
    model: M,
    bptt: Bptt<M, A>,
    last: Result<M::Scalar, TrainError>,
}

/// `N` replicas of a model, each with its own part of every batch (see the module docs).
///
/// ```
/// use loop_core::train::{Backward, DataParallel, Forward, ParamVisitor, ParamVisitorMut, Sgd,
///     Trainable};
/// use loop_core::{DynamicalSystem, Shared, StateVisitor, States};
///
/// /// y = w·x for each of 2 samples; no state.
/// #[derive(Clone)]
/// struct Gain { w: f64 }
///
/// impl DynamicalSystem for Gain {
///     type Input = [f64; 2];
///     type Output = [f64; 2];
///     fn update(&mut self, _: &Shared, x: [f64; 2]) -> [f64; 2] { x.map(|x| self.w * x) }
///     fn reset_state(&mut self) {}
/// }
/// impl States for Gain {
///     type Snapshot = ();
///     const STATE_NAMES: &'static [&'static str] = &[];
///     const CHILD_NAMES: &'static [&'static str] = &[];
///     fn reset_states(&mut self) {}
///     fn visit_states(&self, _: &mut dyn StateVisitor) {}
///     fn snapshot(&self) {}
///     fn restore(&mut self, _: &()) {}
/// }
/// impl Trainable for Gain {
///     type Scalar = f64;
///     const PARAM_COUNT: usize = 1;
///     fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
///         v.param("w", core::slice::from_ref(&self.w), (1, 1));
///     }
///     fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
///         v.param("w", core::slice::from_mut(&mut self.w), (1, 1));
///     }
/// }
/// impl Backward for Gain {
///     type Record = ();
///     type StateGrad = ();
///     fn forward(&mut self, sh: &Shared, x: &[f64; 2]) -> ([f64; 2], ()) {
///         (self.update(sh, *x), ())
///     }
///     fn zero_state_grad(&self) {}
///     fn backward(&self, _: &Shared, step: Forward<'_, [f64; 2], [f64; 2], ()>,
///                 dy: &[f64; 2], _: &mut (), grads: &mut [f64], _: Option<&mut [f64; 2]>) {
///         grads[0] += dy[0] * step.x[0] + dy[1] * step.x[1];
///     }
/// }
///
/// // A batch of 4 samples, x = 1, 2, 3, 4, as two replicas of 2 samples each. The loss is the
/// // mean of y over the batch, so dL/dw = mean of x = 2.5.
/// let mut replicas = DataParallel::new([Gain { w: 0.5 }, Gain { w: 0.0 }], 1);
/// assert_eq!(replicas.models()[1].w, 0.5); // the first replica's parameters, everywhere
/// let parts = [[[1.0, 2.0]], [[3.0, 4.0]]];
/// let loss = replicas
///     .gradient([&parts[0][..], &parts[1][..]], |_, ys, dys| {
///         dys[0] = [0.5, 0.5];
///         Ok((ys[0][0] + ys[0][1]) / 2.0)
///     })
///     .unwrap();
/// assert_eq!(loss, 1.25); // 0.5 · mean(1, 2, 3, 4)
/// assert_eq!(replicas.grads(), [2.5]);
///
/// let mut sgd = Sgd::new(replicas.model(), 0.1);
/// replicas.step(&mut sgd).unwrap();
/// assert_eq!(replicas.models().map(|m| m.w), [0.25, 0.25]);
/// ```
pub struct DataParallel<M: Backward<A> + States, const N: usize, A = ()> {
    replicas: [Replica<M, A>; N],
    reduction: Reduction,
    /// Where the replicas are handed to the cores: this trainer's own rule (a site shared by
    /// closure type may meet another's in its slot, and start afresh each time).
    site: parallel::Site,
    /// The combined gradient.
    grads: Vec<M::Scalar>,
    /// The first replica's parameters, gathered to be copied to the others.
    params: Vec<M::Scalar>,
}

impl<M: Backward + States, const N: usize> DataParallel<M, N> {
    /// `N` replicas, each with a [`Bptt::new(steps)`](Bptt::new): every replica takes the
    /// parameters of `models[0]` (the others' are written over).
    ///
    /// # Panics
    /// When `N` is 0.
    pub fn new(models: [M; N], steps: usize) -> Self {
        DataParallel::with_bptt(models, |_| Bptt::new(steps))
    }
}

impl<M: Backward<A> + States, const N: usize, A> DataParallel<M, N, A> {
    /// `N` replicas, replica `k` with the driver `bptt(k)` (its step size, remat, shared args…):
    /// every replica takes the parameters of `models[0]`.
    ///
    /// # Panics
    /// When `N` is 0.
    pub fn with_bptt(models: [M; N], mut bptt: impl FnMut(usize) -> Bptt<M, A>) -> Self {
        assert!(N > 0, "DataParallel needs at least one replica");
        let mut k = 0;
        let replicas = models.map(|model| {
            let replica = Replica {
                model,
                bptt: bptt(k),
                last: Ok(<M::Scalar as num_traits::Zero>::zero()),
            };
            k += 1;
            replica
        });
        let mut data = DataParallel {
            replicas,
            reduction: Reduction::Mean,
            site: parallel::Site::new(),
            grads: alloc::vec![<M::Scalar as num_traits::Zero>::zero(); M::PARAM_COUNT],
            params: Vec::with_capacity(M::PARAM_COUNT),
        };
        data.sync_params();
        data
    }

    /// How the replicas' losses and gradients combine (default [`Reduction::Mean`]).
    #[must_use]
    pub fn reduction(mut self, reduction: Reduction) -> Self {
        self.reduction = reduction;
        self
    }

    /// The replicas (their parameters are the same; their states are their own samples').
    pub fn models(&self) -> [&M; N] {
        core::array::from_fn(|k| &self.replicas[k].model)
    }

    /// The first replica: the model whose parameters are trained.
    pub fn model(&self) -> &M {
        &self.replicas[0].model
    }

    /// Replica `k`'s driver (its outputs and tape from the last gradient).
    ///
    /// # Panics
    /// When `k >= N`.
    pub fn bptt(&self, k: usize) -> &Bptt<M, A> {
        &self.replicas[k].bptt
    }

    /// The gradient of the last loss with respect to every parameter (the flat layout of
    /// [`Trainable::visit_params`](super::Trainable::visit_params)).
    pub fn grads(&self) -> &[M::Scalar] {
        &self.grads
    }

    /// The gradient, for change (clipping, scaling) before an optimizer step.
    pub fn grads_mut(&mut self) -> &mut [M::Scalar] {
        &mut self.grads
    }

    /// Runs replica `k` over `xs[k]`, with `loss(k, outputs, d_outputs)` as its loss (the loss
    /// of [`Bptt::gradient`], of replica `k`'s samples), each replica on whichever core is
    /// free; returns the whole batch's loss and leaves its gradient in [`grads`](Self::grads)
    /// (see [`Reduction`]).
    ///
    /// # Errors
    /// The first replica's error in replica order, as [`Bptt::gradient`] gives it (every
    /// replica has run; the gradient is then not updated).
    pub fn gradient<F>(&mut self, xs: [&[M::Input]; N], loss: F) -> Result<M::Scalar, TrainError>
    where
        M: Send,
        M::Input: Sync,
        M::Output: Zeroable + Send,
        M::Record: Send,
        M::Snapshot: Send,
        A: Send,
        F: Fn(usize, &[M::Output], &mut [M::Output]) -> Result<M::Scalar, LossError> + Sync,
    {
        self.site.for_each_piece(
            (&mut self.replicas[..], &xs[..]),
            1,
            |first, (replicas, xs)| {
                for (k, (replica, xs)) in replicas.iter_mut().zip(xs).enumerate() {
                    let Replica { model, bptt, last } = replica;
                    *last = bptt.gradient(model, xs, |ys, dys| loss(first + k, ys, dys));
                }
            },
        );
        let mut total = <M::Scalar as num_traits::Zero>::zero();
        for replica in &self.replicas {
            total += replica.last.clone()?;
        }
        let (first, rest) = self.replicas.split_first().expect("N > 0");
        self.grads.copy_from_slice(first.bptt.grads());
        for replica in rest {
            for (g, r) in self.grads.iter_mut().zip(replica.bptt.grads()) {
                *g += *r;
            }
        }
        if self.reduction == Reduction::Mean && N > 1 {
            let scale = M::Scalar::of(1.0 / N as f64);
            self.grads.iter_mut().for_each(|g| *g *= scale);
            total *= scale;
        }
        Ok(total)
    }

    /// One `optimizer` step of the first replica from [`grads`](Self::grads), its parameters
    /// then copied to the others.
    ///
    /// # Errors
    /// As [`Optimizer::step`]; the replicas are then unchanged.
    pub fn step<O: Optimizer<M::Scalar>>(&mut self, optimizer: &mut O) -> Result<(), TrainError> {
        let Self {
            replicas, grads, ..
        } = self;
        optimizer.step(&mut replicas[0].model, grads)?;
        self.sync_params();
        Ok(())
    }

    /// `change(first replica, gradient)`, then the first replica's parameters copied to the
    /// others: any change of the parameters (a custom optimizer, loading saved weights).
    pub fn update<R>(&mut self, change: impl FnOnce(&mut M, &mut [M::Scalar]) -> R) -> R {
        let result = change(&mut self.replicas[0].model, &mut self.grads);
        self.sync_params();
        result
    }

    /// Copies the first replica's parameters to the others (allocates nothing: the buffer holds
    /// `PARAM_COUNT` scalars, and a model's visit is checked against it by every gradient).
    ///
    /// # Panics
    /// When replicas of one type visit different numbers of parameters.
    fn sync_params(&mut self) {
        let (first, rest) = self.replicas.split_first_mut().expect("N > 0");
        if rest.is_empty() {
            return;
        }
        params_into(&first.model, &mut self.params);
        for replica in rest {
            params_from_slice(&mut replica.model, &self.params)
                .expect("replicas of one type visit the same parameters");
        }
    }
}
