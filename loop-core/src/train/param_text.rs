//! Parameters as text: a small documented format that round-trips exactly, for saving a trained
//! model and loading it back (the facade writes and reads it as files).
//!
//! ```text
//! # looptime parameters v1
//! l1.wi 20 100
//! 0.0123 -0.5 …            (rows·cols values, column-major, separated by spaces)
//! l1.wh 20 20
//! …
//! ```
//!
//! The first line is the header. Then each trainable parameter, in the order of
//! [`Trainable::visit_params`], takes two lines: its path and its `rows cols` (of the stored,
//! column-major matrix), then its values. Values are written in Rust's shortest form that
//! reads back to the same number, so saving and loading gives the parameters bit for bit (f32
//! values are written as the f64 of the same value). Blank lines and lines starting with `#`
//! after the header are ignored.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt::Write;

use super::{Trainable, param_infos};
use crate::Real;
use crate::train::trainable::for_each_param_mut;

/// The first line of the format.
pub const HEADER: &str = "# looptime parameters v1";

/// Why a text could not be loaded into a model; the model is then unchanged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParamTextError {
    /// The first line is not [`HEADER`].
    #[error("not a looptime parameter file: the first line is `{found}`, expected `{HEADER}`")]
    Header {
        /// The first line found.
        found: String,
    },
    /// A line could not be read.
    #[error("line {line}: expected {expected}, found `{found}`")]
    Syntax {
        /// 1-based line number.
        line: usize,
        /// What was expected.
        expected: &'static str,
        /// The text found.
        found: String,
    },
    /// The parameter at this place has another path.
    #[error("line {line}: the model's next parameter is `{expected}`, the file has `{found}`")]
    Path {
        /// 1-based line number.
        line: usize,
        /// The model's parameter.
        expected: String,
        /// The file's.
        found: String,
    },
    /// A parameter has another shape.
    #[error(
        "parameter `{path}` is {}x{} in the model but {}x{} in the file",
        expected.0, expected.1, found.0, found.1
    )]
    Shape {
        /// The parameter.
        path: String,
        /// The model's `(rows, cols)`.
        expected: (usize, usize),
        /// The file's.
        found: (usize, usize),
    },
    /// The file has fewer or more parameters than the model.
    #[error("the model has {expected} parameters, the file {found}")]
    Count {
        /// The model's parameters.
        expected: usize,
        /// The file's.
        found: usize,
    },
}

/// The parameters of `model` in the text format.
pub fn to_text<M: Trainable + ?Sized>(model: &M) -> String {
    let infos = param_infos(model);
    let values = super::params_to_vec(model);
    let mut text = String::new();
    text.push_str(HEADER);
    text.push('\n');
    for info in &infos {
        let _ = writeln!(text, "{} {} {}", info.path, info.shape.0, info.shape.1);
        let mut first = true;
        for v in &values[info.offset..info.offset + info.len()] {
            if !first {
                text.push(' ');
            }
            first = false;
            let _ = write!(text, "{:?}", v.to_f64());
        }
        text.push('\n');
    }
    text
}

/// Loads parameters written by [`to_text`] into `model`: every path and shape must match.
///
/// # Errors
/// A [`ParamTextError`] that names the line or parameter; the model is then unchanged.
pub fn from_text<M: Trainable + ?Sized>(model: &mut M, text: &str) -> Result<(), ParamTextError> {
    let mut lines = text.lines().enumerate().map(|(k, l)| (k + 1, l.trim()));
    match lines.next() {
        Some((_, HEADER)) => {}
        other => {
            return Err(ParamTextError::Header {
                found: other.map(|(_, l)| l.into()).unwrap_or_default(),
            });
        }
    }
    let mut lines = lines.filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let infos = param_infos(model);
    let mut values: Vec<M::Scalar> = Vec::with_capacity(M::PARAM_COUNT);
    let mut found = 0;
    while let Some((line, head)) = lines.next() {
        let mut words = head.split_whitespace();
        let (path, rows, cols) = match (words.next(), words.next(), words.next(), words.next()) {
            (Some(p), Some(r), Some(c), None) => (p, r, c),
            _ => return Err(syntax(line, "`path rows cols`", head)),
        };
        let rows: usize = rows
            .parse()
            .map_err(|_| syntax(line, "a row count", rows))?;
        let cols: usize = cols
            .parse()
            .map_err(|_| syntax(line, "a column count", cols))?;
        let Some(info) = infos.get(found) else {
            let extra = 1 + lines.filter(|(_, l)| !l.is_empty()).count() / 2;
            return Err(ParamTextError::Count {
                expected: infos.len(),
                found: infos.len() + extra,
            });
        };
        if info.path != path {
            return Err(ParamTextError::Path {
                line,
                expected: info.path.clone(),
                found: path.into(),
            });
        }
        if info.shape != (rows, cols) {
            return Err(ParamTextError::Shape {
                path: info.path.clone(),
                expected: info.shape,
                found: (rows, cols),
            });
        }
        let (line, body) = lines
            .next()
            .ok_or_else(|| syntax(line + 1, "a line of values", ""))?;
        let before = values.len();
        for word in body.split_whitespace() {
            let v: f64 = word.parse().map_err(|_| syntax(line, "a number", word))?;
            values.push(M::Scalar::of(v));
        }
        if values.len() - before != rows * cols {
            return Err(syntax(
                line,
                "one value per element",
                &format!("{} values for {rows}x{cols}", values.len() - before),
            ));
        }
        found += 1;
    }
    if found != infos.len() {
        return Err(ParamTextError::Count {
            expected: infos.len(),
            found,
        });
    }
    for_each_param_mut(model, |offset, params| {
        params.copy_from_slice(&values[offset..offset + params.len()]);
    });
    Ok(())
}

fn syntax(line: usize, expected: &'static str, found: &str) -> ParamTextError {
    ParamTextError::Syntax {
        line,
        expected,
        found: found.into(),
    }
}
