//! Compile-fail tests of `loop_over_time!` that need the code built, not only checked: a loop
//! whose outputs and monitors would take more than 1 GiB is refused by a const assertion on the
//! sizes of the model's types, which the compiler evaluates when it builds the code. A passing
//! case makes trybuild build (not check) every case here.

#[test]
fn loop_over_time_history_limit() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/loop_over_time_built/pass/*.rs");
    cases.compile_fail("tests/ui/loop_over_time_built/*.rs");
}
