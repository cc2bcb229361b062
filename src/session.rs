//! The session state of one client (shared by its clones): the cookies Medusa sets (its
//! session cookie) and the JWT from `get_token`. Nothing here is process-global, unlike
//! medusa-js's `JwtTokenManager`.
//!
//! The cookie jar holds the cookies of one origin, the base URL's: the client sends
//! requests nowhere else (its redirects stay within that origin, see `client.rs`). So
//! cookies are parsed with the `cookie` crate and kept by the RFC 6265 rules that matter
//! for one host (domain check, default path, path match, `Max-Age` over `Expires`,
//! deletion, `Secure`), without a general jar's domain tables: reqwest's `Jar` cost about
//! 21 allocations and about 20,000 instructions per login (callgrind) to store and re-read the
//! same `connect.sid`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, SET_COOKIE};
use reqwest::Url;

use crate::credentials::{AccessToken, SessionCookie};
use crate::error::InvalidInput;

/// Medusa's default session cookie name (`projectConfig.session_options.name`).
pub const DEFAULT_SESSION_COOKIE_NAME: &str = "connect.sid";

pub(crate) struct Session {
    cookie_name: String,
    /// False while the jar is empty: most calls of a cookieless client skip the lock.
    has_cookies: AtomicBool,
    jar: Mutex<Jar>,
    /// The token and its ready `Authorization` value (built once, not per call).
    token: RwLock<Option<(AccessToken, HeaderValue)>>,
}

/// The cookies of the client's origin, and the last `Cookie` header built from them.
#[derive(Default)]
struct Jar {
    cookies: Vec<StoredCookie>,
    /// Reused until a cookie is added, replaced with another value or removed, or the first
    /// one expires; for any path when every cookie has `Path=/`.
    header: Option<CachedHeader>,
}

struct StoredCookie {
    name: String,
    value: String,
    path: String,
    /// `None`: until the client is dropped (a session cookie in browser terms).
    expires: Option<SystemTime>,
    secure: bool,
}

struct CachedHeader {
    /// `None` when the header is the same for every path.
    path: Option<String>,
    valid_until: Option<SystemTime>,
    value: Option<HeaderValue>,
}

impl Session {
    pub(crate) fn new(cookie_name: String) -> Self {
        Self {
            cookie_name,
            has_cookies: AtomicBool::new(false),
            jar: Mutex::default(),
            token: RwLock::default(),
        }
    }

    fn jar(&self) -> std::sync::MutexGuard<'_, Jar> {
        self.jar.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The `Cookie` header value for `url` (on the client's origin), if the jar holds
    /// cookies for it.
    pub(crate) fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        if !self.has_cookies.load(Ordering::Acquire) {
            return None;
        }
        self.jar().header(url, SystemTime::now())
    }

    /// Keeps the cookies a response from `url` sets, if `url` is on `origin`.
    pub(crate) fn store_cookies(&self, headers: &HeaderMap, url: &Url, origin: &Url) {
        let mut set_cookies = headers.get_all(SET_COOKIE).iter().peekable();
        if set_cookies.peek().is_none() || !same_origin(url, origin) {
            return;
        }
        let now = SystemTime::now();
        let mut jar = self.jar();
        for value in set_cookies {
            if let Ok(text) = std::str::from_utf8(value.as_bytes()) {
                jar.store(text, url, now);
            }
        }
        self.has_cookies
            .store(!jar.cookies.is_empty(), Ordering::Release);
    }

    /// The session cookie the jar would send to `url`.
    pub(crate) fn session_cookie(&self, url: &Url) -> Option<SessionCookie> {
        let now = SystemTime::now();
        self.jar()
            .cookies
            .iter()
            .find(|c| c.name == self.cookie_name && c.applies(url, now))
            .map(|c| SessionCookie::new(c.value.as_str()))
    }

    /// Puts a saved session cookie in the jar, for every path of the client's origin.
    pub(crate) fn set_session_cookie(&self, cookie: &SessionCookie) -> Result<(), InvalidInput> {
        let value = cookie.expose();
        if value.is_empty()
            || value.contains([';', ',', ' '])
            || value.chars().any(|c| c.is_control() || !c.is_ascii())
        {
            return Err(InvalidInput::HeaderValue {
                name: "cookie".into(),
            });
        }
        let mut jar = self.jar();
        jar.insert(StoredCookie {
            name: self.cookie_name.clone(),
            value: value.to_string(),
            path: "/".into(),
            expires: None,
            secure: false,
        });
        self.has_cookies.store(true, Ordering::Release);
        Ok(())
    }

    pub(crate) fn token(&self) -> Option<AccessToken> {
        let token = self.token.read().unwrap_or_else(PoisonError::into_inner);
        token.as_ref().map(|(token, _)| token.clone())
    }

    /// `Authorization: Bearer <token>`, marked sensitive.
    pub(crate) fn bearer_header(&self) -> Option<HeaderValue> {
        let token = self.token.read().unwrap_or_else(PoisonError::into_inner);
        token.as_ref().map(|(_, header)| header.clone())
    }

    /// Fails, keeping the old token, when the token cannot be a header value.
    pub(crate) fn set_token(&self, token: Option<AccessToken>) -> Result<(), InvalidInput> {
        let token = match token {
            None => None,
            Some(token) => {
                let mut header = HeaderValue::try_from(format!("Bearer {}", token.expose()))
                    .map_err(|_| InvalidInput::HeaderValue {
                        name: AUTHORIZATION.to_string(),
                    })?;
                header.set_sensitive(true);
                Some((token, header))
            }
        };
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = token;
        Ok(())
    }

    /// A session with the same cookie name and nothing in it.
    pub(crate) fn fresh(&self) -> Self {
        Self::new(self.cookie_name.clone())
    }

    /// Forgets the cookies and the token.
    pub(crate) fn clear(&self) {
        *self.jar() = Jar::default();
        self.has_cookies.store(false, Ordering::Release);
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

impl Jar {
    /// Stores one `Set-Cookie` value received from `url` (RFC 6265 §5.3, for one host).
    fn store(&mut self, set_cookie: &str, url: &Url, now: SystemTime) {
        let Ok(cookie) = cookie::Cookie::parse(set_cookie) else {
            return; // as browsers do: a cookie that does not parse is ignored
        };
        if let Some(domain) = cookie.domain() {
            if !domain_matches(url, domain) {
                return;
            }
        }
        let path = match cookie.path() {
            Some(path) if path.starts_with('/') => path,
            _ => default_path(url.path()),
        };
        // Max-Age wins over Expires; zero, negative or past means "delete".
        let expires = match (cookie.max_age(), cookie.expires_datetime()) {
            (Some(max_age), _) => Some(if max_age.is_positive() {
                now + Duration::from_secs(max_age.whole_seconds().unsigned_abs())
            } else {
                UNIX_EPOCH
            }),
            (None, Some(at)) => {
                Some(UNIX_EPOCH + Duration::from_secs(at.unix_timestamp().max(0).unsigned_abs()))
            }
            (None, None) => None,
        };
        let (name, value) = (cookie.name(), cookie.value());
        let secure = cookie.secure().unwrap_or(false);
        if expires.is_some_and(|at| at <= now) {
            self.remove(name, path);
            return;
        }
        let existing = self
            .cookies
            .iter_mut()
            .find(|c| c.name == name && c.path == path);
        match existing {
            // A new expiry alone (Medusa's rolling sessions) keeps the header.
            Some(old) if old.value == value && old.secure == secure => {
                old.expires = expires;
                let valid_until = self.earliest_expiry();
                if let Some(cached) = &mut self.header {
                    cached.valid_until = valid_until;
                }
            }
            Some(old) => {
                old.value = value.to_string();
                old.secure = secure;
                old.expires = expires;
                self.header = None;
            }
            None => self.insert(StoredCookie {
                name: name.to_string(),
                value: value.to_string(),
                path: path.to_string(),
                expires,
                secure,
            }),
        }
    }

    /// Adds `cookie`, or replaces the one with its name and path.
    fn insert(&mut self, cookie: StoredCookie) {
        self.cookies
            .retain(|c| !(c.name == cookie.name && c.path == cookie.path));
        self.cookies.push(cookie);
        self.header = None;
    }

    fn remove(&mut self, name: &str, path: &str) {
        let before = self.cookies.len();
        self.cookies.retain(|c| !(c.name == name && c.path == path));
        if self.cookies.len() != before {
            self.header = None;
        }
    }

    fn earliest_expiry(&self) -> Option<SystemTime> {
        self.cookies.iter().filter_map(|c| c.expires).min()
    }

    /// The `Cookie` header for `url`: its cookies, longest path first (RFC 6265 §5.4).
    fn header(&mut self, url: &Url, now: SystemTime) -> Option<HeaderValue> {
        if let Some(cached) = &self.header {
            let fresh = cached.valid_until.is_none_or(|until| now < until);
            let same_path = cached.path.as_deref().is_none_or(|p| p == url.path());
            if fresh && same_path {
                return cached.value.clone();
            }
        }
        self.cookies.retain(|c| c.expires.is_none_or(|at| now < at));
        let mut matching: Vec<&StoredCookie> = self
            .cookies
            .iter()
            .filter(|c| c.applies(url, now))
            .collect();
        matching.sort_by_key(|c| std::cmp::Reverse(c.path.len()));
        let mut header = String::new();
        for cookie in matching {
            if !header.is_empty() {
                header.push_str("; ");
            }
            header.push_str(&cookie.name);
            header.push('=');
            header.push_str(&cookie.value);
        }
        let value = (!header.is_empty())
            .then(|| HeaderValue::try_from(header).ok())
            .flatten()
            .map(|mut value| {
                value.set_sensitive(true);
                value
            });
        let every_path = self.cookies.iter().all(|c| c.path == "/");
        self.header = Some(CachedHeader {
            path: (!every_path).then(|| url.path().to_string()),
            valid_until: self.earliest_expiry(),
            value: value.clone(),
        });
        value
    }
}

impl StoredCookie {
    /// Whether this cookie goes with a request to `url` (on the jar's origin) at `now`.
    fn applies(&self, url: &Url, now: SystemTime) -> bool {
        self.expires.is_none_or(|at| now < at)
            && path_matches(&self.path, url.path())
            && (!self.secure || is_secure(url))
    }
}

/// The same scheme, host and port.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// RFC 6265 §5.1.3, with the attribute's leading dot already removed by `cookie`.
fn domain_matches(url: &Url, domain: &str) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let domain = domain.trim_start_matches('.');
    if host.eq_ignore_ascii_case(domain) {
        return true;
    }
    let is_name = matches!(url.host(), Some(url::Host::Domain(_)));
    is_name
        && host.len() > domain.len()
        && host.as_bytes()[host.len() - domain.len() - 1] == b'.'
        && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain)
}

/// RFC 6265 §5.1.4: the request path up to, not including, its last `/`.
fn default_path(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) | None => "/",
        Some(last) => &path[..last],
    }
}

/// RFC 6265 §5.1.4.
fn path_matches(cookie_path: &str, request_path: &str) -> bool {
    request_path == cookie_path
        || (request_path.starts_with(cookie_path)
            && (cookie_path.ends_with('/')
                || request_path.as_bytes().get(cookie_path.len()) == Some(&b'/')))
}

/// Where a `Secure` cookie may go: HTTPS, or this machine (as browsers and reqwest's jar).
fn is_secure(url: &Url) -> bool {
    url.scheme() == "https"
        || match url.host() {
            Some(url::Host::Domain(host)) => host == "localhost",
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            None => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn header(jar: &mut Jar, at: &str) -> Option<String> {
        jar.header(&url(at), SystemTime::now())
            .map(|v| v.to_str().unwrap().to_string())
    }

    #[test]
    fn medusas_cookie_is_kept_and_sent_to_every_path() {
        let mut jar = Jar::default();
        let now = SystemTime::now();
        jar.store(
            "connect.sid=s%3Aabc.sig; Path=/; Expires=Sat, 28 Nov 2099 04:43:36 GMT; HttpOnly",
            &url("http://127.0.0.1:9000/store/auth"),
            now,
        );
        assert_eq!(
            header(&mut jar, "http://127.0.0.1:9000/store/auth").as_deref(),
            Some("connect.sid=s%3Aabc.sig")
        );
        assert_eq!(
            header(&mut jar, "http://127.0.0.1:9000/store/auth/a@b.c").as_deref(),
            Some("connect.sid=s%3Aabc.sig")
        );
    }

    #[test]
    fn expiry_replacement_and_deletion() {
        let mut jar = Jar::default();
        let at = url("http://localhost:9000/store/auth");
        let now = SystemTime::now();
        jar.store("a=1; Path=/; Max-Age=60", &at, now);
        jar.store(
            "b=2; Path=/; Expires=Wed, 21 Oct 2015 07:28:00 GMT",
            &at,
            now,
        );
        assert_eq!(header(&mut jar, at.as_str()).as_deref(), Some("a=1"));
        jar.store("a=3; Path=/; Max-Age=60", &at, now);
        assert_eq!(header(&mut jar, at.as_str()).as_deref(), Some("a=3"));
        jar.store("a=3; Path=/; Max-Age=0", &at, now);
        assert_eq!(header(&mut jar, at.as_str()), None);
        // Expired between two calls: dropped without a new Set-Cookie.
        jar.store("c=4; Path=/; Max-Age=1", &at, now);
        assert_eq!(header(&mut jar, at.as_str()).as_deref(), Some("c=4"));
        let later = now + Duration::from_secs(2);
        assert_eq!(jar.header(&at, later), None);
    }

    #[test]
    fn paths_domains_and_secure_follow_rfc_6265() {
        let mut jar = Jar::default();
        let login = url("http://shop.example.com/medusa/store/auth");
        let now = SystemTime::now();
        jar.store("default=1", &login, now); // default path /medusa/store
        jar.store("deep=2; Path=/medusa/store/auth", &login, now);
        jar.store("parent=3; Path=/; Domain=.example.com", &login, now);
        jar.store("foreign=4; Path=/; Domain=other.com", &login, now);
        jar.store("suffix=5; Path=/; Domain=p.example.com", &login, now);
        jar.store("secure=6; Path=/; Secure", &login, now);
        assert_eq!(
            header(&mut jar, "http://shop.example.com/medusa/store/auth").as_deref(),
            Some("deep=2; default=1; parent=3")
        );
        assert_eq!(
            header(&mut jar, "http://shop.example.com/medusa/store").as_deref(),
            Some("default=1; parent=3")
        );
        assert_eq!(
            header(&mut jar, "http://shop.example.com/medusa/storefront").as_deref(),
            Some("parent=3")
        );
        let mut local = Jar::default();
        local.store("secure=6; Path=/; Secure", &url("http://[::1]:9000/x"), now);
        assert_eq!(
            header(&mut local, "http://[::1]:9000/x").as_deref(),
            Some("secure=6")
        );
    }

    #[test]
    fn a_new_expiry_alone_keeps_the_cached_header() {
        let mut jar = Jar::default();
        let at = url("http://127.0.0.1:9000/store/auth");
        let now = SystemTime::now();
        jar.store("connect.sid=x; Path=/; Max-Age=60", &at, now);
        assert!(jar.header(&at, now).is_some());
        jar.store("connect.sid=x; Path=/; Max-Age=120", &at, now);
        assert!(jar.header.is_some(), "same value: header kept");
        let later = now + Duration::from_secs(90);
        assert_eq!(
            jar.header(&at, later)
                .map(|v| v.to_str().unwrap().to_string()),
            Some("connect.sid=x".into()),
            "the later expiry counts"
        );
        jar.store("connect.sid=y; Path=/; Max-Age=120", &at, now);
        assert!(jar.header.is_none(), "new value: header rebuilt");
    }
}
