//! The crate's one error type, and the mapping from what progenitor returns.
//!
//! Decoding is by status first, then body: Medusa answers 401 with the text `Unauthorized`
//! (with `text/plain`, or with no content type at all), its other errors with a JSON
//! `{type, message, code}`, and Express answers some bad requests with an HTML page.
//! Response bodies never appear in `Display` or `Debug`: an Express error page can echo
//! part of the request, password included.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderValue, CONTENT_TYPE};
use reqwest::StatusCode;

use crate::context::CallContext;
use crate::types::StoreError;

/// The largest error body the client reads; the rest is dropped.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Everything a call can fail with.
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::AuthClient) {
/// use medusa_store_auth::types::StorePostAuthReq;
///
/// match client.authenticate(&StorePostAuthReq::new("alice@example.com", "wrong")).await {
///     Ok(res) => println!("hello {}", res.customer.email),
///     Err(e) if e.is_unauthorized() => println!("wrong email or password"),
///     Err(e) if e.is_invalid_data() => println!("rejected: {}", e.message().unwrap_or_default()),
///     Err(e) => println!("failed: {e}"),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The server answered 401: wrong email or password, no session, or an invalid token.
    /// Medusa sends no detail beyond the status.
    Unauthorized {
        /// Always 401.
        status: StatusCode,
    },
    /// The server answered with a Medusa JSON error (`{type, message, code}`).
    Api {
        /// The HTTP status (400, 404, 409, 422, 500, ...).
        status: StatusCode,
        /// The decoded body.
        error: StoreError,
    },
    /// The server answered, but the body is not what the status calls for: an HTML error
    /// page, a truncated or malformed JSON body, an unexpected shape.
    Decode {
        /// The HTTP status of the response.
        status: StatusCode,
        /// Its `Content-Type`, if any and if known.
        content_type: Option<String>,
        /// Up to 64 KiB of the body, when it was read (kept out of `Display` and `Debug`).
        body: ResponseBody,
        /// Why the body did not decode, when it was JSON that did not fit.
        source: Option<serde_json::Error>,
    },
    /// The response body was larger than the client's limit
    /// ([`Config::with_max_response_bytes`](crate::Config::with_max_response_bytes)); reading
    /// stopped there.
    ResponseTooLarge {
        /// The HTTP status of the response.
        status: StatusCode,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The call did not finish within its timeout (retries and their waits included), or
    /// the HTTP client's own timeout fired first.
    Timeout {
        /// The call's timeout, when that is what ran out.
        limit: Option<Duration>,
        /// reqwest's error (its URL removed), when its own timeout fired: connecting, or a
        /// timeout set on a client given with
        /// [`Config::with_http_client`](crate::Config::with_http_client).
        source: Option<reqwest::Error>,
    },
    /// The request could not be sent or the response not read: connection refused or
    /// reset, TLS, DNS, a body cut short.
    Transport {
        /// The underlying error (its URL removed).
        source: reqwest::Error,
    },
    /// The caller's input was rejected before anything was sent.
    InvalidInput(InvalidInput),
}

/// What was wrong with the caller's input.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidInput {
    /// A header name that HTTP does not allow (shown escaped).
    HeaderName {
        /// The name, with control characters escaped.
        name: String,
    },
    /// A header value that HTTP does not allow (CR, LF, other control characters). The
    /// value itself is not kept: it may be a credential.
    HeaderValue {
        /// The header's name.
        name: String,
    },
    /// An email `exists` cannot send.
    Email {
        /// Why.
        reason: &'static str,
    },
    /// A base URL the client cannot use.
    BaseUrl {
        /// Why.
        reason: String,
    },
    /// The request could not be built from the input.
    Request {
        /// Why.
        reason: String,
    },
}

/// A response body kept by an error. Its `Debug` shows only the length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseBody(Vec<u8>);

impl ResponseBody {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The body as text, with invalid UTF-8 replaced.
    pub fn to_text(&self) -> String {
        String::from_utf8_lossy(&self.0).into_owned()
    }
}

impl fmt::Debug for ResponseBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{} bytes>", self.0.len())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Unauthorized { status } => write!(f, "unauthorized ({status})"),
            Error::Api { status, error } => {
                write!(f, "Medusa answered {status}")?;
                if let Some(kind) = &error.type_ {
                    write!(f, " {kind}")?;
                }
                write!(f, ": {}", error.message)
            }
            Error::Decode {
                status,
                content_type,
                source,
                ..
            } => {
                write!(f, "could not decode the {status} response")?;
                if let Some(content_type) = content_type {
                    write!(f, " ({content_type})")?;
                }
                if let Some(source) = source {
                    write!(f, ": {source}")?;
                }
                Ok(())
            }
            Error::ResponseTooLarge { status, limit } => {
                write!(
                    f,
                    "the {status} response body is larger than the {limit}-byte limit"
                )
            }
            Error::Timeout {
                limit: Some(limit), ..
            } => write!(f, "the call timed out after {limit:?}"),
            Error::Timeout { .. } => f.write_str("the call timed out"),
            Error::Transport { source } => write!(f, "transport error: {source}"),
            Error::InvalidInput(invalid) => fmt::Display::fmt(invalid, f),
        }
    }
}

impl fmt::Display for InvalidInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidInput::HeaderName { name } => write!(f, "invalid header name \"{name}\""),
            InvalidInput::HeaderValue { name } => write!(f, "invalid value for header `{name}`"),
            InvalidInput::Email { reason } => write!(f, "invalid email: {reason}"),
            InvalidInput::BaseUrl { reason } => write!(f, "invalid base URL: {reason}"),
            InvalidInput::Request { reason } => write!(f, "cannot build the request: {reason}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode {
                source: Some(source),
                ..
            } => Some(source),
            Error::Timeout {
                source: Some(source),
                ..
            }
            | Error::Transport { source } => Some(source),
            _ => None,
        }
    }
}

impl std::error::Error for InvalidInput {}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { status }
            | Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// A 401: wrong credentials, no session, or a bad token.
    pub fn is_unauthorized(&self) -> bool {
        matches!(self, Error::Unauthorized { .. })
    }

    /// A Medusa JSON error of any status.
    pub fn is_api(&self) -> bool {
        matches!(self, Error::Api { .. })
    }

    /// A 400 `invalid_data`: the server's validation rejected the input (for example
    /// `email must be an email`).
    pub fn is_invalid_data(&self) -> bool {
        self.error_type() == Some("invalid_data")
    }

    /// A 404.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// The call timed out.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }

    /// The connection failed or broke.
    pub fn is_transport(&self) -> bool {
        matches!(self, Error::Transport { .. })
    }

    /// The response body did not decode.
    pub fn is_decode(&self) -> bool {
        matches!(self, Error::Decode { .. })
    }

    /// The input was rejected before sending.
    pub fn is_invalid_input(&self) -> bool {
        matches!(self, Error::InvalidInput(_))
    }

    /// The Medusa error body, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&StoreError> {
        match self {
            Error::Api { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Medusa's error `type` (`invalid_data`, `not_found`, `unknown_error`, ...).
    pub fn error_type(&self) -> Option<&str> {
        self.api_error()?.type_.as_deref()
    }

    /// Medusa's error `code`, when it sent one.
    pub fn code(&self) -> Option<&str> {
        self.api_error()?.code.as_deref()
    }

    /// Medusa's error `message`.
    pub fn message(&self) -> Option<&str> {
        self.api_error().map(|e| e.message.as_str())
    }

    pub(crate) fn transport(source: reqwest::Error) -> Self {
        let source = source.without_url(); // the URL can carry an email
        if source.is_timeout() {
            Error::Timeout {
                limit: None,
                source: Some(source),
            }
        } else {
            Error::Transport { source }
        }
    }

    /// Maps a progenitor error, with what the `exec` hook saw of the response (which
    /// progenitor drops when a declared body does not decode) and the body limit.
    pub(crate) async fn from_generated(
        error: progenitor_client::Error<StoreError>,
        ctx: &CallContext,
    ) -> Self {
        use progenitor_client::Error as P;
        let head = ctx.last_response();
        let limit = ctx.shared.max_response_bytes;
        match error {
            P::ErrorResponse(response) => Error::Api {
                status: response.status(),
                error: response.into_inner(),
            },
            P::UnexpectedResponse(response) => {
                Self::from_response(response, limit, head.and_then(|h| h.content_type)).await
            }
            P::InvalidResponsePayload(body, source) => Error::Decode {
                status: head.as_ref().map_or(StatusCode::OK, |h| h.status),
                content_type: head.and_then(|h| h.content_type?.to_str().ok().map(str::to_string)),
                body: ResponseBody(body[..body.len().min(MAX_ERROR_BODY)].to_vec()),
                source: Some(source),
            },
            P::ResponseBodyError(e) if is_length_limit(&e) => Error::ResponseTooLarge {
                status: head.map_or(StatusCode::OK, |h| h.status),
                limit,
            },
            P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e) => {
                Self::transport(e)
            }
            P::InvalidRequest(reason) | P::Custom(reason) => {
                Error::InvalidInput(InvalidInput::Request { reason })
            }
        }
    }

    /// Decodes a response progenitor did not: by status, then by body. The `exec` hook
    /// takes the headers off responses to the call layer; `content_type` is what it saw.
    pub(crate) async fn from_response(
        response: reqwest::Response,
        limit: usize,
        content_type: Option<HeaderValue>,
    ) -> Self {
        let status = response.status();
        if status == StatusCode::UNAUTHORIZED {
            return Error::Unauthorized { status };
        }
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .or(content_type.as_ref())
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = match read_capped(response, MAX_ERROR_BODY).await {
            Ok(body) => body,
            Err(e) if is_length_limit(&e) => return Error::ResponseTooLarge { status, limit },
            Err(e) => return Self::transport(e),
        };
        match serde_json::from_slice::<StoreError>(&body) {
            Ok(error) => Error::Api { status, error },
            Err(e) => Error::Decode {
                status,
                content_type: content_type.clone(),
                body: ResponseBody(body),
                source: content_type.filter(|t| t.contains("json")).map(|_| e),
            },
        }
    }
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

/// Whether `error` comes from the body limit set in the `exec` hook.
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
