//! Parse: `loop_over_time!(model, key = value, …)` becomes a [`LoopSpec`]. The arguments parse as
//! Rust expressions (`monitor = [v, l1.state]` is an array of field paths), then each key is read.

use proc_macro2::TokenStream;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

use super::ast::{Layout, Length, LoopSpec, MonitorPath, Unroll};
use crate::ctxt::Ctxt;

pub const OPTIONS: &str =
    "duration, steps, inputs, dt, t0, i0, fit, args, monitor, unroll, layout, crate";
const USAGE: &str = "loop_over_time!(model, duration = 100.0, dt = 0.1, monitor = [v])";

pub fn parse(cx: &mut Ctxt, input: TokenStream) -> Option<LoopSpec> {
    let args = match Punctuated::<Expr, Token![,]>::parse_terminated.parse2(input.clone()) {
        Ok(args) => args,
        Err(e) => {
            cx.syn_error(e);
            return None;
        }
    };
    let mut args = args.into_iter();
    let model = match args.next() {
        None => {
            cx.syn_error(syn::Error::new(
                proc_macro2::Span::call_site(),
                format!("loop_over_time! needs a model and options: `{USAGE}`"),
            ));
            return None;
        }
        Some(Expr::Assign(first)) => {
            cx.error_spanned_by(
                &first,
                format!(
                    "the first argument of loop_over_time! is the model to loop over: `{USAGE}`"
                ),
            );
            return None;
        }
        Some(model) => model,
    };
    let mut spec = LoopSpec {
        model,
        length: None,
        dt: None,
        t0: None,
        i0: None,
        fit: None,
        args: None,
        monitors: Vec::new(),
        unroll: Unroll::Scan,
        layout: Layout::TimeFirst,
        krate: crate::krate::default_crate(),
    };
    let mut seen: Vec<String> = Vec::new();
    for arg in args {
        let Expr::Assign(assign) = arg else {
            cx.error_spanned_by(
                &arg,
                format!("expected `key = value` after the model; keys are: {OPTIONS}"),
            );
            continue;
        };
        let key = match &*assign.left {
            Expr::Path(p) if p.path.get_ident().is_some() => p.path.get_ident().unwrap().clone(),
            other => {
                cx.error_spanned_by(
                    other,
                    format!("expected an option name; options are: {OPTIONS}"),
                );
                continue;
            }
        };
        let name = key.to_string();
        if seen.contains(&name) {
            cx.error_spanned_by(&key, format!("`{name}` is given twice"));
            continue;
        }
        seen.push(name.clone());
        let value = *assign.right;
        match name.as_str() {
            "duration" => set_length(cx, &mut spec, Length::Duration { expr: value, key }),
            "steps" => set_length(cx, &mut spec, Length::Steps { expr: value, key }),
            "inputs" => set_length(cx, &mut spec, Length::Inputs { expr: value, key }),
            "dt" => spec.dt = Some(value),
            "t0" => spec.t0 = Some(value),
            "i0" => spec.i0 = Some(value),
            "fit" => spec.fit = Some(value),
            "args" => spec.args = Some(value),
            "monitor" => spec.monitors = parse_monitors(cx, &value),
            "unroll" => spec.unroll = parse_unroll(cx, &value),
            "layout" => spec.layout = parse_layout(cx, &value),
            "crate" => match value {
                Expr::Path(p) => spec.krate = p.path,
                other => cx.error_spanned_by(other, "`crate` takes a path: `crate = ::looptime`"),
            },
            _ => cx.error_spanned_by(
                &key,
                format!("unknown option `{name}` for loop_over_time!; options are: {OPTIONS}"),
            ),
        }
    }
    Some(spec)
}

/// Exactly one of duration, steps and inputs says how long the loop runs.
fn set_length(cx: &mut Ctxt, spec: &mut LoopSpec, length: Length) {
    if let Some(first) = &spec.length {
        cx.error_spanned_by(
            length.key(),
            format!(
                "`{}` and `{}` both say how long to run: give exactly one of duration, steps and inputs",
                first.key(),
                length.key()
            ),
        );
    } else {
        spec.length = Some(length);
    }
}

fn parse_monitors(cx: &mut Ctxt, value: &Expr) -> Vec<MonitorPath> {
    let Expr::Array(list) = value else {
        cx.error_spanned_by(
            value,
            "`monitor` takes a list of state names or paths: `monitor = [v, l1.state]`",
        );
        return Vec::new();
    };
    let mut monitors = Vec::new();
    for elem in &list.elems {
        match field_path(elem) {
            Some(segments) => monitors.push(MonitorPath { segments }),
            None => cx.error_spanned_by(
                elem,
                "a monitor is a state name or a path through children: `v`, `l1.state`",
            ),
        }
    }
    monitors
}

/// `a`, `a.b`, `a.b.c` as their names.
fn field_path(e: &Expr) -> Option<Vec<Ident>> {
    match e {
        Expr::Path(p) if p.qself.is_none() => p.path.get_ident().map(|i| vec![i.clone()]),
        Expr::Field(f) => {
            let mut base = field_path(&f.base)?;
            match &f.member {
                syn::Member::Named(name) => {
                    base.push(name.clone());
                    Some(base)
                }
                syn::Member::Unnamed(_) => None,
            }
        }
        _ => None,
    }
}

fn parse_unroll(cx: &mut Ctxt, value: &Expr) -> Unroll {
    match value {
        Expr::Path(p) if p.path.is_ident("full") => Unroll::Full(p.path.segments[0].ident.span()),
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Int(k),
            ..
        }) => match k.base10_parse::<u64>() {
            Ok(k_value) => Unroll::By(k_value, k.span()),
            Err(e) => {
                cx.syn_error(e);
                Unroll::Scan
            }
        },
        other => {
            cx.error_spanned_by(
                other,
                "`unroll` takes `full` or a number of steps per iteration: `unroll = full`, `unroll = 4`",
            );
            Unroll::Scan
        }
    }
}

fn parse_layout(cx: &mut Ctxt, value: &Expr) -> Layout {
    match value {
        Expr::Path(p) if p.path.is_ident("time_first") => Layout::TimeFirst,
        Expr::Path(p) if p.path.is_ident("batch_first") => {
            Layout::BatchFirst(p.path.segments[0].ident.span())
        }
        other => {
            cx.error_spanned_by(other, "`layout` is `time_first` or `batch_first`");
            Layout::TimeFirst
        }
    }
}

/// The value of a number literal (`100.0`, `-5`, `1e-3`), if `e` is one.
pub fn literal_number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Lit(syn::ExprLit { lit, .. }) => match lit {
            syn::Lit::Float(f) => f.base10_parse().ok(),
            syn::Lit::Int(i) => i.base10_parse::<f64>().ok(),
            _ => None,
        },
        Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => literal_number(&u.expr).map(|x| -x),
        Expr::Paren(p) => literal_number(&p.expr),
        Expr::Group(g) => literal_number(&g.expr),
        _ => None,
    }
}
