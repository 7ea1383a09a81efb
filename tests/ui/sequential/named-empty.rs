use looptime::sequential;

sequential! {
    pub struct Net {}
}

fn main() {}
