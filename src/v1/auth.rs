//! The five calls of medusa-js's `AuthResource`, under its names in snake_case. Each returns
//! a [`Call`] (per-call headers, timeout, retries), whose attempts run the generated method.
//!
//! | method | request | returns |
//! |---|---|---|
//! | [`authenticate`](AuthClient::authenticate) | `POST /store/auth` | [`StoreAuthRes`]; the session cookie is kept |
//! | [`delete_session`](AuthClient::delete_session) | `DELETE /store/auth` | `()`; cookie and token are forgotten |
//! | [`get_session`](AuthClient::get_session) | `GET /store/auth` | [`StoreAuthRes`] |
//! | [`exists`](AuthClient::exists) | `GET /store/auth/{email}` | [`StoreGetAuthEmailRes`] |
//! | [`get_token`](AuthClient::get_token) | `POST /store/auth/token` | [`StoreBearerAuthRes`]; the token is kept |

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::ResponseValue;

use super::client::AuthClient;
use super::operations::{DELETE_AUTH, GET_AUTH, GET_AUTH_EMAIL, POST_AUTH, POST_TOKEN};
use super::types::{
    StoreAuthRes, StoreBearerAuthRes, StoreError, StoreGetAuthEmailRes, StorePostAuthReq,
};
use crate::error::{ApiError, InvalidInput};
use crate::runtime::{Call, SessionEffect};

impl AuthClient {
    /// Logs a customer in with email and password (`POST /store/auth`).
    ///
    /// On success Medusa sets the `connect.sid` session cookie, which this client (and its
    /// clones) sends on later calls, so [`get_session`](Self::get_session) then succeeds.
    ///
    /// - Auth: none.
    /// - Returns: the customer, with `orders` and `shipping_addresses`.
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) for a wrong password, an unknown email or a guest
    ///   customer (Medusa does not tell them apart); [`Error::Api`](crate::Error::Api) 400 `invalid_data` for
    ///   an email that is not an email or an empty password.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v1::types::StorePostAuthReq;
    ///
    /// let res = client.authenticate(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// println!("logged in as {}", res.customer.id);
    /// # Ok(()) }
    /// ```
    pub fn authenticate(&self, payload: &StorePostAuthReq) -> Call<StoreAuthRes> {
        self.call(POST_AUTH, payload.clone(), |raw, payload| {
            Box::pin(raw.post_auth(payload))
        })
    }

    /// Ends the session (`DELETE /store/auth`) and forgets this client's session cookie and
    /// token.
    ///
    /// The server destroys the session behind the cookie; it does **not** revoke JWTs, which
    /// stay valid until they expire (30 days). The local cookie and token are forgotten even
    /// when the call fails, so the client never stays logged in by accident.
    ///
    /// - Auth: the session cookie, if any (the server answers 200 `OK` with or without one).
    /// - Returns: `()`.
    /// - Errors: transport errors and timeouts; Medusa itself always answers 200.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// client.delete_session().await?;
    /// assert!(client.token().is_none() && client.session_cookie().is_none());
    /// # Ok(()) }
    /// ```
    pub fn delete_session(&self) -> Call<()> {
        self.call(DELETE_AUTH, (), |raw, ()| {
            Box::pin(async move {
                match raw.delete_auth().await {
                    // The body is the text `OK`; nothing in it to keep.
                    Ok(response) => Ok(ResponseValue::new(
                        (),
                        response.status(),
                        response.headers().clone(),
                    )),
                    // Tolerate a 204 or another 2xx from a proxy in front of Medusa.
                    Err(progenitor_client::Error::UnexpectedResponse(response))
                        if response.status().is_success() =>
                    {
                        Ok(ResponseValue::new(
                            (),
                            response.status(),
                            response.headers().clone(),
                        ))
                    }
                    Err(error) => Err(error),
                }
            })
        })
        // Even when the call failed: the client never stays logged in by accident.
        .with_effect(SessionEffect::Forget)
    }

    /// Reads the logged-in customer (`GET /store/auth`).
    ///
    /// - Auth: the session cookie from [`authenticate`](Self::authenticate), or the token
    ///   from [`get_token`](Self::get_token) / [`set_token`](Self::set_token). When both are
    ///   present the server checks the cookie first.
    /// - Returns: the customer, with `orders` and `shipping_addresses`.
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) without a valid session or token.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// match client.get_session().await {
    ///     Ok(session) => println!("signed in as {}", session.customer.email),
    ///     Err(e) if e.is_unauthorized() => println!("signed out"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn get_session(&self) -> Call<StoreAuthRes> {
        self.call(GET_AUTH, (), |raw, ()| Box::pin(raw.get_auth()))
    }

    /// Checks whether a customer account exists for `email` (`GET /store/auth/{email}`).
    ///
    /// The email travels as exactly one percent-encoded path segment, so `+`, `/`, `%`, `#`,
    /// `?`, spaces and non-ASCII characters arrive intact and cannot change the path or
    /// query (medusa-js sends it unencoded). The server compares case-insensitively and
    /// answers `exists: false` for guest customers.
    ///
    /// - Auth: none.
    /// - Errors: [`Error::InvalidInput`](crate::Error::InvalidInput) for an empty email, or `.` / `..` (which no URL can
    ///   carry as a segment), before anything is sent. An empty segment would reach
    ///   `GET /store/auth` instead.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// if client.exists("o'hara#1/x%y@example.com").await?.exists {
    ///     println!("please log in");
    /// }
    /// # Ok(()) }
    /// ```
    pub fn exists(&self, email: impl Into<String>) -> Call<StoreGetAuthEmailRes> {
        let email = email.into();
        let path = email_path(&self.runtime.settings.base, &email);
        self.call(GET_AUTH_EMAIL, email, |raw, email| {
            Box::pin(raw.get_auth_email(email))
        })
        .with_path(path)
    }

    /// Logs a customer in and returns a JWT (`POST /store/auth/token`), which this client
    /// (and its clones, but no other client) then sends as `Authorization: Bearer`.
    ///
    /// - Auth: none.
    /// - Returns: the token (HS256, valid 30 days; `Debug` hides it). The server never
    ///   revokes it, not even on [`delete_session`](Self::delete_session).
    /// - Errors: as [`authenticate`](Self::authenticate).
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v1::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v1::types::StorePostAuthReq;
    ///
    /// let res = client.get_token(&StorePostAuthReq::new("alice@example.com", "S3cret-pass!")).await?;
    /// let save_me: &str = res.access_token.expose();
    /// let me = client.get_session().await?; // sent with `Authorization: Bearer`
    /// # let _ = (save_me, me); Ok(()) }
    /// ```
    pub fn get_token(&self, payload: &StorePostAuthReq) -> Call<StoreBearerAuthRes> {
        self.call(POST_TOKEN, payload.clone(), |raw, payload| {
            Box::pin(raw.post_token(payload))
        })
        .with_effect(SessionEffect::KeepToken(|res| {
            Some((res.access_token.clone(), None))
        }))
    }
}

/// Medusa v1's JSON error body ([`v1::types::StoreError`](crate::v1::types::StoreError)).
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError {
            type_: error.type_,
            message: error.message,
            code: error.code,
            errors: error.errors.into_iter().map(ApiError::from).collect(),
            call: None,
        }
    }
}

/// Everything but the characters that mean the same raw or encoded in a path segment
/// (RFC 3986 unreserved, plus `@` and `+`, which Medusa's live captures show it reads raw).
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'@')
    .remove(b'+');

/// The longest URL the `http` crate takes (a `Uri` is at most `u16::MAX - 1` bytes); a
/// longer one would fail inside reqwest as a "builder error".
const MAX_URL_BYTES: usize = u16::MAX as usize - 1;

/// `/store/auth/{email}` with the email as exactly one percent-encoded segment, after the
/// path of the client's base URL, `base`. progenitor's encoding leaves `\` and dot segments to URL parsing,
/// which would turn them into other paths; this is the only encoder the email meets.
fn email_path(base: &reqwest::Url, email: &str) -> Result<String, InvalidInput> {
    let reason = match email {
        "" => Some("it is empty (the server would answer GET /store/auth instead)"),
        "." | ".." => Some("`.` and `..` cannot travel as a URL path segment"),
        _ => None,
    };
    if let Some(reason) = reason {
        return Err(InvalidInput::Email { reason });
    }
    let prefix = base.path().trim_end_matches('/');
    let path = format!(
        "{prefix}/store/auth/{}",
        utf8_percent_encode(email, SEGMENT)
    );
    if base.as_str().len() - base.path().len() + path.len() > MAX_URL_BYTES {
        return Err(InvalidInput::Email {
            reason: "it is too long for a URL",
        });
    }
    Ok(path)
}
