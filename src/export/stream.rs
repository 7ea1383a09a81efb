//! [`NpyStream`]: an observer that writes a monitored variable to a `.npy` file as the loop runs,
//! so a long run keeps its memory flat: nothing of it is kept in the history.
//!
//! The file is always a valid `.npy` holding exactly the rows written: its header is padded to a
//! fixed length and rewritten with the row count at the end of every run (after success,
//! divergence or an error) and when the stream is dropped. A write that fails (a full disk, a
//! closed pipe) stops the run with `LoopError::Observer` and the history so far; the file is cut
//! back to its last whole row.

use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec::Vec;
use std::fs::{File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::columns::{ColumnData, ExportError, ExportItem, Gather};
use super::npy_header::{append_le, descr, element_size, header};
use crate::{Observer, ObserverError, Step};

/// Bytes gathered before they go to the file.
const BUFFER: usize = 64 * 1024;

/// What every row of the file is: fixed at the first row.
struct RowLayout {
    descr: &'static str,
    /// Dimensions after the row count.
    dims: Vec<usize>,
    /// Dimensions a batch-first sequence adds in front of the value's own.
    lead: Vec<usize>,
    row_bytes: u64,
    header_len: u64,
}

/// Streams `get(model)` at every `n`-th step of the loop's clock into a `.npy` file of shape
/// `(rows, …value shape)`; add it with `LoopOverTime::observe`. Successive runs append to the
/// same file, so a run split into calls writes the same file as one call.
///
/// ```no_run
/// # use looptime::export::NpyStream;
/// # use looptime::prelude::*;
/// # use looptime::neurons::Lif;
/// let stream = NpyStream::new("v.npy", |m: &Lif<f64, 100>| m.v)?; // refuses an existing file
/// let mut run = LoopOverTime::new(Lif::<f64, 100>::new()).keep_outputs(false).observe(stream);
/// run.run_duration(1000.0)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct NpyStream<F> {
    path: PathBuf,
    get: F,
    every: usize,
    file: File,
    gather: Gather,
    layout: Option<RowLayout>,
    buffer: Vec<u8>,
    /// Rows whose bytes reached the file.
    rows_on_disk: u64,
    /// Rows in `buffer`.
    rows_buffered: u64,
    /// Whether the header on disk counts every row on disk.
    header_current: bool,
    error: Option<ExportError>,
}

impl<F> NpyStream<F> {
    /// A stream of `get(model)` into a new file at `path`.
    ///
    /// # Errors
    /// [`ExportError::Exists`] when `path` exists (use [`overwrite`](Self::overwrite) to replace
    /// it), [`ExportError::Io`] when it cannot be created (a missing directory, no permission).
    pub fn new(path: impl AsRef<Path>, get: F) -> Result<Self, ExportError> {
        let path = path.as_ref();
        let file = OpenOptions::new().write(true).create_new(true).open(path);
        match file {
            Ok(file) => Ok(Self::with_file(path, file, get)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(ExportError::Exists {
                path: path.display().to_string(),
            }),
            Err(e) => Err(io_error(path, e)),
        }
    }

    /// A stream of `get(model)` into `path`, replacing the file there if there is one.
    ///
    /// # Errors
    /// [`ExportError::Io`] when the file cannot be created or opened.
    pub fn overwrite(path: impl AsRef<Path>, get: F) -> Result<Self, ExportError> {
        let path = path.as_ref();
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(path)
            .map_err(|e| io_error(path, e))?;
        Ok(Self::with_file(path, file, get))
    }

    fn with_file(path: &Path, file: File, get: F) -> Self {
        NpyStream {
            path: path.to_path_buf(),
            get,
            every: 1,
            file,
            gather: Gather::new(),
            layout: None,
            buffer: Vec::with_capacity(BUFFER),
            rows_on_disk: 0,
            rows_buffered: 0,
            header_current: false,
            error: None,
        }
    }

    /// Writes the clock's steps 0, n, 2n, … only (n ≥ 1).
    pub fn every(mut self, n: usize) -> Self {
        self.every = n.max(1);
        self
    }

    /// The file written.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Rows written so far, over all runs (some may still wait in the buffer until the run ends).
    pub fn written(&self) -> u64 {
        self.rows_on_disk + self.rows_buffered
    }

    /// The first error met, if any. After one, the stream writes nothing more.
    pub fn error(&self) -> Option<&ExportError> {
        self.error.as_ref()
    }

    /// Keeps the first error, makes the file valid again (cut back to its whole rows, header
    /// rewritten; both best effort, the write already failed) and returns the error for the run.
    fn fail(&mut self, error: ExportError) -> ObserverError {
        let returned = match &error {
            ExportError::Io { path, error } => ExportError::Io {
                path: path.clone(),
                error: match error.raw_os_error() {
                    Some(code) => std::io::Error::from_raw_os_error(code),
                    None => std::io::Error::new(error.kind(), error.to_string()),
                },
            },
            ExportError::Ragged { name } => ExportError::Ragged { name: name.clone() },
            other => ExportError::Io {
                path: self.path.display().to_string(),
                error: std::io::Error::other(other.to_string()),
            },
        };
        if self.error.is_none() {
            self.error = Some(error);
        }
        self.buffer.clear();
        self.rows_buffered = 0;
        if let Some(layout) = &self.layout {
            let _ = self
                .file
                .set_len(layout.header_len + self.rows_on_disk * layout.row_bytes);
        }
        let _ = self.write_header();
        Box::new(returned)
    }

    /// The error of a stream that already failed, for a later step or run.
    fn failed_before(&self) -> Option<ObserverError> {
        let first = self.error.as_ref()?;
        Some(Box::new(ExportError::Io {
            path: self.path.display().to_string(),
            error: std::io::Error::other(alloc::format!("the stream failed before: {first}")),
        }))
    }

    /// Writes the header for the rows on disk at the start of the file (a stream that never
    /// wrote a row holds an empty float64 array), then returns to the end.
    fn write_header(&mut self) -> std::io::Result<()> {
        let bytes = match &self.layout {
            Some(layout) => header(layout.descr, self.rows_on_disk, &layout.dims),
            None => header("<f8", 0, &[]),
        };
        self.file.seek(SeekFrom::Start(0))?;
        self.file.write_all(&bytes)?;
        self.file.seek(SeekFrom::End(0))?;
        self.header_current = true;
        Ok(())
    }

    /// Sends the buffered rows to the file.
    fn flush_rows(&mut self) -> Result<(), ObserverError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        match self.file.write_all(&self.buffer) {
            Ok(()) => {
                self.rows_on_disk += self.rows_buffered;
                self.rows_buffered = 0;
                self.buffer.clear();
                self.header_current = false;
                Ok(())
            }
            Err(e) => Err(self.fail(io_error(&self.path, e))),
        }
    }

    /// Flushes the rows and rewrites the header: the file is then a valid `.npy` of every row.
    fn complete(&mut self) -> Result<(), ObserverError> {
        if self.error.is_some() {
            return Ok(());
        }
        self.flush_rows()?;
        if self.header_current {
            return Ok(());
        }
        match self.write_header() {
            Ok(()) => Ok(()),
            Err(e) => Err(self.fail(io_error(&self.path, e))),
        }
    }

    /// The layout of the rows from the first value gathered, with its header written.
    fn begin(&mut self, data: &ColumnData, lead: Vec<usize>) -> Result<(), ObserverError> {
        let mut dims = lead.clone();
        dims.extend(self.gather.value_dims());
        let elements: usize = dims.iter().product();
        let layout = RowLayout {
            descr: descr(data),
            header_len: header(descr(data), 0, &dims).len() as u64,
            row_bytes: (elements * element_size(data)) as u64,
            dims,
            lead,
        };
        self.layout = Some(layout);
        let _ = self.file.set_len(0);
        match self.write_header() {
            Ok(()) => Ok(()),
            Err(e) => Err(self.fail(io_error(&self.path, e))),
        }
    }
}

fn io_error(path: &Path, error: std::io::Error) -> ExportError {
    ExportError::Io {
        path: path.display().to_string(),
        error,
    }
}

impl<M: ?Sized, V: ExportItem, F: Fn(&M) -> V> Observer<M> for NpyStream<F> {
    fn observe(&mut self, model: &M, step: &Step) -> Result<(), ObserverError> {
        if let Some(error) = self.failed_before() {
            return Err(error);
        }
        if !step.n.is_multiple_of(self.every as u64) {
            return Ok(());
        }
        self.gather.clear();
        let lead = (self.get)(model).gather(&mut self.gather);
        let (_, ragged) = self.gather.shape();
        let changed = match &self.layout {
            Some(layout) => ragged || layout.lead != lead,
            None => ragged,
        };
        if changed {
            // The rows before the change are good: they stay in the file.
            self.flush_rows()?;
            let name = self.path.display().to_string();
            return Err(self.fail(ExportError::Ragged { name }));
        }
        let Some(data) = self.gather.data() else {
            return Ok(());
        };
        if self.layout.is_none() {
            let data = data.clone();
            self.begin(&data, lead)?;
        }
        let row_bytes = self.layout.as_ref().map_or(0, |l| l.row_bytes as usize);
        if self.buffer.len() + row_bytes > BUFFER {
            self.flush_rows()?;
        }
        if let Some(data) = self.gather.data() {
            append_le(data, &mut self.buffer);
        }
        self.rows_buffered += 1;
        Ok(())
    }

    fn finish(&mut self) -> Result<(), ObserverError> {
        self.complete()
    }
}

/// A stream dropped in the middle of a run (a panic in a step) still leaves a valid file.
impl<F> Drop for NpyStream<F> {
    fn drop(&mut self) {
        let _ = self.complete();
    }
}
