//! The session state of one client (shared by its clones): the cookie jar that holds
//! Medusa's session cookie, and the JWT from `get_token`. Nothing here is process-global,
//! unlike medusa-js's `JwtTokenManager`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::{Duration, Instant};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, SET_COOKIE};
use reqwest::Url;

use crate::credentials::{AccessToken, SessionCookie};
use crate::error::InvalidInput;

/// Medusa's default session cookie name (`projectConfig.session_options.name`).
pub const DEFAULT_SESSION_COOKIE_NAME: &str = "connect.sid";

pub(crate) struct Session {
    cookie_name: String,
    // Replaced wholesale on `clear`: reqwest's `Jar` cannot remove cookies.
    jar: RwLock<Arc<Jar>>,
    /// Bumped on every change to the jar; 0 while it has never held a cookie.
    jar_generation: AtomicU64,
    /// The last `Cookie` value built from the jar, reused while the jar is unchanged, for the
    /// same path, for at most a second (so an expired cookie drops out): building it costs
    /// several allocations per call.
    cookie_cache: Mutex<Option<CachedCookie>>,
    /// The token and its ready `Authorization` value (built once, not per call).
    token: RwLock<Option<(AccessToken, HeaderValue)>>,
}

struct CachedCookie {
    generation: u64,
    path: String,
    built: Instant,
    value: Option<HeaderValue>,
}

const COOKIE_CACHE_TTL: Duration = Duration::from_secs(1);

impl Session {
    pub(crate) fn new(cookie_name: String) -> Self {
        Self {
            cookie_name,
            jar: RwLock::default(),
            jar_generation: AtomicU64::new(0),
            cookie_cache: Mutex::new(None),
            token: RwLock::default(),
        }
    }

    fn jar_changed(&self) {
        self.jar_generation.fetch_add(1, Ordering::AcqRel);
    }

    fn jar(&self) -> Arc<Jar> {
        self.jar
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `Cookie` header value for `url`, if the jar holds cookies for it.
    pub(crate) fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let generation = self.jar_generation.load(Ordering::Acquire);
        if generation == 0 {
            return None; // never held a cookie
        }
        let mut cache = self
            .cookie_cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(cached) = cache.as_ref() {
            if cached.generation == generation
                && cached.path == url.path()
                && cached.built.elapsed() < COOKIE_CACHE_TTL
            {
                return cached.value.clone();
            }
        }
        let value = self.jar().cookies(url).map(|mut value| {
            value.set_sensitive(true);
            value
        });
        *cache = Some(CachedCookie {
            generation,
            path: url.path().to_string(),
            built: Instant::now(),
            value: value.clone(),
        });
        value
    }

    /// Keeps the cookies a response from `url` sets.
    pub(crate) fn store_cookies(&self, headers: &HeaderMap, url: &Url) {
        let mut set_cookies = headers.get_all(SET_COOKIE).iter().peekable();
        if set_cookies.peek().is_some() {
            self.jar().set_cookies(&mut set_cookies, url);
            self.jar_changed();
        }
    }

    /// The session cookie the jar would send to `url`.
    pub(crate) fn session_cookie(&self, url: &Url) -> Option<SessionCookie> {
        let header = self.jar().cookies(url)?;
        let header = header.to_str().ok()?;
        header
            .split("; ")
            .filter_map(|pair| pair.split_once('='))
            .find(|(name, _)| *name == self.cookie_name)
            .map(|(_, value)| SessionCookie::new(value))
    }

    /// Puts a saved session cookie in the jar, for `url`.
    pub(crate) fn set_session_cookie(
        &self,
        cookie: &SessionCookie,
        url: &Url,
    ) -> Result<(), InvalidInput> {
        let value = cookie.expose();
        if value.is_empty()
            || value.contains([';', ',', ' ', '\r', '\n', '\t'])
            || value.chars().any(char::is_control)
        {
            return Err(InvalidInput::HeaderValue {
                name: "cookie".into(),
            });
        }
        self.jar()
            .add_cookie_str(&format!("{}={value}; Path=/", self.cookie_name), url);
        self.jar_changed();
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
        *self.jar.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(Jar::default());
        self.jar_changed();
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
