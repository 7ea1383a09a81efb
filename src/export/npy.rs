//! `.npy` export: one file per variable of a history, `t.npy`, `output.npy`, `v.npy`,
//! `l1.state.npy`, … in a directory; numpy reads each with `np.load(path)`.

use alloc::string::ToString;
use alloc::vec::Vec;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use npyz::WriterBuilder;

use super::{Column, ColumnData, Columns, ExportError};

/// Writes a history as `.npy` files.
pub trait SaveNpy {
    /// Writes one `<name>.npy` per column into `dir` (created if missing); returns the paths.
    fn save_npy(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, ExportError>;
}

impl<H: Columns> SaveNpy for H {
    fn save_npy(&self, dir: impl AsRef<Path>) -> Result<Vec<PathBuf>, ExportError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|error| io_error(dir, error))?;
        self.columns()?
            .iter()
            .map(|column| {
                let path = dir.join(alloc::format!("{}.npy", column.name));
                write_column(&path, column).map(|()| path)
            })
            .collect()
    }
}

fn io_error(path: &Path, error: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.display().to_string(),
        error,
    }
}

/// Writes one column as a C-order array of its shape.
pub fn write_column(path: &Path, column: &Column) -> Result<(), ExportError> {
    let file = std::fs::File::create(path).map_err(|e| io_error(path, e))?;
    let shape: Vec<u64> = column.shape.iter().map(|&d| d as u64).collect();
    fn write<T: npyz::AutoSerialize + Copy>(
        file: std::fs::File,
        shape: &[u64],
        values: &[T],
    ) -> std::io::Result<()> {
        let mut writer = npyz::WriteOptions::new()
            .default_dtype()
            .shape(shape)
            .writer(BufWriter::new(file))
            .begin_nd()?;
        writer.extend(values.iter().copied())?;
        writer.finish()
    }
    match &column.data {
        ColumnData::F32(v) => write(file, &shape, v),
        ColumnData::F64(v) => write(file, &shape, v),
        ColumnData::Bool(v) => write(file, &shape, v),
        ColumnData::I64(v) => write(file, &shape, v),
    }
    .map_err(|e| io_error(path, e))
}
