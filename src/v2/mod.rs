//! Medusa 2.x (2.10.0 to 2.21.x): customer auth through the auth module, and the store
//! customer.
//!
//! A different API from v1's, not a new version of it: a login answers a token
//! (`POST /auth/customer/{provider}`), a cookie session is made from a token
//! (`POST /auth/session`), the customer is read at `GET /store/customers/me`, and every
//! `/store/*` call needs a publishable API key. [`AuthClient`] has the calls, named after
//! `@medusajs/js-sdk`'s; [`types`] has the request and response types, generated from
//! `openapi/store-auth-v2.yaml` and documented from it.
//!
//! ```no_run
//! # async fn demo() -> Result<(), medusa_store_auth::Error> {
//! use medusa_store_auth::v2::{types::AuthPayload, AuthClient, EMAILPASS};
//! use medusa_store_auth::Config;
//!
//! let client = AuthClient::new(
//!     Config::new()
//!         .with_base_url("http://localhost:9000")
//!         .with_publishable_api_key("pk_..."),
//! )?;
//! let login = client.login(EMAILPASS, &AuthPayload::email_password("alice@example.com", "S3cret-pass!")).await?;
//! assert!(login.is_authenticated()); // the client now sends the token
//! let me = client.retrieve_customer().await?;
//! println!("{:?}", me.customer.email);
//! # Ok(()) }
//! ```
//!
//! # Moving from v1
//!
//! | v1 ([`crate::v1::AuthClient`]) | v2 ([`AuthClient`]) | what changes |
//! |---|---|---|
//! | `authenticate` (`POST /store/auth`: cookie + customer) | [`login`](AuthClient::login) (a token), then [`retrieve_customer`](AuthClient::retrieve_customer); for a cookie instead of the token, [`create_session`](AuthClient::create_session) after `login` | two calls instead of one; in production the server sets the cookie only over HTTPS (or behind `X-Forwarded-Proto: https`) |
//! | `get_session` (`GET /store/auth`) | [`retrieve_customer`](AuthClient::retrieve_customer) (`GET /store/customers/me`) | needs the publishable key; the customer has `addresses` and `has_account`, no `orders` |
//! | `delete_session` (`DELETE /store/auth`) | [`logout`](AuthClient::logout) (`DELETE /auth/session`) | ends a cookie session; a token-only client has none ([`Logout::NoSession`]); tokens are never revoked |
//! | `exists` (`GET /store/auth/{email}`) | none | no v2 route tells whether an email is registered without a side effect: login answers the same for an unknown email and a wrong password, reset-password answers 201 for both, and register *creates* an identity for an unknown email |
//! | `get_token` (`POST /store/auth/token`, 30 days) | [`login`](AuthClient::login) (24 hours), renewed with [`refresh`](AuthClient::refresh) | the field is `token`, not `access_token` |
//! | none | [`sign_up`](AuthClient::sign_up), or [`register`](AuthClient::register), [`create_customer`](AuthClient::create_customer) and [`refresh`](AuthClient::refresh) | registration takes three calls; `sign_up` makes them in turn |
//! | none | [`reset_password`](AuthClient::reset_password), [`update_provider`](AuthClient::update_provider) | the reset token reaches only the `auth.password_reset` event (a subscriber emails it) |
//! | none | [`list_providers`](AuthClient::list_providers), [`callback`](AuthClient::callback) | third-party login: [`Login::Redirect`](types::Login::Redirect), then `callback` |
//! | none | [`mfa`](AuthClient::mfa), [`verification`](AuthClient::verification), [`pending`](AuthClient::pending) | a second factor (Medusa 2.15.3+) and email verification (2.16.0+), when the store turns them on |
//!
//! # Supported releases
//!
//! Medusa **2.10.0 to 2.21.x**; CI runs the end-to-end suite against 2.21.2 and 2.10.3. Every
//! call behaves as on 2.21.2 from 2.19.0 on; before that:
//!
//! | call | 2.10.0 – 2.15.2 | 2.15.3 – 2.18.x | 2.19.0 – 2.21.x |
//! |---|---|---|---|
//! | `register`, `login`, `callback`, `create_customer`, `retrieve_customer(_fields)`, `create_session`, `reset_password`, `sign_up` | as on 2.21 | as on 2.21 | as on 2.21 |
//! | `refresh` | by token; by a cookie session alone: 401 (keep the token: read `token()` before `create_session`, `set_token` it to refresh) | by cookie too from 2.16.0 | by token or cookie |
//! | `logout` | ends the session; the server does not clear the cookie (the client forgets it anyway) | clears it from 2.16.0 | as on 2.21 |
//! | `update_provider` | as on 2.21, but the server takes a reset token more than once | single use from 2.16.0 | single use |
//! | `list_providers` | [`Error::MissingRoute`](crate::Error::MissingRoute) (the server answers 401 for a provider named `providers`) | [`Error::MissingRoute`](crate::Error::MissingRoute) | the providers |
//! | `mfa()` | [`Error::MissingRoute`](crate::Error::MissingRoute) | the calls (2.15.3+) | the calls |
//! | `verification()` | [`Error::MissingRoute`](crate::Error::MissingRoute) | [`Error::MissingRoute`](crate::Error::MissingRoute) before 2.16.0, then the calls | the calls |
//!
//! Before 2.10 the server reads the reset token only from the query string (up to 2.5.x) and
//! sets a session cookie on every answer (up to 2.6.x); the crate does not support those.
//!
//! # Finishing a sign-in
//!
//! A store may turn on multi-factor auth (an MFA encryption key; each customer then opts in
//! by enrolling a TOTP factor) and require verified emails. [`login`](AuthClient::login),
//! [`callback`](AuthClient::callback) and [`refresh`](AuthClient::refresh) then answer
//! [`Login::MfaRequired`](types::Login::MfaRequired) or
//! [`Login::VerificationRequired`](types::Login::VerificationRequired) with a **pending**
//! token. The client keeps it (the next step needs it) and [`AuthClient::pending`] says what
//! is left: [`Mfa::verify_challenge`] answers the challenge (the new token replaces the
//! pending one); [`Verification::request`], [`Verification::confirm`], then `refresh`, end a
//! verification. [`Mfa`] and [`Verification`] show both flows.
//!
//! What each token may do (measured on 2.21.2):
//!
//! | token | `/store/*` | factors, recovery codes | `verify_challenge` | `verification()` | `refresh` |
//! |---|---|---|---|---|---|
//! | full (plain login, or after the challenge) | yes | yes | — | yes | a new full token |
//! | MFA-pending | 401 ([`AuthFailure::MfaPending`](crate::AuthFailure::MfaPending)) | 401 (`MfaPending`) | yes | `request`: yes | a **new** challenge |
//! | verification-pending | 401 | yes, unless the identity has an enabled factor | — | yes (`confirm` needs no token) | `VerificationRequired` until confirmed, then full (or `MfaRequired`) |
//! | from before enrolment | yes: MFA is not retroactive | yes (even disabling the factor) | — | yes | full, still without MFA |
//!
//! A cookie session ([`create_session`](AuthClient::create_session)) made from a pending
//! token is pending too; `verify_challenge` makes it again from the new token (the same
//! cookie). One made while verification is pending stays actor-less: finish the sign-in,
//! then `create_session`. A server older than the routes (MFA: 2.15.3, verification:
//! 2.16.0) answers [`Error::MissingRoute`](crate::Error::MissingRoute), naming the call.
//!
//! Emails: v1's `exists` compared them case-insensitively; v2's `emailpass` login matches
//! them exactly (`Alice@…` is not `alice@…`).

// Lowest first; each imports only from the ones above it.
pub(crate) mod operations;
// The hand-written types that carry secrets, which the generated code names.
pub(crate) mod credentials;
// progenitor's output and its hooks.
mod generated;
mod hooks;
// The login answer, which names generated types and replaces a generated one.
pub(crate) mod login;
// The resource: the client, then its calls.
mod auth;
mod client;
mod customer;
mod mfa;
mod verification;

pub use crate::runtime::Pending;
pub use auth::{Logout, Renewal, EMAILPASS};
pub use client::AuthClient;
pub use customer::SignUp;
pub use mfa::{Mfa, RECOVERY_CODE, TOTP};
pub use verification::Verification;

/// What `operations.rs` names its entries with (`super::operation::Operation`).
use crate::operation;
/// The generated client's inner value (see build.rs).
use crate::runtime::AttemptContext;

/// The request and response types, generated from `openapi/store-auth-v2.yaml` and
/// documented from it, plus the hand-written types that replace their generated versions:
/// those that carry secrets ([`AuthPayload`](types::AuthPayload),
/// [`AuthResponse`](types::AuthResponse), [`OneTimeCode`](types::OneTimeCode),
/// [`TotpSecret`](types::TotpSecret), [`OtpauthUrl`](types::OtpauthUrl)), so that `Debug`
/// never prints a password, a token, a code or a TOTP secret, and [`Login`](types::Login),
/// which keeps every answer of a login apart.
pub mod types {
    pub use super::credentials::{AuthPayload, AuthResponse, OneTimeCode, OtpauthUrl, TotpSecret};
    pub use super::generated::types::*;
    pub use super::login::Login;
}
