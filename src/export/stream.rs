//! [`NpyStream`]: an observer that writes a monitored variable to a `.npy` file as the loop runs,
//! so a long run keeps its memory flat: nothing of it is kept in the history.

use alloc::string::ToString;
use alloc::vec::Vec;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use npyz::{NpyWriter, WriterBuilder};

use super::columns::{ColumnData, ExportError, ExportItem, Gather};
use crate::{Observer, Step};

type Out<T> = NpyWriter<T, BufWriter<File>>;

/// The open file, typed by the variable's element type.
enum Writer {
    F32(Out<f32>),
    F64(Out<f64>),
    Bool(Out<bool>),
    I64(Out<i64>),
}

/// Streams `get(model)` after every `n`-th step of each run into a `.npy` file of shape
/// `(recorded steps, …value shape)`; add it with `LoopOverTime::observe`.
///
/// I/O errors do not stop the loop: the first one is kept, writing stops, and
/// [`NpyStream::error`] returns it.
pub struct NpyStream<F> {
    path: PathBuf,
    get: F,
    every: usize,
    steps: usize,
    gather: Gather,
    writer: Option<Writer>,
    written: usize,
    error: Option<ExportError>,
}

impl<F> NpyStream<F> {
    /// A stream of `get(model)` into `path` (created at the first step of a run).
    pub fn new(path: impl AsRef<Path>, get: F) -> Self {
        NpyStream {
            path: path.as_ref().to_path_buf(),
            get,
            every: 1,
            steps: 0,
            gather: Gather::new(),
            writer: None,
            written: 0,
            error: None,
        }
    }

    /// Writes steps 0, n, 2n, … only (n ≥ 1).
    pub fn every(mut self, n: usize) -> Self {
        self.every = n.max(1);
        self
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Values written by the last run.
    pub fn written(&self) -> usize {
        self.written
    }

    /// The first error met, if any.
    pub fn error(&self) -> Option<&ExportError> {
        self.error.as_ref()
    }

    fn fail(&mut self, error: std::io::Error) {
        if self.error.is_none() {
            self.error = Some(ExportError::Io {
                path: self.path.display().to_string(),
                error,
            });
        }
        self.writer = None;
    }

    fn open(&self, data: &ColumnData, dims: &[usize]) -> std::io::Result<Writer> {
        let file = File::create(&self.path)?;
        let mut shape = alloc::vec![self.steps.div_ceil(self.every) as u64];
        shape.extend(dims.iter().map(|&d| d as u64));
        fn begin<T: npyz::AutoSerialize>(file: File, shape: &[u64]) -> std::io::Result<Out<T>> {
            npyz::WriteOptions::new()
                .default_dtype()
                .shape(shape)
                .writer(BufWriter::new(file))
                .begin_nd()
        }
        Ok(match data {
            ColumnData::F32(_) => Writer::F32(begin(file, &shape)?),
            ColumnData::F64(_) => Writer::F64(begin(file, &shape)?),
            ColumnData::Bool(_) => Writer::Bool(begin(file, &shape)?),
            ColumnData::I64(_) => Writer::I64(begin(file, &shape)?),
        })
    }
}

impl<M: ?Sized, V: ExportItem, F: Fn(&M) -> V> Observer<M> for NpyStream<F> {
    fn start(&mut self, steps: usize) {
        self.steps = steps;
        self.written = 0;
        self.writer = None;
    }

    fn observe(&mut self, model: &M, step: &Step) {
        if !step.k.is_multiple_of(self.every) || (self.error.is_some() && self.writer.is_none()) {
            return;
        }
        self.gather.clear();
        let lead = (self.get)(model).gather(&mut self.gather);
        let (data, mut dims, ragged) = self.gather.parts();
        let Some(data) = data else { return };
        if ragged {
            self.fail(std::io::Error::other(
                "the streamed value changed shape or type",
            ));
            return;
        }
        let mut all_dims: Vec<usize> = lead;
        all_dims.append(&mut dims);
        if self.writer.is_none() {
            match self.open(data, &all_dims) {
                Ok(writer) => self.writer = Some(writer),
                Err(e) => return self.fail(e),
            }
        }
        let result = match (self.writer.as_mut(), data) {
            (Some(Writer::F32(w)), ColumnData::F32(v)) => w.extend(v.iter().copied()),
            (Some(Writer::F64(w)), ColumnData::F64(v)) => w.extend(v.iter().copied()),
            (Some(Writer::Bool(w)), ColumnData::Bool(v)) => w.extend(v.iter().copied()),
            (Some(Writer::I64(w)), ColumnData::I64(v)) => w.extend(v.iter().copied()),
            _ => Err(std::io::Error::other("the streamed value changed type")),
        };
        match result {
            Ok(()) => self.written += 1,
            Err(e) => self.fail(e),
        }
    }

    fn finish(&mut self) {
        let result = match self.writer.take() {
            Some(Writer::F32(w)) => w.finish(),
            Some(Writer::F64(w)) => w.finish(),
            Some(Writer::Bool(w)) => w.finish(),
            Some(Writer::I64(w)) => w.finish(),
            None => Ok(()),
        };
        if let Err(e) = result {
            self.fail(e);
        }
    }
}
