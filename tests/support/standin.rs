//! A stand-in for the store-auth API of a real Medusa, built from the recorded responses:
//! it knows the recorded customer, answers a login with the recorded session cookie, a
//! token request with the recorded JWT, and everything else as the real server did
//! (401 `Unauthorized` without a valid cookie or token, `exists: false` for other emails).

use httpmock::prelude::*;

use super::fixtures::{recorded, EMAIL, PASSWORD};

/// Starts the stand-in on a random loopback port.
pub async fn start() -> MockServer {
    let server = MockServer::start_async().await;
    let login = recorded("10-auth-login-ok");
    let (cookie_name, cookie_value) = login.cookie_pair().expect("login sets a cookie");
    let token_response = recorded("40-token-ok");
    let token = token_response.json()["access_token"]
        .as_str()
        .expect("a token")
        .to_string();
    let credentials = serde_json::json!({ "email": EMAIL, "password": PASSWORD });

    // Logins: the recorded customer's credentials, anything else is a 401.
    let good = credentials.clone();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth").json_body(good);
            login.reply(then);
        })
        .await;
    let good = credentials.clone();
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/store/auth")
                .is_true(move |req| !matches_json(req.body().as_ref(), &good));
            recorded("11-auth-login-wrong-password").reply(then);
        })
        .await;
    let good = credentials.clone();
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth/token").json_body(good);
            token_response.reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(POST)
                .path("/store/auth/token")
                .is_true(move |req| !matches_json(req.body().as_ref(), &credentials));
            recorded("41-token-bad").reply(then);
        })
        .await;

    // The session: the recorded cookie or the recorded token, else 401 (no Content-Type).
    let (name, value) = (cookie_name.clone(), cookie_value.clone());
    let bearer = format!("Bearer {token}");
    let authorised = move |req: &HttpMockRequest| {
        let headers = req.headers();
        let has_cookie = headers
            .get_all("cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|v| v.split("; ").any(|pair| pair == format!("{name}={value}")));
        let has_bearer =
            headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(bearer.as_str());
        has_cookie || has_bearer
    };
    let check = authorised.clone();
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| check(req));
            recorded("20-session-get-with-cookie").reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(move |req| !authorised(req));
            recorded("21-session-get-no-cookie").reply(then);
        })
        .await;

    // Email checks: case-insensitive, as the server lower-cases the email.
    server
        .mock_async(|when, then| {
            when.method(GET)
                .is_true(|req| email_segment(req).is_some_and(|e| e.eq_ignore_ascii_case(EMAIL)));
            recorded("30-exists-existing").reply(then);
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .is_true(|req| email_segment(req).is_some_and(|e| !e.eq_ignore_ascii_case(EMAIL)));
            recorded("31-exists-unknown").reply(then);
        })
        .await;

    server
        .mock_async(|when, then| {
            when.method(DELETE).path("/store/auth");
            recorded("50-delete-session").reply(then);
        })
        .await;
    server
}

fn matches_json(body: &[u8], expected: &serde_json::Value) -> bool {
    serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| &v == expected)
}

/// The decoded `{email}` of `/store/auth/{email}`, if that is the path.
fn email_segment(req: &HttpMockRequest) -> Option<String> {
    let uri = req.uri();
    let raw = uri.path().strip_prefix("/store/auth/")?;
    if raw.is_empty() || raw.contains('/') {
        return None;
    }
    percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()
        .map(|e| e.into_owned())
}
