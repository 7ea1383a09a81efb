//! Validate: what can be known wrong before the code is compiled: no length or two, literal
//! durations and dts that are not positive, `unroll = 0`, an unroll longer than the loop, a full
//! unroll past the limit, batch-first without inputs, and step counts too large to record (more
//! than [`MAX_STEPS`], or past what an integer holds).

use super::ast::{Layout, Length, LoopSpec, Unroll};
use super::parse::literal_number;
use crate::ctxt::Ctxt;

/// The longest loop `unroll = full` accepts (loop_core::static_loop::MAX_FULL_UNROLL).
pub const MAX_FULL_UNROLL: u64 = 128;

/// The most steps a `loop_over_time!` runs. Its boxed arrays keep every step, so more would take
/// over 1 GiB (loop_core::static_loop::MAX_HISTORY_BYTES) even at one byte per step; the exact
/// size, which depends on the model's types, is checked when the code is built.
pub const MAX_STEPS: u64 = 1 << 30;

/// What to use instead of a static loop for a long run.
const INSTEAD: &str = "for a long run use `LoopOverTime` with `record_every(n)`, or stream the monitors to disk with `NpyStream`";

/// BrainPy's default step (loop_core::DEFAULT_DT).
pub const DEFAULT_DT: f64 = 0.1;

pub fn validate(cx: &mut Ctxt, spec: &LoopSpec) {
    let Some(length) = &spec.length else {
        cx.error_spanned_by(
            &spec.model,
            "say how long the loop runs: add `duration = <ms>`, `steps = <n>` or `inputs = <array>`",
        );
        return;
    };
    if let Some(dt) = &spec.dt
        && let Some(value) = literal_number(dt)
        && !(value > 0.0 && value.is_finite())
    {
        cx.error_spanned_by(dt, format!("dt must be positive, got {value}"));
    }
    match length {
        Length::Duration { expr, .. } => match literal_number(expr) {
            Some(d) if d > 0.0 && d.is_finite() => {
                let dt = spec.dt.as_ref().map_or(Some(DEFAULT_DT), literal_number);
                if let Some(dt) = dt.filter(|dt| *dt > 0.0 && dt.is_finite())
                    && d / dt > MAX_STEPS as f64
                {
                    let dt_text = spec.dt.as_ref().map_or_else(|| DEFAULT_DT.to_string(), text);
                    cx.error_spanned_by(
                        expr,
                        format!(
                            "`duration = {}` at dt = {dt_text} is {:e} steps: loop_over_time! keeps every step in boxed arrays, and more than {MAX_STEPS} steps take over 1 GiB (or do not fit in an integer); {INSTEAD}",
                            text(expr),
                            (d / dt).ceil()
                        ),
                    );
                }
            }
            Some(d) => cx.error_spanned_by(expr, format!("the duration must be positive, got {d}")),
            None => cx.error_spanned_by(
                expr,
                "the duration must be a number literal, so that the step count is known at compile time; for a runtime duration use `LoopOverTime::run_duration`, or give `steps = <const>`",
            ),
        },
        Length::Steps { expr, .. } => {
            if let Some(n) = literal_number(expr) {
                if n < 1.0 || n.fract() != 0.0 {
                    cx.error_spanned_by(expr, format!("steps must be a whole number of at least 1, got {n}"));
                } else if n > MAX_STEPS as f64 {
                    cx.error_spanned_by(
                        expr,
                        format!(
                            "`steps = {}` is more than loop_over_time! can record: its boxed arrays keep every step, and more than {MAX_STEPS} steps take over 1 GiB (or do not fit in an integer); {INSTEAD}",
                            text(expr)
                        ),
                    );
                }
            }
        }
        Length::Inputs { .. } => {}
    }
    if let (Length::Duration { .. }, Some(dt)) = (length, &spec.dt)
        && literal_number(dt).is_none()
    {
        cx.error_spanned_by(
                dt,
                "with `duration`, dt must be a number literal too: the step count ceil(duration / dt) is computed at compile time",
            );
    }
    let known = known_steps(spec);
    match spec.unroll {
        Unroll::By(0, span) => cx.syn_error(syn::Error::new(
            span,
            "`unroll = 0` runs no step per iteration: use `unroll = 1` for a plain loop, or more",
        )),
        Unroll::By(k, span) => {
            if let Some(n) = known
                && k > n
            {
                cx.syn_error(syn::Error::new(
                        span,
                        format!("`unroll = {k}` is more than the {n} steps of this loop: use `unroll = full`, or k ≤ {n}"),
                    ));
            }
        }
        Unroll::Full(span) => {
            if let Some(n) = known
                && n > MAX_FULL_UNROLL
            {
                cx.syn_error(syn::Error::new(
                        span,
                        format!("a fully unrolled loop runs at most {MAX_FULL_UNROLL} steps and this one runs {n}: use `unroll = k` (for example `unroll = 8`)"),
                    ));
            }
        }
        Unroll::Scan => {}
    }
    if let (Layout::BatchFirst(span), false) =
        (&spec.layout, matches!(length, Length::Inputs { .. }))
    {
        cx.syn_error(syn::Error::new(
            *span,
            "`layout = batch_first` orders given inputs (one sequence per sample); a loop over a duration or a number of steps has none: give `inputs = …`",
        ));
    }
}

/// The user's tokens, as written.
fn text(e: &syn::Expr) -> String {
    quote::ToTokens::to_token_stream(e).to_string()
}

/// The step count when the macro can know it: a literal `steps`, or a literal duration and dt.
pub fn known_steps(spec: &LoopSpec) -> Option<u64> {
    match spec.length.as_ref()? {
        Length::Steps { expr, .. } => literal_number(expr).map(|n| n as u64),
        Length::Duration { expr, .. } => {
            let duration = literal_number(expr)?;
            let dt = match &spec.dt {
                Some(dt) => literal_number(dt)?,
                None => DEFAULT_DT,
            };
            (duration > 0.0 && dt > 0.0).then(|| steps_for_duration(duration, dt))
        }
        Length::Inputs { .. } => None,
    }
}

/// `ceil(duration / dt)`, a quotient within 1e-9 (relative) of a whole number counting as it, and
/// at least one step: the same rule as `loop_core::steps_for_duration` (the tests check that both
/// agree), computed here because the step count becomes a type.
pub fn steps_for_duration(duration: f64, dt: f64) -> u64 {
    let q = duration / dt;
    let nearest = q.round();
    let steps = if nearest >= 1.0 && (q - nearest).abs() <= 1e-9 * nearest {
        nearest
    } else {
        q.ceil()
    };
    steps as u64
}
