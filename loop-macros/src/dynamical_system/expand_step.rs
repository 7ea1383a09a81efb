//! Expand the step of one element: the two closures that `loop_core::elements::step_elements`
//! runs over a population. `linearize` gives exponential Euler's derivatives and arguments
//! (`loop_core::integrate::ExpEulerPart`s, from the generated `linearize_<x>` of the
//! parameters); `finish` gives the element's new states —
//! the integrator's step of every `#[ode]` state, all derivatives at the old values, then the
//! per-element `#[update]` rules — and its output. The generated code only names things; the
//! loop, the blocks, the vector instructions and the cores are loop-core's.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{Ident, Type};

use super::ast::{Method, ModelStruct, Ode};

/// What an element step reads and writes, by name.
pub struct ElementStep<'a> {
    /// The columns the step writes (its element's states), in order.
    pub written: Vec<Ident>,
    /// The columns it only reads (states read by an equation but not integrated, then the
    /// inputs), in order.
    pub read: Vec<Ident>,
    pub odes: &'a [Ode],
    pub method: Method,
    /// Exponential Euler's linear parts in a pass of their own (see `linearize_fn`).
    pub two_passes: bool,
    /// The call of the per-element rules, made after the equations' step with `__old` and
    /// `__new` in scope; it gives the element's output.
    pub rules: Option<TokenStream>,
    /// The element type built around `written` for the rules (`LifElement<T>`).
    pub element: Option<Type>,
}

/// `step_elements(states, inputs, outputs, linearize, finish)` for `step`, with `__params`,
/// `__dt` (the model's scalar) and, when an equation reads the time, `__t` (f64) in scope.
pub fn driver_call(
    lc: &TokenStream,
    model: &ModelStruct,
    step: &ElementStep,
    states: TokenStream,
    inputs: TokenStream,
    outputs: TokenStream,
) -> TokenStream {
    let linearize = linearize_closure(lc, model, step);
    let finish = finish_closure(lc, model, step);
    // The closures own what they read (a copy of the parameters, dt, the time): the driver hands
    // them to the vectorized code by value, where the compiler may read them ahead of a branch.
    quote! {
        {
            let __params = ::core::clone::Clone::clone(__params);
            #lc::elements::step_elements(#states, #inputs, #outputs, #linearize, #finish)
        }
    }
}

/// `(a, b, …)`, nested in tuples of at most eight (`((a, …, h), (i, j))`) for more: tuples of
/// up to eight are what loop-core's integrators, lanes and columns take, and nested ones are
/// tuples of those. The same nesting of values, patterns and types lines them up.
pub fn nest(items: Vec<TokenStream>) -> TokenStream {
    const MOST: usize = 8;
    if items.len() <= MOST {
        return quote!((#(#items,)*));
    }
    let groups: Vec<TokenStream> = items
        .chunks(MOST)
        .map(|group| {
            let group = group.iter();
            quote!((#(#group,)*))
        })
        .collect();
    nest(groups)
}

/// [`nest`] of identifiers.
fn nest_idents<'a>(idents: impl IntoIterator<Item = &'a Ident>) -> TokenStream {
    nest(idents.into_iter().map(|i| quote!(#i)).collect())
}

/// The local holding one element's value of state `name` inside the closures. The closures
/// name their locals themselves (the user's names may come from a `macro_rules!`, whose hygiene
/// would keep a binding and its use apart).
pub fn state_local(name: &Ident) -> Ident {
    format_ident!("__s_{}", name, span = Span::call_site())
}

/// The local holding one element's value of the read-only column `name` (an input, or a state
/// the step only reads).
pub fn read_local(name: &Ident) -> Ident {
    format_ident!("__x_{}", name, span = Span::call_site())
}

/// An equation's arguments as values inside an element closure.
fn ode_args(
    lc: &TokenStream,
    model: &ModelStruct,
    step: &ElementStep,
    ode: &Ode,
    time: &TokenStream,
) -> Vec<TokenStream> {
    ode.args
        .iter()
        .map(|(name, ty)| {
            if step.written.contains(name) {
                let local = state_local(name);
                quote!(#local)
            } else if model.state(name).is_none() && name == "t" {
                quote!(<#ty as #lc::Real>::of(#time))
            } else {
                let local = read_local(name);
                quote!(#local)
            }
        })
        .collect()
}

fn linearize_closure(lc: &TokenStream, model: &ModelStruct, step: &ElementStep) -> TokenStream {
    let written: Vec<Ident> = step.written.iter().map(state_local).collect();
    let read: Vec<Ident> = step.read.iter().map(read_local).collect();
    // No pass of its own (another method, or linear parts that `finish` computes itself, the
    // same for every element): nothing, so the driver makes one pass.
    if step.method != Method::ExpEuler || step.odes.is_empty() || !step.two_passes {
        return quote!(
            #[inline(always)]
            |_, _| ()
        );
    }
    let (written, read) = (nest_idents(&written), nest_idents(&read));
    let parts = nest(exp_euler_parts(lc, model, step).collect());
    quote! {
        #[inline(always)]
        move |#written, #read| #parts
    }
}

/// `ExpEulerPart::new(__dt, __params.linearize_x(…))` of every equation: its derivative and
/// exponential Euler's argument.
fn exp_euler_parts<'a>(
    lc: &'a TokenStream,
    model: &'a ModelStruct,
    step: &'a ElementStep,
) -> impl Iterator<Item = TokenStream> + 'a {
    step.odes.iter().map(move |ode| {
        let lin = format_ident!("linearize_{}", ode.state);
        let args = ode_args(lc, model, step, ode, &quote!(__t));
        quote!(#lc::integrate::ExpEulerPart::new(__dt, __params.#lin(#(#args),*)))
    })
}

fn finish_closure(lc: &TokenStream, model: &ModelStruct, step: &ElementStep) -> TokenStream {
    let fields = &step.written;
    let written: Vec<Ident> = fields.iter().map(state_local).collect();
    let read: Vec<Ident> = step.read.iter().map(read_local).collect();
    let integrated_fields: Vec<&Ident> = step.odes.iter().map(|o| &o.state).collect();
    let states: Vec<Ident> = integrated_fields.iter().map(|s| state_local(s)).collect();
    let news: Vec<Ident> = integrated_fields
        .iter()
        .map(|s| format_ident!("__new_{}", s, span = Span::call_site()))
        .collect();
    let integrated = match step.method {
        _ if step.odes.is_empty() => quote!(),
        Method::ExpEuler => {
            let parts: Vec<Ident> = integrated_fields
                .iter()
                .map(|s| format_ident!("__part_{}", s, span = Span::call_site()))
                .collect();
            let values = states
                .iter()
                .zip(&parts)
                .zip(&news)
                .map(|((s, p), n)| quote!(let #n = #p.step(#s, __dt);));
            // Two passes: the first pass's parts, which the driver has factored for the block.
            // One pass: the parts here.
            let linear = if step.two_passes {
                quote!(__linear)
            } else {
                nest(exp_euler_parts(lc, model, step).collect())
            };
            let pattern = nest_idents(&parts);
            quote! {
                let #pattern = #linear;
                #(#values)*
            }
        }
        method => {
            let integrator = format_ident!("{}", method.name());
            let scalar = &step.odes[0].scalar;
            let scalars = nest(states.iter().map(|_| quote!(#scalar)).collect());
            let (state_tuple, new_tuple) = (nest_idents(&states), nest_idents(&news));
            let calls = step.odes.iter().map(|ode| {
                let f = &ode.func.sig.ident;
                let args = ode_args(lc, model, step, ode, &quote!(__at));
                quote!(__params.#f(#(#args),*))
            });
            let uses_time = step.odes.iter().any(|o| {
                o.args
                    .iter()
                    .any(|(n, _)| n == "t" && model.state(n).is_none())
            });
            let t0 = if uses_time { quote!(__t) } else { quote!(0.0) };
            let calls = nest(calls.collect());
            quote! {
                let #new_tuple = #lc::integrate::#integrator(
                    &#state_tuple,
                    #t0,
                    __dt,
                    |__y: &#scalars, __at: f64| {
                        let #state_tuple = *__y;
                        #calls
                    },
                );
            }
        }
    };
    let body = match (&step.rules, &step.element) {
        (Some(rules), Some(element)) => {
            let element_path = element_constructor(element);
            let new_values = nest(fields.iter().map(|f| quote!(__new.#f)).collect());
            let assigns = integrated_fields
                .iter()
                .zip(&news)
                .map(|(s, n)| quote!(__new.#s = #n;));
            quote! {
                let __old = #element_path { #(#fields: #written,)* };
                let mut __new = __old;
                #(#assigns)*
                let __out = #rules;
                *__state = #new_values;
                __out
            }
        }
        _ => {
            let values = written
                .iter()
                .map(|w| match states.iter().position(|s| s == w) {
                    Some(k) => {
                        let n = &news[k];
                        quote!(#n)
                    }
                    None => quote!(#w),
                });
            let values = nest(values.collect());
            quote! {
                *__state = #values;
            }
        }
    };
    let (written, read) = (nest_idents(&written), nest_idents(&read));
    quote! {
        #[inline(always)]
        move |__state, #read, __linear| {
            let #written = *__state;
            #integrated
            #body
        }
    }
}

/// `LifElement<T>` as a path for a struct expression: `LifElement::<T>`.
fn element_constructor(element: &Type) -> TokenStream {
    match element {
        Type::Path(tp) => {
            let mut path = tp.path.clone();
            if let Some(last) = path.segments.last_mut()
                && let syn::PathArguments::AngleBracketed(args) = &mut last.arguments
            {
                args.colon2_token = Some(Default::default());
            }
            quote!(#path)
        }
        other => quote!(#other),
    }
}
