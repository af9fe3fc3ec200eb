//! Rule files as users write them: any text must either compile or give errors that each
//! point at a place in the file; never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match ghirbal::rules::compile::compile("fuzz.toml", "fuzz", text) {
        Ok(set) => assert_eq!(set.id, "fuzz"),
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(e.line >= 1 && e.col >= 1, "{e}");
                assert!(e.to_string().starts_with("fuzz.toml:"), "{e}");
            }
        }
    }
});
