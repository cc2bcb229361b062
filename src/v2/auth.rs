//! The auth module's calls, under `@medusajs/js-sdk`'s names (`sdk.auth.*`) in snake_case.
//! The actor type is always `customer`; the provider is a parameter (`emailpass`, or a
//! third-party one configured on the server).
//!
//! | method | request | returns; what the client keeps |
//! |---|---|---|
//! | [`register`](AuthClient::register) | `POST /auth/customer/{provider}/register` | [`AuthResponse`]; the token |
//! | [`login`](AuthClient::login) | `POST /auth/customer/{provider}` | [`Login`]; its token, if any |
//! | [`callback`](AuthClient::callback) | `GET /auth/customer/{provider}/callback?…` | [`Login`]; its token, if any |
//! | [`list_providers`](AuthClient::list_providers) | `GET /auth/customer/providers` | [`AuthProvidersResponse`] |
//! | [`refresh`](AuthClient::refresh) | `POST /auth/token/refresh` | [`Login`]; the new token |
//! | [`create_session`](AuthClient::create_session) | `POST /auth/session` | [`AuthStoreSessionResponse`]; the cookie instead of the token |
//! | [`logout`](AuthClient::logout) | `DELETE /auth/session` | [`Logout`]; forgets token and cookie |
//! | [`reset_password`](AuthClient::reset_password) | `POST /auth/customer/{provider}/reset-password` | `()` |
//! | [`update_provider`](AuthClient::update_provider) | `POST /auth/customer/{provider}/update` | [`AuthSuccessResponse`] |

use std::future::Future;
use std::time::{Duration, SystemTime};

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderValue, AUTHORIZATION};

use super::client::AuthClient;
use super::operations::{
    CALLBACK, CREATE_SESSION, DELETE_SESSION, LOGIN, PROVIDERS, REFRESH, REGISTER, RESET_PASSWORD,
    UPDATE_PROVIDER,
};
use super::types::{
    AuthPayload, AuthProvidersResponse, AuthResetPasswordReq, AuthResponse,
    AuthStoreSessionResponse, AuthSuccessResponse, Login, StoreError,
};
use crate::credentials::AccessToken;
use crate::error::{ApiError, Error, InvalidInput};
use crate::operation::Operation;
use crate::runtime::{Call, Method, SessionEffect};

/// What [`AuthClient::renew_token`] did.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
// Made at most once per request: a box around the login would only make matching harder.
#[allow(clippy::large_enum_variant)]
pub enum Renewal {
    /// Nothing was due: no token, or one that lives longer than the margin.
    NotDue,
    /// The token was refreshed: the answer, as [`AuthClient::refresh`]'s.
    Renewed(Login),
    /// The token had expired: forgotten, nothing sent; the visitor must log in again.
    Expired,
}

/// The email-and-password provider, which every Medusa v2 store has.
pub const EMAILPASS: &str = "emailpass";

/// What [`AuthClient::logout`] found on the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Logout {
    /// The server destroyed the cookie session.
    SessionEnded,
    /// The server had no session to end (401): a token-only client, or a session that was
    /// gone already. Tokens are never revoked by the server.
    NoSession,
}

impl AuthClient {
    /// Registers an auth identity (`POST /auth/customer/{provider}/register`), the first of
    /// the three steps of a registration ([`sign_up`](Self::sign_up) makes all three); the
    /// client keeps the token it answers.
    ///
    /// 1. `register` answers a token with no customer behind it yet (its `actor_id` is empty);
    /// 2. [`create_customer`](Self::create_customer) creates the customer with that token;
    /// 3. [`refresh`](Self::refresh) exchanges it for a token that acts as the customer, so
    ///    that [`retrieve_customer`](Self::retrieve_customer) succeeds.
    ///
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) with the message
    ///   `Identity with email already exists` for a taken email (the server answers a token
    ///   instead when the password matches an identity that has no customer yet, so an
    ///   interrupted registration can be resumed).
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v2::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v2::types::{AuthPayload, StoreCreateCustomer};
    /// use medusa_store_auth::v2::EMAILPASS;
    ///
    /// client.register(EMAILPASS, &AuthPayload::email_password("alice@example.com", "S3cret-pass!")).await?;
    /// let customer = StoreCreateCustomer {
    ///     first_name: Some("Alice".into()),
    ///     ..StoreCreateCustomer::new("alice@example.com")
    /// };
    /// client.create_customer(&customer).await?;
    /// client.refresh().await?;
    /// let me = client.retrieve_customer().await?;
    /// # let _ = me; Ok(()) }
    /// ```
    pub fn register(&self, provider: &str, payload: &AuthPayload) -> Call<AuthResponse> {
        let (provider, invalid) = checked_provider(provider);
        self.call(
            REGISTER,
            (provider, payload.clone()),
            |raw, (provider, payload)| {
                Box::pin(raw.post_actor_type_auth_provider_register(provider, payload))
            },
        )
        .rejecting(invalid)
        .with_effect(SessionEffect::KeepToken(|res| {
            Some((res.token.clone(), None))
        }))
    }

    /// Logs a customer in (`POST /auth/customer/{provider}`); the client keeps the token it
    /// answers and sends it as `Authorization: Bearer` from then on.
    ///
    /// The answer says what the token is good for: [`Login::Authenticated`], or a second
    /// factor or a verification still pending, or (for a third-party provider) a
    /// [`Login::Redirect`]. For a cookie session instead of the token, call
    /// [`create_session`](Self::create_session) next.
    ///
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) (`Invalid email or
    ///   password`) for a wrong password and for an unknown email alike; emails match exactly,
    ///   case included.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v2::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v2::types::{AuthPayload, Login};
    /// use medusa_store_auth::v2::EMAILPASS;
    ///
    /// match client.login(EMAILPASS, &AuthPayload::email_password("alice@example.com", "S3cret-pass!")).await {
    ///     Ok(Login::Authenticated { .. }) => println!("welcome back"),
    ///     Ok(other) => println!("one more step: {other:?}"),
    ///     Err(e) if e.is_unauthorized() => println!("wrong email or password"),
    ///     Err(e) => return Err(e),
    /// }
    /// # Ok(()) }
    /// ```
    pub fn login(&self, provider: &str, payload: &AuthPayload) -> Call<Login> {
        let (provider, invalid) = checked_provider(provider);
        self.call(
            LOGIN,
            (provider, payload.clone()),
            |raw, (provider, payload)| {
                Box::pin(raw.post_actor_type_auth_provider(provider, payload))
            },
        )
        .rejecting(invalid)
        .with_effect(SessionEffect::KeepToken(Login::held_token))
    }

    /// Completes a third-party login (`GET /auth/customer/{provider}/callback`) with the
    /// query parameters the provider redirected the customer back with (`code`, `state`,
    /// ...), each percent-encoded; the client keeps the token it answers.
    pub fn callback<K, V>(
        &self,
        provider: &str,
        query: impl IntoIterator<Item = (K, V)>,
    ) -> Call<Login>
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let (provider, invalid) = checked_provider(provider);
        self.call(CALLBACK, provider, |raw, provider| {
            Box::pin(raw.get_actor_type_auth_provider_callback(provider))
        })
        .rejecting(invalid)
        .with_query(encode_query(query))
        .with_effect(SessionEffect::KeepToken(Login::held_token))
    }

    /// The providers a customer can log in with (`GET /auth/customer/providers`, Medusa
    /// 2.19.0+).
    ///
    /// - Errors: [`Error::MissingRoute`](crate::Error::MissingRoute) on a server older than
    ///   the route, which reads `providers` as the name of a provider and answers 401
    ///   `Unable to retrieve the auth provider with id: providers`.
    pub fn list_providers(&self) -> Call<AuthProvidersResponse> {
        self.call_auth_route(PROVIDERS, (), |raw, ()| {
            Box::pin(raw.get_actor_type_auth_providers())
        })
    }

    /// Exchanges the client's token for a new one (`POST /auth/token/refresh`), authenticated
    /// by the token or by the cookie session; the client keeps the new token.
    ///
    /// It answers as [`login`](Self::login) does: [`Login::Authenticated`] after
    /// [`create_customer`](Self::create_customer) (the new token acts as the customer) or
    /// after a confirmed verification; [`Login::VerificationRequired`] while the identity is
    /// not verified; [`Login::MfaRequired`] with a **new** challenge for an MFA-pending
    /// token, or once a verified identity has a second factor.
    pub fn refresh(&self) -> Call<Login> {
        self.call(REFRESH, (), |raw, ()| {
            Box::pin(raw.post_admin_auth_token_refresh())
        })
        .with_effect(SessionEffect::KeepToken(Login::held_token))
    }

    /// Renews the client's token if it expires within `within` (its `exp` claim), with one
    /// [`refresh`](Self::refresh); otherwise sends nothing. For a storefront, once per
    /// request after [`restore_session`](Self::restore_session), so that an active visitor
    /// is never logged out by the 24-hour token lifetime.
    ///
    /// - [`Renewal::Renewed`] holds the refresh's answer, MFA and verification outcomes
    ///   included (a pending token answers a new challenge, not a full token).
    /// - [`Renewal::Expired`]: the token has expired and cannot be renewed; the client
    ///   forgets it, so [`saved_session`](Self::saved_session) is empty (log the visitor in
    ///   again). Nothing is sent.
    /// - [`Renewal::NotDue`]: no token (a cookie session lives on the server), or one that
    ///   lives longer than `within`. Nothing is sent.
    ///
    /// For per-call headers or a timeout on the refresh, check
    /// [`SavedSession::expires_at`](crate::SavedSession::expires_at) and call `refresh`
    /// yourself.
    ///
    /// ```no_run
    /// # async fn demo(visitor: medusa_store_auth::v2::AuthClient) -> Result<(), medusa_store_auth::Error> {
    /// use std::time::Duration;
    /// use medusa_store_auth::v2::Renewal;
    ///
    /// match visitor.renew_token(Duration::from_secs(3600)).await? {
    ///     Renewal::Expired => println!("please log in again"),
    ///     _ => {} // the visitor's session acts as before, renewed if it was due
    /// }
    /// # Ok(()) }
    /// ```
    pub fn renew_token(
        &self,
        within: Duration,
    ) -> impl Future<Output = Result<Renewal, Error>> + Send + 'static {
        let client = self.clone();
        async move {
            let Some(expires_at) = client.saved_session().expires_at() else {
                return Ok(Renewal::NotDue);
            };
            let now = SystemTime::now();
            if expires_at <= now {
                client.clear_token();
                return Ok(Renewal::Expired);
            }
            if expires_at > now + within {
                return Ok(Renewal::NotDue);
            }
            client.refresh().await.map(Renewal::Renewed)
        }
    }

    /// Makes a cookie session from the client's token (`POST /auth/session`): the client
    /// keeps the `connect.sid` cookie and sends it from then on, **instead of** the token,
    /// which it forgets (read it with [`token`](Self::token) first to keep it). This is
    /// js-sdk's session mode, with a cookie that is really kept.
    ///
    /// - Returns: the claims of the token the session was made from.
    /// - In production mode Medusa sets the cookie (`Secure`) only over HTTPS or behind a
    ///   proxy that sends `X-Forwarded-Proto: https`; over plain HTTP it answers 200 without
    ///   one, and the client keeps its token.
    pub fn create_session(&self) -> Call<AuthStoreSessionResponse> {
        self.call(CREATE_SESSION, (), |raw, ()| Box::pin(raw.post_session()))
            .with_effect(SessionEffect::ForgetTokenIfNewCookie)
    }

    /// Logs out: ends the server's cookie session (`DELETE /auth/session`) and forgets the
    /// client's token and cookie, even when the call fails.
    ///
    /// JWTs are never revoked by Medusa: a token saved elsewhere stays valid until it expires
    /// (24 hours by default). A client with a token and no cookie has no server session to
    /// end: the server answers 401, reported as [`Logout::NoSession`], not as an error.
    pub fn logout(&self) -> Call<Logout> {
        self.call(DELETE_SESSION, (), |raw, ()| {
            Box::pin(async move {
                match raw.delete_session().await {
                    Ok(res) => Ok(ResponseValue::new(
                        Logout::SessionEnded,
                        res.status(),
                        res.headers().clone(),
                    )),
                    Err(progenitor_client::Error::ErrorResponse(res))
                        if res.status() == reqwest::StatusCode::UNAUTHORIZED =>
                    {
                        Ok(ResponseValue::new(
                            Logout::NoSession,
                            res.status(),
                            res.headers().clone(),
                        ))
                    }
                    Err(error) => Err(error),
                }
            })
        })
        // Even when the call failed: the client never stays logged in by accident.
        .with_effect(SessionEffect::Forget)
    }

    /// Asks for a password reset (`POST /auth/customer/{provider}/reset-password`). The
    /// server sends the reset token only to its `auth.password_reset` event (a subscriber
    /// emails it), and answers the same for an unknown identifier, so this tells nothing
    /// about whether the account exists.
    pub fn reset_password(&self, provider: &str, request: &AuthResetPasswordReq) -> Call<()> {
        let (provider, invalid) = checked_provider(provider);
        self.call(
            RESET_PASSWORD,
            (provider, request.clone()),
            |raw, (provider, request)| {
                Box::pin(raw.post_actor_type_auth_provider_reset_password(provider, request))
            },
        )
        .rejecting(invalid)
    }

    /// Sets a new password (`POST /auth/customer/{provider}/update`) with the reset token from
    /// the `auth.password_reset` event, sent as `Authorization: Bearer`. The reset token
    /// lives 15 minutes and works once; the client's own token and session are neither sent
    /// nor changed, and tokens issued before the reset stay valid.
    ///
    /// ```no_run
    /// # async fn demo(client: medusa_store_auth::v2::AuthClient, emailed: String) -> Result<(), medusa_store_auth::Error> {
    /// use medusa_store_auth::v2::{types::AuthPayload, EMAILPASS};
    /// use medusa_store_auth::AccessToken;
    ///
    /// let reset_token = AccessToken::new(emailed);
    /// client.update_provider(EMAILPASS, &reset_token, &AuthPayload::password("N3w-secret-pass!")).await?;
    /// # Ok(()) }
    /// ```
    pub fn update_provider(
        &self,
        provider: &str,
        reset_token: &AccessToken,
        payload: &AuthPayload,
    ) -> Call<AuthSuccessResponse> {
        let (provider, invalid) = checked_provider(provider);
        let bearer =
            HeaderValue::try_from(format!("Bearer {}", reset_token.expose())).map(|mut value| {
                value.set_sensitive(true);
                value
            });
        let call = self
            .call(
                UPDATE_PROVIDER,
                (provider, payload.clone()),
                |raw, (provider, payload)| {
                    Box::pin(raw.post_actor_type_auth_provider_update(provider, payload))
                },
            )
            .rejecting(invalid);
        match bearer {
            Ok(bearer) => call.header(AUTHORIZATION, bearer),
            Err(_) => call.rejecting(Some(InvalidInput::HeaderValue {
                name: AUTHORIZATION.to_string(),
            })),
        }
    }
}

impl AuthClient {
    /// A call of an `/auth/...` route that names no provider, on a server that may be older
    /// than the route (see [`route_taken_for_a_provider`]).
    pub(super) fn call_auth_route<I, T>(
        &self,
        operation: Operation,
        input: I,
        method: Method<super::generated::Client, I, T, StoreError>,
    ) -> Call<T>
    where
        I: Send + Sync + 'static,
        T: Send + 'static,
    {
        self.call(operation, input, method)
            .refining_error(route_taken_for_a_provider)
    }
}

impl AuthResetPasswordReq {
    /// A reset request for `identifier` (for `emailpass`, the email), with no metadata.
    pub fn new(identifier: impl Into<String>) -> Self {
        Self {
            identifier: identifier.into(),
            metadata: Default::default(),
        }
    }
}

/// Medusa v2's JSON error body ([`v2::types::StoreError`](crate::v2::types::StoreError)).
impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        ApiError {
            type_: error.type_,
            message: error.message,
            code: error.code,
            errors: Vec::new(),
            call: None,
        }
    }
}

/// For a call that names no provider: a server without the call's route answers 401
/// `Unable to retrieve the auth provider with id: …` when Express matched the path to
/// `/auth/{actor_type}/{auth_provider}` instead (`/auth/customer/providers` before 2.19.0,
/// `/auth/mfa/factors` before 2.15.3, `/auth/verification/request` before 2.16.0):
/// the route is missing, the caller is not unauthorized.
fn route_taken_for_a_provider(error: Error, call: &'static str) -> Error {
    let taken = error.is_unauthorized()
        && error
            .message()
            .is_some_and(|m| m.contains("Unable to retrieve the auth provider with id"));
    match (taken, error.status()) {
        (true, Some(status)) => Error::MissingRoute { status, call },
        _ => error,
    }
}

/// Why `value` cannot be a path segment as it is, if it cannot. Medusa's IDs are like
/// `emailpass`, `google` or `authmfachal_01M8...`; anything else could change the path.
fn segment_problem(value: &str) -> Option<&'static str> {
    if value.is_empty() {
        Some("it is empty")
    } else if value.len() > 128 {
        Some("it is longer than 128 bytes")
    } else if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        Some("only ASCII letters, digits, `-` and `_` can name one")
    } else {
        None
    }
}

/// The provider as a path segment, and why it cannot be one.
fn checked_provider(provider: &str) -> (String, Option<InvalidInput>) {
    (
        provider.to_string(),
        segment_problem(provider).map(|reason| InvalidInput::Provider { reason }),
    )
}

/// The ID of a `what` (`challenge`, `factor`) as a path segment, and why it cannot be one.
pub(super) fn checked_id(what: &'static str, id: &str) -> (String, Option<InvalidInput>) {
    (
        id.to_string(),
        segment_problem(id).map(|reason| InvalidInput::Id { what, reason }),
    )
}

/// Everything but the RFC 3986 unreserved characters, which mean the same raw or encoded.
const QUERY_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `k=v&k2=v2`, each name and value percent-encoded (empty for no parameters).
fn encode_query<K: AsRef<str>, V: AsRef<str>>(query: impl IntoIterator<Item = (K, V)>) -> String {
    query
        .into_iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                utf8_percent_encode(k.as_ref(), QUERY_COMPONENT),
                utf8_percent_encode(v.as_ref(), QUERY_COMPONENT)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

#[cfg(test)]
mod tests {
    use super::super::operations::{MFA_START, VERIFICATION_CONFIRM, VERIFICATION_REQUEST};

    #[test]
    fn the_calls_error_rs_reads_unknown_providers_for_are_the_operations_calls() {
        // `Error::auth_failure` names them as strings (the bottom layer sees no operation):
        // they must stay the calls that name a provider.
        assert_eq!(
            crate::error::PROVIDER_CALLS,
            [
                MFA_START.call,
                VERIFICATION_REQUEST.call,
                VERIFICATION_CONFIRM.call
            ]
        );
    }
}
