//! What one attempt came to, as a value: the typed response, or a [`Failure`] that says
//! whether trying again may help. Everything the generated method can return is mapped
//! here, for every API line.
//!
//! Decoding is by status first, then body: Medusa v1 answers 401 with the text `Unauthorized`
//! (with `text/plain`, or with no content type at all), v2 with a JSON error, its other errors with a JSON
//! `{type, message, code}`, and Express answers some bad requests with an HTML page.

use std::time::Duration;

use progenitor_client::{Error as Generated, ResponseValue};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;

use super::attempt::{AttemptContext, ResponseHead};
use super::response::Response;
use super::retry;
use crate::error::{ApiError, Error, InvalidInput, JsonError, ResponseBody};

/// The largest error body the client reads; the rest is dropped.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// An attempt that did not succeed.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) error: Error,
    /// Whether the same request may succeed later (a dropped connection, a 503, ...).
    pub(crate) retryable: bool,
    /// How long the server asked the client to wait (`Retry-After`).
    pub(crate) retry_after: Option<Duration>,
}

/// What the generated method's success is for the attempt `ctx`. Apart from the failure
/// (an async fn): the typed value is large, and this path moves it once.
pub(crate) fn success<T>(ctx: &AttemptContext, value: ResponseValue<T>) -> Response<T> {
    let headers = match ctx.plan().keep_headers {
        true => value.headers().clone(),
        false => HeaderMap::new(),
    };
    Response::new(value.status(), headers, value.into_inner())
}

/// What the generated method's error is for the attempt `ctx`.
pub(crate) async fn failure<E: Into<ApiError>>(
    ctx: &AttemptContext,
    error: Generated<E>,
) -> Failure {
    let limit = ctx.plan().runtime.settings.max_response_bytes;
    let call = ctx.plan().operation.call;
    let head = ctx.take_head();
    let head = head.as_ref();
    let error = match error {
        // Medusa v2 declares its 401s as JSON errors: still `Unauthorized`, with the body.
        Generated::ErrorResponse(value) if value.status() == StatusCode::UNAUTHORIZED => {
            Error::Unauthorized {
                status: value.status(),
                error: Some(ApiError {
                    call: Some(call),
                    ..value.into_inner().into()
                }),
            }
        }
        Generated::ErrorResponse(value) => Error::Api {
            status: value.status(),
            error: ApiError {
                call: Some(call),
                ..value.into_inner().into()
            },
        },
        Generated::UnexpectedResponse(response) => from_response(response, limit, call).await,
        // A declared 404 whose body is no Medusa error: the route is not there.
        Generated::InvalidResponsePayload(..)
            if head.is_some_and(|h| h.status == StatusCode::NOT_FOUND) =>
        {
            Error::MissingRoute {
                status: StatusCode::NOT_FOUND,
                call,
            }
        }
        Generated::InvalidResponsePayload(body, source) => Error::Decode {
            status: head.map_or(StatusCode::OK, |h| h.status),
            content_type: head.and_then(content_type),
            body: ResponseBody::new(&body[..body.len().min(MAX_ERROR_BODY)]),
            source: Some(JsonError::from(&source)),
        },
        Generated::ResponseBodyError(e) if is_length_limit(&e) => Error::ResponseTooLarge {
            status: head.map_or(StatusCode::OK, |h| h.status),
            limit,
        },
        Generated::CommunicationError(e) if e.is_builder() => {
            Error::InvalidInput(InvalidInput::Request {
                reason: "the request could not be built".into(),
            })
        }
        Generated::CommunicationError(e)
        | Generated::ResponseBodyError(e)
        | Generated::InvalidUpgrade(e) => {
            let retryable = head.is_none() && retry::is_retryable_transport(&e);
            return Failure {
                error: Error::transport(e),
                retryable,
                retry_after: None,
            };
        }
        Generated::InvalidRequest(reason) | Generated::Custom(reason) => {
            Error::InvalidInput(InvalidInput::Request { reason })
        }
    };
    let status = error.status().or(head.map(|h| h.status));
    Failure {
        retryable: !matches!(error, Error::InvalidInput(_))
            && status.is_some_and(retry::is_retryable_status),
        retry_after: head
            .and_then(|h| h.retry_after.as_ref())
            .and_then(retry::retry_after),
        error,
    }
}

fn content_type(head: &ResponseHead) -> Option<String> {
    head.content_type
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// Decodes a response the generated code did not expect to `call`: by status, then by body.
pub(crate) async fn from_response(
    response: reqwest::Response,
    limit: usize,
    call: &'static str,
) -> Error {
    let status = response.status();
    let content_type = header_text(response.headers(), CONTENT_TYPE);
    let body = match read_capped(response, MAX_ERROR_BODY).await {
        Ok(body) => body,
        // A 401 is a 401 whatever its body: Medusa v1 sends the text `Unauthorized`.
        Err(_) if status == StatusCode::UNAUTHORIZED => Vec::new(),
        Err(e) if is_length_limit(&e) => return Error::ResponseTooLarge { status, limit },
        Err(e) => return Error::transport(e),
    };
    let api_error = serde_json::from_slice::<ApiError>(&body).map(|error| ApiError {
        call: Some(call),
        ..error
    });
    if status == StatusCode::UNAUTHORIZED {
        return Error::Unauthorized {
            status,
            error: api_error.ok(),
        };
    }
    match api_error {
        Ok(error) => Error::Api { status, error },
        // Express's page for a path it has no route for (`Cannot GET /...`).
        Err(_) if status == StatusCode::NOT_FOUND => Error::MissingRoute { status, call },
        Err(e) => Error::Decode {
            status,
            source: content_type
                .as_deref()
                .filter(|t| t.contains("json"))
                .map(|_| JsonError::from(&e)),
            content_type,
            body: ResponseBody::new(&body),
        },
    }
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v: &HeaderValue| v.to_str().ok())
        .map(str::to_string)
}

/// Reads at most `limit` bytes of the body; a larger body is cut there.
async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, reqwest::Error> {
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= limit {
            break;
        }
    }
    Ok(body)
}

/// Whether `error` comes from the body limit set by the `exec` hook.
fn is_length_limit(error: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}
