//! The parsed composition: its layers in order, each a name and the expression that builds it
//! (or, in the named form, the layer's type). Names keep the user's tokens, so errors point at
//! them.

use syn::{Attribute, Expr, Ident, Path, Type, Visibility};

/// `sequential! { [crate = path;] name: expr, … }`, or the named form
/// `sequential! { [crate = path;] #[attrs] vis struct Name { name: Type, … } }`.
pub struct Sequential {
    /// The named form's struct (`None`: the expression form).
    pub named: Option<Named>,
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
    /// Every layer expression written, well-formed entries and stray ones (none in the named
    /// form).
    pub fn expressions(&self) -> impl Iterator<Item = &Expr> {
        self.layers
            .iter()
            .filter_map(|l| match &l.source {
                Source::Expr(expr) => Some(expr),
                Source::Field(_) => None,
            })
            .chain(&self.stray)
    }
}

/// The named form's struct: what the user wrote around the layers.
pub struct Named {
    /// Its attributes (docs; derives beside the `Clone` and `Debug` it always has).
    pub attrs: Vec<Attribute>,
    /// Its visibility, also that of its snapshot type and of `new`.
    pub vis: Visibility,
    /// Its name.
    pub ident: Ident,
}

/// One `name: expr` entry (or `name: Type` field in the named form).
pub struct Layer {
    /// The field name (`l1`).
    pub name: Ident,
    /// What the entry says of the layer.
    pub source: Source,
}

/// A layer as written.
pub enum Source {
    /// The expression form: what builds the layer, a system or an activation such as `Relu`.
    Expr(Expr),
    /// The named form: the field, with the layer's type.
    Field(NamedField),
}

/// A field of the named form.
pub struct NamedField {
    /// Its attributes (docs).
    pub attrs: Vec<Attribute>,
    /// Its visibility.
    pub vis: Visibility,
    /// The layer's type as written (an activation such as `Relu` included).
    pub ty: Type,
}
