//! BrainPy's connectivity files: `{name}_indptr.npy` and `{name}_indices.npy`, one-dimensional
//! int64 (int32 under BrainPy's float32 mode) arrays of a CSR matrix whose row is the presynaptic
//! neuron — the layout of `tests/reference/coba_seed1/`. Every fault is a [`ConnFileError`]
//! naming the file, and the entry when one is at fault.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use std::path::Path;

use npyz::{DType, NpyFile};

use crate::network::{ConnArray, ConnError, Csr};

/// Why a connectivity file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConnFileError {
    /// The file cannot be read or is not a `.npy` file.
    #[error("cannot read `{file}`: {source}")]
    Io {
        /// The file.
        file: String,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file holds something else than integers.
    #[error("`{file}` holds {found}, expected int64 or int32")]
    Dtype {
        /// The file.
        file: String,
        /// Its dtype.
        found: String,
    },
    /// The array is not one-dimensional.
    #[error("`{file}` has shape {found:?}, expected one dimension")]
    Shape {
        /// The file.
        file: String,
        /// Its shape.
        found: Vec<u64>,
    },
    /// The arrays do not form a connectivity: the entry at fault is in `file`.
    #[error("`{file}`: {source}")]
    Invalid {
        /// The file holding the entry at fault.
        file: String,
        /// What is wrong, with the entry.
        source: ConnError,
    },
}

/// The one-dimensional int64 or int32 array in the `.npy` file at `path`, as `i64`.
pub fn read_index_npy(path: impl AsRef<Path>) -> Result<Vec<i64>, ConnFileError> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let io = |source: std::io::Error| ConnFileError::Io {
        file: file.clone(),
        source,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let npy = NpyFile::new(&bytes[..]).map_err(io)?;
    let dtype = match npy.dtype() {
        DType::Plain(ty) => ty.to_string(),
        other => alloc::format!("{other:?}"),
    };
    let shape = npy.shape().to_vec();
    if shape.len() != 1 {
        return Err(ConnFileError::Shape { file, found: shape });
    }
    match dtype.as_str() {
        "<i8" | ">i8" => npy.into_vec::<i64>().map_err(io),
        "<i4" | ">i4" => Ok(npy
            .into_vec::<i32>()
            .map_err(io)?
            .into_iter()
            .map(i64::from)
            .collect()),
        _ => Err(ConnFileError::Dtype {
            file,
            found: alloc::format!("dtype {dtype}"),
        }),
    }
}

/// The connectivity `name` in directory `dir` (`{name}_indptr.npy`, `{name}_indices.npy`), from
/// `n_pre` to `n_post` neurons, checked entry by entry: a row pointer out of order or that does
/// not add up, or an index out of range, names its file and entry.
pub fn load_brainpy_csr(
    dir: impl AsRef<Path>,
    name: &str,
    n_pre: usize,
    n_post: usize,
) -> Result<Csr, ConnFileError> {
    let dir = dir.as_ref();
    let indptr_path = dir.join(alloc::format!("{name}_indptr.npy"));
    let indices_path = dir.join(alloc::format!("{name}_indices.npy"));
    let indptr = read_index_npy(&indptr_path)?;
    let indices = read_index_npy(&indices_path)?;
    Csr::from_csr(n_pre, n_post, &indptr, &indices).map_err(|source| {
        let path = match source.array() {
            Some(ConnArray::Indices) => &indices_path,
            _ => &indptr_path,
        };
        ConnFileError::Invalid {
            file: path.display().to_string(),
            source,
        }
    })
}
