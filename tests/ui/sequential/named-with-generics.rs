use looptime::layers::Dense;
use looptime::sequential;

sequential! {
    pub struct Net<const B: usize> {
        pub l1: Dense<f64, 3, 2, B>,
    }
}

fn main() {}
