//! Response and error decoding: any status, any content type, any body (the input format is
//! `medusa_store_auth::fuzzing::decode_fuzz_input`'s).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    medusa_store_auth::fuzzing::decode_fuzz_input(data);
});
