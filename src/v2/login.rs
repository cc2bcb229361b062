//! [`Login`]: what a login, a third-party callback or a refresh came to. It replaces the
//! generated `AuthLoginResponse` (see `V2.replacements` in `build/checks.rs`), and names the
//! generated challenge and verification types, so it sits beside the generated code rather
//! than below it.

use serde::{Deserialize, Serialize};

use super::generated::types::{AuthMfaChallenge, AuthVerification};
use crate::credentials::AccessToken;
use crate::runtime::Pending;

/// What a login (or a third-party callback) came to. Each answer the server gives has its
/// own variant, so neither a required second factor nor a pending verification can be
/// mistaken for a plain login. `Debug` hides the token.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "LoginBody", into = "LoginBody")]
#[non_exhaustive]
pub enum Login {
    /// Logged in: the token acts as the customer. Its `actor_id` is empty when the identity
    /// has no customer yet (a registration that was not finished); create the customer,
    /// then `refresh`.
    Authenticated {
        /// The JWT.
        token: AccessToken,
    },
    /// The identity has an enabled second factor: answer the challenge with
    /// [`mfa().verify_challenge`](crate::v2::Mfa::verify_challenge) before
    /// [`expires_at`](AuthMfaChallenge::expires_at). The token is MFA-pending: good for the
    /// challenge, `create_session`, `refresh` (a new challenge) and
    /// `verification().request`, refused (401) everywhere else.
    MfaRequired {
        /// The JWT of the pending login.
        token: AccessToken,
        /// The challenge to answer.
        challenge: AuthMfaChallenge,
    },
    /// The store requires a verified identity (for example its email): request a code
    /// ([`verification().request`](crate::v2::Verification::request)), confirm it
    /// ([`verification().confirm`](crate::v2::Verification::confirm)), then
    /// [`refresh`](crate::v2::AuthClient::refresh). The token is verification-pending: it
    /// acts as nobody (`/store/*` answers 401).
    VerificationRequired {
        /// The JWT of the pending login.
        token: AccessToken,
        /// The pending verification; `None` until a code was requested for it.
        verification: Option<AuthVerification>,
    },
    /// A third-party provider: send the customer to `location`, then complete the login
    /// with `callback`.
    Redirect {
        /// Where to send the customer.
        location: String,
    },
}

impl Login {
    /// The token, unless the answer is a redirect.
    pub fn token(&self) -> Option<&AccessToken> {
        match self {
            Login::Authenticated { token }
            | Login::MfaRequired { token, .. }
            | Login::VerificationRequired { token, .. } => Some(token),
            Login::Redirect { .. } => None,
        }
    }

    /// Whether the token can act as the customer now (no second factor, no verification,
    /// no redirect pending).
    pub fn is_authenticated(&self) -> bool {
        matches!(self, Login::Authenticated { .. })
    }

    /// What the sign-in still needs, if the answer carries a token that cannot act yet.
    pub fn pending(&self) -> Option<Pending> {
        match self {
            Login::MfaRequired { .. } => Some(Pending::SecondFactor),
            Login::VerificationRequired { .. } => Some(Pending::Verification),
            Login::Authenticated { .. } | Login::Redirect { .. } => None,
        }
    }

    /// The challenge to answer, for [`Login::MfaRequired`].
    pub fn mfa_challenge(&self) -> Option<&AuthMfaChallenge> {
        match self {
            Login::MfaRequired { challenge, .. } => Some(challenge),
            _ => None,
        }
    }

    /// The token with what it still needs: what the client keeps.
    pub(crate) fn held_token(&self) -> Option<(AccessToken, Option<Pending>)> {
        Some((self.token()?.clone(), self.pending()))
    }
}

/// The login answer as the document describes it: one object whose fields say which case it is.
#[derive(Default, Serialize, Deserialize)]
struct LoginBody {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    token: Option<AccessToken>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    location: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mfa_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    mfa_challenge: Option<AuthMfaChallenge>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification: Option<AuthVerification>,
}

impl TryFrom<LoginBody> for Login {
    type Error = &'static str;

    fn try_from(body: LoginBody) -> Result<Self, Self::Error> {
        // The flags first: a token that comes with one must not read as a plain login.
        match body {
            LoginBody {
                mfa_required: Some(true),
                token: Some(token),
                mfa_challenge: Some(challenge),
                ..
            } => Ok(Login::MfaRequired { token, challenge }),
            LoginBody {
                mfa_required: Some(true),
                ..
            } => Err("`mfa_required` without a `token` and an `mfa_challenge`"),
            LoginBody {
                verification_required: Some(true),
                token: Some(token),
                verification,
                ..
            } => Ok(Login::VerificationRequired {
                token,
                verification,
            }),
            LoginBody {
                verification_required: Some(true),
                ..
            } => Err("`verification_required` without a `token`"),
            LoginBody {
                token: Some(token), ..
            } => Ok(Login::Authenticated { token }),
            LoginBody {
                location: Some(location),
                ..
            } => Ok(Login::Redirect { location }),
            _ => Err("neither a `token` nor a `location`"),
        }
    }
}

impl From<Login> for LoginBody {
    fn from(login: Login) -> Self {
        match login {
            Login::Authenticated { token } => LoginBody {
                token: Some(token),
                ..LoginBody::default()
            },
            Login::MfaRequired { token, challenge } => LoginBody {
                token: Some(token),
                mfa_required: Some(true),
                mfa_challenge: Some(challenge),
                ..LoginBody::default()
            },
            Login::VerificationRequired {
                token,
                verification,
            } => LoginBody {
                token: Some(token),
                verification_required: Some(true),
                verification,
                ..LoginBody::default()
            },
            Login::Redirect { location } => LoginBody {
                location: Some(location),
                ..LoginBody::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHALLENGE: &str = r#"{"id":"authmfachal_1","auth_identity_id":"authid_1","auth_provider":"emailpass","methods":["totp"],"expires_at":"2026-12-02T16:53:57.930Z","attempts":0,"max_attempts":5,"completed_at":null,"metadata":null,"added_later":1}"#;

    fn decode(body: &str) -> Result<Login, serde_json::Error> {
        serde_json::from_str(body)
    }

    #[test]
    fn every_login_answer_keeps_what_it_says() {
        let plain = decode(r#"{"token":"t"}"#).unwrap();
        assert!(plain.is_authenticated());
        assert_eq!(plain.pending(), None);
        let mfa = decode(&format!(
            r#"{{"token":"t","mfa_required":true,"mfa_challenge":{CHALLENGE}}}"#
        ))
        .unwrap();
        let challenge = mfa.mfa_challenge().unwrap();
        assert_eq!(
            (challenge.id.as_str(), challenge.max_attempts),
            ("authmfachal_1", 5)
        );
        assert_eq!(challenge.methods, ["totp"]);
        assert_eq!(mfa.pending(), Some(Pending::SecondFactor));
        assert!(!mfa.is_authenticated());
        let verify = decode(r#"{"token":"t","verification_required":true}"#).unwrap();
        assert!(matches!(
            verify,
            Login::VerificationRequired {
                verification: None,
                ..
            }
        ));
        assert_eq!(verify.pending(), Some(Pending::Verification));
        let redirect = decode(r#"{"location":"https://accounts.example/o"}"#).unwrap();
        assert_eq!(redirect.token(), None);
        for broken in [
            r#"{}"#,
            r#"{"mfa_required":true}"#,
            r#"{"token":"t","mfa_required":true}"#,
            r#"{"token":5}"#,
        ] {
            assert!(decode(broken).is_err(), "{broken}");
        }
    }

    #[test]
    fn the_wire_form_goes_back_unchanged() {
        for body in [
            r#"{"token":"t"}"#,
            r#"{"token":"t","verification_required":true}"#,
            r#"{"location":"https://accounts.example/o"}"#,
        ] {
            let login = decode(body).unwrap();
            assert_eq!(serde_json::to_string(&login).unwrap(), body);
        }
    }

    #[test]
    fn debug_hides_the_token() {
        let login = decode(r#"{"token":"secret-jwt"}"#).unwrap();
        assert!(!format!("{login:?}").contains("secret-jwt"));
    }
}
