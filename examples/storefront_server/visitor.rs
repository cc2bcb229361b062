//! The browser's side: the storefront's two cookies (the saved session and the CSRF token)
//! read from a request, and set again on the answer only when they changed.

use std::time::SystemTime;

use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use medusa_store_auth::SavedSession;

use super::shop::{Session, Shop};

/// The storefront's cookie holding the visitor's saved session.
const SESSION_COOKIE: &str = "shop_session";
/// The storefront's cookie holding the visitor's CSRF token.
const CSRF_COOKIE: &str = "shop_csrf";

pub struct Visitor {
    pub session: Session,
    /// What the browser's session cookie held.
    pub sent: Sent,
    csrf: Option<String>,
}

/// The session cookie a browser sent.
pub enum Sent {
    Nothing,
    Session(SavedSession),
    /// A cookie that restored nothing: to be removed.
    Unusable,
}

/// Settings of the storefront's own cookies.
#[derive(Clone, Copy, Default)]
pub struct CookieSettings {
    /// Mark the cookies `Secure` (a storefront behind HTTPS).
    pub secure: bool,
}

impl Visitor {
    /// The visitor of a request: their own session on the shared pool, restored from the
    /// browser's cookie. A cookie that does not decode, or is for the other line, is a
    /// signed-out visitor (and is removed with the answer).
    pub fn of(shop: &Shop, headers: &HeaderMap) -> Visitor {
        let csrf = cookie_token(headers);
        let Some(text) = cookie(headers, SESSION_COOKIE) else {
            return Visitor {
                session: shop.signed_out(),
                sent: Sent::Nothing,
                csrf,
            };
        };
        let restored = SavedSession::decode(text)
            .ok()
            .and_then(|saved| Some((shop.restore(&saved).ok()?, saved)));
        match restored {
            Some((session, saved)) => Visitor {
                session,
                sent: Sent::Session(saved),
                csrf,
            },
            None => Visitor {
                session: shop.signed_out(),
                sent: Sent::Unusable,
                csrf,
            },
        }
    }

    /// `response` with the visitor's cookies: the session only if this request changed it,
    /// the CSRF token if the browser has none yet.
    pub fn reply(
        &self,
        settings: CookieSettings,
        csrf: &str,
        response: impl IntoResponse,
    ) -> Response {
        let mut response = response.into_response();
        let secure = if settings.secure { "; Secure" } else { "" };
        let saved = self.session.saved();
        let session_cookie = match &self.sent {
            Sent::Session(sent) if *sent == saved => None,
            Sent::Nothing if saved.is_empty() => None,
            _ if saved.is_empty() => Some(format!(
                "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}"
            )),
            _ => {
                let max_age = saved
                    .expires_at()
                    .and_then(|at| at.duration_since(SystemTime::now()).ok())
                    .map(|left| format!("; Max-Age={}", left.as_secs()))
                    .unwrap_or_default();
                Some(format!(
                    "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax{max_age}{secure}",
                    saved.encode()
                ))
            }
        };
        let csrf_cookie = (self.csrf.as_deref() != Some(csrf))
            .then(|| format!("{CSRF_COOKIE}={csrf}; Path=/; HttpOnly; SameSite=Strict{secure}"));
        for cookie in [session_cookie, csrf_cookie].into_iter().flatten() {
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                response.headers_mut().append(SET_COOKIE, value);
            }
        }
        response
    }

    /// The same browser, signed out: its session cookie is removed with the next answer.
    pub fn signed_out(self, shop: &Shop) -> Visitor {
        Visitor {
            session: shop.signed_out(),
            ..self
        }
    }

    /// The CSRF token for this visitor's forms: the browser's, or a new one.
    pub fn csrf_token(&self) -> String {
        self.csrf
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
    }

    /// Whether a POST may act: its form token equals the cookie's, and it comes from no
    /// other site.
    pub fn may_post(&self, headers: &HeaderMap, form_token: &str) -> bool {
        let same_token = self
            .csrf
            .as_deref()
            .is_some_and(|cookie| !cookie.is_empty() && cookie == form_token);
        let same_origin = match (headers.get(ORIGIN), headers.get(HOST)) {
            (None, _) => true,
            (Some(origin), Some(host)) => origin
                .to_str()
                .ok()
                .and_then(|o| o.split_once("://"))
                .is_some_and(|(_, authority)| host.to_str().ok() == Some(authority)),
            (Some(_), None) => false,
        };
        same_token && same_origin
    }
}

/// The value of the browser's cookie `name`.
fn cookie<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find_map(|(n, v)| (n == name).then_some(v))
}

/// The browser's CSRF token, if it is one this storefront could have made.
fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie(headers, CSRF_COOKIE)
        .filter(|t| t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .map(str::to_string)
}
