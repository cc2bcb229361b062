//! Multi-factor auth (`sdk.auth.mfa.*`, Medusa 2.15.3+): [`Mfa`], reached through
//! [`AuthClient::mfa`]. Enrolling (start → verify), the factors, recovery codes, and
//! answering the challenge of an MFA-pending login.
//!
//! | method | request | returns; what the client keeps |
//! |---|---|---|
//! | [`list`](Mfa::list) | `GET /auth/mfa/factors` | [`AuthMfaFactorsResponse`] |
//! | [`start`](Mfa::start) | `POST /auth/mfa/factors` | [`AuthMfaStartResponse`] (the secret, once) |
//! | [`verify`](Mfa::verify) | `POST /auth/mfa/factors/{id}/verify` | [`AuthMfaFactorResponse`] (now `enabled`) |
//! | [`disable`](Mfa::disable) | `DELETE /auth/mfa/factors/{id}` | [`AuthMfaFactorResponse`] (now `disabled`) |
//! | [`generate_recovery_codes`](Mfa::generate_recovery_codes) | `POST /auth/mfa/recovery-codes` | [`AuthMfaRecoveryCodesResponse`] |
//! | [`verify_challenge`](Mfa::verify_challenge) | `POST /auth/mfa/challenges/{id}/verify` | [`AuthResponse`]; the new token replaces the pending one, and a cookie session is upgraded |

use std::num::NonZeroU64;

use super::auth::checked_id;
use super::client::AuthClient;
use super::operations::{
    MFA_DISABLE, MFA_LIST, MFA_RECOVERY_CODES, MFA_START, MFA_VERIFY, MFA_VERIFY_CHALLENGE,
};
use super::types::{
    AuthMfaChallengeVerifyReq, AuthMfaDisableReq, AuthMfaFactor, AuthMfaFactorResponse,
    AuthMfaFactorVerifyReq, AuthMfaFactorsResponse, AuthMfaRecoveryCodesReq,
    AuthMfaRecoveryCodesResponse, AuthMfaStartReq, AuthMfaStartResponse, AuthResponse, OneTimeCode,
};
use crate::error::InvalidInput;
use crate::runtime::{Call, SessionEffect};

/// The TOTP provider (authenticator apps), the one MFA provider Medusa 2.21 has.
pub const TOTP: &str = "totp";
/// The challenge method that takes a recovery code.
pub const RECOVERY_CODE: &str = "recovery_code";

/// Multi-factor auth calls (`sdk.auth.mfa.*`), on the session of the client that made it
/// ([`AuthClient::mfa`]). Every call needs a token (or a cookie session) that is **not**
/// MFA-pending, except [`verify_challenge`](Self::verify_challenge), which needs the pending
/// one.
///
/// Enrolling a customer, who is logged in:
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v2::AuthClient, code_from_app: String) -> Result<(), medusa_store_auth::Error> {
/// use medusa_store_auth::v2::types::AuthMfaStartReq;
///
/// let started = client.mfa().start(&AuthMfaStartReq::totp().with_label("alice@example.com")).await?;
/// // Show the QR code of `otpauth_url` (or the secret) to the customer, once.
/// let url: &str = started.otpauth_url.as_ref().map(|url| url.expose()).unwrap_or_default();
/// # let _ = url;
/// let enabled = client.mfa().verify(&started.mfa_factor.id, code_from_app).await?;
/// assert!(enabled.mfa_factor.is_enabled());
/// let codes = client.mfa().generate_recovery_codes(None).await?.recovery_codes;
/// for code in &codes {
///     println!("{}", code.expose()); // shown to the customer once
/// }
/// # Ok(()) }
/// ```
///
/// Logging in with a second factor:
///
/// ```no_run
/// # async fn demo(client: medusa_store_auth::v2::AuthClient, code_from_app: String) -> Result<(), medusa_store_auth::Error> {
/// use medusa_store_auth::v2::types::{AuthMfaChallengeVerifyReq, AuthPayload, Login};
/// use medusa_store_auth::v2::EMAILPASS;
///
/// let login = client.login(EMAILPASS, &AuthPayload::email_password("alice@example.com", "S3cret-pass!")).await?;
/// if let Login::MfaRequired { challenge, .. } = login {
///     // The client holds the pending token; `client.pending()` says so.
///     client.mfa().verify_challenge(&challenge.id, &AuthMfaChallengeVerifyReq::totp(code_from_app)).await?;
/// }
/// let me = client.retrieve_customer().await?; // the new token acts as the customer
/// # let _ = me; Ok(()) }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Mfa<'a> {
    client: &'a AuthClient,
}

impl AuthClient {
    /// The multi-factor auth calls (`sdk.auth.mfa`), on this client's session.
    pub fn mfa(&self) -> Mfa<'_> {
        Mfa { client: self }
    }
}

impl Mfa<'_> {
    /// The identity's factors, whatever their status (`GET /auth/mfa/factors`).
    ///
    /// - Errors: [`Error::Unauthorized`](crate::Error::Unauthorized) without a token, or
    ///   with an MFA-pending one ([`AuthFailure::MfaPending`](crate::AuthFailure::MfaPending)).
    pub fn list(&self) -> Call<AuthMfaFactorsResponse> {
        self.client
            .call_auth_route(MFA_LIST, (), |raw, ()| Box::pin(raw.get_auth_mfa_factors()))
    }

    /// Starts enrolling a factor (`POST /auth/mfa/factors`): a `pending` factor, and for
    /// TOTP the secret and `otpauth://` URL for the customer's authenticator app, answered
    /// this once. Then [`verify`](Self::verify) it with a code from the app.
    ///
    /// - Errors ([`Error::auth_failure`](crate::Error::auth_failure)):
    ///   [`FactorExists`](crate::AuthFailure::FactorExists) while a TOTP factor is pending
    ///   or enabled (disable it first);
    ///   [`MfaNotConfigured`](crate::AuthFailure::MfaNotConfigured) on a server without an
    ///   MFA key; [`UnknownProvider`](crate::AuthFailure::UnknownProvider).
    pub fn start(&self, request: &AuthMfaStartReq) -> Call<AuthMfaStartResponse> {
        self.client
            .call_auth_route(MFA_START, request.clone(), |raw, request| {
                Box::pin(raw.post_auth_mfa_factors(request))
            })
    }

    /// Enables a started factor with a code from the authenticator app
    /// (`POST /auth/mfa/factors/{id}/verify`); an enabled factor answers unchanged. From
    /// then on every login of the identity answers [`Login::MfaRequired`](super::types::Login::MfaRequired);
    /// tokens issued before keep working.
    ///
    /// - Errors: [`InvalidCode`](crate::AuthFailure::InvalidCode),
    ///   [`FactorNotFound`](crate::AuthFailure::FactorNotFound).
    pub fn verify(
        &self,
        factor_id: &str,
        code: impl Into<OneTimeCode>,
    ) -> Call<AuthMfaFactorResponse> {
        let (id, invalid) = checked_id("factor", factor_id);
        let body = AuthMfaFactorVerifyReq { code: code.into() };
        self.client
            .call_auth_route(MFA_VERIFY, (id, body), |raw, (id, body)| {
                Box::pin(raw.post_auth_mfa_factors_id_verify(id, body))
            })
            .rejecting(invalid)
    }

    /// Disables a factor (`DELETE /auth/mfa/factors/{id}`). Under the server's default
    /// `disable_policy: session` any token that is not MFA-pending may, with
    /// [`AuthMfaDisableReq::default()`]; under `challenge` an enabled factor also needs a
    /// code ([`AuthMfaDisableReq::totp`], [`AuthMfaDisableReq::recovery_code`]). Disabling
    /// twice answers the same.
    ///
    /// - Errors: [`CodeRequired`](crate::AuthFailure::CodeRequired),
    ///   [`InvalidCode`](crate::AuthFailure::InvalidCode),
    ///   [`FactorNotFound`](crate::AuthFailure::FactorNotFound).
    pub fn disable(
        &self,
        factor_id: &str,
        request: &AuthMfaDisableReq,
    ) -> Call<AuthMfaFactorResponse> {
        let (id, invalid) = checked_id("factor", factor_id);
        self.client
            .call_auth_route(MFA_DISABLE, (id, request.clone()), |raw, (id, request)| {
                Box::pin(raw.delete_auth_mfa_factors_id(id, request))
            })
            .rejecting(invalid)
    }

    /// A new set of single-use recovery codes (`POST /auth/mfa/recovery-codes`), replacing
    /// any earlier set: `count` of them (1 to 50), or the server's default (10). Show them
    /// to the customer once; the server keeps only hashes.
    ///
    /// - Errors: [`NoEnabledFactor`](crate::AuthFailure::NoEnabledFactor); 400
    ///   `invalid_data` for a count out of range.
    pub fn generate_recovery_codes(
        &self,
        count: Option<u32>,
    ) -> Call<AuthMfaRecoveryCodesResponse> {
        let count = count.map(|count| NonZeroU64::new(count.into()));
        let invalid = matches!(count, Some(None)).then(|| InvalidInput::Request {
            reason: "a recovery code count of 0".into(),
        });
        let body = AuthMfaRecoveryCodesReq {
            count: count.flatten(),
        };
        self.client
            .call_auth_route(MFA_RECOVERY_CODES, body, |raw, body| {
                Box::pin(raw.post_auth_mfa_recovery_codes(body))
            })
            .rejecting(invalid)
    }

    /// Answers the challenge of an MFA-pending login, refresh or callback
    /// (`POST /auth/mfa/challenges/{id}/verify`) with the client's pending token (or the
    /// session made from it). The answer's token acts as the customer: the client keeps it
    /// in place of the pending one, and [`AuthClient::pending`] is `None` again.
    ///
    /// If the client holds a cookie session (made from the pending token with
    /// [`create_session`](AuthClient::create_session)), that session stays pending on the
    /// server until it is made again from the new token: this call then does it too
    /// (`POST /auth/session`, as js-sdk does), so the same cookie acts as the customer. Its
    /// failure fails this call, with the new token kept; call `create_session` to retry.
    ///
    /// - Errors ([`Error::auth_failure`](crate::Error::auth_failure)):
    ///   [`InvalidCode`](crate::AuthFailure::InvalidCode) (ask again; each failure counts),
    ///   [`TooManyAttempts`](crate::AuthFailure::TooManyAttempts) and
    ///   [`ChallengeNotFound`](crate::AuthFailure::ChallengeNotFound) (expired: log in
    ///   again), [`ChallengeCompleted`](crate::AuthFailure::ChallengeCompleted),
    ///   [`MethodNotAllowed`](crate::AuthFailure::MethodNotAllowed),
    ///   [`MfaNotConfigured`](crate::AuthFailure::MfaNotConfigured).
    pub fn verify_challenge(
        &self,
        challenge_id: &str,
        answer: &AuthMfaChallengeVerifyReq,
    ) -> Call<AuthResponse> {
        let (id, invalid) = checked_id("challenge", challenge_id);
        let client = self.client.clone();
        self.client
            .call_auth_route(
                MFA_VERIFY_CHALLENGE,
                (id, answer.clone()),
                |raw, (id, answer)| Box::pin(raw.post_auth_mfa_challenges_id_verify(id, answer)),
            )
            .rejecting(invalid)
            .with_effect(SessionEffect::KeepToken(|res| {
                Some((res.token.clone(), None))
            }))
            .followed_by(Box::new(move || {
                client.session_cookie()?;
                Some(Box::pin(
                    async move { client.create_session().await.map(drop) },
                ))
            }))
    }
}

impl AuthMfaStartReq {
    /// Starts a TOTP factor, with the server's issuer and the identity's ID as label.
    pub fn totp() -> Self {
        Self {
            provider: TOTP.to_string(),
            label: None,
            issuer: None,
            metadata: None,
        }
    }

    /// The account name the authenticator app shows (for example the email).
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// The issuer the authenticator app shows (for example the shop's name).
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }
}

impl AuthMfaChallengeVerifyReq {
    /// Answers with a TOTP code from the authenticator app.
    pub fn totp(code: impl Into<OneTimeCode>) -> Self {
        Self {
            method: TOTP.to_string(),
            code: code.into(),
        }
    }

    /// Answers with a recovery code (each works once); the challenge must list
    /// `recovery_code` in its `methods`.
    pub fn recovery_code(code: impl Into<OneTimeCode>) -> Self {
        Self {
            method: RECOVERY_CODE.to_string(),
            code: code.into(),
        }
    }
}

impl AuthMfaDisableReq {
    /// Proves the factor with a TOTP code (servers with `disable_policy: challenge`).
    pub fn totp(code: impl Into<OneTimeCode>) -> Self {
        Self {
            method: Some(TOTP.to_string()),
            code: Some(code.into()),
        }
    }

    /// Proves the factor with a recovery code (servers with `disable_policy: challenge`).
    pub fn recovery_code(code: impl Into<OneTimeCode>) -> Self {
        Self {
            method: Some(RECOVERY_CODE.to_string()),
            code: Some(code.into()),
        }
    }
}

impl AuthMfaFactor {
    /// Whether the factor is `enabled`: logins of the identity are challenged.
    pub fn is_enabled(&self) -> bool {
        self.status == "enabled"
    }

    /// Whether the factor is `pending`: started, not verified yet.
    pub fn is_pending(&self) -> bool {
        self.status == "pending"
    }
}
