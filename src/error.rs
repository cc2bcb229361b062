//! The crate's one error type, shared by every API line. The bottom layer: it names nothing
//! else of the crate (`runtime/outcome.rs` maps responses into it).
//!
//! Response bodies never appear in `Display` or `Debug`: an Express error page can echo
//! part of the request, password included.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use serde::Deserialize;

/// Everything a call can fail with.
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v1::AuthClient) {
/// use medusa_store_auth::v1::types::StorePostAuthReq;
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
    Unauthorized {
        /// Always 401.
        status: StatusCode,
        /// The JSON error Medusa v2 sends with it (`Invalid email or password`, `Identity with
        /// email already exists`, ...); `None` for Medusa v1, which sends the text `Unauthorized`.
        error: Option<ApiError>,
    },
    /// The server answered with a Medusa JSON error (`{type, message, code}`).
    Api {
        /// The HTTP status (400, 404, 409, 422, 500, ...).
        status: StatusCode,
        /// The decoded body.
        error: ApiError,
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
        source: Option<JsonError>,
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
        /// reqwest's error (its URL cut to the scheme, host and port), when its own timeout fired: connecting, or a
        /// timeout set on a client given with
        /// [`Config::with_http_client`](crate::Config::with_http_client).
        source: Option<reqwest::Error>,
    },
    /// The request could not be sent or the response not read: connection refused or
    /// reset, TLS, DNS, a body cut short.
    Transport {
        /// The underlying error (its URL cut to the scheme, host and port: the path can carry an
        /// email).
        source: reqwest::Error,
    },
    /// The server has no route for the call: it answered 404 with a page that is not a
    /// Medusa error (Express's `Cannot POST /auth/mfa/factors`), or, for `list_providers`
    /// before Medusa 2.19.0, 401 for a provider named `providers`. It is older than the route
    /// (the crate's docs list which Medusa version added each), or it does not serve it.
    MissingRoute {
        /// 404 (401 for `list_providers` on a server before 2.19.0).
        status: StatusCode,
        /// The crate's call, for example `mfa().list`.
        call: &'static str,
    },
    /// The caller's input was rejected before anything was sent.
    InvalidInput(InvalidInput),
}

/// What a refused MFA or verification step means, read from Medusa v2's answer
/// ([`Error::auth_failure`]); each is something a storefront can tell the customer or act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthFailure {
    /// A wrong, stale, malformed or already used code (TOTP, recovery or verification code):
    /// ask again. A failed challenge attempt counts towards its `max_attempts`.
    InvalidCode,
    /// The challenge reached its `max_attempts` failed attempts and is locked, even for the
    /// right code: log in again for a new one.
    TooManyAttempts,
    /// The challenge was answered already.
    ChallengeCompleted,
    /// No such challenge for this identity: unknown, another identity's, or expired (the
    /// server forgets it at `expires_at`): log in again.
    ChallengeNotFound,
    /// The challenge does not take this method (`recovery_code` without recovery codes).
    MethodNotAllowed,
    /// The verification code expired: request a new one.
    CodeExpired,
    /// No such factor for this identity.
    FactorNotFound,
    /// The identity has a pending or enabled TOTP factor already.
    FactorExists,
    /// Recovery codes need an enabled factor first.
    NoEnabledFactor,
    /// The server's `disable_policy: challenge` wants a code to disable an enabled factor.
    CodeRequired,
    /// The server has no MFA encryption key (`AUTH_MFA_ENCRYPTION_KEY`): it cannot start or
    /// check TOTP factors.
    MfaNotConfigured,
    /// The token (or session) is MFA-pending: answer the challenge first.
    MfaPending,
    /// The server has no such MFA, verification or auth provider (Medusa 2.21 answers a bare
    /// 500 `unknown_error` for an unregistered MFA or code provider).
    UnknownProvider,
}

/// Medusa's JSON error body, `{type, message, code}` (the document's `Error` schema).
///
/// `Debug` shows the message's length only: it is the server's text, which can echo the
/// request. Read it with [`Error::message`] or the field.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct ApiError {
    /// The kind of error: `invalid_data`, `not_found`, `duplicate_error`, `unknown_error`, ...
    #[serde(rename = "type", default)]
    pub type_: Option<String>,
    /// What went wrong, in the server's words.
    pub message: String,
    /// A further code, when the server sent one (`invalid_request_error`, ...).
    #[serde(default)]
    pub code: Option<String>,
    /// The individual errors, when the server's validation reported several at once.
    #[serde(default)]
    pub errors: Vec<ApiError>,
    /// The crate's call that got this answer (set by the runtime).
    #[serde(skip)]
    pub(crate) call: Option<&'static str>,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("type_", &self.type_)
            .field("message", &format_args!("<{} bytes>", self.message.len()))
            .field("code", &self.code)
            .field("errors", &self.errors)
            .finish()
    }
}

/// Where and how a body failed to decode as JSON, without quoting it: serde_json's own
/// messages quote the values they reject, and a server can echo the request (password
/// included) into its answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct JsonError {
    /// Malformed JSON, JSON of the wrong shape, or a body cut short.
    pub category: serde_json::error::Category,
    /// The line of the body where decoding stopped (1-based).
    pub line: usize,
    /// The column of that line (1-based).
    pub column: usize,
}

impl From<&serde_json::Error> for JsonError {
    fn from(error: &serde_json::Error) -> Self {
        Self {
            category: error.classify(),
            line: error.line(),
            column: error.column(),
        }
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use serde_json::error::Category;
        let what = match self.category {
            Category::Syntax => "malformed JSON",
            Category::Data => "JSON of another shape than expected",
            Category::Eof => "JSON cut short",
            Category::Io => "an unreadable body",
        };
        write!(f, "{what} at line {}, column {}", self.line, self.column)
    }
}

impl std::error::Error for JsonError {}

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
    /// A Medusa v2 `/store/*` call without a publishable API key: the server would refuse it
    /// (400 `not_allowed`). Set one with
    /// [`Config::with_publishable_api_key`](crate::Config::with_publishable_api_key).
    MissingPublishableKey {
        /// The call, for example `retrieve_customer`.
        call: &'static str,
    },
    /// An auth provider ID that cannot be a path segment (Medusa's are like `emailpass`).
    Provider {
        /// Why.
        reason: &'static str,
    },
    /// A saved session ([`SavedSession`](crate::SavedSession)) that cannot be read or
    /// restored: too long, not one [`encode`](crate::SavedSession::encode) made, or saved by
    /// the other Medusa line's client. The value itself is never quoted.
    SavedSession {
        /// Why.
        reason: &'static str,
    },
    /// An ID (of an MFA challenge or factor) that cannot be a path segment (Medusa's are
    /// like `authmfachal_01M8...`).
    Id {
        /// What it identifies: `challenge` or `factor`.
        what: &'static str,
        /// Why.
        reason: &'static str,
    },
}

/// A response body kept by an error. Its `Debug` shows only the length.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ResponseBody(Vec<u8>);

impl ResponseBody {
    pub(crate) fn new(bytes: &[u8]) -> Self {
        Self(bytes.to_vec())
    }

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
            Error::Unauthorized { status, .. } => write!(f, "unauthorized ({status})"),
            // Not the message: it is the server's text, which can echo the request.
            // `Error::message()` has it.
            Error::Api { status, error } => {
                write!(f, "Medusa answered {status}")?;
                match &error.type_ {
                    Some(kind) => write!(f, " ({kind})"),
                    None => Ok(()),
                }
            }
            // The cause, where there is one, is `source()`: reporters print the chain.
            Error::Decode {
                status,
                content_type,
                ..
            } => {
                write!(f, "could not decode the {status} response")?;
                if let Some(content_type) = content_type {
                    write!(f, " ({content_type})")?;
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
            Error::Transport { source } => {
                f.write_str(transport_failure(source))?;
                match source
                    .url()
                    .and_then(|url| Some((url.host_str()?, url.port_or_known_default()?)))
                {
                    Some((host, port)) if source.is_connect() => write!(f, " at {host}:{port}"),
                    _ => Ok(()),
                }
            }
            Error::MissingRoute { status, call } => write!(
                f,
                "the server has no route for `{call}` ({status}): a Medusa older than the route?"
            ),
            Error::InvalidInput(invalid) => fmt::Display::fmt(invalid, f),
        }
    }
}

/// The calls that name an MFA or code provider, which Medusa 2.21 answers with a bare 500
/// `unknown_error` when the server has no such provider (mfa/14, verification/18).
pub(crate) const PROVIDER_CALLS: [&str; 3] = [
    "mfa().start",
    "verification().request",
    "verification().confirm",
];

/// What failed, in a few words, for a transport error.
fn transport_failure(error: &reqwest::Error) -> &'static str {
    if error.is_connect() {
        "could not connect to the server"
    } else if error.is_body() || error.is_decode() {
        "could not read the response body"
    } else if error.is_redirect() {
        "the server redirected the request"
    } else {
        "the request failed before a complete response arrived"
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
            InvalidInput::MissingPublishableKey { call } => write!(
                f,
                "`{call}` needs a publishable API key (Config::with_publishable_api_key)"
            ),
            InvalidInput::Provider { reason } => write!(f, "invalid auth provider: {reason}"),
            InvalidInput::Id { what, reason } => write!(f, "invalid {what} ID: {reason}"),
            InvalidInput::SavedSession { reason } => write!(f, "invalid saved session: {reason}"),
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

/// So that `?` takes an [`InvalidInput`] (from [`SavedSession::decode`](crate::SavedSession::decode),
/// say) into [`Error::InvalidInput`].
impl From<InvalidInput> for Error {
    fn from(invalid: InvalidInput) -> Self {
        Error::InvalidInput(invalid)
    }
}

impl Error {
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Unauthorized { status, .. }
            | Error::Api { status, .. }
            | Error::Decode { status, .. }
            | Error::ResponseTooLarge { status, .. }
            | Error::MissingRoute { status, .. } => Some(*status),
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

    /// The server has no route for the call ([`Error::MissingRoute`]).
    pub fn is_missing_route(&self) -> bool {
        matches!(self, Error::MissingRoute { .. })
    }

    /// What a refused MFA or verification step (or a call with an MFA-pending token) means,
    /// from Medusa v2's answer; `None` for any other error.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v2::AuthClient, id: &str, code: &str) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v2::types::AuthMfaChallengeVerifyReq;
    /// use medusa_store_auth::AuthFailure;
    ///
    /// match client.mfa().verify_challenge(id, &AuthMfaChallengeVerifyReq::totp(code)).await {
    ///     Ok(_) => println!("signed in"),
    ///     Err(e) if e.auth_failure() == Some(AuthFailure::InvalidCode) => println!("wrong code, try again"),
    ///     Err(e) if matches!(e.auth_failure(), Some(AuthFailure::TooManyAttempts | AuthFailure::ChallengeNotFound)) => {
    ///         println!("log in again")
    ///     }
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn auth_failure(&self) -> Option<AuthFailure> {
        let error = self.api_error()?;
        let message = error.message.as_str();
        let has = |text: &str| message.contains(text);
        let failure = if has("Invalid MFA challenge code")
            || has("Invalid TOTP code")
            || has("Invalid MFA verification code")
            || has("Verification code is invalid or already used")
        {
            AuthFailure::InvalidCode
        } else if has("too many failed attempts") {
            AuthFailure::TooManyAttempts
        } else if has("MFA challenge has already been completed") {
            AuthFailure::ChallengeCompleted
        } else if has("MFA challenge has expired")
            || (message.starts_with("MFA challenge with id") && has("was not found"))
        {
            AuthFailure::ChallengeNotFound
        } else if message.starts_with("MFA challenge does not support method") {
            AuthFailure::MethodNotAllowed
        } else if has("Verification code has expired") {
            AuthFailure::CodeExpired
        } else if message.starts_with("MFA factor with id") && has("was not found") {
            AuthFailure::FactorNotFound
        } else if has("factor already exists") {
            AuthFailure::FactorExists
        } else if has("require an enabled MFA factor") {
            AuthFailure::NoEnabledFactor
        } else if has("MFA verification code is required") {
            AuthFailure::CodeRequired
        } else if has("MFA encryption key is required") {
            AuthFailure::MfaNotConfigured
        } else if has("MFA verification is required to complete this request") {
            AuthFailure::MfaPending
        } else if has("Unable to retrieve the auth provider with id")
            || (self.status() == Some(StatusCode::INTERNAL_SERVER_ERROR)
                && error.type_.as_deref() == Some("unknown_error")
                && error
                    .call
                    .is_some_and(|call| PROVIDER_CALLS.contains(&call)))
        {
            AuthFailure::UnknownProvider
        } else {
            return None;
        };
        Some(failure)
    }

    /// The Medusa error body, for [`Error::Api`], and for [`Error::Unauthorized`] when the
    /// server sent one (Medusa v2).
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api { error, .. } => Some(error),
            Error::Unauthorized { error, .. } => error.as_ref(),
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
        // The path and query can carry an email: keep only where the request went.
        let origin = source.url().map(|url| {
            let mut origin = url.clone();
            origin.set_path("/");
            origin.set_query(None);
            origin.set_fragment(None);
            let _ = origin.set_username("");
            let _ = origin.set_password(None);
            origin
        });
        let source = match origin {
            Some(origin) => source.with_url(origin),
            None => source,
        };
        if source.is_timeout() {
            Error::Timeout {
                limit: None,
                source: Some(source),
            }
        } else {
            Error::Transport { source }
        }
    }
}
