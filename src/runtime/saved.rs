//! [`SavedSession`]: what one visitor's session is (Medusa's session cookie, the token, what
//! a sign-in still needs), in a form a storefront keeps in the visitor's browser between
//! requests (its own `HttpOnly` cookie) and restores on the shared client.
//!
//! The encoding is `ms1.` or `ms2.` (the Medusa line) and the base64url of a small JSON
//! object. A value from a browser is hostile input: [`SavedSession::decode`] bounds its
//! size, refuses anything malformed or unknown with a typed error that never quotes it, and
//! the restore checks the cookie and token as header values.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::session::Pending;
use crate::credentials::{AccessToken, SessionCookie};
use crate::error::InvalidInput;

/// The longest encoded session [`SavedSession::decode`] reads: what fits in one browser
/// cookie (4 KiB, name and attributes included).
pub const MAX_SAVED_SESSION_BYTES: usize = 3800;

/// Which Medusa line a session belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Line {
    V1,
    V2,
}

impl Line {
    fn prefix(self) -> &'static str {
        match self {
            Line::V1 => "ms1.",
            Line::V2 => "ms2.",
        }
    }
}

/// One visitor's session, saved: Medusa's session cookie, the bearer token and what the
/// sign-in still needs (v2), and when the token expires, where known. Made by
/// `saved_session()` on a client ([v1](crate::v1::AuthClient::saved_session),
/// [v2](crate::v2::AuthClient::saved_session)), restored by `restore_session()`.
///
/// [`encode`](Self::encode) it into the storefront's own `HttpOnly` cookie, and
/// [`decode`](Self::decode) what the browser sends back. Compare it with `==` to tell
/// whether a request changed it (and so whether the browser's cookie needs sending again).
/// `Debug` shows what it holds, never the values.
///
/// ```
/// use medusa_store_auth::{AccessToken, SavedSession};
/// # fn demo(client: medusa_store_auth::v2::AuthClient) -> Result<(), medusa_store_auth::Error> {
/// let saved = client.saved_session();
/// let for_the_browser: String = saved.encode(); // cookie-safe: base64url
/// let back = SavedSession::decode(&for_the_browser)?;
/// assert_eq!(back, saved);
/// # Ok(()) }
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SavedSession {
    pub(crate) line: Line,
    pub(crate) cookie: Option<SessionCookie>,
    pub(crate) token: Option<AccessToken>,
    pub(crate) pending: Option<Pending>,
    /// The token's `exp`, in seconds since the epoch.
    pub(crate) expires_at: Option<u64>,
}

/// The encoded form: short names, every field optional, nothing else accepted.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Wire {
    #[serde(rename = "c", default, skip_serializing_if = "Option::is_none")]
    cookie: Option<String>,
    #[serde(rename = "t", default, skip_serializing_if = "Option::is_none")]
    token: Option<String>,
    #[serde(rename = "p", default, skip_serializing_if = "Option::is_none")]
    pending: Option<String>,
    #[serde(rename = "e", default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
}

impl SavedSession {
    pub(crate) fn new(
        line: Line,
        cookie: Option<SessionCookie>,
        token: Option<AccessToken>,
        pending: Option<Pending>,
    ) -> Self {
        let expires_at = token.as_ref().and_then(token_expiry);
        Self {
            line,
            cookie,
            token,
            pending,
            expires_at,
        }
    }

    /// Whether there is nothing to keep (a visitor who is not logged in, or logged out):
    /// the storefront can clear its cookie.
    pub fn is_empty(&self) -> bool {
        self.cookie.is_none() && self.token.is_none()
    }

    /// When the token expires (its `exp` claim), where there is a token that says.
    pub fn expires_at(&self) -> Option<SystemTime> {
        self.expires_at
            .map(|secs| UNIX_EPOCH + Duration::from_secs(secs))
    }

    /// What the sign-in still needs (Medusa v2), as the client said when it was saved.
    pub fn pending(&self) -> Option<Pending> {
        self.pending
    }

    /// The session as a cookie-safe string (`ms1.` or `ms2.` and base64url), to keep in the
    /// storefront's own `HttpOnly` (and, behind HTTPS, `Secure`) cookie. It holds the
    /// credentials themselves: never log it.
    pub fn encode(&self) -> String {
        let wire = Wire {
            cookie: self.cookie.as_ref().map(|c| c.expose().to_string()),
            token: self.token.as_ref().map(|t| t.expose().to_string()),
            pending: self.pending.map(|p| pending_name(p).to_string()),
            expires_at: self.expires_at,
        };
        let json = serde_json::to_vec(&wire).expect("plain strings and numbers serialise");
        format!("{}{}", self.line.prefix(), URL_SAFE_NO_PAD.encode(json))
    }

    /// Reads a session [`encode`](Self::encode) made, as a browser sent it back. Anything
    /// else (too long, another format, tampered) is [`InvalidInput::SavedSession`], whose
    /// message never quotes the input; treat the visitor as logged out.
    pub fn decode(text: &str) -> Result<Self, InvalidInput> {
        let invalid = |reason| InvalidInput::SavedSession { reason };
        if text.len() > MAX_SAVED_SESSION_BYTES {
            return Err(invalid("it is longer than a cookie can be"));
        }
        let (line, payload) = [Line::V1, Line::V2]
            .into_iter()
            .find_map(|line| Some((line, text.strip_prefix(line.prefix())?)))
            .ok_or(invalid(
                "it is not a saved session (no `ms1.` or `ms2.` prefix)",
            ))?;
        let json = URL_SAFE_NO_PAD
            .decode(payload)
            .map_err(|_| invalid("it is not base64url"))?;
        let wire: Wire = serde_json::from_slice(&json)
            .map_err(|_| invalid("it is not a saved session's JSON"))?;
        let pending = match wire.pending.as_deref() {
            None => None,
            Some("mfa") => Some(Pending::SecondFactor),
            Some("verification") => Some(Pending::Verification),
            Some(_) => return Err(invalid("it names an unknown pending step")),
        };
        let header_safe = |value: &str| {
            !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic() && b != b';')
        };
        if wire.cookie.as_deref().is_some_and(|c| !header_safe(c))
            || wire.token.as_deref().is_some_and(|t| !header_safe(t))
        {
            return Err(invalid("its cookie or token cannot be sent in a header"));
        }
        Ok(Self {
            line,
            cookie: wire.cookie.map(SessionCookie::new),
            token: wire.token.map(AccessToken::new),
            pending,
            expires_at: wire.expires_at,
        })
    }
}

fn pending_name(pending: Pending) -> &'static str {
    match pending {
        Pending::SecondFactor => "mfa",
        Pending::Verification => "verification",
    }
}

/// The `exp` claim of a JWT, if the token is one; its signature is the server's business.
fn token_expiry(token: &AccessToken) -> Option<u64> {
    let claims = token.expose().split('.').nth(1)?;
    let claims = URL_SAFE_NO_PAD.decode(claims).ok()?;
    #[derive(Deserialize)]
    struct Expiry {
        exp: u64,
    }
    serde_json::from_slice::<Expiry>(&claims)
        .ok()
        .map(|c| c.exp)
}

impl fmt::Debug for SavedSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SavedSession")
            .field("line", &self.line)
            .field("has_cookie", &self.cookie.is_some())
            .field("has_token", &self.token.is_some())
            .field("pending", &self.pending)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> SavedSession {
        // A JWT whose claims are {"exp":1800000000}.
        let token = format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"actor_id":"cus_1","exp":1800000000}"#)
        );
        SavedSession::new(
            Line::V2,
            Some(SessionCookie::new("s%3Aabc.def")),
            Some(AccessToken::new(token)),
            Some(Pending::SecondFactor),
        )
    }

    #[test]
    fn what_is_encoded_decodes_to_the_same_session() {
        let saved = saved();
        assert_eq!(saved.expires_at, Some(1_800_000_000));
        let text = saved.encode();
        assert!(text.starts_with("ms2."));
        assert!(text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)));
        assert_eq!(SavedSession::decode(&text).unwrap(), saved);
        let empty = SavedSession::new(Line::V1, None, None, None);
        assert!(empty.is_empty());
        assert_eq!(SavedSession::decode(&empty.encode()).unwrap(), empty);
    }

    #[test]
    fn hostile_values_are_typed_errors_that_never_quote_them() {
        let long = format!("ms2.{}", "A".repeat(MAX_SAVED_SESSION_BYTES));
        let bad_json = format!(
            "ms2.{}",
            URL_SAFE_NO_PAD.encode(b"{\"x\":1,\"secret-ish\":2}")
        );
        let bad_cookie = format!(
            "ms1.{}",
            URL_SAFE_NO_PAD.encode(br#"{"c":"a;b\r\nSet-Cookie: x"}"#)
        );
        let bad_step = format!("ms2.{}", URL_SAFE_NO_PAD.encode(br#"{"p":"sms"}"#));
        for hostile in [
            "",
            "secret-ish",
            "ms3.e30",
            "ms2.!!!",
            long.as_str(),
            bad_json.as_str(),
            bad_cookie.as_str(),
            bad_step.as_str(),
        ] {
            let err = SavedSession::decode(hostile).unwrap_err();
            assert!(matches!(err, InvalidInput::SavedSession { .. }));
            let said = format!("{err} {err:?}");
            assert!(
                !said.contains("secret-ish") && !said.contains("Set-Cookie"),
                "{said}"
            );
        }
    }

    #[test]
    fn debug_shows_what_it_holds_never_the_values() {
        let printed = format!("{:?}", saved());
        assert!(
            !printed.contains("s%3Aabc") && !printed.contains("eyJ"),
            "{printed}"
        );
        assert!(printed.contains("has_token: true"));
    }
}
