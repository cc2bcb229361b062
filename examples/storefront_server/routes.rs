//! The routes: each restores the visitor, takes one step, and answers with a page or a
//! redirect, and the visitor's cookies when they changed.

use std::collections::HashMap;

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use medusa_store_auth::v2::Pending;
use medusa_store_auth::AuthFailure;
use serde::Deserialize;

use super::pages::{self, Notice};
use super::shop::{NewCustomer, Registration, Shop, SignIn};
use super::visitor::{CookieSettings, Sent, Visitor};

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
        .route("/logout", post(logout))
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
    #[serde(flatten)]
    customer: NewCustomer,
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
    let visitor = Visitor::of(&app.shop, &headers);
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
    let visitor = Visitor::of(&app.shop, &headers);
    // Only fixed notices: nothing from the query string reaches the page.
    let notice = match query.get("notice").map(String::as_str) {
        Some("logged-out") => Some("You have logged out."),
        Some("expired") => Some("Your session has ended: please log in again."),
        Some("again") => Some("That sign-in can no longer be finished: please log in again."),
        _ => None,
    };
    let csrf = visitor.csrf_token();
    let page = pages::login_form(&app.shop, &csrf, "", notice.map(Notice::Info));
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
    let refused = |status, message| {
        let notice = Some(Notice::Error(message));
        (
            status,
            pages::login_form(&app.shop, &csrf, &form.email, notice),
        )
            .into_response()
    };
    let page = match outcome {
        Ok(step) => signed_in(step),
        Err(error) if error.is_unauthorized() => refused(
            StatusCode::UNAUTHORIZED,
            "That email and password do not match an account.",
        ),
        Err(error) if error.is_invalid_data() || error.is_invalid_input() => refused(
            StatusCode::BAD_REQUEST,
            "Enter an email address and a password.",
        ),
        Err(error) => pages::trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn register_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = Visitor::of(&app.shop, &headers);
    let csrf = visitor.csrf_token();
    let page = pages::register_form(&app.shop, &csrf, &NewCustomer::default(), None);
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
            pages::register_form(
                &app.shop,
                &csrf,
                &form.customer,
                Some(Notice::Error(message)),
            ),
        )
            .into_response()
    };
    let outcome = visitor.session.register(&form.customer, &app.shop).await;
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
        Ok(Registration::Unavailable) => pages::unavailable(&app.shop),
        Err(error) => pages::trouble(&app.shop, &error),
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
    let visitor = Visitor::of(&app.shop, headers);
    let csrf = visitor.csrf_token();
    if visitor.may_post(headers, form_token) {
        Ok((visitor, csrf))
    } else {
        Err(Box::new(visitor.reply(
            app.cookies,
            &csrf,
            pages::expired_form(&app.shop),
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
    let visitor = Visitor::of(&app.shop, &headers);
    let csrf = visitor.csrf_token();
    let page = match visitor.session.pending() {
        Some(Pending::Verification) => Redirect::to("/verify").into_response(),
        Some(Pending::SecondFactor) => match visitor.session.new_challenge().await {
            Ok(Some(id)) => signed_in(SignIn::SecondFactor { challenge_id: id }),
            Ok(None) => Redirect::to("/login?notice=again").into_response(),
            Err(error) => pages::trouble(&app.shop, &error),
        },
        _ => match visitor.session.customer().await {
            Ok(Some(customer)) => pages::account_page(&app.shop, &csrf, &customer).into_response(),
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
            Err(error) => pages::trouble(&app.shop, &error),
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
    let visitor = Visitor::of(&app.shop, &headers);
    let csrf = visitor.csrf_token();
    let page = match (visitor.session.pending(), query.get("challenge")) {
        (Some(Pending::SecondFactor), Some(id)) if is_challenge_id(id) => {
            pages::mfa_form(&app.shop, &csrf, id, None).into_response()
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
            pages::mfa_form(
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
        Err(error) => pages::trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn verify_page(State(app): State<App>, headers: HeaderMap) -> Response {
    let visitor = Visitor::of(&app.shop, &headers);
    let csrf = visitor.csrf_token();
    let page = match visitor.session.pending() {
        Some(Pending::Verification) => pages::verify_form(&app.shop, &csrf, None).into_response(),
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
            pages::verify_form(
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
        Err(error) => pages::trouble(&app.shop, &error),
    };
    visitor.reply(app.cookies, &csrf, page)
}

async fn not_found(State(app): State<App>) -> Response {
    (
        StatusCode::NOT_FOUND,
        pages::page(
            &app.shop,
            "Not found",
            "<p>There is no such page. <a href=\"/\">Go to the shop's front page</a>.</p>",
        ),
    )
        .into_response()
}
