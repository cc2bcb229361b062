//! Entry points for `fuzz/` (feature `fuzzing`, not part of the API): the response
//! decoding the client does, without a network.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::credentials::StoreBearerAuthRes;
use crate::v1::types::{StoreAuthRes, StoreError, StoreGetAuthEmailRes};

/// The content types a fuzz input can pick.
const CONTENT_TYPES: [Option<&[u8]>; 6] = [
    None,
    Some(b"application/json"),
    Some(b"application/json; charset=utf-8"),
    Some(b"text/plain; charset=utf-8"),
    Some(b"text/html; charset=utf-8"),
    Some(b"application/problem+json"),
];

/// The fuzz target's input format: 2 bytes of status (100 + LE u16 % 500), 1 byte picking
/// the content type, then the body. Shared by `fuzz/` and `tests/fuzz_regressions.rs`.
pub fn decode_fuzz_input(data: &[u8]) {
    let [a, b, c, body @ ..] = data else { return };
    let status = 100 + u16::from_le_bytes([*a, *b]) % 500;
    decode_response(
        status,
        CONTENT_TYPES[usize::from(*c) % CONTENT_TYPES.len()],
        body,
    );
}

/// What the client made of one response: the response types its body decodes as, and the
/// error it maps to as an error response.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Decoded {
    /// Names of the response types the body decodes as.
    pub types: Vec<&'static str>,
    /// The mapped error's status and kind (`"unauthorized"`, `"api"`, `"decode"`, `"other"`).
    pub error: Option<(Option<u16>, &'static str)>,
}

/// Decodes `body` as every response type of the five calls, and maps it as an error
/// response with `status` and `content_type`, then formats the error: everything the
/// client does with a response it did not expect. Must never panic.
pub fn decode_response(status: u16, content_type: Option<&[u8]>, body: &[u8]) -> Decoded {
    let mut decoded = Decoded::default();
    let types = [
        (
            "StoreAuthRes",
            serde_json::from_slice::<StoreAuthRes>(body).is_ok(),
        ),
        (
            "StoreGetAuthEmailRes",
            serde_json::from_slice::<StoreGetAuthEmailRes>(body).is_ok(),
        ),
        (
            "StoreBearerAuthRes",
            serde_json::from_slice::<StoreBearerAuthRes>(body).is_ok(),
        ),
        (
            "StoreError",
            serde_json::from_slice::<StoreError>(body).is_ok(),
        ),
    ];
    decoded.types = types
        .iter()
        .filter(|(_, ok)| *ok)
        .map(|(name, _)| *name)
        .collect();

    let Ok(status) = http::StatusCode::from_u16(status) else {
        return decoded;
    };
    let mut builder = http::Response::builder().status(status);
    if let Some(content_type) = content_type.and_then(|t| http::HeaderValue::from_bytes(t).ok()) {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    let Ok(response) = builder.body(reqwest::Body::from(body.to_vec())) else {
        return decoded;
    };
    let error = block_on(crate::runtime::from_response(
        reqwest::Response::from(response),
        1 << 20,
        "fuzzing",
    ));
    if let Some(error) = error {
        let _ = (error.to_string(), format!("{error:?}"), error.message());
        let kind = if error.is_unauthorized() {
            "unauthorized"
        } else if error.is_api() {
            "api"
        } else if error.is_decode() {
            "decode"
        } else if error.is_missing_route() {
            "missing_route"
        } else {
            "other"
        };
        decoded.error = Some((error.status().map(|s| s.as_u16()), kind));
    }
    decoded
}

/// Polls a future whose I/O is all in memory; `None` if it would wait.
fn block_on<F: Future>(future: F) -> Option<F::Output> {
    let mut future = pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}
