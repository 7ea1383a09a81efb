//! The parsed composition: its layers in order, each a name and the expression that builds it.
//! Names keep the user's tokens, so errors point at them.

use syn::{Expr, Ident, Path};

/// `sequential! { [crate = path;] name: expr, … }`.
pub struct Sequential {
    /// Path of the facade crate in generated code.
    pub krate: Path,
    /// The layers, first to last.
    pub layers: Vec<Layer>,
    /// The whole input, for an error about an empty composition.
    pub span: proc_macro2::Span,
    /// Layer expressions of malformed entries (no name, `=` for `:`): after an error they are
    /// still type-checked, so the user's imports stay used and their own mistakes show.
    pub stray: Vec<Expr>,
}

impl Sequential {
    /// Every layer expression written, well-formed entries and stray ones.
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.layers.iter().map(|l| &l.expr).chain(&self.stray)
    }
}

/// One `name: expr` entry.
pub struct Layer {
    /// The field name (`l1`).
    pub name: Ident,
    /// What builds the layer: a system, or an activation such as `Relu`.
    pub expr: Expr,
}
