//! Parameters of a model: the checks `#[param(check = …)]` applies ([`Check`]), the error a bad
//! value gives ([`ParamError`]), and [`Params`], access to parameters by name (for command lines
//! and config files).

use alloc::string::String;

use nalgebra::{SMatrix, Scalar};

/// A rule a parameter must follow, as written in `#[param(check = …)]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// `> 0`.
    Positive,
    /// `>= 0`.
    NonNegative,
    /// `< 0`.
    Negative,
    /// `<= 0`.
    NonPositive,
    /// `!= 0`.
    Nonzero,
    /// Neither NaN nor infinite.
    Finite,
    /// In `[0, 1]`.
    UnitInterval,
}

impl Check {
    /// The rule's name in `check = …`.
    pub const fn name(self) -> &'static str {
        match self {
            Check::Positive => "positive",
            Check::NonNegative => "non_negative",
            Check::Negative => "negative",
            Check::NonPositive => "non_positive",
            Check::Nonzero => "nonzero",
            Check::Finite => "finite",
            Check::UnitInterval => "unit_interval",
        }
    }

    /// What the rule asks, in words.
    pub const fn meaning(self) -> &'static str {
        match self {
            Check::Positive => "must be positive (> 0)",
            Check::NonNegative => "must not be negative (>= 0)",
            Check::Negative => "must be negative (< 0)",
            Check::NonPositive => "must not be positive (<= 0)",
            Check::Nonzero => "must not be zero",
            Check::Finite => "must be finite (not NaN or infinite)",
            Check::UnitInterval => "must lie in [0, 1]",
        }
    }

    /// Whether `x` follows the rule. NaN follows none of them. (A `const fn`: the macro checks
    /// literal defaults with it when compiling.)
    pub const fn holds(self, x: f64) -> bool {
        match self {
            Check::Positive => x > 0.0,
            Check::NonNegative => x >= 0.0,
            Check::Negative => x < 0.0,
            Check::NonPositive => x <= 0.0,
            Check::Nonzero => x != 0.0 && !x.is_nan(),
            Check::Finite => x.is_finite(),
            Check::UnitInterval => x >= 0.0 && x <= 1.0,
        }
    }

    /// Every rule, for messages that list them.
    pub const ALL: [Check; 7] = [
        Check::Positive,
        Check::NonNegative,
        Check::Negative,
        Check::NonPositive,
        Check::Nonzero,
        Check::Finite,
        Check::UnitInterval,
    ];
}

/// A parameter value that can be checked, set from a number and read as one: scalars, and
/// matrices of them (element by element; setting fills every element).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a numeric parameter",
    label = "`check = …` and `set_param` need a number, a flag, or a matrix of them"
)]
pub trait ParamValue {
    /// The first element that breaks `rule`, as `f64`.
    fn first_breaking(&self, rule: Check) -> Option<f64>;
    /// The value with every element set to `x`.
    fn from_f64(x: f64) -> Self;
    /// The first element as `f64`.
    fn first_f64(&self) -> f64;
}

macro_rules! scalar_param {
    ($($t:ty),*) => {$(
        impl ParamValue for $t {
            fn first_breaking(&self, rule: Check) -> Option<f64> {
                let x = *self as f64;
                (!rule.holds(x)).then_some(x)
            }
            fn from_f64(x: f64) -> Self {
                x as $t
            }
            fn first_f64(&self) -> f64 {
                *self as f64
            }
        }
    )*};
}
scalar_param!(f32, f64, i8, i16, i32, i64, isize, u8, u16, u32, u64, usize);

/// A flag: true is 1, false is 0; set from a number, any nonzero value is true.
impl ParamValue for bool {
    fn first_breaking(&self, rule: Check) -> Option<f64> {
        f64::from(u8::from(*self)).first_breaking(rule)
    }
    fn from_f64(x: f64) -> Self {
        x != 0.0
    }
    fn first_f64(&self) -> f64 {
        f64::from(u8::from(*self))
    }
}

impl<T: Scalar + ParamValue, const R: usize, const C: usize> ParamValue for SMatrix<T, R, C> {
    fn first_breaking(&self, rule: Check) -> Option<f64> {
        self.iter().find_map(|x| x.first_breaking(rule))
    }
    fn from_f64(x: f64) -> Self {
        Self::from_element(T::from_f64(x))
    }
    fn first_f64(&self) -> f64 {
        self.iter().next().map_or(f64::NAN, ParamValue::first_f64)
    }
}

/// Why a parameter was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// The value breaks a `check` rule.
    #[error("parameter `{param}` of {model} {} (check = {}), got {value}", rule.meaning(), rule.name())]
    Invalid {
        /// The model's type name.
        model: &'static str,
        /// The parameter.
        param: &'static str,
        /// The rule broken.
        rule: Check,
        /// The offending value (the first offending element for a matrix).
        value: f64,
    },
    /// A parameter without default was not set.
    #[error(
        "parameter `{param}` of {model} has no default and was not set: call `.{param}(…)` on the builder"
    )]
    Missing {
        /// The model's type name.
        model: &'static str,
        /// The parameter.
        param: &'static str,
    },
    /// No parameter has this name.
    #[error("{model} has no parameter `{name}`; its parameters are: {known}")]
    Unknown {
        /// The model's type name.
        model: &'static str,
        /// The name given.
        name: String,
        /// The parameters that exist, comma-separated.
        known: &'static str,
    },
    /// The parameter is not a number, so it cannot be set from one.
    #[error("parameter `{param}` of {model} is not a number and cannot be set from one")]
    NotNumeric {
        /// The model's type name.
        model: &'static str,
        /// The parameter.
        param: &'static str,
    },
}

/// Checks `value` against `rules`, for the generated `validate()`.
pub fn check_param<V: ParamValue + ?Sized>(
    model: &'static str,
    param: &'static str,
    value: &V,
    rules: &[Check],
) -> Result<(), ParamError> {
    for &rule in rules {
        if let Some(value) = value.first_breaking(rule) {
            return Err(ParamError::Invalid {
                model,
                param,
                rule,
                value,
            });
        }
    }
    Ok(())
}

/// A model's parameters by name, generated by `#[dynamical_system]`.
pub trait Params {
    /// Names of the parameters, in declaration order.
    const PARAM_NAMES: &'static [&'static str];

    /// Checks every parameter against its `check` rules.
    fn validate(&self) -> Result<(), ParamError>;

    /// Sets parameter `name` to `value` (every element, for a matrix), then checks it.
    /// On error the model is unchanged.
    fn set_param(&mut self, name: &str, value: f64) -> Result<(), ParamError>;

    /// The value of parameter `name` (its first element, for a matrix).
    fn param(&self, name: &str) -> Option<f64>;
}

/// The error for a name that is not a parameter.
pub fn unknown_param(model: &'static str, name: &str, known: &'static str) -> ParamError {
    ParamError::Unknown {
        model,
        name: name.into(),
        known,
    }
}
