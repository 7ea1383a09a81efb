//! CSV export of a time-first history: a header of variable names (`t,output,v[0],v[1],…`), one
//! row per recorded step, floats in full round-trip precision, flags as 0/1. pandas reads it with
//! `pd.read_csv(path)`.

use alloc::string::String;
use alloc::vec::Vec;
use std::io::Write;
use std::path::Path;

use super::{Column, Columns, ExportError};
use crate::Layout;

/// Writes a history as CSV.
pub trait ToCsv {
    /// The CSV text.
    fn to_csv_string(&self) -> Result<String, ExportError>;
    /// Writes the CSV text to `path`.
    fn save_csv(&self, path: impl AsRef<Path>) -> Result<(), ExportError>;
}

impl<O, T> ToCsv for crate::History<O, T>
where
    crate::History<O, T>: Columns,
{
    fn to_csv_string(&self) -> Result<String, ExportError> {
        if self.layout == Layout::BatchFirst {
            return Err(ExportError::BatchFirstCsv);
        }
        Ok(csv_text(&self.columns()?))
    }

    fn save_csv(&self, path: impl AsRef<Path>) -> Result<(), ExportError> {
        let text = self.to_csv_string()?;
        let path = path.as_ref();
        std::fs::File::create(path)
            .and_then(|mut f| f.write_all(text.as_bytes()))
            .map_err(|error| ExportError::Io {
                path: path.display().to_string(),
                error,
            })
    }
}

/// Header cells of a column: its name when it holds one value per row, else `name[k]`.
fn headers(column: &Column) -> Vec<String> {
    let per_row: usize = column.shape.iter().skip(1).product();
    if column.shape.len() <= 1 {
        alloc::vec![column.name.clone()]
    } else {
        (0..per_row)
            .map(|k| alloc::format!("{}[{k}]", column.name))
            .collect()
    }
}

fn csv_text(columns: &[Column]) -> String {
    let rows = columns
        .first()
        .map_or(0, |c| c.shape.first().copied().unwrap_or(0));
    let mut out = String::new();
    let header: Vec<String> = columns.iter().flat_map(headers).collect();
    out.push_str(&header.join(","));
    out.push('\n');
    for row in 0..rows {
        let mut first = true;
        for column in columns {
            let per_row: usize = column.shape.iter().skip(1).product();
            for k in 0..per_row {
                if !first {
                    out.push(',');
                }
                first = false;
                column.data.cell(row * per_row + k, &mut out);
            }
        }
        out.push('\n');
    }
    out
}
