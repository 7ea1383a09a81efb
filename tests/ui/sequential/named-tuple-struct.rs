use looptime::layers::{Dense, Relu};
use looptime::sequential;

sequential! {
    pub struct Net(Dense<f64, 3, 2, 4>, Relu);
}

fn main() {}
