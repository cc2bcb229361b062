//! The v2 types that carry secrets, written by hand so that `Debug` never prints one: the
//! payload of login, register and update (a password), the token answer, and the strings of
//! multi-factor auth and verification (codes, the TOTP secret and its `otpauth://` URL).
//! They replace the generated `AuthPayload`, `AuthResponse`, `OneTimeCode`, `TotpSecret`
//! and `OtpauthUrl` (see `V2.replacements` in `build/checks.rs`); the wire format is the
//! document's.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::credentials::{secret_string, AccessToken, Password};

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

secret_string! {
    /// A code the customer types or keeps: a TOTP code from an authenticator app, a recovery
    /// code, or a verification code from the `auth.verification_requested` event. Prints as
    /// `<redacted>` in `Debug`; [`expose`](Self::expose) reads it (to show recovery codes
    /// to their owner once).
    OneTimeCode
}

secret_string! {
    /// A TOTP factor's shared secret (Base32), which the server answers once when the factor
    /// starts: to show to the customer for an authenticator app, never to log. Prints as
    /// `<redacted>` in `Debug`.
    TotpSecret
}

secret_string! {
    /// The `otpauth://totp/...` URL of a started TOTP factor, which authenticator apps read
    /// (usually from a QR code). It holds the secret: prints as `<redacted>` in `Debug`.
    OtpauthUrl
}

/// A token answer (`register`, an MFA challenge): `{token}`. `Debug` hides the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthResponse {
    /// The JWT (HS256, valid 24 hours by default), sent as `Authorization: Bearer`.
    pub token: AccessToken,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_passwords_and_codes() {
        let payload = AuthPayload::email_password("a@example.com", "hunter2");
        assert!(!format!("{payload:?}").contains("hunter2"));
        assert_eq!(payload.expose()["password"], "hunter2");
        let code: OneTimeCode = serde_json::from_str(r#""123456""#).unwrap();
        assert_eq!(format!("{code:?}"), "<redacted>");
        assert_eq!(code.expose(), "123456");
        assert_eq!(serde_json::to_string(&code).unwrap(), r#""123456""#);
    }
}
