//! The session of one client: the cookies its server sets (Medusa's session cookie among
//! them) and the bearer token. Nothing here is process-global, unlike medusa-js's
//! `JwtTokenManager`.
//!
//! `cookie_store` parses, stores, expires and matches the cookies (RFC 6265); this module
//! only decides what may enter the jar: a call that brings its own `Cookie` or
//! `Authorization` acts for someone else (a visitor's forwarded session) and never changes
//! this one (see [`Session::absorb`]'s callers), and the jar is bounded as browsers bound
//! theirs, so a server cannot make every later request carry megabytes of `Cookie`.

use std::sync::{Mutex, MutexGuard, PoisonError, RwLock};
use std::time::SystemTime;

use cookie_store::{CookieExpiration, CookieStore, RawCookie};
use reqwest::header::{HeaderMap, HeaderValue, SET_COOKIE};
use reqwest::Url;

use crate::credentials::{AccessToken, SessionCookie};
use crate::error::InvalidInput;

/// Medusa's default session cookie name (`projectConfig.session_options.name`).
pub const DEFAULT_SESSION_COOKIE_NAME: &str = "connect.sid";

/// The longest `Set-Cookie` kept, name, value and attributes together (RFC 6265 §6.1's
/// minimum, what browsers keep).
const MAX_COOKIE_BYTES: usize = 4096;
/// The most cookies kept for the client's server (browsers keep 50 to 180 per domain).
const MAX_COOKIES: usize = 50;

/// What a sign-in still needs before the client's token, or a cookie session made from
/// it, can act as the customer (Medusa v2). The client keeps a pending token: it is the one
/// that answers the challenge or asks for the verification code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Pending {
    /// An MFA challenge is to be answered (`mfa().verify_challenge`).
    SecondFactor,
    /// The identity is to be verified (`verification().request`, `.confirm`, then
    /// `refresh`).
    Verification,
}

pub(crate) struct Session {
    jar: Mutex<Jar>,
    credentials: RwLock<Credentials>,
}

/// The token, and what the answer that issued it said it still needs.
#[derive(Default)]
struct Credentials {
    token: Option<AccessToken>,
    pending: Option<Pending>,
}

#[derive(Default)]
struct Jar {
    cookies: CookieStore,
    /// A cookie put back from a saved session ([`Session::set_cookie`]), sent to every path
    /// of the client's server until the server sets one of its name. Kept apart from
    /// `cookies`, whose maps would cost each restored visitor about 2 KiB and 15 allocations
    /// (BENCHMARKS.md).
    restored: Option<Restored>,
    /// The `Cookie` header last built, reused until the jar changes or a cookie in it
    /// expires: a client sends the same one on nearly every request, and matching the jar
    /// anew each time costs more than the rest of the crate's work on a call (BENCHMARKS.md).
    last_header: Option<LastHeader>,
}

/// A restored cookie, as the `name=value` pair the `Cookie` header carries.
struct Restored {
    pair: HeaderValue,
    name_len: usize,
}

impl Restored {
    fn name(&self) -> &[u8] {
        &self.pair.as_bytes()[..self.name_len]
    }

    /// `name=value`.
    fn pair_text(&self) -> &str {
        // Checked as visible ASCII when it was made.
        self.pair.to_str().unwrap_or_default()
    }

    fn value(&self) -> &str {
        self.pair_text()
            .get(self.name_len + 1..)
            .unwrap_or_default()
    }
}

struct LastHeader {
    path: String,
    value: Option<HeaderValue>,
    /// When the first of its cookies expires.
    valid_until: Option<SystemTime>,
}

impl Session {
    pub(crate) fn new() -> Self {
        Self {
            jar: Mutex::default(),
            credentials: RwLock::default(),
        }
    }

    fn jar(&self) -> MutexGuard<'_, Jar> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Cookie` header for a request to `url`, if the jar holds cookies for it.
    pub(crate) fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let mut jar = self.jar();
        let now = SystemTime::now();
        if let Some(last) = &jar.last_header {
            if last.path == url.path() && last.valid_until.is_none_or(|t| now < t) {
                return last.value.clone();
            }
        }
        let cookies = jar.cookies.matches(url);
        let valid_until = cookies
            .iter()
            .filter_map(|c| match c.expires {
                CookieExpiration::AtUtc(at) => Some(SystemTime::from(at)),
                CookieExpiration::SessionEnd => None,
            })
            .min();
        let value = match (&jar.restored, cookies.is_empty()) {
            (None, true) => None,
            (Some(restored), true) => Some(restored.pair.clone()),
            (restored, false) => {
                let pairs: Vec<String> = (cookies.iter())
                    .map(|c| format!("{}={}", c.name(), c.value()))
                    .chain(restored.iter().map(|r| r.pair_text().to_string()))
                    .collect();
                HeaderValue::try_from(pairs.join("; ")).ok().map(|mut v| {
                    v.set_sensitive(true);
                    v
                })
            }
        };
        jar.last_header = Some(LastHeader {
            path: url.path().to_string(),
            value: value.clone(),
            valid_until,
        });
        value
    }

    /// Keeps the cookies a response from `url` sets, within the bounds above.
    pub(crate) fn absorb(&self, headers: &HeaderMap, url: &Url) {
        let mut set_cookies = headers.get_all(SET_COOKIE).iter().peekable();
        if set_cookies.peek().is_none() {
            return;
        }
        let mut jar = self.jar();
        jar.last_header = None;
        for set_cookie in set_cookies {
            let Ok(text) = set_cookie.to_str() else {
                continue;
            };
            if text.len() > MAX_COOKIE_BYTES {
                continue;
            }
            let Ok(cookie) = RawCookie::parse(text) else {
                continue;
            };
            // The server's cookie of that name, or its deletion, replaces a restored one.
            if (jar.restored.as_ref()).is_some_and(|r| r.name() == cookie.name().as_bytes()) {
                jar.restored = None;
            }
            let full = jar.cookies.iter_unexpired().count() >= MAX_COOKIES;
            if full
                && !jar
                    .cookies
                    .matches(url)
                    .iter()
                    .any(|c| c.name() == cookie.name())
            {
                continue;
            }
            let _ = jar.cookies.insert_raw(&cookie, url);
        }
    }

    /// The value of cookie `name` for `url`.
    pub(crate) fn cookie(&self, name: &str, url: &Url) -> Option<SessionCookie> {
        let jar = self.jar();
        let restored = (jar.restored.as_ref())
            .filter(|r| r.name() == name.as_bytes())
            .map(Restored::value);
        let value = (jar.cookies.get_request_values(url))
            .find(|(n, _)| *n == name)
            .map(|(_, value)| value)
            .or(restored)
            .map(SessionCookie::new);
        value
    }

    /// Puts back cookie `name` with a saved value, for every path of `url`'s host, in place
    /// of one of its name set with `Path=/` (Medusa's).
    pub(crate) fn set_cookie(
        &self,
        name: &str,
        cookie: &SessionCookie,
        url: &Url,
    ) -> Result<(), InvalidInput> {
        let invalid = || InvalidInput::HeaderValue {
            name: "cookie".into(),
        };
        let value = cookie.expose();
        // A cookie value is one token of visible ASCII without `;`, `,`, quotes or spaces
        // (RFC 6265 §4.1.1): anything else would end or split the `Cookie` header.
        if value.is_empty()
            || !value
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b"\",;\\".contains(&b))
        {
            return Err(invalid());
        }
        let mut pair = HeaderValue::try_from([name, "=", value].concat()).map_err(|_| invalid())?;
        pair.set_sensitive(true);
        let mut jar = self.jar();
        jar.last_header = None;
        if let Some(host) = url.host_str() {
            jar.cookies.remove(host, "/", name);
        }
        jar.restored = Some(Restored {
            pair,
            name_len: name.len(),
        });
        Ok(())
    }

    fn credentials(&self) -> std::sync::RwLockReadGuard<'_, Credentials> {
        self.credentials
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn credentials_mut(&self) -> std::sync::RwLockWriteGuard<'_, Credentials> {
        self.credentials
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn token(&self) -> Option<AccessToken> {
        self.credentials().token.clone()
    }

    pub(crate) fn pending(&self) -> Option<Pending> {
        self.credentials().pending
    }

    /// `Authorization: Bearer <token>`, if there is a token.
    pub(crate) fn bearer_header(&self) -> Option<HeaderValue> {
        // Built per request rather than kept: a v2 token is most of an idle visitor's memory,
        // and a second copy would double it.
        bearer(self.credentials().token.as_ref()?).ok()
    }

    /// Sends `token` from now on, `pending` what it still needs; fails, keeping the old
    /// token, if `token` cannot be a header value.
    pub(crate) fn set_token(
        &self,
        token: Option<AccessToken>,
        pending: Option<Pending>,
    ) -> Result<(), InvalidInput> {
        if let Some(token) = &token {
            bearer(token).map_err(|_| InvalidInput::HeaderValue {
                name: "authorization".into(),
            })?;
        }
        *self.credentials_mut() = Credentials { token, pending };
        Ok(())
    }

    /// Stops sending the token; what the session still needs stays (a cookie session made
    /// from a pending token is pending too).
    pub(crate) fn forget_token(&self) {
        self.credentials_mut().token = None;
    }

    /// Forgets every cookie and the token.
    pub(crate) fn clear(&self) {
        *self.jar() = Jar::default();
        *self.credentials_mut() = Credentials::default();
    }
}

fn bearer(token: &AccessToken) -> Result<HeaderValue, reqwest::header::InvalidHeaderValue> {
    // `concat` allocates the exact length once; `format!` grows its buffer as it writes.
    let mut value = HeaderValue::try_from(["Bearer ", token.expose()].concat())?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn set(headers: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for h in headers {
            map.append(SET_COOKIE, HeaderValue::from_str(h).unwrap());
        }
        map
    }

    #[test]
    fn medusas_cookie_is_kept_replaced_and_deleted() {
        let session = Session::new();
        let base = url("http://127.0.0.1:9000/");
        session.absorb(
            &set(&[
                "connect.sid=s%3Aone.sig; Path=/; Expires=Fri, 01 Jan 2100 00:00:00 GMT; HttpOnly",
            ]),
            &base,
        );
        let header = session.cookie_header(&url("http://127.0.0.1:9000/store/auth"));
        assert_eq!(header.unwrap(), "connect.sid=s%3Aone.sig");
        session.absorb(&set(&["connect.sid=s%3Atwo.sig; Path=/"]), &base);
        assert_eq!(
            session.cookie("connect.sid", &base).unwrap().expose(),
            "s%3Atwo.sig"
        );
        session.absorb(
            &set(&["connect.sid=gone; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]),
            &base,
        );
        assert!(session.cookie_header(&base).is_none());
    }

    #[test]
    fn the_jar_is_bounded_per_cookie_and_in_count() {
        let session = Session::new();
        let base = url("http://127.0.0.1:9000/");
        let huge = format!("big={}; Path=/", "x".repeat(MAX_COOKIE_BYTES));
        session.absorb(&set(&[&huge]), &base);
        assert!(
            session.cookie_header(&base).is_none(),
            "an oversized cookie is dropped"
        );

        let many: Vec<String> = (0..MAX_COOKIES + 20)
            .map(|i| format!("c{i}=v; Path=/"))
            .collect();
        session.absorb(
            &set(&many.iter().map(String::as_str).collect::<Vec<_>>()),
            &base,
        );
        let header = session.cookie_header(&base).unwrap();
        assert_eq!(header.to_str().unwrap().split("; ").count(), MAX_COOKIES);
        // A cookie it already holds can still change.
        session.absorb(&set(&["c0=changed; Path=/"]), &base);
        assert!(session
            .cookie_header(&base)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("c0=changed"));
    }

    #[test]
    fn saved_cookies_and_tokens_are_checked() {
        let session = Session::new();
        let base = url("http://127.0.0.1:9000/");
        for bad in ["", "a;b", "a b", "a\r\nb"] {
            assert!(session
                .set_cookie("connect.sid", &SessionCookie::new(bad), &base)
                .is_err());
        }
        session
            .set_cookie("connect.sid", &SessionCookie::new("s%3Asaved"), &base)
            .unwrap();
        assert_eq!(
            session.cookie_header(&base).unwrap(),
            "connect.sid=s%3Asaved"
        );
        assert!(session
            .set_token(Some(AccessToken::new("a\nb")), None)
            .is_err());
        session
            .set_token(Some(AccessToken::new("t")), Some(Pending::SecondFactor))
            .unwrap();
        assert_eq!(session.bearer_header().unwrap(), "Bearer t");
        session.forget_token();
        assert_eq!(
            (session.token(), session.pending()),
            (None, Some(Pending::SecondFactor)),
            "a session made from a pending token stays pending"
        );
        session.clear();
        assert!(session.cookie_header(&base).is_none() && session.token().is_none());
        assert_eq!(session.pending(), None);
    }

    #[test]
    fn a_restored_cookie_goes_with_the_jars_until_the_server_sets_its_own() {
        let session = Session::new();
        let base = url("http://127.0.0.1:9000/");
        let deep = url("http://127.0.0.1:9000/store/auth");
        // A jar cookie of that name set with `Path=/` is replaced, not sent twice.
        session.absorb(&set(&["connect.sid=s%3Aold; Path=/"]), &base);
        session
            .set_cookie("connect.sid", &SessionCookie::new("s%3Asaved"), &base)
            .unwrap();
        assert_eq!(
            session.cookie_header(&deep).unwrap(),
            "connect.sid=s%3Asaved"
        );
        // Sent with the server's other cookies.
        session.absorb(&set(&["other=1; Path=/store"]), &base);
        assert_eq!(
            session.cookie_header(&deep).unwrap(),
            "other=1; connect.sid=s%3Asaved"
        );
        assert_eq!(
            session.cookie_header(&base).unwrap(),
            "connect.sid=s%3Asaved"
        );
        // The server's own cookie of that name replaces it...
        session.absorb(&set(&["connect.sid=s%3Anew; Path=/"]), &base);
        assert_eq!(
            session.cookie("connect.sid", &base).unwrap().expose(),
            "s%3Anew"
        );
        assert_eq!(session.cookie_header(&base).unwrap(), "connect.sid=s%3Anew");
        // ...and so does its deletion.
        session
            .set_cookie("connect.sid", &SessionCookie::new("s%3Asaved"), &base)
            .unwrap();
        session.absorb(
            &set(&["connect.sid=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT"]),
            &base,
        );
        assert!(session.cookie("connect.sid", &base).is_none());
        assert!(session.cookie_header(&base).is_none());
    }
}
