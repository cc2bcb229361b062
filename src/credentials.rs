//! The types that carry secrets, for every API line: [`secret_string!`] declares a string
//! that never prints (`Password`, `AccessToken`, and v2's codes and TOTP secret), and v1's
//! login payload and token response replace the generated `StorePostAuthReq` and
//! `StoreBearerAuthRes` (see `V1`'s `replacements` in `build/checks.rs`) because generated types
//! derive `Debug`, which would print the secret. The wire format is unchanged:
//! `{"email","password"}` and `{"access_token"}`. `SessionCookie` is the session cookie's
//! value.

use std::fmt;

use serde::{Deserialize, Serialize};

pub(crate) const REDACTED: &str = "<redacted>";

/// Declares a string type that carries a secret: `Debug` prints `<redacted>`, it has no
/// `Display`, and [`expose`](Password::expose) is the one way to read it. Serialised as the
/// plain string.
macro_rules! secret_string {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schemars", derive(schemars::JsonSchema), schemars(inline))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// Wraps a value, for example one saved earlier.
            pub fn new(value: impl Into<String>) -> Self {
                Self(value.into())
            }

            /// The secret itself, to pass it on, store it or show it to its owner.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::credentials::REDACTED)
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                Self(value)
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                Self(value.to_string())
            }
        }

        impl From<&String> for $name {
            fn from(value: &String) -> Self {
                Self(value.clone())
            }
        }
    };
}
pub(crate) use secret_string;

secret_string! {
    /// A customer's password. Prints as `<redacted>` in `Debug` and has no `Display`.
    Password
}

secret_string! {
    /// A customer's JWT: v1's from `get_token` (valid 30 days), v2's from `login`, `register`,
    /// `refresh` or an MFA challenge (valid 24 hours by default), or a v2 password-reset
    /// token. Medusa never revokes one. Prints as `<redacted>` in `Debug` and has no
    /// `Display`.
    AccessToken
}

/// The body of `authenticate` and `get_token`: a customer's email and password.
///
/// Serialises as `{"email": …, "password": …}`; `Debug` shows the email and hides the password.
///
/// ```
/// use medusa_store_auth::v1::types::StorePostAuthReq;
///
/// let login = StorePostAuthReq::new("alice@example.com", "S3cret-pass!");
/// assert_eq!(format!("{login:?}"), r#"StorePostAuthReq { email: "alice@example.com", password: <redacted> }"#);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StorePostAuthReq {
    /// The Customer's email.
    pub email: String,
    /// The Customer's password.
    pub password: Password,
}

impl StorePostAuthReq {
    /// A payload from an email and a password.
    pub fn new(email: impl Into<String>, password: impl Into<Password>) -> Self {
        Self {
            email: email.into(),
            password: password.into(),
        }
    }
}

/// The answer of `POST /store/auth/token`: the customer's JWT.
///
/// `Debug` hides the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schemars", derive(schemars::JsonSchema))]
pub struct StoreBearerAuthRes {
    /// Access token that can be used to send authenticated requests.
    pub access_token: AccessToken,
}

/// The value of Medusa's session cookie (`connect.sid` by default), as set by v1's
/// `authenticate` or v2's `create_session`, for example to keep it in your own session
/// store and restore it later with `set_session_cookie`. Prints as `<redacted>` in `Debug`
/// and has no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionCookie(String);

impl SessionCookie {
    /// Wraps a cookie value (the part after `connect.sid=`).
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The cookie value itself, e.g. to set it in a browser.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for SessionCookie {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}
