//! [`ActivationLayer`]: an element-wise function as a stateless layer, for any matrix of floats
//! ([`Elementwise`]). `sequential!` builds one from `l2: Relu`, taking the matrix type from the
//! layer before.

use core::fmt;
use core::marker::PhantomData;

use alloc::vec::Vec;
use nalgebra::SMatrix;

use super::activation::ElementFn;
use crate::simd::vectorized;
use crate::{DynamicalSystem, Real, Shared, StateVisitor, States};

/// A value an activation applies to, element by element: a matrix of floats (one column per
/// sample) or a lone float.
#[diagnostic::on_unimplemented(
    message = "an activation applies element by element to a matrix of floats, not to `{Self}`",
    label = "the layer before an activation must output an `SMatrix<f32 or f64, R, C>` (or a float)"
)]
pub trait Elementwise {
    /// Applies `f` to every element.
    fn map_elements<F: ElementFn + ?Sized>(&mut self, f: &F);
    /// Writes `f` of every element of `src` over the same element of `self`.
    fn map_elements_from<F: ElementFn + ?Sized>(&mut self, src: &Self, f: &F);
}

/// A matrix is mapped in the widest vector instructions the CPU has (`simd::vectorized`): the
/// layer's step is called from the loop or `Bptt`, which are compiled for the baseline.
impl<T: Real, const R: usize, const C: usize> Elementwise for SMatrix<T, R, C> {
    #[inline]
    fn map_elements<F: ElementFn + ?Sized>(&mut self, f: &F) {
        vectorized(
            self.as_mut_slice(),
            f,
            #[inline(always)]
            // The slice, not nalgebra's matrix iterator: a plain loop vectorizes.
            |values, f| f.apply_slice(values),
        );
    }

    #[inline]
    fn map_elements_from<F: ElementFn + ?Sized>(&mut self, src: &Self, f: &F) {
        vectorized(
            self.as_mut_slice(),
            (src.as_slice(), f),
            #[inline(always)]
            |values, (src, f)| {
                for (y, x) in values.iter_mut().zip(src) {
                    *y = f.apply(*x);
                }
            },
        );
    }
}

impl Elementwise for f64 {
    #[inline]
    fn map_elements<F: ElementFn + ?Sized>(&mut self, f: &F) {
        *self = f.apply(*self);
    }

    #[inline]
    fn map_elements_from<F: ElementFn + ?Sized>(&mut self, src: &Self, f: &F) {
        *self = f.apply(*src);
    }
}

impl Elementwise for f32 {
    #[inline]
    fn map_elements<F: ElementFn + ?Sized>(&mut self, f: &F) {
        *self = f.apply(*self);
    }

    #[inline]
    fn map_elements_from<F: ElementFn + ?Sized>(&mut self, src: &Self, f: &F) {
        *self = f.apply(*src);
    }
}

/// The element-wise function `F` as a stateless layer from `X` to `X`.
///
/// `sequential!` builds it from a unit struct such as [`Relu`](super::Relu); by hand (for a first
/// layer, whose input type nothing else fixes): `ActivationLayer::<_, SMatrix<f64, 3, 8>>::new(Relu)`.
pub struct ActivationLayer<F, X> {
    /// The function.
    pub f: F,
    input: PhantomData<fn(X) -> X>,
}

impl<F, X> ActivationLayer<F, X> {
    /// `f` as a layer over values of type `X`.
    pub const fn new(f: F) -> Self {
        ActivationLayer {
            f,
            input: PhantomData,
        }
    }
}

impl<F: Clone, X> Clone for ActivationLayer<F, X> {
    fn clone(&self) -> Self {
        ActivationLayer::new(self.f.clone())
    }
}

impl<F: fmt::Debug, X> fmt::Debug for ActivationLayer<F, X> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ActivationLayer").field(&self.f).finish()
    }
}

impl<A, F: ElementFn, X: Elementwise> DynamicalSystem<A> for ActivationLayer<F, X> {
    type Input = X;
    type Output = X;

    #[inline]
    fn update(&mut self, _sh: &Shared<A>, mut x: X) -> X {
        x.map_elements(&self.f);
        x
    }

    #[inline]
    fn update_into(&mut self, _sh: &Shared<A>, x: &X, out: &mut X)
    where
        X: Clone,
    {
        out.map_elements_from(x, &self.f);
    }

    fn reset_state(&mut self) {}

    fn is_stateless(&self) -> bool {
        true
    }

    fn update_all(&mut self, _sh: &Shared<A>, xs: &[X], out: &mut Vec<X>)
    where
        X: Clone,
    {
        out.reserve(xs.len());
        for x in xs {
            let mut y = x.clone();
            y.map_elements(&self.f);
            out.push(y);
        }
    }
}

/// No states: a snapshot is `()`. (Not shown as a suggestion when another type lacks `States`.)
#[diagnostic::do_not_recommend]
impl<F, X> States for ActivationLayer<F, X> {
    type Snapshot = ();
    const STATE_NAMES: &'static [&'static str] = &[];
    const CHILD_NAMES: &'static [&'static str] = &[];

    fn reset_states(&mut self) {}

    fn visit_states(&self, _visitor: &mut dyn StateVisitor) {}

    fn snapshot(&self) {}

    fn restore(&mut self, _snapshot: &()) {}
}
