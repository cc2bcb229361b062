//! A storefront a person can use: HTML pages (axum) that log customers in through Medusa,
//! v1 or v2, with one shared client for every visitor.
//!
//! ```text
//! GET  /            → the account page when signed in, else the login page
//! GET  /login       POST /login      email and password
//! GET  /register    POST /register   a new customer (v1 checks `exists` first)
//! GET  /account                      the customer, and a logout button
//! POST /logout
//! GET  /mfa         POST /mfa        v2: the second factor, when the store asks for it
//! GET  /verify      POST /verify     v2: the emailed code, when the store asks for it
//! ```
//!
//! Run it with `cargo run --example storefront_server` and open <http://127.0.0.1:3000>:
//! - `MEDUSA_LINE=v1|v2` (or `--line`): which Medusa it talks to (default v1);
//! - `MEDUSA_BACKEND_URL` (and, for v2, `MEDUSA_PUBLISHABLE_KEY`): the Medusa server; without
//!   it the crate's stand-in for that line is started, with `alice@example.com` /
//!   `S3cret-pass!` registered;
//! - `STOREFRONT_ADDRESS` (or `--listen`): where it listens (default `127.0.0.1:3000`);
//! - `STOREFRONT_SECURE_COOKIES=1`: mark its cookies `Secure`, for a storefront behind HTTPS.
//!
//! # The session pattern
//!
//! Each request restores the visitor's [`SavedSession`] (kept in the storefront's own
//! cookie) on the one shared client, makes its calls, and sends the cookie again only when
//! the session changed; logging out empties it and the cookie is removed. Nothing of a
//! visitor lives in the server between requests, so any number of instances can serve them.
//!
//! # Cookies and CSRF
//!
//! - `shop_session` holds the encoded [`SavedSession`] (Medusa's session cookie for v1, the
//!   customer's token for v2): `HttpOnly` (no script reads it), `SameSite=Lax` (another
//!   site's form posts arrive without it), `Secure` behind HTTPS. For v2 it lives as long as
//!   the token, which is renewed when it has less than an hour left.
//! - Every form carries a token that must equal the `shop_csrf` cookie (double submit), and a
//!   POST whose `Origin` is another site's is refused. `SameSite=Lax` alone would leave
//!   browsers without it, and subdomains that can set cookies, unprotected.
//! - What the browser sends is hostile: a session cookie that does not decode, or is for the
//!   other line, reads as signed out (and is removed); page text is HTML-escaped.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime};

use axum::extract::{Form, Query, State};
use axum::http::header::{COOKIE, HOST, ORIGIN, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v2::types::{
    AuthMfaChallengeVerifyReq, AuthPayload, AuthVerificationRequestReq, Login, StoreCreateCustomer,
};
use medusa_store_auth::v2::{Pending, Renewal, EMAILPASS};
use medusa_store_auth::{v1, v2, AuthFailure, Config, Error, SavedSession};
use serde::Deserialize;

/// The storefront's cookie holding the visitor's saved session.
const SESSION_COOKIE: &str = "shop_session";
/// The storefront's cookie holding the visitor's CSRF token.
const CSRF_COOKIE: &str = "shop_csrf";
/// A v2 token with less than this left is renewed on the visitor's next page.
const RENEW_WITHIN: Duration = Duration::from_secs(3600);

// ---------------------------------------------------------------------------------------
// The shop: one shared client, for either line
// ---------------------------------------------------------------------------------------

/// The Medusa behind the storefront: one client (one connection pool) for every visitor.
#[derive(Clone)]
pub enum Shop {
    V1 {
        client: v1::AuthClient,
        /// v1 registers customers at `POST /store/customers`, outside the store-auth API
        /// the crate covers: a plain request on the same connection pool.
        http: reqwest::Client,
        base_url: String,
    },
    V2(v2::AuthClient),
}

impl Shop {
    /// A shop on `line` ("v1" or "v2") at `base_url`; v2 needs the store's publishable key.
    pub fn connect(
        line: &str,
        base_url: &str,
        publishable_key: Option<&str>,
    ) -> Result<Self, Error> {
        let http = reqwest::Client::new();
        let config = Config::new()
            .with_base_url(base_url)
            .with_http_client(http.clone());
        match line {
            "v2" => Ok(Shop::V2(v2::AuthClient::new(
                config.with_publishable_api_key(publishable_key.unwrap_or_default()),
            )?)),
            _ => Ok(Shop::V1 {
                client: v1::AuthClient::new(config)?,
                http,
                base_url: base_url.trim_end_matches('/').to_string(),
            }),
        }
    }

    fn line(&self) -> &'static str {
        match self {
            Shop::V1 { .. } => "Medusa v1",
            Shop::V2(_) => "Medusa v2",
        }
    }

    /// The visitor's own session on the shared pool, restored from the browser's cookie.
    /// A cookie that does not decode, or is for the other line, is a signed-out visitor.
    fn visitor(&self, headers: &HeaderMap) -> Visitor {
        let csrf = cookie_token(headers);
        let Some(text) = cookie(headers, SESSION_COOKIE) else {
            return Visitor {
                session: self.signed_out(),
                sent: Sent::Nothing,
                csrf,
            };
        };
        let restored = SavedSession::decode(text).ok().and_then(|saved| {
            let session = match self {
                Shop::V1 { client, .. } => client.restore_session(&saved).map(Session::V1),
                Shop::V2(client) => client.restore_session(&saved).map(Session::V2),
            };
            Some((session.ok()?, saved))
        });
        match restored {
            Some((session, saved)) => Visitor {
                session,
                sent: Sent::Session(saved),
                csrf,
            },
            None => Visitor {
                session: self.signed_out(),
                sent: Sent::Unusable,
                csrf,
            },
        }
    }

    fn signed_out(&self) -> Session {
        match self {
            Shop::V1 { client, .. } => Session::V1(client.new_session()),
            Shop::V2(client) => Session::V2(client.new_session()),
        }
    }
}

/// A customer as the pages show one, from either line.
struct Customer {
    id: String,
    email: String,
    name: String,
}

/// Where a sign-in stands after a step.
enum SignIn {
    /// The customer can act: show the account.
    Done,
    /// v2: the store asks for the second factor.
    SecondFactor { challenge_id: String },
    /// v2: the store asks for the emailed code.
    Verify,
}

/// One visitor's session on the shared client.
enum Session {
    V1(v1::AuthClient),
    V2(v2::AuthClient),
}

impl Session {
    fn saved(&self) -> SavedSession {
        match self {
            Session::V1(client) => client.saved_session(),
            Session::V2(client) => client.saved_session(),
        }
    }

    async fn log_in(&self, email: &str, password: &str) -> Result<SignIn, Error> {
        match self {
            Session::V1(client) => {
                client
                    .authenticate(&StorePostAuthReq::new(email, password))
                    .await?;
                Ok(SignIn::Done)
            }
            Session::V2(client) => {
                let login = client
                    .login(EMAILPASS, &AuthPayload::email_password(email, password))
                    .await?;
                self.next_step(login, email).await
            }
        }
    }

    async fn register(&self, form: &RegisterForm, shop: &Shop) -> Result<Registration, Error> {
        match (self, shop) {
            (Session::V1(client), Shop::V1 { http, base_url, .. }) => {
                if client.exists(&form.email).await?.exists {
                    return Ok(Registration::Taken);
                }
                let created = http
                    .post(format!("{base_url}/store/customers"))
                    .json(&serde_json::json!({
                        "email": form.email, "password": form.password,
                        "first_name": form.first_name, "last_name": form.last_name,
                    }))
                    .send()
                    .await;
                match created.map(|r| r.status()) {
                    Ok(status) if status.is_success() => {}
                    Ok(StatusCode::UNPROCESSABLE_ENTITY) => return Ok(Registration::Taken),
                    Ok(status) if status.is_client_error() => return Ok(Registration::Refused),
                    _ => return Ok(Registration::Unavailable),
                }
                self.log_in(&form.email, &form.password)
                    .await
                    .map(Registration::Signed)
            }
            (Session::V2(client), _) => {
                let customer = StoreCreateCustomer {
                    first_name: Some(form.first_name.clone()).filter(|n| !n.is_empty()),
                    last_name: Some(form.last_name.clone()).filter(|n| !n.is_empty()),
                    ..StoreCreateCustomer::new(&form.email)
                };
                let credentials = AuthPayload::email_password(&form.email, &form.password);
                match client.sign_up(EMAILPASS, &credentials, &customer).await {
                    // Medusa answers 401 for an email that has an identity already.
                    Err(error) if error.is_unauthorized() => Ok(Registration::Taken),
                    Err(error) => Err(error),
                    Ok(signed_up) => self
                        .next_step(signed_up.login, &form.email)
                        .await
                        .map(Registration::Signed),
                }
            }
            // A session is always of its shop's line (`Shop::visitor` makes it).
            (Session::V1(_), Shop::V2(_)) => Ok(Registration::Unavailable),
        }
    }

    /// What a v2 login answer asks for next; a code is requested when verification is.
    async fn next_step(&self, login: Login, email: &str) -> Result<SignIn, Error> {
        let Session::V2(client) = self else {
            return Ok(SignIn::Done);
        };
        match login {
            Login::MfaRequired { challenge, .. } => Ok(SignIn::SecondFactor {
                challenge_id: challenge.id,
            }),
            Login::VerificationRequired { .. } => {
                client
                    .verification()
                    .request(&AuthVerificationRequestReq::email(email))
                    .await?;
                Ok(SignIn::Verify)
            }
            _ => Ok(SignIn::Done),
        }
    }

    /// The signed-in customer; for v2 the token is renewed first when it is close to expiry.
    /// `Ok(None)`: nobody is signed in (or the token has expired).
    async fn customer(&self) -> Result<Option<Customer>, Error> {
        let customer = match self {
            Session::V1(client) => client.get_session().await.map(|me| {
                let c = me.customer;
                Customer {
                    name: full_name(c.first_name.as_deref(), c.last_name.as_deref()),
                    id: c.id,
                    email: c.email,
                }
            }),
            Session::V2(client) => {
                if client.saved_session().is_empty() {
                    return Ok(None);
                }
                if let Renewal::Expired = client.renew_token(RENEW_WITHIN).await? {
                    return Ok(None);
                }
                client.retrieve_customer().await.map(|me| {
                    let c = me.customer;
                    Customer {
                        name: full_name(c.first_name.as_deref(), c.last_name.as_deref()),
                        id: c.id,
                        email: c.email.unwrap_or_default(),
                    }
                })
            }
        };
        match customer {
            Ok(customer) => Ok(Some(customer)),
            Err(error) if error.is_unauthorized() => Ok(None),
            Err(error) => Err(error),
        }
    }

    /// v2: the second factor's answer; `recovery` when it is a recovery code.
    async fn answer_challenge(&self, id: &str, code: &str, recovery: bool) -> Result<(), Error> {
        let Session::V2(client) = self else {
            return Ok(());
        };
        let answer = if recovery {
            AuthMfaChallengeVerifyReq::recovery_code(code)
        } else {
            AuthMfaChallengeVerifyReq::totp(code)
        };
        client.mfa().verify_challenge(id, &answer).await.map(drop)
    }

    /// v2: the emailed code, then a refresh for a token that acts (or asks for more).
    async fn confirm_email(&self, code: &str) -> Result<SignIn, Error> {
        let Session::V2(client) = self else {
            return Ok(SignIn::Done);
        };
        client.verification().confirm(code).await?;
        match client.refresh().await? {
            Login::MfaRequired { challenge, .. } => Ok(SignIn::SecondFactor {
                challenge_id: challenge.id,
            }),
            Login::VerificationRequired { .. } => Ok(SignIn::Verify),
            _ => Ok(SignIn::Done),
        }
    }

    /// v2: a new challenge for a visitor whose sign-in waits for the second factor.
    async fn new_challenge(&self) -> Result<Option<String>, Error> {
        let Session::V2(client) = self else {
            return Ok(None);
        };
        Ok(client
            .refresh()
            .await?
            .mfa_challenge()
            .map(|c| c.id.clone()))
    }

    fn pending(&self) -> Option<Pending> {
        self.saved().pending()
    }

    async fn log_out(&self) -> Result<(), Error> {
        match self {
            Session::V1(client) => client.delete_session().await,
            Session::V2(client) => client.logout().await.map(drop),
        }
    }
}

enum Registration {
    Signed(SignIn),
    Taken,
    Refused,
    Unavailable,
}

fn full_name(first: Option<&str>, last: Option<&str>) -> String {
    [first, last]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

// ---------------------------------------------------------------------------------------
// The visitor: session and CSRF cookies in, Set-Cookie out
// ---------------------------------------------------------------------------------------

struct Visitor {
    session: Session,
    /// What the browser's session cookie held.
    sent: Sent,
    csrf: Option<String>,
}

/// The session cookie a browser sent.
enum Sent {
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
    /// `response` with the visitor's cookies: the session only if this request changed it,
    /// the CSRF token if the browser has none yet.
    fn reply(&self, settings: CookieSettings, csrf: &str, response: impl IntoResponse) -> Response {
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
    fn signed_out(self, shop: &Shop) -> Visitor {
        Visitor {
            session: shop.signed_out(),
            ..self
        }
    }

    /// The CSRF token for this visitor's forms: the browser's, or a new one.
    fn csrf_token(&self) -> String {
        self.csrf
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().simple().to_string())
    }

    /// Whether a POST may act: its form token equals the cookie's, and it comes from no
    /// other site.
    fn may_post(&self, headers: &HeaderMap, form_token: &str) -> bool {
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

// ---------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------

#[derive(Clone)]
struct App {
    shop: Shop,
    cookies: CookieSettings,
}

/// The storefront's routes over `shop`.
pub fn router(shop: Shop, cookies: CookieSettings) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login_page).post(login))
        .route("/register", get(register_page).post(register))
        .route("/account", get(account))
        .route("/logout", axum::routing::post(logout))
        .route("/mfa", get(mfa_page).post(mfa))
        .route("/verify", get(verify_page).post(verify))
        .fallback(not_found)
        .with_state(App { shop, cookies })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    csrf: String,
    email: String,
    password: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RegisterForm {
    csrf: String,
    email: String,
    password: String,
    first_name: String,
    last_name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CodeForm {
    csrf: String,
    challenge: String,
    code: String,
    method: String,
}

async fn home(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = app.shop.visitor(&headers);
    let to = if visitor.session.saved().is_empty() {
        "/login"
    } else {
        "/account"
    };
    Redirect::to(to).into_response()
}

async fn login_page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let visitor = app.shop.visitor(&headers);
    // Only fixed notices: nothing from the query string reaches the page.
    let notice = match query.get("notice").map(String::as_str) {
        Some("logged-out") => Some("You have logged out."),
        Some("expired") => Some("Your session has ended: please log in again."),
        Some("again") => Some("That sign-in can no longer be finished: please log in again."),
        _ => None,
    };
    let csrf = visitor.csrf_token();
    let page = login_form(&app.shop, &csrf, "", notice.map(Notice::Info));
    visitor.reply(app.cookies, &csrf, page)
}

async fn login(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let (visitor, csrf) = match posted(&app, &headers, &form.csrf) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    // A new sign-in starts from nothing, whatever the browser held.
    let visitor = visitor.signed_out(&app.shop);
    let outcome = visitor.session.log_in(&form.email, &form.password).await;
    let visitor = keep_if_ok(&app.shop, visitor, &outcome);
    let page = match outcome {
        Ok(step) => signed_in(step),
        Err(error) if error.is_unauthorized() => (
            StatusCode::UNAUTHORIZED,
            login_form(
                &app.shop,
                &csrf,
                &form.email,
                Some(Notice::Error(
                    "That email and password do not match an account.",
                )),
            ),
        )
            .into_response(),
        Err(error) if error.is_invalid_data() || error.is_invalid_input() => (
            StatusCode::BAD_REQUEST,
            login_form(
                &app.shop,
                &csrf,
                &form.email,
                Some(Notice::Error("Enter an email address and a password.")),
            ),
        )
            .into_response(),
        Err(error) => trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn register_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = app.shop.visitor(&headers);
    let csrf = visitor.csrf_token();
    let page = register_form(&app.shop, &csrf, &RegisterForm::default(), None);
    visitor.reply(app.cookies, &csrf, page)
}

async fn register(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<RegisterForm>,
) -> Response {
    let (visitor, csrf) = match posted(&app, &headers, &form.csrf) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    let visitor = visitor.signed_out(&app.shop);
    let refused = |status, message| {
        (
            status,
            register_form(&app.shop, &csrf, &form, Some(Notice::Error(message))),
        )
            .into_response()
    };
    let outcome = visitor.session.register(&form, &app.shop).await;
    let visitor = match outcome {
        Ok(Registration::Signed(_)) => visitor,
        _ => keep_if_ok(&app.shop, visitor, &Err::<(), ()>(())),
    };
    let page = match outcome {
        Ok(Registration::Signed(step)) => signed_in(step),
        Ok(Registration::Taken) => refused(
            StatusCode::CONFLICT,
            "An account with this email exists already: log in instead.",
        ),
        Ok(Registration::Refused) => refused(
            StatusCode::BAD_REQUEST,
            "The shop refused these details: check the email, the names and the password.",
        ),
        Err(error) if error.is_invalid_data() || error.is_invalid_input() => refused(
            StatusCode::BAD_REQUEST,
            "The shop refused these details: check the email, the names and the password.",
        ),
        Ok(Registration::Unavailable) => unavailable(&app.shop),
        Err(error) => trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

/// The visitor of a POST and its CSRF token, or the page that refuses a form it did not get
/// from this storefront.
fn posted(
    app: &App,
    headers: &HeaderMap,
    form_token: &str,
) -> Result<(Visitor, String), Box<Response>> {
    let visitor = app.shop.visitor(headers);
    let csrf = visitor.csrf_token();
    if visitor.may_post(headers, form_token) {
        Ok((visitor, csrf))
    } else {
        Err(Box::new(visitor.reply(
            app.cookies,
            &csrf,
            expired_form(&app.shop),
        )))
    }
}

/// The visitor, with the session a sign-in step left only if the step succeeded: a refused
/// login leaves an anonymous session (Medusa v1 sets a cookie on every answer), not worth
/// keeping in the browser.
fn keep_if_ok<T, E>(shop: &Shop, visitor: Visitor, outcome: &Result<T, E>) -> Visitor {
    match outcome {
        Ok(_) => visitor,
        Err(_) => visitor.signed_out(shop),
    }
}

/// Where a finished step sends the browser.
fn signed_in(step: SignIn) -> Response {
    match step {
        SignIn::Done => Redirect::to("/account").into_response(),
        SignIn::SecondFactor { challenge_id } => {
            Redirect::to(&format!("/mfa?challenge={challenge_id}")).into_response()
        }
        SignIn::Verify => Redirect::to("/verify").into_response(),
    }
}

async fn account(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = app.shop.visitor(&headers);
    let csrf = visitor.csrf_token();
    let page = match visitor.session.pending() {
        Some(Pending::Verification) => Redirect::to("/verify").into_response(),
        Some(Pending::SecondFactor) => match visitor.session.new_challenge().await {
            Ok(Some(id)) => signed_in(SignIn::SecondFactor { challenge_id: id }),
            Ok(None) => Redirect::to("/login?notice=again").into_response(),
            Err(error) => trouble(&app.shop, &error),
        },
        _ => match visitor.session.customer().await {
            Ok(Some(customer)) => account_page(&app.shop, &csrf, &customer).into_response(),
            Ok(None) => {
                let visitor_had_one = matches!(visitor.sent, Sent::Session(_));
                let to = if visitor_had_one {
                    "/login?notice=expired"
                } else {
                    "/login"
                };
                // Whatever the browser held acts as nobody: remove it.
                let visitor = visitor.signed_out(&app.shop);
                return visitor.reply(app.cookies, &csrf, Redirect::to(to));
            }
            Err(error) => trouble(&app.shop, &error),
        },
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn logout(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let (visitor, csrf) = match posted(&app, &headers, &form.csrf) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    // The browser forgets the session whatever the server says: a token is never revoked
    // by Medusa, and a v1 session left on a server that is down expires there.
    if let Err(error) = visitor.session.log_out().await {
        eprintln!("logout: {error}");
    }
    let visitor = visitor.signed_out(&app.shop);
    visitor.reply(app.cookies, &csrf, Redirect::to("/login?notice=logged-out"))
}

async fn mfa_page(
    State(app): State<App>,
    headers: HeaderMap,
    Query(query): Query<HashMap<String, String>>,
) -> Response {
    let visitor = app.shop.visitor(&headers);
    let csrf = visitor.csrf_token();
    let page = match (visitor.session.pending(), query.get("challenge")) {
        (Some(Pending::SecondFactor), Some(id)) if is_challenge_id(id) => {
            mfa_form(&app.shop, &csrf, id, None).into_response()
        }
        _ => Redirect::to("/account").into_response(),
    };
    visitor.reply(app.cookies, &csrf, page)
}

/// A challenge id as Medusa makes them (`mfach_…`): it goes into a page and a path.
fn is_challenge_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

async fn mfa(State(app): State<App>, headers: HeaderMap, Form(form): Form<CodeForm>) -> Response {
    let (visitor, csrf) = match posted(&app, &headers, &form.csrf) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    if visitor.session.pending() != Some(Pending::SecondFactor) || !is_challenge_id(&form.challenge)
    {
        return visitor.reply(app.cookies, &csrf, Redirect::to("/account"));
    }
    let code = form.code.trim();
    let answer = visitor
        .session
        .answer_challenge(&form.challenge, code, form.method == "recovery")
        .await;
    let page = match answer {
        Ok(()) => Redirect::to("/account").into_response(),
        Err(error) if error.auth_failure() == Some(AuthFailure::InvalidCode) => (
            StatusCode::UNAUTHORIZED,
            mfa_form(
                &app.shop,
                &csrf,
                &form.challenge,
                Some(Notice::Error(
                    "That code is not right: try the current one.",
                )),
            ),
        )
            .into_response(),
        Err(error) if error.auth_failure().is_some() || error.is_invalid_input() => {
            let visitor = visitor.signed_out(&app.shop);
            return visitor.reply(app.cookies, &csrf, Redirect::to("/login?notice=again"));
        }
        Err(error) => trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn verify_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = app.shop.visitor(&headers);
    let csrf = visitor.csrf_token();
    let page = match visitor.session.pending() {
        Some(Pending::Verification) => verify_form(&app.shop, &csrf, None).into_response(),
        _ => Redirect::to("/account").into_response(),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn verify(
    State(app): State<App>,
    headers: HeaderMap,
    Form(form): Form<CodeForm>,
) -> Response {
    let (visitor, csrf) = match posted(&app, &headers, &form.csrf) {
        Ok(posted) => posted,
        Err(refused) => return *refused,
    };
    if visitor.session.pending() != Some(Pending::Verification) {
        return visitor.reply(app.cookies, &csrf, Redirect::to("/account"));
    }
    let page = match visitor.session.confirm_email(form.code.trim()).await {
        Ok(step) => signed_in(step),
        Err(error) if error.auth_failure() == Some(AuthFailure::InvalidCode) => (
            StatusCode::UNAUTHORIZED,
            verify_form(
                &app.shop,
                &csrf,
                Some(Notice::Error(
                    "That code is not right: check the latest email.",
                )),
            ),
        )
            .into_response(),
        Err(error) if error.auth_failure().is_some() || error.is_invalid_input() => {
            let visitor = visitor.signed_out(&app.shop);
            return visitor.reply(app.cookies, &csrf, Redirect::to("/login?notice=again"));
        }
        Err(error) => trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn not_found(State(app): State<App>) -> Response {
    (
        StatusCode::NOT_FOUND,
        page(
            &app.shop,
            "Not found",
            "<p>There is no such page. <a href=\"/\">Go to the shop's front page</a>.</p>",
        ),
    )
        .into_response()
}

/// The page for a failure the visitor can do nothing about but wait.
fn trouble(shop: &Shop, error: &Error) -> Response {
    // An error's Display never holds a password, token or cookie.
    eprintln!("medusa: {error}");
    let down = error.is_transport()
        || error.is_timeout()
        || error.status().is_some_and(|s| s.is_server_error());
    if down {
        unavailable(shop)
    } else {
        (
            StatusCode::BAD_GATEWAY,
            page(
                shop,
                "Something went wrong",
                "<p class=\"error\">The shop's account service gave an answer we did not expect. \
                 Try again; if it keeps happening, contact the shop.</p>",
            ),
        )
            .into_response()
    }
}

fn unavailable(shop: &Shop) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        page(
            shop,
            "The shop is unavailable",
            "<p class=\"error\">We cannot reach the shop's account service right now. \
             Nothing was changed: try again in a minute.</p>\
             <p><a href=\"/\">Try again</a></p>",
        ),
    )
        .into_response()
}

fn expired_form(shop: &Shop) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            shop,
            "This form has expired",
            "<p class=\"error\">This form was not sent from this shop's page, or it has \
             expired. <a href=\"/login\">Open the page again</a> and retry.</p>",
        ),
    )
        .into_response()
}

// ---------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------

enum Notice {
    Info(&'static str),
    Error(&'static str),
}

fn notice_html(notice: Option<Notice>) -> String {
    match notice {
        Some(Notice::Info(text)) => format!("<p class=\"info\" role=\"status\">{text}</p>"),
        Some(Notice::Error(text)) => format!("<p class=\"error\" role=\"alert\">{text}</p>"),
        None => String::new(),
    }
}

/// Text from a customer or a form, made safe to put in a page.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn page(shop: &Shop, title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Example Shop</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}
header {{ display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #d0d7de; margin-bottom: 1rem; }}
header small {{ color: #59636e; }}
label {{ display: block; margin: .75rem 0 .25rem; }}
input {{ width: 100%; padding: .5rem; box-sizing: border-box; font-size: 1rem; }}
button {{ margin-top: 1rem; padding: .5rem 1rem; font-size: 1rem; }}
.error {{ background: #ffebe9; border: 1px solid #ff8182; padding: .5rem; }}
.info {{ background: #ddf4ff; border: 1px solid #54aeff; padding: .5rem; }}
dt {{ font-weight: bold; margin-top: .5rem; }}
</style>
</head>
<body>
<header><h1>Example Shop</h1><small>{line}</small></header>
<main>
<h2>{title}</h2>
{body}
</main>
</body>
</html>
"#,
        line = shop.line(),
    ))
}

fn login_form(shop: &Shop, csrf: &str, email: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="log-in" type="submit">Log in</button>
</form>
<p>New here? <a href="/register">Create an account</a>.</p>"#,
        notice = notice_html(notice),
        email = escape(email),
    );
    page(shop, "Log in", &body)
}

fn register_form(
    shop: &Shop,
    csrf: &str,
    form: &RegisterForm,
    notice: Option<Notice>,
) -> Html<String> {
    let body = format!(
        r#"{notice}<form method="post" action="/register">
<input type="hidden" name="csrf" value="{csrf}">
<label for="first_name">First name</label><input id="first_name" name="first_name" autocomplete="given-name" required value="{first}">
<label for="last_name">Last name</label><input id="last_name" name="last_name" autocomplete="family-name" required value="{last}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button id="register" type="submit">Create account</button>
</form>
<p>Have an account? <a href="/login">Log in</a>.</p>"#,
        notice = notice_html(notice),
        first = escape(&form.first_name),
        last = escape(&form.last_name),
        email = escape(&form.email),
    );
    page(shop, "Create an account", &body)
}

fn account_page(shop: &Shop, csrf: &str, customer: &Customer) -> Html<String> {
    let body = format!(
        r#"<p>Welcome back{comma}<span id="customer-name">{name}</span>.</p>
<dl><dt>Email</dt><dd id="customer-email">{email}</dd><dt>Customer</dt><dd id="customer-id">{id}</dd></dl>
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="{csrf}">
<button id="log-out" type="submit">Log out</button>
</form>"#,
        comma = if customer.name.is_empty() { "" } else { ", " },
        name = escape(&customer.name),
        email = escape(&customer.email),
        id = escape(&customer.id),
    );
    page(shop, "Your account", &body)
}

fn mfa_form(shop: &Shop, csrf: &str, challenge: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<p>Your account has a second factor: enter the code your authenticator app shows.</p>
<form method="post" action="/mfa">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="challenge" value="{challenge}">
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<label><input type="checkbox" name="method" value="recovery" style="width:auto"> This is a recovery code</label>
<button id="confirm" type="submit">Confirm</button>
</form>"#,
        notice = notice_html(notice),
        challenge = escape(challenge),
    );
    page(shop, "Second factor", &body)
}

fn verify_form(shop: &Shop, csrf: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<p>The shop needs to check your email address: we have sent you a code.</p>
<form method="post" action="/verify">
<input type="hidden" name="csrf" value="{csrf}">
<label for="code">Code from the email</label><input id="code" name="code" autocomplete="one-time-code" required>
<button id="confirm" type="submit">Confirm</button>
</form>
<p>No email? <a href="/login">Log in again</a> for a new code.</p>"#,
        notice = notice_html(notice),
    );
    page(shop, "Check your email", &body)
}

// ---------------------------------------------------------------------------------------
// Running it
// ---------------------------------------------------------------------------------------

/// Serves the storefront on `listener` until the task is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shop: Shop,
    cookies: CookieSettings,
) -> std::io::Result<()> {
    axum::serve(listener, router(shop, cookies)).await
}

fn setting(flag: &str, variable: &str) -> Option<String> {
    std::env::args()
        .skip_while(|a| a != flag)
        .nth(1)
        .or_else(|| std::env::var(variable).ok())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let line = setting("--line", "MEDUSA_LINE").unwrap_or_else(|| "v1".into());
    if line != "v1" && line != "v2" {
        return Err(format!("MEDUSA_LINE is v1 or v2, not {line:?}").into());
    }
    // Without a server, the crate's stand-in for the line, kept alive while this runs.
    let mut stand_in: (
        Option<medusa_store_auth::mock::MockStore>,
        Option<medusa_store_auth::mock::v2::MockStore>,
    ) = (None, None);
    let (backend, key) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => (url, std::env::var("MEDUSA_PUBLISHABLE_KEY").ok()),
        Err(_) if line == "v2" => {
            let store = medusa_store_auth::mock::v2::MockStore::start().await;
            let url = store.base_url().to_string();
            stand_in.1 = Some(store);
            (
                url,
                Some(medusa_store_auth::mock::v2::PUBLISHABLE_KEY.to_string()),
            )
        }
        Err(_) => {
            let store = medusa_store_auth::mock::MockStore::start().await;
            let url = store.base_url().to_string();
            stand_in.0 = Some(store);
            (url, None)
        }
    };
    let shop = Shop::connect(&line, &backend, key.as_deref())?;
    let cookies = CookieSettings {
        secure: std::env::var("STOREFRONT_SECURE_COOKIES").is_ok_and(|v| v == "1"),
    };
    let address: SocketAddr = setting("--listen", "STOREFRONT_ADDRESS")
        .unwrap_or_else(|| "127.0.0.1:3000".into())
        .parse()?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!(
        "storefront on http://{}, in front of {} at {backend}{}",
        listener.local_addr()?,
        shop.line(),
        if stand_in.0.is_some() || stand_in.1.is_some() {
            " (the crate's stand-in: log in as alice@example.com / S3cret-pass!)"
        } else {
            ""
        }
    );
    serve(listener, shop, cookies).await?;
    Ok(())
}
