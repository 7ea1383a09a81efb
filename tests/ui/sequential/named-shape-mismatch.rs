use looptime::layers::Dense;
use looptime::sequential;

sequential! {
    pub struct Net {
        pub l1: Dense<f64, 3, 2, 4>,
        pub l2: Dense<f64, 5, 1, 4>,
    }
}

fn main() {}
