//! Expand the step of one element: the two closures that `loop_core::elements::step_elements`
//! runs over a population. `linearize` gives exponential Euler's derivatives and linear parts
//! (the generated `linearize_<x>` of the parameters); `finish` gives the element's new states —
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
    quote! {
        #lc::elements::step_elements(#states, #inputs, #outputs, #linearize, #finish)
    }
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
    if step.method != Method::ExpEuler || step.odes.is_empty() {
        return quote!(
            #[inline(always)]
            |_, _| ()
        );
    }
    let parts = step.odes.iter().map(|ode| {
        let lin = format_ident!("linearize_{}", ode.state);
        let args = ode_args(lc, model, step, ode, &quote!(__t));
        quote!(__params.#lin(#(#args),*))
    });
    quote! {
        #[inline(always)]
        |(#(#written,)*), (#(#read,)*)| (#(#parts,)*)
    }
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
            let values = states.iter().enumerate().map(|(k, s)| {
                let k = syn::Index::from(k);
                quote!(#lc::integrate::exp_euler_scalar(#s, __dt, __linear.#k.0, __linear.#k.1))
            });
            quote!(let (#(#news,)*) = (#(#values,)*);)
        }
        method => {
            let integrator = format_ident!("{}", method.name());
            let scalar = &step.odes[0].scalar;
            let scalars = states.iter().map(|_| scalar);
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
            quote! {
                let (#(#news,)*) = #lc::integrate::#integrator(
                    &(#(#states,)*),
                    #t0,
                    __dt,
                    |__y: &(#(#scalars,)*), __at: f64| {
                        let (#(#states,)*) = *__y;
                        (#(#calls,)*)
                    },
                );
            }
        }
    };
    let body = match (&step.rules, &step.element) {
        (Some(rules), Some(element)) => {
            let element_path = element_constructor(element);
            let assigns = integrated_fields
                .iter()
                .zip(&news)
                .map(|(s, n)| quote!(__new.#s = #n;));
            quote! {
                let __old = #element_path { #(#fields: #written,)* };
                let mut __new = __old;
                #(#assigns)*
                let __out = #rules;
                *__state = (#(__new.#fields,)*);
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
            quote! {
                *__state = (#(#values,)*);
            }
        }
    };
    quote! {
        #[inline(always)]
        |__state, (#(#read,)*), __linear| {
            let (#(#written,)*) = *__state;
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
