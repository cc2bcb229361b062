//! The session state of one client (shared by its clones): the cookie jar that holds
//! Medusa's session cookie, and the JWT from `get_token`. Nothing here is process-global,
//! unlike medusa-js's `JwtTokenManager`.

use std::sync::{Arc, PoisonError, RwLock};

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
    /// The token and its ready `Authorization` value (built once, not per call).
    token: RwLock<Option<(AccessToken, HeaderValue)>>,
}

impl Session {
    pub(crate) fn new(cookie_name: String) -> Self {
        Self {
            cookie_name,
            jar: RwLock::default(),
            token: RwLock::default(),
        }
    }

    fn jar(&self) -> Arc<Jar> {
        self.jar
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The `Cookie` header value for `url`, if the jar holds cookies for it.
    pub(crate) fn cookie_header(&self, url: &Url) -> Option<HeaderValue> {
        let mut value = self.jar().cookies(url)?;
        value.set_sensitive(true);
        Some(value)
    }

    /// Keeps the cookies a response from `url` sets.
    pub(crate) fn store_cookies(&self, headers: &HeaderMap, url: &Url) {
        let mut set_cookies = headers.get_all(SET_COOKIE).iter().peekable();
        if set_cookies.peek().is_some() {
            self.jar().set_cookies(&mut set_cookies, url);
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
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
