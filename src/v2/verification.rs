//! Identity verification (`sdk.auth.verification.*`, Medusa 2.16.0+): [`Verification`],
//! reached through [`AuthClient::verification`].
//!
//! | method | request | returns |
//! |---|---|---|
//! | [`request`](Verification::request) | `POST /auth/verification/request` | [`AuthVerificationRequestResponse`] (201; the code goes to the `auth.verification_requested` event) |
//! | [`confirm`](Verification::confirm) | `POST /auth/verification/confirm` | [`AuthVerificationConfirmResponse`] |

use super::client::AuthClient;
use super::operations::{VERIFICATION_CONFIRM, VERIFICATION_REQUEST};
use super::types::{
    AuthVerificationConfirmReq, AuthVerificationConfirmResponse, AuthVerificationRequestReq,
    AuthVerificationRequestResponse, OneTimeCode,
};
use crate::runtime::Call;

/// Verification calls (`sdk.auth.verification.*`), on the session of the client that made
/// it ([`AuthClient::verification`]).
///
/// A store that requires verified emails answers every login of an unverified identity with
/// [`Login::VerificationRequired`](super::types::Login::VerificationRequired). The client
/// keeps that pending token ([`AuthClient::pending`]); then:
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v2::AuthClient, code_from_email: String) -> Result<(), medusa_store_auth::Error> {
/// use medusa_store_auth::v2::types::{AuthVerificationRequestReq, Login};
///
/// // 1. The server sends a code to its `auth.verification_requested` event; the store's
/// //    subscriber emails it.
/// client.verification().request(&AuthVerificationRequestReq::email("alice@example.com")).await?;
/// // 2. The customer types it in.
/// client.verification().confirm(code_from_email).await?;
/// // 3. The pending token does not change by itself: refresh it.
/// match client.refresh().await? {
///     Login::Authenticated { .. } => println!("signed in"),
///     Login::MfaRequired { challenge, .. } => println!("now the second factor: {}", challenge.id),
///     other => println!("{other:?}"),
/// }
/// # Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Verification<'a> {
    client: &'a AuthClient,
}

impl AuthClient {
    /// The verification calls (`sdk.auth.verification`), on this client's session.
    pub fn verification(&self) -> Verification<'_> {
        Verification { client: self }
    }
}

impl Verification<'_> {
    /// Asks for a verification code (`POST /auth/verification/request`), which the server
    /// hands only to its `auth.verification_requested` event (a subscriber delivers it); a
    /// code requested earlier stops working. Needs a token, a pending one included. An
    /// entity verified already answers 201 with the record and no new code.
    pub fn request(
        &self,
        request: &AuthVerificationRequestReq,
    ) -> Call<AuthVerificationRequestResponse> {
        self.client
            .call_auth_route(VERIFICATION_REQUEST, request.clone(), |raw, request| {
                Box::pin(raw.post_auth_verification_request(request))
            })
    }

    /// Confirms a verification with the code from the event
    /// (`POST /auth/verification/confirm`); it needs no token. The client's pending token
    /// stays what it was: call [`refresh`](AuthClient::refresh) next, which answers a token
    /// that acts as the customer (or an MFA challenge).
    ///
    /// - Errors ([`Error::auth_failure`](crate::Error::auth_failure)):
    ///   [`InvalidCode`](crate::AuthFailure::InvalidCode) for a wrong, superseded or used
    ///   code; [`CodeExpired`](crate::AuthFailure::CodeExpired) (15 minutes by default:
    ///   request a new one).
    pub fn confirm(&self, code: impl Into<OneTimeCode>) -> Call<AuthVerificationConfirmResponse> {
        let body = AuthVerificationConfirmReq {
            code: code.into(),
            code_provider: None,
        };
        self.client
            .call_auth_route(VERIFICATION_CONFIRM, body, |raw, body| {
                Box::pin(raw.post_auth_verification_confirm(body))
            })
    }
}

impl AuthVerificationRequestReq {
    /// Verifies the email an `emailpass` identity logs in with (entity type `email`, as in
    /// the server's `authVerificationsPerActor`).
    pub fn email(email: impl Into<String>) -> Self {
        Self {
            entity_id: email.into(),
            entity_type: "email".to_string(),
            code_provider: None,
            metadata: Default::default(),
        }
    }
}
