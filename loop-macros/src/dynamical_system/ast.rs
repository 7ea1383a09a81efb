//! The parsed model: a struct whose fields are params, states, children or plain fields, and an
//! impl holding its `#[ode]` equations and optional `#[update]`. Every node keeps the user's
//! tokens, so errors point at them.

use proc_macro2::Span;
use quote::format_ident;
use syn::{Expr, Ident, ImplItemFn, ItemImpl, ItemStruct, Path, Type};

use super::shape::{element_of, shape_key};

/// `#[dynamical_system]` on a struct.
pub struct ModelStruct {
    /// The struct with this macro's field attributes removed.
    pub item: ItemStruct,
    /// Path of the facade crate (or loop-core) in generated code.
    pub krate: Path,
    /// `crate = …` was written (not found in the calling crate's dependencies).
    pub krate_written: bool,
    pub fields: Vec<ModelField>,
    /// `inputs(i, g: f64)`: the inputs of the equations and rules, in order (`None`: none
    /// declared).
    pub inputs: Option<Vec<DeclaredInput>>,
}

/// An input declared in `inputs(…)`: its name and, when written, one element's type (else the
/// first state's).
pub struct DeclaredInput {
    pub name: Ident,
    pub element: Option<Type>,
}

pub struct ModelField {
    pub ident: Ident,
    pub ty: Type,
    pub role: Role,
}

pub enum Role {
    Param(ParamAttr),
    State(StateAttr),
    Child(ChildAttr),
    /// No attribute: built with `Default::default()`, neither reset nor snapshotted.
    Plain,
}

pub struct ParamAttr {
    pub default: Option<Expr>,
    /// Rule names as written (`positive`), validated later.
    pub checks: Vec<Ident>,
    /// `train` as written: a trainable parameter (the model derives `Trainable`).
    pub train: Option<Ident>,
}

pub struct StateAttr {
    pub init: Option<Expr>,
}

pub struct ChildAttr {
    pub init: Option<Expr>,
}

impl ModelStruct {
    pub fn name(&self) -> &Ident {
        &self.item.ident
    }

    pub fn params(&self) -> impl Iterator<Item = (&ModelField, &ParamAttr)> {
        self.fields.iter().filter_map(|f| match &f.role {
            Role::Param(p) => Some((f, p)),
            _ => None,
        })
    }

    pub fn states(&self) -> impl Iterator<Item = (&ModelField, &StateAttr)> {
        self.fields.iter().filter_map(|f| match &f.role {
            Role::State(s) => Some((f, s)),
            _ => None,
        })
    }

    pub fn children(&self) -> impl Iterator<Item = (&ModelField, &ChildAttr)> {
        self.fields.iter().filter_map(|f| match &f.role {
            Role::Child(c) => Some((f, c)),
            _ => None,
        })
    }

    /// The declared input called `name`.
    pub fn input(&self, name: &Ident) -> Option<&DeclaredInput> {
        self.inputs.iter().flatten().find(|i| i.name == *name)
    }

    /// The declared inputs' names as the user reads them in messages: "i, g".
    pub fn input_list(&self) -> String {
        let names: Vec<String> = self
            .inputs
            .iter()
            .flatten()
            .map(|i| i.name.to_string())
            .collect();
        if names.is_empty() {
            "(none declared)".into()
        } else {
            names.join(", ")
        }
    }

    /// One element's type of input `input`: as declared, or the first state's element.
    pub fn input_element(&self, input: &DeclaredInput) -> Option<Type> {
        input
            .element
            .clone()
            .or_else(|| self.states().next().and_then(|(f, _)| element_of(&f.ty)))
    }

    /// The generated type holding several inputs by name: `LifInput`.
    pub fn input_name(&self) -> Ident {
        format_ident!("{}Input", self.name())
    }

    /// The generated type lending several inputs by name: `LifInputRef`.
    pub fn input_ref_name(&self) -> Ident {
        format_ident!("{}InputRef", self.name())
    }

    /// The field as the user wrote it (its attributes other than this macro's, its visibility).
    pub fn source_field(&self, ident: &Ident) -> &syn::Field {
        self.item
            .fields
            .iter()
            .find(|f| f.ident.as_ref() == Some(ident))
            .expect("a parsed field is a field of the struct")
    }

    /// The generated type holding the parameters: `LifParams`.
    pub fn params_name(&self) -> Ident {
        format_ident!("{}Params", self.name())
    }

    /// The generated type holding one element's states: `LifElement`.
    pub fn element_name(&self) -> Ident {
        format_ident!("{}Element", self.name())
    }

    /// Every state with the type of one of its elements, when the model is a population of
    /// elements: at least one state, every state a container of the same shape (or every state
    /// a scalar), each element type visible. `Err` names the state that breaks it.
    pub fn elements(&self) -> Result<Vec<(&ModelField, Type)>, ElementsError<'_>> {
        let mut out = Vec::new();
        let mut first: Option<(&ModelField, String)> = None;
        for (field, _) in self.states() {
            let Some(elem) = element_of(&field.ty) else {
                return Err(ElementsError::Opaque(field));
            };
            let key = shape_key(&field.ty);
            match &first {
                Some((f, k)) if *k != key => return Err(ElementsError::Shapes(f, field)),
                Some(_) => {}
                None => first = Some((field, key)),
            }
            out.push((field, elem));
        }
        if out.is_empty() {
            return Err(ElementsError::NoStates);
        }
        Ok(out)
    }

    pub fn state(&self, name: &Ident) -> Option<&ModelField> {
        self.states().map(|(f, _)| f).find(|f| f.ident == *name)
    }

    /// The states' names as the user reads them in messages: "v, m, h".
    pub fn state_list(&self) -> String {
        let names: Vec<String> = self.states().map(|(f, _)| f.ident.to_string()).collect();
        if names.is_empty() {
            "(none)".into()
        } else {
            names.join(", ")
        }
    }
}

/// Why a model is not a population of elements (see [`ModelStruct::elements`]).
pub enum ElementsError<'a> {
    NoStates,
    /// A state whose element type cannot be seen.
    Opaque(&'a ModelField),
    /// Two states of different shapes.
    Shapes(&'a ModelField, &'a ModelField),
}

/// The integration methods `method = …` accepts.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Method {
    Euler,
    Rk2,
    Rk4,
    ExpEuler,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Euler, Method::Rk2, Method::Rk4, Method::ExpEuler];

    pub fn name(self) -> &'static str {
        match self {
            Method::Euler => "euler",
            Method::Rk2 => "rk2",
            Method::Rk4 => "rk4",
            Method::ExpEuler => "exp_euler",
        }
    }

    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// `#[dynamical_system(method = …)]` on the impl of a model struct.
pub struct ModelImpl {
    /// The impl with this macro's attributes removed from its items.
    pub item: ItemImpl,
    pub method: Method,
    /// Where `method` was written (or the attribute, when omitted).
    pub method_span: Span,
    /// `method = …` was written (not defaulted).
    pub method_written: bool,
    pub krate: Option<Path>,
    pub odes: Vec<Ode>,
    /// `#[ode]` attributes written, parsed or not.
    pub ode_attributes: usize,
    pub update: Option<Update>,
    /// The `#[update_all]` function that becomes `DynamicalSystem::update_all` (a stateless
    /// model's one-call path over every input of a `no_state` run).
    pub update_all: Option<ImplItemFn>,
}

/// An `#[ode(x)]` function: `dx/dt` for every element of state `x`.
pub struct Ode {
    /// The state it integrates, as written in `#[ode(x)]`.
    pub state: Ident,
    /// `linear = <expr>`: ∂f/∂x given by the user instead of derived.
    pub linear: Option<Expr>,
    pub func: ImplItemFn,
    /// The arguments after `&self`: states (by name), `t`, or inputs.
    pub args: Vec<(Ident, Type)>,
    /// The scalar the function returns.
    pub scalar: Type,
}

/// The `#[update]` function that becomes `DynamicalSystem::update`.
pub struct Update {
    pub func: ImplItemFn,
    /// `needs(t, i)` written by the user, added to what the body shows.
    pub needs_t: bool,
    pub needs_i: bool,
    pub form: UpdateForm,
}

/// What an `#[update]` function steps.
pub enum UpdateForm {
    /// `fn step(&mut self, sh: &Shared, x: Input) -> Output`: the whole model's step.
    Whole,
    /// `fn fire(&self, sh: &Shared, old: &LifElement, new: &mut LifElement, i: f64) -> O`: one
    /// element's rules after its equations' step, `self` being the parameters.
    Element(Box<ElementUpdate>),
}

/// The parts of a per-element `#[update]`.
pub struct ElementUpdate {
    /// Takes the element's states before the step (`old: &LifElement`) besides after it.
    pub takes_old: bool,
    /// The element type as written (`LifElement<T>`), for messages.
    pub element_ty: Type,
    /// Its inputs after the element, by name, each one element's value (`i: f64`).
    pub inputs: Vec<(Ident, Type)>,
    /// What it returns for one element (`None`: nothing).
    pub output: Option<Type>,
}
