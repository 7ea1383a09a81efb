//! Reading BrainPy's weights from NumPy `.npy` files ([`read_npy`]), with the `npy` feature.

use std::path::Path;

use alloc::string::ToString;
use alloc::vec::Vec;
use npyz::{DType, NpyFile, Order};

use super::weights::{BrainPyArray, WeightError};

/// The float64, C-order array in the `.npy` file at `path`, named after the file for messages.
/// Anything else (another dtype, Fortran order, a broken file) is a [`WeightError`].
pub fn read_npy(path: impl AsRef<Path>) -> Result<BrainPyArray, WeightError> {
    let path = path.as_ref();
    let name = path.display().to_string();
    let io = |error: std::io::Error| WeightError::Io {
        path: name.clone(),
        error,
    };
    let bytes = std::fs::read(path).map_err(io)?;
    let file = NpyFile::new(&bytes[..]).map_err(io)?;
    let dtype = match file.dtype() {
        DType::Plain(ty) => ty.to_string(),
        other => alloc::format!("{other:?}"),
    };
    if !(dtype == "<f8" || dtype == ">f8") {
        return Err(WeightError::Format {
            path: name,
            found: alloc::format!("dtype {dtype}"),
        });
    }
    if file.order() != Order::C {
        return Err(WeightError::Format {
            path: name,
            found: "an array in Fortran order".into(),
        });
    }
    let shape: Vec<usize> = file.shape().iter().map(|&d| d as usize).collect();
    let data: Vec<f64> = file.into_vec().map_err(io)?;
    BrainPyArray::new(name, shape, data)
}
