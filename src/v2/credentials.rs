//! The v2 types that carry secrets, written by hand so that `Debug` never prints one: the
//! payload of login, register and update (a password), the token answer, and the login
//! answer. They replace the generated `AuthPayload`, `AuthResponse` and `AuthLoginResponse`
//! (see `V2.replacements` in `build/checks.rs`); the wire format is the document's.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::credentials::{AccessToken, Password};

/// What an auth provider takes, as JSON: `{email, password}` for `emailpass` to log in or
/// register, `{password}` to update. `Debug` shows the field names only.
///
/// ```
/// use medusa_store_auth::v2::types::AuthPayload;
///
/// let login = AuthPayload::email_password("alice@example.com", "S3cret-pass!");
/// assert_eq!(format!("{login:?}"), r#"AuthPayload { fields: ["email", "password"] }"#);
/// ```
#[derive(Clone, Default, PartialEq, Serialize)]
#[serde(transparent)]
pub struct AuthPayload(Map<String, Value>);

impl AuthPayload {
    /// An empty payload, to fill with [`with`](Self::with) for a third-party provider.
    pub fn new() -> Self {
        Self::default()
    }

    /// `{email, password}`: `emailpass` login and registration.
    pub fn email_password(email: impl Into<String>, password: impl Into<Password>) -> Self {
        Self::new()
            .with("email", email.into())
            .with("password", password.into().expose())
    }

    /// `{password}`: the new password of an `emailpass` update.
    pub fn password(password: impl Into<Password>) -> Self {
        Self::new().with("password", password.into().expose())
    }

    /// Adds (or replaces) a field.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// The fields, secrets included.
    pub fn expose(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl fmt::Debug for AuthPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthPayload")
            .field("fields", &self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A token answer (`register`, `refresh`): `{token}`. `Debug` hides the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// The JWT (HS256, valid 24 hours by default), sent as `Authorization: Bearer`.
    pub token: AccessToken,
}

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
    /// The identity has multi-factor authentication: the token is only good for answering
    /// the challenge.
    MfaRequired {
        /// The JWT of the pending login.
        token: AccessToken,
        /// The challenge, as the server sent it.
        challenge: Map<String, Value>,
    },
    /// The identity must be verified (for example its email) first.
    VerificationRequired {
        /// The JWT of the pending login.
        token: AccessToken,
        /// The verification, as the server sent it.
        verification: Map<String, Value>,
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
    mfa_challenge: Option<Map<String, Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification_required: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    verification: Option<Map<String, Value>>,
}

impl TryFrom<LoginBody> for Login {
    type Error = &'static str;

    fn try_from(body: LoginBody) -> Result<Self, Self::Error> {
        // The flags first: a token that comes with one must not read as a plain login.
        match body {
            LoginBody {
                mfa_required: Some(true),
                token: Some(token),
                mfa_challenge,
                ..
            } => Ok(Login::MfaRequired {
                token,
                challenge: mfa_challenge.unwrap_or_default(),
            }),
            LoginBody {
                mfa_required: Some(true),
                ..
            } => Err("`mfa_required` without a `token`"),
            LoginBody {
                verification_required: Some(true),
                token: Some(token),
                verification,
                ..
            } => Ok(Login::VerificationRequired {
                token,
                verification: verification.unwrap_or_default(),
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
                verification: Some(verification),
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

    fn decode(body: &str) -> Result<Login, serde_json::Error> {
        serde_json::from_str(body)
    }

    #[test]
    fn every_login_answer_keeps_what_it_says() {
        let plain = decode(r#"{"token":"t"}"#).unwrap();
        assert!(plain.is_authenticated());
        let mfa =
            decode(r#"{"token":"t","mfa_required":true,"mfa_challenge":{"id":"c"}}"#).unwrap();
        assert!(matches!(&mfa, Login::MfaRequired { challenge, .. } if challenge["id"] == "c"));
        assert!(!mfa.is_authenticated());
        let verify =
            decode(r#"{"token":"t","verification_required":true,"verification":{}}"#).unwrap();
        assert!(matches!(verify, Login::VerificationRequired { .. }));
        let redirect = decode(r#"{"location":"https://accounts.example/o"}"#).unwrap();
        assert_eq!(redirect.token(), None);
        for broken in [r#"{}"#, r#"{"mfa_required":true}"#, r#"{"token":5}"#] {
            assert!(decode(broken).is_err(), "{broken}");
        }
    }

    #[test]
    fn the_wire_form_goes_back_unchanged() {
        for body in [
            r#"{"token":"t"}"#,
            r#"{"token":"t","mfa_required":true,"mfa_challenge":{"id":"c"}}"#,
            r#"{"location":"https://accounts.example/o"}"#,
        ] {
            let login = decode(body).unwrap();
            assert_eq!(serde_json::to_string(&login).unwrap(), body);
        }
    }

    #[test]
    fn debug_hides_tokens_and_passwords() {
        let login = decode(r#"{"token":"secret-jwt"}"#).unwrap();
        assert!(!format!("{login:?}").contains("secret-jwt"));
        let payload = AuthPayload::email_password("a@example.com", "hunter2");
        assert!(!format!("{payload:?}").contains("hunter2"));
        assert_eq!(payload.expose()["password"], "hunter2");
    }
}
