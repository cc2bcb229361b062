//! The session state of one client (shared by its clones): the cookie jar that holds
//! Medusa's `connect.sid`, and the JWT from `get_token`. Nothing here is process-global,
//! unlike medusa-js's `JwtTokenManager`.

use std::sync::{Arc, PoisonError, RwLock};

use reqwest::cookie::{CookieStore, Jar};
use reqwest::header::{HeaderMap, HeaderValue, AUTHORIZATION, SET_COOKIE};
use reqwest::Url;

use crate::credentials::AccessToken;
use crate::error::InvalidInput;

#[derive(Default)]
pub(crate) struct Session {
    // Replaced wholesale on `clear`: reqwest's `Jar` cannot remove cookies.
    jar: RwLock<Arc<Jar>>,
    /// The token and its ready `Authorization` value (built once, not per call).
    token: RwLock<Option<(AccessToken, HeaderValue)>>,
}

impl Session {
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

    /// Forgets the cookies and the token.
    pub(crate) fn clear(&self) {
        *self.jar.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(Jar::default());
        *self.token.write().unwrap_or_else(PoisonError::into_inner) = None;
    }
}
