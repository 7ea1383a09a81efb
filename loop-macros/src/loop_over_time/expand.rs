//! Expand: a block that builds a `StaticRun` (or `StaticBatchRun`) whose step count is a const
//! generic, steps it (scanned, unrolled by k, or fully unrolled) and returns the outputs, or
//! `(outputs, (monitor, …))` when there are monitors.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{quote, quote_spanned};
use syn::Expr;
use syn::spanned::Spanned;

use super::ast::{Layout, Length, LoopSpec, Unroll};
use super::parse::literal_number;
use super::validate::{DEFAULT_DT, known_steps};

pub fn expand(spec: &LoopSpec) -> TokenStream {
    let krate = &spec.krate;
    let lc = quote!(#krate::__private::loop_core);
    let sl = quote!(#lc::static_loop);
    let model = &spec.model;

    let dt = match &spec.dt {
        Some(dt) => float(dt),
        None => {
            let lit = Literal::f64_suffixed(DEFAULT_DT);
            quote!(#lit)
        }
    };
    let t0 = match &spec.t0 {
        Some(t0) => {
            let value = float(t0);
            quote!(::core::option::Option::<f64>::from(#value))
        }
        None => quote!(::core::option::Option::Some(0.0_f64)),
    };
    let i0 = match &spec.i0 {
        Some(i0) => quote!(::core::option::Option::<u64>::from(#i0)),
        None => quote!(::core::option::Option::Some(0_u64)),
    };
    let fit = spec.fit.as_ref().map_or(quote!(false), |f| quote!(#f));
    let args = spec.args.as_ref().map_or(quote!(()), |a| quote!(#a));

    let probes = spec.monitors.iter().map(|m| {
        let name = m.name();
        let path = &m.segments;
        quote! {
            #sl::probe_of(&*__looptime_model, #name, |__m| ::core::clone::Clone::clone(&__m.#(#path).*))
        }
    });

    let length = spec.length.as_ref().expect("validated");
    let batch_first = matches!(spec.layout, Layout::BatchFirst(_));
    let (setup, input_at) = match length {
        Length::Inputs { expr, .. } => {
            let run_type = if batch_first {
                quote!(#sl::StaticBatchRun)
            } else {
                quote!(#sl::StaticRun)
            };
            let input_at = if batch_first {
                quote!(|__k: usize| #lc::FromSamples::from_samples(|__b| ::core::clone::Clone::clone(#sl::StaticBatchInputs::at(__looptime_inputs, __b, __k))))
            } else {
                quote!(|__k: usize| ::core::clone::Clone::clone(#sl::StaticInputs::at(__looptime_inputs, __k)))
            };
            (
                quote! {
                    let __looptime_inputs = &(#expr);
                    let mut __looptime_run = #run_type::for_inputs(
                        __looptime_model, __looptime_options, #args, __looptime_probes, __looptime_inputs,
                    );
                },
                input_at,
            )
        }
        Length::Duration { .. } | Length::Steps { .. } => {
            let steps = match (known_steps(spec), length) {
                (Some(n), _) => {
                    let n = Literal::usize_unsuffixed(n as usize);
                    quote!(#n)
                }
                (None, Length::Steps { expr, .. }) => quote!(#expr),
                (None, _) => unreachable!("a duration's step count is known (validated)"),
            };
            (
                quote! {
                    let mut __looptime_run = #sl::StaticRun::<_, _, _, { #steps }>::new(
                        __looptime_model, __looptime_options, #args, __looptime_probes,
                    );
                },
                quote!(|_: usize| #lc::ZeroInput::zero_input()),
            )
        }
    };

    let fits = history_fits(spec, length);
    let run = match spec.unroll {
        Unroll::Scan | Unroll::By(1, _) => quote!(__looptime_run.run_scan(__looptime_input);),
        Unroll::Full(span) => {
            // The method name carries the user's `full`, so a loop too long to unroll is reported
            // there; locals keep the macro's own hygiene.
            let run_full = Ident::new("run_full", span);
            quote!(__looptime_run.#run_full(__looptime_input);)
        }
        Unroll::By(k, _) => {
            let steps = (0..k as usize).map(|j| {
                let j = Literal::usize_unsuffixed(j);
                quote!(__looptime_run.step(__k + #j, __looptime_input(__k + #j));)
            });
            let k_lit = Literal::usize_unsuffixed(k as usize);
            quote! {
                let __steps = __looptime_run.steps();
                let mut __k = 0_usize;
                while __k + #k_lit <= __steps {
                    #(#steps)*
                    __k += #k_lit;
                }
                while __k < __steps {
                    __looptime_run.step(__k, __looptime_input(__k));
                    __k += 1;
                }
            }
        }
    };
    let result = if spec.monitors.is_empty() {
        quote!(__looptime_outputs)
    } else {
        quote!((__looptime_outputs, __looptime_monitors))
    };
    quote! {
        {
            let __looptime_model = &mut #model;
            let __looptime_probes = (#(#probes,)*);
            let __looptime_options = (#dt, #t0, #i0, #fit);
            #setup
            #fits
            #[allow(unused_mut)]
            let mut __looptime_input = #input_at;
            #run
            let (__looptime_outputs, __looptime_monitors) = __looptime_run.finish();
            let _ = &__looptime_monitors;
            #result
        }
    }
}

/// A check, when the code is built, that the loop's outputs and monitors fit in
/// `MAX_HISTORY_BYTES`: a const assertion on the run's type, reported at the user's `duration`,
/// `steps` or `inputs` value.
fn history_fits(spec: &LoopSpec, length: &Length) -> TokenStream {
    let krate = &spec.krate;
    let sl = quote!(#krate::__private::loop_core::static_loop);
    let (expr, steps) = match length {
        Length::Duration { expr, .. } | Length::Steps { expr, .. } => (expr, known_steps(spec)),
        Length::Inputs { expr, .. } => (expr, None),
    };
    let these = steps.map_or_else(|| "the".to_string(), |n| format!("these {n}"));
    let message = format!(
        "loop_over_time!: the outputs and monitors of {these} steps take more than 1 GiB: for a long run use `LoopOverTime` with `record_every(n)`, or stream the monitors to disk with `NpyStream`"
    );
    quote_spanned! {expr.span()=>
        {
            fn __looptime_history_fits<__LooptimeRun: #sl::StaticHistory>(_: &__LooptimeRun) {
                const {
                    ::core::assert!(
                        <__LooptimeRun as #sl::StaticHistory>::BYTES <= #sl::MAX_HISTORY_BYTES,
                        #message
                    )
                }
            }
            __looptime_history_fits(&__looptime_run);
        }
    }
}

/// An f64 expression: an integer literal becomes a float literal, anything else stays.
fn float(e: &Expr) -> TokenStream {
    match (e, literal_number(e)) {
        (
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Int(_),
                ..
            }),
            Some(value),
        ) => {
            let lit = Literal::f64_suffixed(value);
            quote!(#lit)
        }
        _ => quote!(#e),
    }
}
