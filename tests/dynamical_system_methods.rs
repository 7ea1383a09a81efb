//! A model defined with `#[dynamical_system]` steps bit for bit like the same model written by
//! hand with loop-core's integrators, for each of the four methods, in f64 and f32, and over a
//! batch (N × B states).

use looptime::integrate::{OdeState, euler, exp_euler, rk2, rk4};
use looptime::nalgebra::SMatrix;
use looptime::prelude::*;

/// FitzHugh–Nagumo, once per method: dv/dt = v - v³/3 - w + I, dw/dt = (v + a - b w) / tau.
macro_rules! fhn_model {
    ($module:ident, $method:ident) => {
        mod $module {
            use looptime::nalgebra::SMatrix;
            use looptime::prelude::*;

            #[dynamical_system(inputs(i))]
            pub struct Fhn<T: Real, const N: usize, const B: usize> {
                #[param(default = 0.7)]
                pub a: T,
                #[param(default = 0.8)]
                pub b: T,
                #[param(default = 12.5, check = positive)]
                pub tau: T,
                #[state(init = -1.0)]
                pub v: SMatrix<T, N, B>,
                #[state(init = 1.0)]
                pub w: SMatrix<T, N, B>,
            }

            #[dynamical_system(method = $method)]
            impl<T: Real, const N: usize, const B: usize> Fhn<T, N, B> {
                /// Each element after its equations: nothing more.
                #[update]
                fn step(&self, _sh: &Shared, _new: &mut FhnElement<T>) {}

                #[ode(v)]
                fn dv(&self, v: T, w: T, i: T) -> T {
                    v - v * v * v / T::of(3.0) - w + i
                }

                #[ode(w)]
                fn dw(&self, w: T, v: T) -> T {
                    (v + self.a - self.b * w) / self.tau
                }
            }
        }
    };
}

fhn_model!(by_euler, euler);
fhn_model!(by_rk2, rk2);
fhn_model!(by_rk4, rk4);

/// Exponential Euler on equations whose derivative the test writes by hand exactly as it is:
/// a leak (∂/∂v = -1/tau) and a quadratic (∂/∂u = 2u, and `u * u` differentiates to `u + u`).
mod by_exp_euler {
    use looptime::nalgebra::SMatrix;
    use looptime::prelude::*;

    #[dynamical_system(inputs(i))]
    pub struct Pair<T: Real, const N: usize, const B: usize> {
        #[param(default = 10.0, check = positive)]
        pub tau: T,
        #[state(init = 0.5)]
        pub v: SMatrix<T, N, B>,
        #[state(init = 0.1)]
        pub u: SMatrix<T, N, B>,
    }

    #[dynamical_system(method = exp_euler)]
    impl<T: Real, const N: usize, const B: usize> Pair<T, N, B> {
        /// Each element after its equations: nothing more.
        #[update]
        fn step(&self, _sh: &Shared, _new: &mut PairElement<T>) {}

        #[ode(v)]
        fn dv(&self, v: T, i: T) -> T {
            (-v + i) / self.tau
        }

        #[ode(u)]
        fn du(&self, u: T, v: T) -> T {
            u * u - v
        }
    }
}

type State<T, const N: usize, const B: usize> = (SMatrix<T, N, B>, SMatrix<T, N, B>);

/// The FitzHugh–Nagumo right-hand side, by hand over whole matrices.
fn fhn_rhs<T: Real, const N: usize, const B: usize>(
    (a, b, tau): (T, T, T),
    (v, w): &State<T, N, B>,
    i: &SMatrix<T, N, B>,
) -> State<T, N, B> {
    let dv = v.zip_zip_map(w, i, |v, w, i| v - v * v * v / T::of(3.0) - w + i);
    let dw = v.zip_map(w, |v, w| (v + a - b * w) / tau);
    (dv, dw)
}

fn input<T: Real, const N: usize, const B: usize>(k: usize) -> SMatrix<T, N, B> {
    SMatrix::from_fn(|r, c| T::of(0.3 + 0.1 * r as f64 - 0.05 * c as f64 + 0.01 * k as f64))
}

fn check_fhn<T: Real, const N: usize, const B: usize>(
    method: &str,
    mut step_macro: impl FnMut(&SMatrix<T, N, B>) -> State<T, N, B>,
    step_hand: impl Fn(&State<T, N, B>, &SMatrix<T, N, B>) -> State<T, N, B>,
) {
    let mut x: State<T, N, B> = (
        SMatrix::from_element(T::of(-1.0)),
        SMatrix::from_element(T::of(1.0)),
    );
    for k in 0..200 {
        let i = input::<T, N, B>(k);
        x = step_hand(&x, &i);
        let got = step_macro(&i);
        assert_eq!(
            got, x,
            "{method}: step {k} differs from the hand-written step"
        );
    }
}

fn fhn_all_methods<T: Real, const N: usize, const B: usize>() {
    let dt = 0.05;
    let dt_t = T::of(dt);
    let params = (T::of(0.7), T::of(0.8), T::of(12.5));

    let mut m = by_euler::Fhn::<T, N, B>::new();
    check_fhn(
        "euler",
        |i| {
            m.integrate(dt, i);
            (m.v, m.w)
        },
        |x, i| euler(x, 0.0, dt_t, |x, _| fhn_rhs(params, x, i)),
    );
    let mut m = by_rk2::Fhn::<T, N, B>::new();
    check_fhn(
        "rk2",
        |i| {
            m.integrate(dt, i);
            (m.v, m.w)
        },
        |x, i| rk2(x, 0.0, dt_t, |x, _| fhn_rhs(params, x, i)),
    );
    let mut m = by_rk4::Fhn::<T, N, B>::new();
    check_fhn(
        "rk4",
        |i| {
            m.integrate(dt, i);
            (m.v, m.w)
        },
        |x, i| rk4(x, 0.0, dt_t, |x, _| fhn_rhs(params, x, i)),
    );
}

#[test]
fn euler_rk2_rk4_match_hand_written_steps_bit_for_bit_in_f64() {
    fhn_all_methods::<f64, 4, 3>();
}

#[test]
fn euler_rk2_rk4_match_hand_written_steps_bit_for_bit_in_f32() {
    fhn_all_methods::<f32, 5, 2>();
}

fn exp_euler_pair<T: Real, const N: usize, const B: usize>() {
    let dt = 0.1;
    let dt_t = T::of(dt);
    let tau = T::of(10.0);
    let mut m = by_exp_euler::Pair::<T, N, B>::new();
    let mut v = SMatrix::<T, N, B>::from_element(T::of(0.5));
    let mut u = SMatrix::<T, N, B>::from_element(T::of(0.1));
    for k in 0..300 {
        let i = input::<T, N, B>(k);
        // By hand: f and ∂f/∂x at the old values, then x + dt·exprel(dt·A)·f.
        let fv = v.zip_map(&i, |v, i| (-v + i) / tau);
        let av = v.map(|_| T::of(-1.0) / tau);
        let fu = u.zip_map(&v, |u, v| u * u - v);
        let au = u.map(|u| u + u);
        let (v_new, u_new) = (exp_euler(&v, dt_t, &fv, &av), exp_euler(&u, dt_t, &fu, &au));
        v = v_new;
        u = u_new;
        m.integrate(dt, &i);
        assert_eq!((m.v, m.u), (v, u), "exp_euler: step {k}");
    }
}

#[test]
fn exp_euler_matches_hand_written_step_bit_for_bit_in_f64_and_f32() {
    exp_euler_pair::<f64, 3, 2>();
    exp_euler_pair::<f32, 6, 1>();
}

#[test]
fn the_generated_linear_part_is_the_hand_derived_one() {
    let m = by_exp_euler::Pair::<f64, 1, 1>::new();
    assert_eq!(
        m.linearize_v(0.25, 2.0),
        ((-0.25 + 2.0) / 10.0, -1.0 / 10.0)
    );
    assert_eq!(m.linearize_u(0.3, 0.2), (0.3 * 0.3 - 0.2, 0.6));
}

#[test]
fn a_step_is_an_ode_state_combination_of_whole_matrices() {
    // The integrators used above treat a tuple of matrices as one joint state.
    let a = (
        SMatrix::<f64, 2, 1>::new(1.0, 2.0),
        SMatrix::<f64, 2, 1>::new(3.0, 4.0),
    );
    let d = (
        SMatrix::<f64, 2, 1>::new(0.5, 0.5),
        SMatrix::<f64, 2, 1>::new(-1.0, 1.0),
    );
    let sum = a.add_scaled(2.0, &d);
    assert_eq!(sum.0, SMatrix::<f64, 2, 1>::new(2.0, 3.0));
    assert_eq!(sum.1, SMatrix::<f64, 2, 1>::new(1.0, 6.0));
}
