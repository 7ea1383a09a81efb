//! Compile-fail tests of `#[dynamical_system]`: every mistake gives one message that points at
//! the user's token and says what to do (tests/ui/dynamical_system/*.rs and their .stderr).

#[test]
fn dynamical_system_mistakes() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/dynamical_system/*.rs");
}
