//! A server-side storefront (axum) that logs customers in through Medusa and forwards their
//! session on later requests: the session forwarding medusa-js users ask for in server
//! rendering, with one client per request on one shared connection pool.
//!
//! ```text
//! POST /login   {"email","password"}  → Medusa POST /store/auth; the browser gets connect.sid
//! POST /token   {"email","password"}  → Medusa POST /store/auth/token; the browser gets the JWT
//! GET  /me      cookie or `Authorization: Bearer` → Medusa GET /store/auth with the same credential
//! POST /logout  cookie                → Medusa DELETE /store/auth; the browser's cookie is cleared
//! ```
//!
//! `cargo run --example storefront_server` listens on 127.0.0.1:3000 (or `--listen ADDRESS`,
//! or `STOREFRONT_ADDRESS`) in front of `MEDUSA_BACKEND_URL`, or of the crate's stand-in
//! server when that is unset.
//! `cargo run --example storefront_server -- --self-test` starts it on a free port, plays a
//! browser against it (login, me, logout, me; token, me) and exits non-zero on any surprise.

use std::net::SocketAddr;

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use medusa_store_auth::mock::{MockStore, RECORDED_EMAIL, RECORDED_PASSWORD};
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{AccessToken, Config, Error, SessionCookie};
use serde::Deserialize;
use serde_json::json;

/// The cookie the storefront gives the browser: Medusa's own session id, passed through.
const BROWSER_COOKIE: &str = "medusa_session";

#[derive(Deserialize)]
struct Login {
    email: String,
    password: String,
}

/// One shared client: its connection pool is reused, its session never is (see `per_request`).
#[derive(Clone)]
struct App {
    medusa: AuthClient,
}

impl App {
    /// A client for one incoming request: the shared pool and configuration, and only this
    /// browser's credential.
    fn per_request(&self, headers: &HeaderMap) -> Result<AuthClient, Error> {
        let client = self.medusa.new_session();
        if let Some(cookie) = browser_cookie(headers) {
            client.set_session_cookie(&SessionCookie::new(cookie))?;
        }
        if let Some(token) = headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
        {
            client.set_token(AccessToken::new(token))?;
        }
        Ok(client)
    }
}

fn browser_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|cookie| {
            cookie
                .split("; ")
                .find_map(|pair| pair.strip_prefix(&format!("{BROWSER_COOKIE}=")))
                .map(str::to_string)
        })
}

/// Medusa's errors, as the storefront's answers.
fn failure(error: Error) -> Response {
    let status = if error.is_unauthorized() {
        StatusCode::UNAUTHORIZED
    } else if error.is_invalid_data() || error.is_invalid_input() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::BAD_GATEWAY
    };
    // The error's Display never contains a password, token or cookie.
    (status, Json(json!({ "error": error.to_string() }))).into_response()
}

async fn login(State(app): State<App>, Json(login): Json<Login>) -> Response {
    let client = app.medusa.new_session();
    let payload = StorePostAuthReq::new(login.email, login.password);
    match client.authenticate(&payload).await {
        Ok(session) => {
            let mut response = Json(json!({ "customer": session.customer })).into_response();
            if let Some(cookie) = client.session_cookie() {
                let value = format!(
                    "{BROWSER_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax",
                    cookie.expose()
                );
                if let Ok(value) = HeaderValue::from_str(&value) {
                    response.headers_mut().insert(SET_COOKIE, value);
                }
            }
            response
        }
        Err(error) => failure(error),
    }
}

async fn token(State(app): State<App>, Json(login): Json<Login>) -> Response {
    let client = app.medusa.new_session();
    match client
        .get_token(&StorePostAuthReq::new(login.email, login.password))
        .await
    {
        Ok(token) => Json(json!({ "access_token": token.access_token.expose() })).into_response(),
        Err(error) => failure(error),
    }
}

async fn me(State(app): State<App>, headers: HeaderMap) -> Response {
    let result = async { app.per_request(&headers)?.get_session().await }.await;
    match result {
        Ok(session) => Json(json!({ "customer": session.customer })).into_response(),
        Err(error) => failure(error),
    }
}

async fn logout(State(app): State<App>, headers: HeaderMap) -> Response {
    let result = async { app.per_request(&headers)?.delete_session().await }.await;
    match result {
        Ok(()) => {
            let clear = format!("{BROWSER_COOKIE}=; Path=/; HttpOnly; Max-Age=0");
            let mut response = StatusCode::NO_CONTENT.into_response();
            if let Ok(value) = HeaderValue::from_str(&clear) {
                response.headers_mut().insert(SET_COOKIE, value);
            }
            response
        }
        Err(error) => failure(error),
    }
}

fn router(medusa: AuthClient) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/token", post(token))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .with_state(App { medusa })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let self_test = std::env::args().any(|a| a == "--self-test");
    let (_store, backend, email, password) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => (
            None,
            url,
            std::env::var("MEDUSA_EMAIL").unwrap_or_else(|_| RECORDED_EMAIL.into()),
            std::env::var("MEDUSA_PASSWORD").unwrap_or_else(|_| RECORDED_PASSWORD.into()),
        ),
        Err(_) => {
            let store = MockStore::start().await;
            let url = store.base_url().to_string();
            (
                Some(store),
                url,
                RECORDED_EMAIL.to_string(),
                RECORDED_PASSWORD.to_string(),
            )
        }
    };
    let medusa = AuthClient::new(Config::new().with_base_url(&backend))?;
    let listen = std::env::args()
        .skip_while(|a| a != "--listen")
        .nth(1)
        .or_else(|| std::env::var("STOREFRONT_ADDRESS").ok());
    let address: SocketAddr = match (self_test, listen) {
        (true, _) => "127.0.0.1:0".parse()?,
        (false, Some(listen)) => listen.parse()?,
        (false, None) => "127.0.0.1:3000".parse()?,
    };
    let listener = tokio::net::TcpListener::bind(address).await?;
    let address = listener.local_addr()?;
    println!("storefront on http://{address}, in front of Medusa at {backend}");
    let server = tokio::spawn(async move { axum::serve(listener, router(medusa)).await });
    if !self_test {
        server.await??;
        return Ok(());
    }
    let result = play_a_browser(&format!("http://{address}"), &email, &password).await;
    server.abort();
    result
}

/// A browser against the storefront: cookie flow, then token flow.
async fn play_a_browser(
    storefront: &str,
    email: &str,
    password: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    let browser = reqwest::Client::builder().cookie_store(true).build()?;
    let credentials = json!({ "email": email, "password": password });
    let check =
        |step: &str, got: StatusCode, want: StatusCode| -> Result<(), Box<dyn std::error::Error>> {
            println!("{step:<34} -> {got}");
            if got == want {
                Ok(())
            } else {
                Err(format!("{step}: expected {want}, got {got}").into())
            }
        };

    let response = browser
        .post(format!("{storefront}/login"))
        .json(&credentials)
        .send()
        .await?;
    check("POST /login", response.status(), StatusCode::OK)?;
    let response = browser.get(format!("{storefront}/me")).send().await?;
    check(
        "GET /me (browser cookie forwarded)",
        response.status(),
        StatusCode::OK,
    )?;
    let me: serde_json::Value = response.json().await?;
    if me["customer"]["email"] != email {
        return Err(format!("GET /me answered for {}", me["customer"]["email"]).into());
    }
    let response = browser.post(format!("{storefront}/logout")).send().await?;
    check("POST /logout", response.status(), StatusCode::NO_CONTENT)?;
    let response = browser.get(format!("{storefront}/me")).send().await?;
    check(
        "GET /me after logout",
        response.status(),
        StatusCode::UNAUTHORIZED,
    )?;

    let stranger = reqwest::Client::new();
    let response = stranger.get(format!("{storefront}/me")).send().await?;
    check(
        "GET /me from another browser",
        response.status(),
        StatusCode::UNAUTHORIZED,
    )?;
    let response = stranger
        .post(format!("{storefront}/token"))
        .json(&credentials)
        .send()
        .await?;
    check("POST /token", response.status(), StatusCode::OK)?;
    let token: serde_json::Value = response.json().await?;
    let token = token["access_token"].as_str().ok_or("no token")?;
    let response = stranger
        .get(format!("{storefront}/me"))
        .bearer_auth(token)
        .send()
        .await?;
    check(
        "GET /me with the bearer forwarded",
        response.status(),
        StatusCode::OK,
    )?;
    println!("self-test passed");
    Ok(())
}
