//! [`Column`]: one recorded variable as a flat array with its name and numpy shape, the common
//! form that the `.npy` and CSV writers read. [`Columns`] turns a history into them.

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::nalgebra::SMatrix;
use crate::{History, StateElement, StateValues, StateVisitor, Trace, VisitState};

/// The values of a column, in C order, with their element type.
#[derive(Clone, Debug, PartialEq)]
pub enum ColumnData {
    /// Single-precision floats.
    F32(Vec<f32>),
    /// Double-precision floats.
    F64(Vec<f64>),
    /// Flags (spikes).
    Bool(Vec<bool>),
    /// Integers.
    I64(Vec<i64>),
}

impl ColumnData {
    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            ColumnData::F32(v) => v.len(),
            ColumnData::F64(v) => v.len(),
            ColumnData::Bool(v) => v.len(),
            ColumnData::I64(v) => v.len(),
        }
    }

    /// `true` when there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn empty_like(values: &StateValues<'_>) -> ColumnData {
        match values {
            StateValues::F32(_) => ColumnData::F32(Vec::new()),
            StateValues::F64(_) => ColumnData::F64(Vec::new()),
            StateValues::Bool(_) => ColumnData::Bool(Vec::new()),
            StateValues::I64(_) => ColumnData::I64(Vec::new()),
        }
    }

    /// Appends `values`; `false` when their element type differs from the column's.
    fn extend(&mut self, values: &StateValues<'_>) -> bool {
        match (self, values) {
            (ColumnData::F32(c), StateValues::F32(v)) => c.extend_from_slice(v),
            (ColumnData::F64(c), StateValues::F64(v)) => c.extend_from_slice(v),
            (ColumnData::Bool(c), StateValues::Bool(v)) => c.extend_from_slice(v),
            (ColumnData::I64(c), StateValues::I64(v)) => c.extend_from_slice(v),
            _ => return false,
        }
        true
    }

    /// Value `k` written for a CSV cell: floats in full round-trip precision, flags as 0/1.
    pub fn cell(&self, k: usize, out: &mut String) {
        use core::fmt::Write;
        let _ = match self {
            ColumnData::F32(v) => write!(out, "{}", v[k]),
            ColumnData::F64(v) => write!(out, "{}", v[k]),
            ColumnData::Bool(v) => write!(out, "{}", u8::from(v[k])),
            ColumnData::I64(v) => write!(out, "{}", v[k]),
        };
    }
}

/// One recorded variable: its name, its numpy shape and its values in C order.
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    /// The variable's name (`"v"`, `"l1.state"`, `"output"`, `"t"`).
    pub name: String,
    /// Its shape, steps first (batch-first: samples first).
    pub shape: Vec<usize>,
    /// Its values.
    pub data: ColumnData,
}

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Reading or writing a file failed.
    #[error("cannot write `{path}`: {error}")]
    Io {
        /// The file.
        path: String,
        /// What went wrong.
        #[source]
        error: std::io::Error,
    },
    /// A trace's values changed shape or type between steps, so they form no array.
    #[error("the values of `{name}` change shape or type between steps, so they form no array")]
    Ragged {
        /// The variable.
        name: String,
    },
    /// A stream would replace an existing file.
    #[error("`{path}` exists: stream to a new file, or replace it with `NpyStream::overwrite`")]
    Exists {
        /// The file.
        path: String,
    },
    /// CSV holds time-first histories; batch-first ones go to `.npy`.
    #[error("a CSV holds one row per step; save a batch-first history with `save_npy` instead")]
    BatchFirstCsv,
}

/// Gathers the values of one variable, checking that every step has the same shape and type.
pub struct Gather {
    data: Option<ColumnData>,
    shape: Option<(usize, usize)>,
    ragged: bool,
}

impl Gather {
    /// Nothing gathered yet.
    pub(super) fn new() -> Self {
        Gather {
            data: None,
            shape: None,
            ragged: false,
        }
    }

    /// Empties the values but keeps their buffer, for the next step of a stream.
    #[cfg(feature = "npy")]
    pub(super) fn clear(&mut self) {
        match &mut self.data {
            Some(ColumnData::F32(v)) => v.clear(),
            Some(ColumnData::F64(v)) => v.clear(),
            Some(ColumnData::Bool(v)) => v.clear(),
            Some(ColumnData::I64(v)) => v.clear(),
            None => {}
        }
    }

    /// The values gathered, if any.
    #[cfg(feature = "npy")]
    pub(super) fn data(&self) -> Option<&ColumnData> {
        self.data.as_ref()
    }

    /// The `(rows, cols)` of the values gathered, and whether they were ragged (shapes or types
    /// that differ).
    #[cfg(feature = "npy")]
    pub(super) fn shape(&self) -> (Option<(usize, usize)>, bool) {
        (self.shape, self.ragged)
    }

    /// The numpy dims of the gathered value's own shape (see [`value_shape`]).
    #[cfg(feature = "npy")]
    pub(super) fn value_dims(&self) -> Vec<usize> {
        value_shape(self.shape.unwrap_or((1, 1)))
    }
}

impl StateVisitor for Gather {
    fn state(&mut self, _name: &'static str, values: StateValues<'_>, shape: (usize, usize)) {
        let data = self
            .data
            .get_or_insert_with(|| ColumnData::empty_like(&values));
        if *self.shape.get_or_insert(shape) != shape || !data.extend(&values) {
            self.ragged = true;
        }
    }
}

/// A recorded value that can be exported: a state (a number, a flag, a matrix of them) or, for
/// batch-first traces, a sequence of them.
pub trait ExportItem {
    /// Appends the values to `gather`; returns the dimensions this item adds in front of the
    /// value's own (a sequence adds its length).
    fn gather(&self, gather: &mut Gather) -> Vec<usize>;
}

macro_rules! scalar_export {
    ($($t:ty),*) => {$(
        impl ExportItem for $t {
            fn gather(&self, gather: &mut Gather) -> Vec<usize> {
                self.visit_state("", gather);
                Vec::new()
            }
        }
    )*};
}
scalar_export!(f32, f64, bool, i64);

impl<E: StateElement, const R: usize, const C: usize> ExportItem for SMatrix<E, R, C> {
    fn gather(&self, gather: &mut Gather) -> Vec<usize> {
        self.visit_state("", gather);
        Vec::new()
    }
}

/// A sample's sequence in a batch-first trace.
impl<X: ExportItem> ExportItem for Vec<X> {
    fn gather(&self, gather: &mut Gather) -> Vec<usize> {
        let mut inner = Vec::new();
        for (k, x) in self.iter().enumerate() {
            let dims = x.gather(gather);
            if k == 0 {
                inner = dims;
            } else if dims != inner {
                gather.ragged = true;
            }
        }
        let mut dims = alloc::vec![self.len()];
        dims.extend(inner);
        dims
    }
}

/// A value's numpy shape: `()` for a scalar, `(N,)` for a column, `(B, N)` for an N × B matrix
/// (a batch of B samples stored column by column).
fn value_shape((rows, cols): (usize, usize)) -> Vec<usize> {
    match (rows, cols) {
        (1, 1) => Vec::new(),
        (n, 1) => alloc::vec![n],
        (n, b) => alloc::vec![b, n],
    }
}

/// A trace as a column of shape `(T, …)` (batch-first: `(B, T, …)`).
pub fn trace_column<X: ExportItem>(trace: &Trace<X>) -> Result<Column, ExportError> {
    let mut gather = Gather::new();
    let mut lead: Option<Vec<usize>> = None;
    for x in &trace.values {
        let dims = x.gather(&mut gather);
        if *lead.get_or_insert_with(|| dims.clone()) != dims {
            gather.ragged = true;
        }
    }
    if gather.ragged {
        return Err(ExportError::Ragged {
            name: trace.name.to_string(),
        });
    }
    let mut shape = alloc::vec![trace.values.len()];
    shape.extend(lead.unwrap_or_default());
    shape.extend(value_shape(gather.shape.unwrap_or((1, 1))));
    Ok(Column {
        name: trace.name.to_string(),
        shape,
        data: gather.data.unwrap_or(ColumnData::F64(Vec::new())),
    })
}

/// Tuples of traces, as monitors come back.
pub trait ExportTraces {
    /// One column per trace, in order.
    fn columns(&self) -> Result<Vec<Column>, ExportError>;
}

impl ExportTraces for () {
    fn columns(&self) -> Result<Vec<Column>, ExportError> {
        Ok(Vec::new())
    }
}

macro_rules! tuple_columns {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: ExportItem),+> ExportTraces for ($(Trace<$name>,)+) {
            fn columns(&self) -> Result<Vec<Column>, ExportError> {
                Ok(alloc::vec![$(trace_column(&self.$idx)?),+])
            }
        }
    };
}
tuple_columns!(A 0);
tuple_columns!(A 0, B 1);
tuple_columns!(A 0, B 1, C 2);
tuple_columns!(A 0, B 1, C 2, D 3);
tuple_columns!(A 0, B 1, C 2, D 3, E 4);
tuple_columns!(A 0, B 1, C 2, D 3, E 4, F 5);
tuple_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6);
tuple_columns!(A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7);

/// A history as columns: `t` (when recorded), the outputs (when kept), then every monitor.
pub trait Columns {
    /// The columns, in that order.
    fn columns(&self) -> Result<Vec<Column>, ExportError>;
}

impl<O: ExportItem, T: ExportTraces> Columns for History<O, T> {
    fn columns(&self) -> Result<Vec<Column>, ExportError> {
        let mut columns: Vec<Column> = self
            .times
            .as_ref()
            .map(|t| Column {
                name: "t".into(),
                shape: alloc::vec![t.len()],
                data: ColumnData::F64(t.clone()),
            })
            .into_iter()
            .collect();
        if !self.outputs.values.is_empty() {
            columns.push(trace_column(&self.outputs)?);
        }
        columns.extend(self.monitors.columns()?);
        Ok(columns)
    }
}
