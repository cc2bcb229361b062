//! Response and error decoding: any status, any content type, any body.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CONTENT_TYPES: [Option<&[u8]>; 6] = [
    None,
    Some(b"application/json"),
    Some(b"application/json; charset=utf-8"),
    Some(b"text/plain; charset=utf-8"),
    Some(b"text/html; charset=utf-8"),
    Some(b"application/problem+json"),
];

fuzz_target!(|data: &[u8]| {
    let [a, b, c, body @ ..] = data else { return };
    let status = 100 + u16::from_le_bytes([*a, *b]) % 500;
    let content_type = CONTENT_TYPES[usize::from(*c) % CONTENT_TYPES.len()];
    medusa_store_auth::fuzzing::decode_response(status, content_type, body);
});
