//! Entry points for `fuzz/` (feature `fuzzing`, not part of the API): the response
//! decoding the client does, without a network.

use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use crate::credentials::StoreBearerAuthRes;
use crate::error::Error;
use crate::types::{StoreAuthRes, StoreError, StoreGetAuthEmailRes};

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

/// Decodes `body` as every response type of the five calls, and maps it as an error
/// response with `status` and `content_type`, then formats the error: everything the
/// client does with a response it did not expect. Must never panic.
pub fn decode_response(status: u16, content_type: Option<&[u8]>, body: &[u8]) {
    let _ = serde_json::from_slice::<StoreAuthRes>(body);
    let _ = serde_json::from_slice::<StoreGetAuthEmailRes>(body);
    let _ = serde_json::from_slice::<StoreBearerAuthRes>(body);
    let _ = serde_json::from_slice::<StoreError>(body);

    let Ok(status) = http::StatusCode::from_u16(status) else {
        return;
    };
    let mut builder = http::Response::builder().status(status);
    if let Some(content_type) = content_type.and_then(|t| http::HeaderValue::from_bytes(t).ok()) {
        builder = builder.header(http::header::CONTENT_TYPE, content_type);
    }
    let Ok(response) = builder.body(reqwest::Body::from(body.to_vec())) else {
        return;
    };
    let error = block_on(Error::from_response(
        reqwest::Response::from(response),
        1 << 20,
        None,
    ));
    if let Some(error) = error {
        let _ = (
            error.to_string(),
            format!("{error:?}"),
            error.status(),
            error.message(),
        );
    }
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
