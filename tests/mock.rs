//! The stand-in server of the `mock` feature answers as the recorded real server: same
//! statuses, content types and bodies for the same requests, and the same session rules.

mod support;

use medusa_store_auth::mock::{MockStore, RECORDED_EMAIL, RECORDED_PASSWORD};
use medusa_store_auth::v1::types::StorePostAuthReq;
use support::fixtures::{recorded, RecordingExt};

/// Sends a raw request and compares status, content type and (if `body`) body with a recording.
async fn same_as(fixture: &str, request: reqwest::RequestBuilder, body: bool) {
    let response = request.send().await.unwrap();
    let expected = recorded(fixture);
    assert_eq!(response.status().as_u16(), expected.status(), "{fixture}");
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string());
    assert_eq!(
        content_type.as_deref(),
        expected.header("content-type"),
        "{fixture}"
    );
    let text = response.bytes().await.unwrap();
    if body
        && content_type
            .as_deref()
            .is_some_and(|t| t.starts_with("application/json"))
    {
        // Key order is not part of JSON.
        let got: serde_json::Value = serde_json::from_slice(&text).unwrap();
        assert_eq!(got, expected.json(), "{fixture}");
    } else if body {
        assert_eq!(
            String::from_utf8_lossy(&text),
            String::from_utf8_lossy(expected.body()),
            "{fixture}"
        );
    }
}

#[tokio::test]
async fn the_mock_answers_like_the_recordings() {
    let store = MockStore::start().await;
    let url = |path: &str| format!("{}{path}", store.base_url());
    let http = reqwest::Client::new();
    let json = |body: &str| {
        http.post(url("/store/auth"))
            .header("content-type", "application/json")
            .body(body.to_string())
    };

    same_as(
        "10-auth-login-ok",
        json(r#"{"email":"alice@example.com","password":"S3cret-pass!"}"#),
        true,
    )
    .await;
    same_as(
        "11-auth-login-wrong-password",
        json(r#"{"email":"alice@example.com","password":"wrong"}"#),
        true,
    )
    .await;
    same_as(
        "12-auth-login-unknown-email",
        json(r#"{"email":"nobody@example.com","password":"x"}"#),
        true,
    )
    .await;
    same_as(
        "13-auth-login-missing-password",
        json(r#"{"email":"alice@example.com"}"#),
        true,
    )
    .await;
    same_as(
        "14-auth-login-malformed-json",
        json(r#"{"email":"alice@example.com","password":"#),
        false,
    )
    .await;
    same_as(
        "16-auth-login-uppercase-email",
        json(r#"{"email":"ALICE@Example.COM","password":"S3cret-pass!"}"#),
        true,
    )
    .await;
    let form = http
        .post(url("/store/auth"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("email=a");
    same_as("17-auth-login-form-encoded", form, true).await;
    same_as(
        "21-session-get-no-cookie",
        http.get(url("/store/auth")),
        true,
    )
    .await;
    same_as(
        "23-session-get-bogus-cookie",
        http.get(url("/store/auth"))
            .header("cookie", "connect.sid=s%3Abogus.sig"),
        true,
    )
    .await;
    same_as(
        "30-exists-existing",
        http.get(url("/store/auth/alice@example.com")),
        true,
    )
    .await;
    same_as(
        "31-exists-unknown",
        http.get(url("/store/auth/nobody@example.com")),
        true,
    )
    .await;
    same_as(
        "34-exists-encoded-at",
        http.get(url("/store/auth/alice%40example.com")),
        true,
    )
    .await;
    same_as(
        "36-exists-uppercase",
        http.get(url("/store/auth/ALICE@Example.COM")),
        true,
    )
    .await;
    same_as(
        "38-exists-bad-percent",
        http.get(url("/store/auth/bad%zz@example.com")),
        true,
    )
    .await;
    same_as("39-exists-empty-email", http.get(url("/store/auth/")), true).await;
    let token = http
        .post(url("/store/auth/token"))
        .header("content-type", "application/json");
    same_as(
        "41-token-bad",
        token.body(r#"{"email":"alice@example.com","password":"no"}"#),
        true,
    )
    .await;
    same_as(
        "44-session-get-bad-bearer",
        http.get(url("/store/auth"))
            .header("authorization", "Bearer garbage"),
        true,
    )
    .await;
    same_as(
        "52-delete-session-no-cookie",
        http.delete(url("/store/auth")),
        true,
    )
    .await;
    same_as(
        "75-unknown-store-route",
        http.get(url("/store/does-not-exist")),
        false,
    )
    .await;
    let register = http
        .post(url("/store/customers"))
        .header("content-type", "application/json");
    let duplicate =
        r#"{"email":"alice@example.com","password":"x","first_name":"A","last_name":"L"}"#;
    same_as(
        "02-customer-create-duplicate",
        register.body(duplicate),
        true,
    )
    .await;
}

#[tokio::test]
async fn sessions_tokens_and_registration_follow_the_server_rules() {
    let store = MockStore::start().await;
    let client = store.client();
    let alice = StorePostAuthReq::new(RECORDED_EMAIL, RECORDED_PASSWORD);

    // A cookieless call gets an anonymous session cookie; a login keeps its id.
    client.exists("x@example.com").await.unwrap();
    let anonymous = client.session_cookie().expect("saveUninitialized");
    client.authenticate(&alice).await.unwrap();
    assert_eq!(client.session_cookie(), Some(anonymous));

    let token = client.get_token(&alice).await.unwrap().access_token;
    assert_eq!(token.expose().split('.').count(), 3);
    client.delete_session().await.unwrap();
    let again = store.client();
    again.set_token(token).unwrap();
    assert_eq!(
        again.get_session().await.unwrap().customer.email,
        RECORDED_EMAIL,
        "tokens outlive the session"
    );

    // Registering through the API logs the new customer in, as Medusa does.
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let registered = http
        .post(format!("{}/store/customers", store.base_url()))
        .json(&serde_json::json!({ "email": "New@Example.com", "password": "pw-123456", "first_name": "N", "last_name": "E" }))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 200);
    let me = http
        .get(format!("{}/store/auth", store.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    assert!(client.exists("new@example.com").await.unwrap().exists);
    let customer = store.register("third@example.com", "pw");
    assert!(customer.id.starts_with("cus_") && customer.has_account);
    assert!(store
        .client()
        .authenticate(&StorePostAuthReq::new("third@example.com", "pw"))
        .await
        .is_ok());
}

#[tokio::test]
async fn dropping_the_store_closes_the_connections_it_has_open() {
    let store = MockStore::start().await;
    // No retries: the call after the drop shows what one attempt meets.
    let client = medusa_store_auth::v1::AuthClient::new(
        medusa_store_auth::Config::new()
            .with_base_url(store.base_url())
            .with_retry_policy(medusa_store_auth::RetryPolicy::none()),
    )
    .unwrap();
    // The client now has a kept-alive connection to the store.
    assert!(client.exists(RECORDED_EMAIL).await.unwrap().exists);
    drop(store);
    // "The server went down": the open connection is gone too, not answering on.
    let err = client.exists(RECORDED_EMAIL).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}
