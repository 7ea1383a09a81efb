//! Saving and loading a model's trainable parameters as files in the text format of
//! [`param_text`](loop_core::train::param_text) (documented there): it round-trips bit for bit.

use std::path::{Path, PathBuf};

use loop_core::train::Trainable;
use loop_core::train::param_text::{ParamTextError, from_text, to_text};

/// Why parameters could not be saved or loaded.
#[derive(Debug, thiserror::Error)]
pub enum ParamFileError {
    /// Reading or writing the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not the model's parameters (the model is unchanged).
    #[error("{}: {source}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What does not fit.
        source: ParamTextError,
    },
}

/// Writes the trainable parameters of `model` to `path`.
///
/// # Errors
/// [`ParamFileError::Io`] when the file cannot be written.
pub fn save_params<M: Trainable + ?Sized>(
    model: &M,
    path: impl AsRef<Path>,
) -> Result<(), ParamFileError> {
    let path = path.as_ref();
    std::fs::write(path, to_text(model)).map_err(|source| ParamFileError::Io {
        path: path.into(),
        source,
    })
}

/// Reads parameters written by [`save_params`] into `model`: every path and shape must match.
///
/// # Errors
/// [`ParamFileError::Io`] when the file cannot be read, [`ParamFileError::Format`] when it does
/// not hold this model's parameters (the model is then unchanged).
pub fn load_params<M: Trainable + ?Sized>(
    model: &mut M,
    path: impl AsRef<Path>,
) -> Result<(), ParamFileError> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|source| ParamFileError::Io {
        path: path.into(),
        source,
    })?;
    from_text(model, &text).map_err(|source| ParamFileError::Format {
        path: path.into(),
        source,
    })
}
