//! The parsed invocation: the model, how long to run, the options, with the user's tokens kept
//! for error spans.

use proc_macro2::Span;
use syn::{Expr, Ident, Path};

pub struct LoopSpec {
    pub model: Expr,
    pub length: Option<Length>,
    pub dt: Option<Expr>,
    pub t0: Option<Expr>,
    pub i0: Option<Expr>,
    pub fit: Option<Expr>,
    pub args: Option<Expr>,
    pub monitors: Vec<MonitorPath>,
    pub unroll: Unroll,
    pub layout: Layout,
    pub krate: Path,
}

/// How long the loop runs.
pub enum Length {
    /// `duration = <ms>`: the steps are `ceil(duration / dt)` (docs/MODELS.md), computed here.
    Duration { expr: Expr, key: Ident },
    /// `steps = <const expr>`.
    Steps { expr: Expr, key: Ident },
    /// `inputs = <array>`: one step per element.
    Inputs { expr: Expr, key: Ident },
}

impl Length {
    pub fn key(&self) -> &Ident {
        match self {
            Length::Duration { key, .. }
            | Length::Steps { key, .. }
            | Length::Inputs { key, .. } => key,
        }
    }
}

/// `l1.state`: a state reached through fields, and its name.
pub struct MonitorPath {
    pub segments: Vec<Ident>,
}

impl MonitorPath {
    pub fn name(&self) -> String {
        self.segments
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>()
            .join(".")
    }
}

pub enum Unroll {
    /// A plain loop (the default).
    Scan,
    /// Straight-line code for every step.
    Full(Span),
    /// `k` steps per iteration of the loop.
    By(u64, Span),
}

pub enum Layout {
    TimeFirst,
    BatchFirst(Span),
}
