#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| syncmedic_fuzz::matcher(data));
