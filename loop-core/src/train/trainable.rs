//! [`Trainable`]: a system's trainable parameters, shown one by one as flat slices (column-major)
//! in a fixed order. That order is the layout of every flat gradient vector, of the optimizers'
//! buffers and of saved parameter files: parameter `k` of the visit occupies the next
//! `rows · cols` scalars.

use alloc::string::String;
use alloc::vec::Vec;

use super::TrainError;
use crate::Real;

/// A system whose parameters can be trained.
///
/// `#[dynamical_system]` implements it from the `#[param(train)]` fields (in field order), and
/// `sequential!` from its layers. A system without trainable parameters writes only its scalar
/// (`impl Trainable for Relu6Layer { type Scalar = f64; }`): the count and the visits default to
/// none.
///
/// By hand, `visit_params` and `visit_params_mut` must show the same parameters, with the same
/// names and shapes, in the same order, and their sizes must add up to
/// [`PARAM_COUNT`](Self::PARAM_COUNT) (the driver checks the count before a gradient).
/// Children go inside [`enter`](ParamVisitor::enter)/[`leave`](ParamVisitor::leave), so their
/// parameters get paths such as `l1.wi`.
///
/// ```
/// use loop_core::train::{ParamVisitor, ParamVisitorMut, Trainable, params_to_vec};
/// use nalgebra::{SMatrix, SVector};
///
/// struct Affine { w: SMatrix<f64, 2, 3>, b: SVector<f64, 2> }
///
/// impl Trainable for Affine {
///     type Scalar = f64;
///     const PARAM_COUNT: usize = 2 * 3 + 2;
///     fn visit_params(&self, v: &mut dyn ParamVisitor<f64>) {
///         v.param("w", self.w.as_slice(), (2, 3));
///         v.param("b", self.b.as_slice(), (2, 1));
///     }
///     fn visit_params_mut(&mut self, v: &mut dyn ParamVisitorMut<f64>) {
///         v.param("w", self.w.as_mut_slice(), (2, 3));
///         v.param("b", self.b.as_mut_slice(), (2, 1));
///     }
/// }
///
/// let layer = Affine { w: SMatrix::repeat(1.0), b: SVector::repeat(2.0) };
/// assert_eq!(params_to_vec(&layer), [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 2.0, 2.0]);
///
/// /// A layer with nothing to train.
/// struct Double;
///
/// impl Trainable for Double {
///     type Scalar = f32;
/// }
/// assert!(params_to_vec(&Double).is_empty());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no trainable parameters that looptime knows of: it does not implement `Trainable`",
    label = "not `Trainable`",
    note = "mark its trainable parameters `#[param(train)]` (a `#[dynamical_system]` model), or implement `Trainable` (visit each parameter as a slice; `type Scalar` alone for none); a `sequential!` is `Trainable` when every layer is"
)]
pub trait Trainable {
    /// The scalar of the parameters (f32 or f64).
    type Scalar: Real;

    /// How many trainable scalars the system has, children included (none by default).
    const PARAM_COUNT: usize = 0;

    /// Shows every trainable parameter to `visitor`, in the fixed order (none by default).
    fn visit_params(&self, visitor: &mut dyn ParamVisitor<Self::Scalar>) {
        let _ = visitor;
    }

    /// Shows every trainable parameter to `visitor` for change, in the same order (none by
    /// default).
    fn visit_params_mut(&mut self, visitor: &mut dyn ParamVisitorMut<Self::Scalar>) {
        let _ = visitor;
    }
}

/// Sees the trainable parameters of a system, one call of [`param`](Self::param) each.
pub trait ParamVisitor<T> {
    /// The following parameters belong to the child `name`.
    fn enter(&mut self, name: &'static str) {
        let _ = name;
    }

    /// The child entered last is done.
    fn leave(&mut self) {}

    /// One parameter: its name, its values (column-major) and its shape `(rows, cols)`.
    fn param(&mut self, name: &'static str, values: &[T], shape: (usize, usize));
}

/// Sees the trainable parameters of a system for change, one call of [`param`](Self::param) each.
pub trait ParamVisitorMut<T> {
    /// The following parameters belong to the child `name`.
    fn enter(&mut self, name: &'static str) {
        let _ = name;
    }

    /// The child entered last is done.
    fn leave(&mut self) {}

    /// One parameter: its name, its values (column-major) and its shape `(rows, cols)`.
    fn param(&mut self, name: &'static str, values: &mut [T], shape: (usize, usize));
}

/// One trainable parameter: its path, shape and place in the flat layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamInfo {
    /// Path from the model, children joined by dots (`"l1.wi"`).
    pub path: String,
    /// `(rows, cols)` of the stored (column-major) matrix.
    pub shape: (usize, usize),
    /// Index of its first scalar in a flat vector of all parameters.
    pub offset: usize,
}

impl ParamInfo {
    /// Number of scalars.
    pub fn len(&self) -> usize {
        self.shape.0 * self.shape.1
    }

    /// `true` for a parameter without scalars.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Tracks the dotted path of the parameter being visited.
#[derive(Default)]
pub(crate) struct PathTracker {
    prefix: String,
    marks: Vec<usize>,
}

impl PathTracker {
    pub(crate) fn enter(&mut self, name: &str) {
        self.marks.push(self.prefix.len());
        self.prefix.push_str(name);
        self.prefix.push('.');
    }

    pub(crate) fn leave(&mut self) {
        if let Some(mark) = self.marks.pop() {
            self.prefix.truncate(mark);
        }
    }

    pub(crate) fn path(&self, name: &str) -> String {
        let mut path = self.prefix.clone();
        path.push_str(name);
        path
    }
}

/// Every trainable parameter of `model`, in visiting order, with its offset in the flat layout.
pub fn param_infos<M: Trainable + ?Sized>(model: &M) -> Vec<ParamInfo> {
    struct Collect {
        paths: PathTracker,
        offset: usize,
        found: Vec<ParamInfo>,
    }
    impl<T> ParamVisitor<T> for Collect {
        fn enter(&mut self, name: &'static str) {
            self.paths.enter(name);
        }
        fn leave(&mut self) {
            self.paths.leave();
        }
        fn param(&mut self, name: &'static str, values: &[T], shape: (usize, usize)) {
            self.found.push(ParamInfo {
                path: self.paths.path(name),
                shape,
                offset: self.offset,
            });
            self.offset += values.len();
        }
    }
    let mut collect = Collect {
        paths: PathTracker::default(),
        offset: 0,
        found: Vec::new(),
    };
    model.visit_params(&mut collect);
    collect.found
}

/// Every trainable scalar of `model`, in the flat layout.
pub fn params_to_vec<M: Trainable + ?Sized>(model: &M) -> Vec<M::Scalar> {
    let mut params = Vec::with_capacity(M::PARAM_COUNT);
    params_into(model, &mut params);
    params
}

/// Every trainable scalar of `model`, in the flat layout, written over `params` (which
/// allocates nothing when it holds the capacity already).
pub(crate) fn params_into<M: Trainable + ?Sized>(model: &M, params: &mut Vec<M::Scalar>) {
    struct Gather<'a, T>(&'a mut Vec<T>);
    impl<T: Copy> ParamVisitor<T> for Gather<'_, T> {
        fn param(&mut self, _name: &'static str, values: &[T], _shape: (usize, usize)) {
            self.0.extend_from_slice(values);
        }
    }
    params.clear();
    model.visit_params(&mut Gather(params));
}

/// Sets every trainable scalar of `model` from `values`, in the flat layout.
///
/// # Errors
/// [`TrainError::ParamCount`] when `values` does not hold exactly one value per scalar (the
/// model is then unchanged).
pub fn params_from_slice<M: Trainable + ?Sized>(
    model: &mut M,
    values: &[M::Scalar],
) -> Result<(), TrainError> {
    let visited = visited_count(model);
    if values.len() != visited {
        return Err(TrainError::ParamCount {
            expected: visited,
            got: values.len(),
        });
    }
    for_each_param_mut(model, |offset, params| {
        params.copy_from_slice(&values[offset..offset + params.len()]);
    });
    Ok(())
}

/// How many scalars a visit of `model` shows (should be `PARAM_COUNT`).
pub(crate) fn visited_count<M: Trainable + ?Sized>(model: &M) -> usize {
    struct Count(usize);
    impl<T> ParamVisitor<T> for Count {
        fn param(&mut self, _name: &'static str, values: &[T], _shape: (usize, usize)) {
            self.0 += values.len();
        }
    }
    let mut count = Count(0);
    model.visit_params(&mut count);
    count.0
}

/// Calls `f(offset, values)` for each parameter of `model`, mutably, with its flat offset.
pub(crate) fn for_each_param_mut<M, F>(model: &mut M, f: F)
where
    M: Trainable + ?Sized,
    F: FnMut(usize, &mut [M::Scalar]),
{
    struct Each<F> {
        offset: usize,
        f: F,
    }
    impl<T, F: FnMut(usize, &mut [T])> ParamVisitorMut<T> for Each<F> {
        fn param(&mut self, _name: &'static str, values: &mut [T], _shape: (usize, usize)) {
            (self.f)(self.offset, values);
            self.offset += values.len();
        }
    }
    model.visit_params_mut(&mut Each { offset: 0, f });
}
