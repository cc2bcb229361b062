//! The session state of one client (shared by its clones): the cookies Medusa sets (its
//! session cookie) and the JWT from `get_token`. Nothing here is process-global, unlike
//! medusa-js's `JwtTokenManager`.
//!
//! The cookie jar holds the cookies of one origin, the base URL's: the client sends
//! requests nowhere else (its redirects stay within that origin, see `client.rs`). So
//! cookies are parsed (RFC 6265 §5.2, see [`SetCookie`]) and kept by the RFC 6265 rules that
//! matter for one host (domain check, default path, path match, `Max-Age` over `Expires`,
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
    /// False while there is no token: calls without one skip the lock.
    has_token: AtomicBool,
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
            has_token: AtomicBool::new(false),
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
        if !self.has_token.load(Ordering::Acquire) {
            return None;
        }
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
        let mut slot = self.token.write().unwrap_or_else(PoisonError::into_inner);
        self.has_token.store(token.is_some(), Ordering::Release);
        *slot = token;
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
        self.has_token.store(false, Ordering::Release);
    }
}

impl Jar {
    /// Stores one `Set-Cookie` value received from `url` (RFC 6265 §5.3, for one host).
    fn store(&mut self, set_cookie: &str, url: &Url, now: SystemTime) {
        let Some(cookie) = SetCookie::parse(set_cookie) else {
            return; // as browsers do: a cookie that does not parse is ignored
        };
        if let Some(domain) = cookie.domain {
            if !domain_matches(url, domain) {
                return;
            }
        }
        let path = match cookie.path {
            Some(path) if path.starts_with('/') => path,
            _ => default_path(url.path()),
        };
        // Max-Age wins over Expires; zero, negative or past means "delete".
        let expires = match (cookie.max_age, cookie.expires) {
            // Capped at 136 years, so that adding it to `now` cannot overflow.
            (Some(max_age), _) => Some(match u64::try_from(max_age) {
                Ok(seconds) if seconds > 0 => {
                    now + Duration::from_secs(seconds.min(u64::from(u32::MAX)))
                }
                _ => UNIX_EPOCH,
            }),
            (None, Some(at)) => Some(at),
            (None, None) => None,
        };
        let (name, value, secure) = (cookie.name, cookie.value, cookie.secure);
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

/// A `Set-Cookie` value, as RFC 6265 §5.2 parses it (the attributes a client of one origin
/// uses; `HttpOnly` and `SameSite` mean nothing outside a browser).
///
/// Written here rather than with the `cookie` crate, which parsed every attribute of
/// Medusa's `connect.sid` with a format-driven date parser: about 4,400 instructions per
/// login (callgrind) against about 600 for these few lines.
#[derive(Debug, Default, PartialEq)]
struct SetCookie<'a> {
    name: &'a str,
    value: &'a str,
    /// Without a leading dot; `None` when absent or empty.
    domain: Option<&'a str>,
    path: Option<&'a str>,
    /// Seconds; a value that is not an integer is ignored.
    max_age: Option<i64>,
    /// A date that does not parse is ignored.
    expires: Option<SystemTime>,
    secure: bool,
}

impl<'a> SetCookie<'a> {
    /// `None` when the cookie must be ignored: no `=` in its name-value pair, or no name.
    fn parse(set_cookie: &'a str) -> Option<Self> {
        let (pair, mut attributes) = split_once_byte(set_cookie, b';');
        let (name, value) = split_once_byte(pair, b'=');
        let (name, value) = (trim(name), trim(value?));
        if name.is_empty() {
            return None;
        }
        let mut cookie = SetCookie {
            name,
            value,
            ..SetCookie::default()
        };
        // The last of each attribute wins (RFC 6265 §5.3, step 5 onwards).
        while let Some(rest) = attributes {
            let (attribute, next) = split_once_byte(rest, b';');
            attributes = next;
            let (key, value) = split_once_byte(attribute, b'=');
            let (key, value) = (trim(key), trim(value.unwrap_or("")));
            if key.eq_ignore_ascii_case("expires") {
                if let Some(at) = cookie_date(value) {
                    cookie.expires = Some(at);
                }
            } else if key.eq_ignore_ascii_case("max-age") {
                let digits = value.strip_prefix('-').unwrap_or(value);
                if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                    // Too many digits for an i64: as far as it goes, either way.
                    let max = if value.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    };
                    cookie.max_age = Some(value.parse().unwrap_or(max));
                }
            } else if key.eq_ignore_ascii_case("domain") {
                let domain = value.strip_prefix('.').unwrap_or(value);
                cookie.domain = (!domain.is_empty()).then_some(domain);
            } else if key.eq_ignore_ascii_case("path") {
                cookie.path = Some(value);
            } else if key.eq_ignore_ascii_case("secure") {
                cookie.secure = true;
            }
        }
        Some(cookie)
    }
}

/// `text` before the first `byte` (an ASCII one), and what follows it if it occurs. By
/// bytes: `str::split_once` with a `char` goes through a general searcher, several times
/// slower on these short strings.
fn split_once_byte(text: &str, byte: u8) -> (&str, Option<&str>) {
    match text.bytes().position(|b| b == byte) {
        Some(i) => (&text[..i], Some(&text[i + 1..])),
        None => (text, None),
    }
}

/// Without the spaces and horizontal tabs around it (RFC 6265 §5.2).
fn trim(text: &str) -> &str {
    text.trim_matches(|c| c == ' ' || c == '\t')
}

/// RFC 6265 §5.1.1: the lenient cookie date, which takes IMF-fixdate (Medusa's), RFC 850,
/// asctime and Netscape's `Wdy, DD-Mon-YYYY` alike, as browsers do.
fn cookie_date(text: &str) -> Option<SystemTime> {
    let is_delimiter =
        |b: u8| matches!(b, b'\t' | b' '..=b'/' | b';'..=b'@' | b'['..=b'`' | b'{'..=b'~');
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    let mut rest = text;
    while !rest.is_empty() {
        // Delimiters are ASCII, so every cut below falls between characters.
        let start = rest
            .bytes()
            .position(|b| !is_delimiter(b))
            .unwrap_or(rest.len());
        rest = &rest[start..];
        let end = rest.bytes().position(is_delimiter).unwrap_or(rest.len());
        let token = &rest[..end];
        rest = &rest[end..];
        if token.is_empty() {
            continue;
        }
        if time.is_none() {
            if let Some(hms) = hms_time(token) {
                time = Some(hms);
                continue;
            }
        }
        if day.is_none() {
            if let Some(d) = leading_digits(token, 1, 2) {
                day = Some(d);
                continue;
            }
        }
        if month.is_none() {
            if let Some(m) = month_of(token) {
                month = Some(m);
                continue;
            }
        }
        if year.is_none() {
            if let Some(y) = leading_digits(token, 2, 4) {
                year = Some(y);
            }
        }
    }
    let ((hour, minute, second), day, month, year) = (time?, day?, month?, year?);
    let year = match year {
        70..=99 => year + 1900,
        0..=69 => year + 2000,
        _ => year,
    };
    if year < 1601 || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let at = chrono::NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_opt(hour, minute, second)?
        .and_utc()
        .timestamp();
    // Before 1970: already expired, which is all that matters.
    Some(UNIX_EPOCH + Duration::from_secs(u64::try_from(at).unwrap_or(0)))
}

/// `hms-time`: `H:M:S` with one or two digits each, then nothing or a non-digit.
fn hms_time(token: &str) -> Option<(u32, u32, u32)> {
    let (hour, rest) = split_once_byte(token, b':');
    let (minute, second) = split_once_byte(rest?, b':');
    let whole = |field: &str| leading_digits(field, 1, 2).filter(|_| field.len() <= 2);
    Some((whole(hour)?, whole(minute)?, leading_digits(second?, 1, 2)?))
}

/// The number `token` starts with, if it starts with `min..=max` digits followed by
/// nothing or a non-digit.
fn leading_digits(token: &str, min: usize, max: usize) -> Option<u32> {
    let mut value = 0;
    let mut digits = 0;
    for b in token.bytes().take_while(u8::is_ascii_digit) {
        digits += 1;
        if digits > max {
            return None;
        }
        value = value * 10 + u32::from(b - b'0');
    }
    (digits >= min).then_some(value)
}

/// 1 to 12 for a token starting with a month's first three letters, in any case.
fn month_of(token: &str) -> Option<u32> {
    const MONTHS: [&[u8; 3]; 12] = [
        b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov",
        b"dec",
    ];
    let prefix = token.as_bytes().get(..3)?;
    MONTHS
        .iter()
        .position(|m| prefix.eq_ignore_ascii_case(&m[..]))
        .map(|i| i as u32 + 1)
}

/// The same scheme, host and port.
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// RFC 6265 §5.1.3, with the attribute's leading dot already removed.
fn domain_matches(url: &Url, domain: &str) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
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

    fn at(seconds: u64) -> Option<SystemTime> {
        Some(UNIX_EPOCH + Duration::from_secs(seconds))
    }

    #[test]
    fn set_cookie_parses_medusas_header_and_rfc_6265_attributes() {
        let medusa = "connect.sid=s%3ABh1z.gvVC%2FQ; Path=/; Expires=Sat, 28 Nov 2099 04:43:36 GMT; HttpOnly";
        assert_eq!(
            SetCookie::parse(medusa),
            Some(SetCookie {
                name: "connect.sid",
                value: "s%3ABh1z.gvVC%2FQ",
                path: Some("/"),
                expires: at(4_099_524_216),
                ..SetCookie::default()
            })
        );
        // Names in any case, spaces and tabs trimmed, the last of each attribute wins,
        // unknown and broken attributes ignored, `=` and quotes kept in the value.
        let cookie = SetCookie::parse(
            " a = \"b=c\" ;\tDOMAIN=.Example.com; path=/x; Path=/y; max-age=oops; Max-Age=60; \
             SECURE; SameSite=Lax; Expires=not a date; Domain=",
        )
        .unwrap();
        assert_eq!(
            cookie,
            SetCookie {
                name: "a",
                value: "\"b=c\"",
                domain: None,
                path: Some("/y"),
                max_age: Some(60),
                expires: None,
                secure: true,
            }
        );
        assert_eq!(
            SetCookie::parse("a=1; Domain=.example.com").unwrap().domain,
            Some("example.com")
        );
        assert_eq!(
            SetCookie::parse("a=1; Max-Age=-5").unwrap().max_age,
            Some(-5)
        );
        assert_eq!(
            SetCookie::parse("a=1; Max-Age=99999999999999999999")
                .unwrap()
                .max_age,
            Some(i64::MAX)
        );
        assert_eq!(SetCookie::parse("a=").unwrap().value, "");
        // Ignored entirely: no name, or no `=`.
        assert_eq!(SetCookie::parse("=1; Path=/"), None);
        assert_eq!(SetCookie::parse("  =1"), None);
        assert_eq!(SetCookie::parse("flag; Path=/"), None);
        assert_eq!(SetCookie::parse(""), None);
    }

    #[test]
    fn cookie_dates_follow_rfc_6265_5_1_1() {
        // IMF-fixdate, RFC 850, asctime, Netscape: the forms servers send.
        assert_eq!(
            cookie_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            at(784_111_777)
        );
        assert_eq!(
            cookie_date("Sunday, 06-Nov-94 08:49:37 GMT"),
            at(784_111_777)
        );
        assert_eq!(cookie_date("Sun Nov  6 08:49:37 1994"), at(784_111_777));
        assert_eq!(
            cookie_date("Wed, 21-Oct-2015 07:28:00 GMT"),
            at(1_445_412_480)
        );
        assert_eq!(
            cookie_date("wed, 21 OCTOBER 2015 07:28:00"),
            at(1_445_412_480)
        );
        // Two-digit years: 70-99 are 19xx, 00-69 are 20xx.
        assert_eq!(cookie_date("1 Jan 69 00:00:00"), at(3_124_224_000));
        assert_eq!(cookie_date("2 Jan 70 00:00:00"), at(86_400));
        // Before 1970: in the past, which is what matters.
        assert_eq!(cookie_date("1 Jan 1969 00:00:00"), at(0));
        // Not dates.
        for bad in [
            "",
            "Sat, 28 Nov 2099",           // no time
            "Sat, 28 2099 04:43:36 GMT",  // no month
            "Sat, Nov 2099 04:43:36 GMT", // no day
            "30 Feb 2024 00:00:00",       // no such day
            "28 Nov 2099 24:00:00",       // hour
            "28 Nov 2099 23:60:00",       // minute
            "28 Nov 1600 00:00:00",       // before 1601
            "28 Nov 2099 123:00:00",      // three-digit hour
            "28 Nov 20999 00:00:00",      // five-digit year
        ] {
            assert_eq!(cookie_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn any_prefix_or_byte_flip_parses_without_panicking() {
        let medusa = "connect.sid=s%3ABh1z; Path=/; Expires=Sat, 28 Nov 2099 04:43:36 GMT; Max-Age=5; Domain=.a.é; Secure";
        for end in (0..=medusa.len()).filter(|&i| medusa.is_char_boundary(i)) {
            let _ = SetCookie::parse(&medusa[..end]);
        }
        for i in 0..medusa.len() {
            for flip in [b'=', b';', b':', b' ', b'0', b'9', b'-', 0xff] {
                let mut bytes = medusa.as_bytes().to_vec();
                bytes[i] = flip;
                let _ = SetCookie::parse(&String::from_utf8_lossy(&bytes));
            }
        }
    }

    #[test]
    fn a_huge_max_age_does_not_overflow() {
        let mut jar = Jar::default();
        let at = url("http://127.0.0.1:9000/store/auth");
        jar.store("a=1; Max-Age=9223372036854775807", &at, SystemTime::now());
        assert_eq!(header(&mut jar, at.as_str()).as_deref(), Some("a=1"));
    }
}
