//! [`GradCursor`]: hands out a layer's gradient slice parameter by parameter, as matrix views in
//! the order of [`Trainable::visit_params`](super::Trainable::visit_params), so a backward step
//! writes each parameter's gradient where the flat layout expects it.

use nalgebra::{SMatrixViewMut, Scalar};

/// Splits a gradient slice into consecutive matrices, column-major.
///
/// ```
/// use loop_core::train::GradCursor;
///
/// let mut grads = [0.0_f64; 8];
/// let mut cursor = GradCursor::new(&mut grads);
/// let mut dw = cursor.matrix::<2, 3>();
/// let mut db = cursor.matrix::<2, 1>();
/// dw[(1, 2)] = 5.0;
/// db[1] = 7.0;
/// assert!(cursor.is_done());
/// assert_eq!(grads, [0.0, 0.0, 0.0, 0.0, 0.0, 5.0, 0.0, 7.0]);
/// ```
pub struct GradCursor<'a, T> {
    rest: &'a mut [T],
}

impl<'a, T: Scalar> GradCursor<'a, T> {
    /// A cursor at the start of `grads`.
    pub fn new(grads: &'a mut [T]) -> Self {
        GradCursor { rest: grads }
    }

    /// The next `R × C` scalars as a matrix.
    ///
    /// # Panics
    /// When fewer than `R · C` scalars are left: the layer's backward step asks for more
    /// gradients than its `PARAM_COUNT` declares, a bug in that layer's `Trainable` impl.
    pub fn matrix<const R: usize, const C: usize>(&mut self) -> SMatrixViewMut<'a, T, R, C> {
        let rest = core::mem::take(&mut self.rest);
        assert!(
            rest.len() >= R * C,
            "GradCursor: a backward step asked for a {R}x{C} gradient with only {} scalars left; \
             its PARAM_COUNT is smaller than the parameters it visits",
            rest.len()
        );
        let (this, rest) = rest.split_at_mut(R * C);
        self.rest = rest;
        SMatrixViewMut::from_slice(this)
    }

    /// The next `len` scalars as a slice.
    ///
    /// # Panics
    /// When fewer than `len` scalars are left (see [`matrix`](Self::matrix)).
    pub fn slice(&mut self, len: usize) -> &'a mut [T] {
        let rest = core::mem::take(&mut self.rest);
        assert!(
            rest.len() >= len,
            "GradCursor: a backward step asked for {len} gradients with only {} scalars left; \
             its PARAM_COUNT is smaller than the parameters it visits",
            rest.len()
        );
        let (this, rest) = rest.split_at_mut(len);
        self.rest = rest;
        this
    }

    /// `true` when every scalar has been handed out.
    pub fn is_done(&self) -> bool {
        self.rest.is_empty()
    }
}
