//! Activations: each function against its formula (JAX's, which BrainPy uses), the `Activation`
//! value and the unit-struct layers against the functions, with no overflow at large inputs.

use looptime::layers::{
    Activation, ActivationLayer, ElementFn, Elu, Gelu, LeakyRelu, Relu, Sigmoid, Softplus, elu,
    gelu, hard_sigmoid, hard_tanh, identity, leaky_relu, log_sigmoid, relu, relu6, selu, sigmoid,
    silu, softplus, softsign, tanh,
};
use looptime::nalgebra::SMatrix;
use looptime::prelude::*;

const XS: [f64; 11] = [
    -40.0, -7.5, -3.0, -1.0, -0.25, 0.0, 0.3, 1.0, 2.5, 6.5, 40.0,
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-15 * b.abs().max(1.0)
}

#[test]
fn functions_follow_their_formulas() {
    for x in XS {
        assert_eq!(identity(x), x);
        assert_eq!(relu(x), x.max(0.0));
        assert_eq!(relu6(x), x.clamp(0.0, 6.0));
        assert_eq!(leaky_relu(x, 0.01), if x >= 0.0 { x } else { 0.01 * x });
        assert!(
            close(elu(x, 1.5), if x > 0.0 { x } else { 1.5 * (x.exp() - 1.0) }),
            "elu {x}"
        );
        let selu_expected = 1.050_700_987_355_480_5
            * if x > 0.0 {
                x
            } else {
                1.673_263_242_354_377_3 * x.exp_m1()
            };
        assert!(close(selu(x), selu_expected), "selu {x}");
        assert!(close(sigmoid(x), 1.0 / (1.0 + (-x).exp())), "sigmoid {x}");
        assert_eq!(tanh(x), x.tanh());
        let g = 0.5
            * x
            * (1.0 + ((2.0 / std::f64::consts::PI).sqrt() * (x + 0.044715 * x.powi(3))).tanh());
        assert!(close(gelu(x), g), "gelu {x}: {} vs {g}", gelu(x));
        assert!(
            close(softplus(x), (1.0 + x.exp()).ln()) || x > 30.0,
            "softplus {x}"
        );
        assert!(
            close(softplus(x) - softplus(-x), x),
            "softplus(x) - softplus(-x) = x at {x}"
        );
        assert_eq!(softsign(x), x / (1.0 + x.abs()));
        assert!(close(silu(x), x * sigmoid(x)), "silu {x}");
        assert_eq!(hard_tanh(x), x.clamp(-1.0, 1.0));
        assert!(
            close(hard_sigmoid(x), (x + 3.0).clamp(0.0, 6.0) / 6.0),
            "hard_sigmoid {x}"
        );
        assert!(close(log_sigmoid(x), -softplus(-x)), "log_sigmoid {x}");
        if x.abs() < 30.0 {
            assert!(close(log_sigmoid(x), sigmoid(x).ln()), "log_sigmoid {x}");
        }
    }
    // No overflow where exp(x) does.
    assert_eq!(softplus(1000.0), 1000.0);
    assert_eq!(softplus(-1000.0), 0.0);
    assert_eq!(sigmoid(-1000.0), 0.0);
    assert_eq!(relu(-0.0f32), 0.0);
}

#[test]
fn the_activation_value_and_the_unit_structs_match_the_functions() {
    type Scalar = fn(f64) -> f64;
    let pairs: [(Activation, Scalar); 6] = [
        (Activation::Relu, relu),
        (Activation::Tanh, tanh),
        (Activation::Sigmoid, sigmoid),
        (Activation::Gelu, gelu),
        (Activation::Softplus, softplus),
        (Activation::Silu, silu),
    ];
    for (activation, f) in pairs {
        let mut values = XS;
        activation.apply_slice(&mut values);
        for (k, x) in XS.iter().enumerate() {
            assert_eq!(activation.apply(*x), f(*x), "{activation:?}");
            assert_eq!(values[k], f(*x), "{activation:?} over a slice");
        }
    }
    for x in XS {
        assert_eq!(Activation::LeakyRelu(0.2).apply(x), leaky_relu(x, 0.2));
        assert_eq!(LeakyRelu(0.2).apply(x), leaky_relu(x, 0.2));
        assert_eq!(Activation::Elu(0.5).apply(x), elu(x, 0.5));
        assert_eq!(Elu(0.5).apply(x), elu(x, 0.5));
        assert_eq!(Relu.apply(x), relu(x));
        assert_eq!(Sigmoid.apply(x), sigmoid(x));
        assert_eq!(Gelu.apply(x), gelu(x));
        assert_eq!(Softplus.apply(x as f32), softplus(x as f32));
    }
}

#[test]
fn an_activation_layer_applies_element_by_element_and_is_stateless() {
    let mut layer = ActivationLayer::<_, SMatrix<f64, 2, 3>>::new(Activation::Tanh);
    let x = SMatrix::<f64, 2, 3>::from_fn(|r, c| XS[r * 3 + c + 2]);
    assert_eq!(layer.update(&Shared::default(), x), x.map(f64::tanh));
    assert!(DynamicalSystem::<()>::is_stateless(&layer));
    let xs = [x, x * 2.0, x * -0.5];
    let at_once = LoopOverTime::new(layer.clone())
        .no_state(true)
        .run_inputs(&xs)
        .unwrap();
    let stepped = LoopOverTime::new(layer).run_inputs(&xs).unwrap();
    assert_eq!(at_once.outputs.values, stepped.outputs.values);
}
