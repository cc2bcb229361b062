//! Every error class, from the recorded real responses where the server produced them:
//! what the caller gets, that the status is kept, and that no secret is printed.

mod support;

use std::time::Duration;

use httpmock::prelude::*;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error, InvalidInput};
use support::fixtures::{replayed, RecordingExt, EMAIL, PASSWORD};

fn login() -> StorePostAuthReq {
    StorePostAuthReq::new(EMAIL, PASSWORD)
}

async fn answering(method: httpmock::Method, path: &str, fixture: &str) -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(method).path(path);
            replayed(fixture).reply(then);
        })
        .await;
    server
}

#[tokio::test]
async fn a_text_plain_401_is_unauthorized_with_its_status() {
    for fixture in [
        "11-auth-login-wrong-password",
        "12-auth-login-unknown-email",
    ] {
        let server = answering(POST, "/store/auth", fixture).await;
        let err = support::client_for(&server)
            .authenticate(&login())
            .await
            .unwrap_err();
        assert!(err.is_unauthorized(), "{fixture}: {err:?}");
        assert_eq!(err.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
        assert_eq!(err.to_string(), "unauthorized (401 Unauthorized)");
    }
    let server = answering(POST, "/store/auth/token", "41-token-bad").await;
    assert!(support::client_for(&server)
        .get_token(&login())
        .await
        .unwrap_err()
        .is_unauthorized());
}

#[tokio::test]
async fn a_401_without_content_type_is_unauthorized_too() {
    let server = answering(GET, "/store/auth", "21-session-get-no-cookie").await;
    assert!(replayed("21-session-get-no-cookie")
        .header("content-type")
        .is_none());
    let err = support::client_for(&server)
        .get_session()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Unauthorized { status, error: None } if status == 401),
        "{err:?}"
    );
}

#[tokio::test]
async fn medusa_json_errors_become_typed_fields_with_the_status() {
    let server = answering(POST, "/store/auth", "13-auth-login-missing-password").await;
    let err = support::client_for(&server)
        .authenticate(&StorePostAuthReq::new(EMAIL, ""))
        .await
        .unwrap_err();
    assert!(err.is_api() && err.is_invalid_data(), "{err:?}");
    assert_eq!(err.status(), Some(reqwest::StatusCode::BAD_REQUEST));
    assert_eq!(err.error_type(), Some("invalid_data"));
    assert_eq!(err.message(), Some("password should not be empty"));
    assert_eq!(err.code(), None);
    // The message is the server's text and can echo the request: not in Display.
    assert_eq!(
        err.to_string(),
        "Medusa answered 400 Bad Request (invalid_data)"
    );

    // The real server's 500 for a malformed escape in the email (the client itself cannot
    // send one: it encodes `%`), served on the session route.
    let server = answering(GET, "/store/auth", "38-exists-bad-percent").await;
    let err = support::client_for(&server)
        .get_session()
        .await
        .unwrap_err();
    assert_eq!(
        err.status(),
        Some(reqwest::StatusCode::INTERNAL_SERVER_ERROR)
    );
    assert_eq!(
        (err.error_type(), err.code()),
        (Some("unknown_error"), Some("unknown_error"))
    );
}

#[tokio::test]
async fn an_undeclared_status_with_a_medusa_body_is_still_an_api_error() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(POST).path("/store/auth");
            then.status(503).header("content-type", "application/json; charset=utf-8").body(
                r#"{"code":"api_error","type":"database_error","message":"connection terminated"}"#,
            );
        })
        .await;
    let err = support::client_for(&server)
        .authenticate(&login())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(reqwest::StatusCode::SERVICE_UNAVAILABLE));
    assert_eq!(err.error_type(), Some("database_error"));
}

#[tokio::test]
async fn express_html_pages_are_decode_errors_or_missing_routes() {
    let server = answering(POST, "/store/auth", "14-auth-login-malformed-json").await;
    let err = support::client_for(&server)
        .authenticate(&login())
        .await
        .unwrap_err();
    let Error::Decode {
        status,
        content_type,
        body,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(*status, 400);
    assert_eq!(content_type.as_deref(), Some("text/html; charset=utf-8"));
    assert!(body.to_text().contains("SyntaxError"));
    // The page can echo the request; it never reaches Display or Debug.
    assert!(
        !err.to_string().contains("SyntaxError") && !format!("{err:?}").contains("SyntaxError")
    );

    let server = answering(
        GET,
        "/store/does-not-exist/store/auth",
        "75-unknown-store-route",
    )
    .await;
    let client = AuthClient::with_base_url(server.url("/store/does-not-exist")).unwrap();
    let err = client.get_session().await.unwrap_err();
    // A 404 page, not a Medusa error: the server has no such route (a wrong base URL here).
    assert!(err.is_missing_route() && err.is_not_found(), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the server has no route for `get_session` (404 Not Found): a Medusa older than the route?"
    );
}

#[tokio::test]
async fn a_success_status_with_an_unexpected_body_keeps_its_status() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/store/auth");
            then.status(200)
                .header("content-type", "application/json")
                .body(r#"{"customer": "not an object"}"#);
        })
        .await;
    let err = support::client_for(&server)
        .get_session()
        .await
        .unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(err.status(), Some(reqwest::StatusCode::OK));
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    }; // closed again here: nothing listens on the port
    let client = AuthClient::with_base_url(format!("http://127.0.0.1:{port}")).unwrap();
    let err = client.exists("someone@example.com").await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert_eq!(err.status(), None);
    // It names where it tried to connect, but never the path (and the email in it).
    assert_eq!(
        err.to_string(),
        format!("could not connect to the server at 127.0.0.1:{port}")
    );
    let chain = format!(
        "{err} {:?} {}",
        err,
        std::error::Error::source(&err).unwrap()
    );
    assert!(!chain.contains("someone"), "{chain}");
}

#[tokio::test]
async fn the_client_timeout_bounds_a_slow_call_and_a_call_can_override_it() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/store/auth/alice@example.com");
            replayed("30-exists-existing")
                .reply(then)
                .delay(Duration::from_millis(400));
        })
        .await;
    let config = Config::new()
        .with_base_url(server.base_url())
        .with_timeout(Duration::from_millis(100));
    let client = AuthClient::new(config).unwrap();

    let err = client.exists(EMAIL).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.to_string(), "the call timed out after 100ms");
    assert!(matches!(
        err,
        medusa_store_auth::Error::Timeout { limit: Some(limit), source: None } if limit == Duration::from_millis(100)
    ));

    assert!(
        client
            .exists(EMAIL)
            .timeout(Duration::from_secs(10))
            .await
            .unwrap()
            .exists
    );

    let fast = AuthClient::with_base_url(server.base_url()).unwrap();
    assert!(fast
        .exists(EMAIL)
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err()
        .is_timeout());
}

#[tokio::test]
async fn an_empty_or_dot_email_is_rejected_before_sending() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = support::client_for(&server);
    for email in ["", ".", ".."] {
        let err = client.exists(email).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidInput(InvalidInput::Email { .. })),
            "{email:?}: {err:?}"
        );
    }
    assert_eq!(
        client.exists("").await.unwrap_err().to_string(),
        "invalid email: it is empty (the server would answer GET /store/auth instead)"
    );
    any.assert_calls_async(0).await;
}

#[test]
fn unusable_base_urls_are_rejected_with_a_reason() {
    for (url, reason) in [
        (
            "localhost:9000",
            "invalid base URL: scheme `localhost` is not http or https",
        ),
        ("not a url", "invalid base URL: relative URL without a base"),
        (
            "ftp://shop.example.com",
            "invalid base URL: scheme `ftp` is not http or https",
        ),
        (
            "http://shop.example.com/?x=1",
            "invalid base URL: a query or fragment cannot prefix API paths",
        ),
        (
            "http://user:pw@shop.example.com",
            "invalid base URL: credentials in the URL are not supported; use a header",
        ),
    ] {
        let err = AuthClient::with_base_url(url).unwrap_err();
        assert_eq!(err.to_string(), reason, "{url}");
    }
}

#[test]
fn secrets_never_print() {
    let login = StorePostAuthReq::new(EMAIL, "hunter2-password");
    assert!(!format!("{login:?}").contains("hunter2"));
    let token = medusa_store_auth::AccessToken::new("eyJ.secret.jwt");
    assert_eq!(format!("{token:?}"), "<redacted>");
    let res = medusa_store_auth::v1::types::StoreBearerAuthRes {
        access_token: token,
    };
    assert!(!format!("{res:?}").contains("secret"));

    let config = Config::new()
        .with_header("authorization", "Bearer eyJ.secret.jwt")
        .with_header("cookie", "connect.sid=s%3Asecret");
    assert!(!format!("{config:?}").contains("secret"), "{config:?}");
    let client = AuthClient::new(config).unwrap();
    client
        .set_token(medusa_store_auth::AccessToken::new("eyJ.secret.jwt"))
        .unwrap();
    assert!(!format!("{client:?}").contains("secret"), "{client:?}");
    let call = client
        .get_session()
        .header("cookie", "connect.sid=s%3Asecret");
    assert!(!format!("{call:?}").contains("secret"), "{call:?}");
}

#[tokio::test]
async fn a_server_echoing_the_request_never_puts_it_into_error_text() {
    // A hostile or broken server quotes the password back, in JSON of the wrong shape (a
    // 200) and in an error message (a 400). serde_json's own messages quote such values.
    let echo = format!(r#"{{"customer": "{PASSWORD}"}}"#);
    let api = format!(r#"{{"type": "invalid_data", "message": "bad password {PASSWORD}"}}"#);
    for (status, body) in [(200, echo), (400, api)] {
        let server = MockServer::start_async().await;
        server
            .mock_async(|when, then| {
                when.method(POST).path("/store/auth");
                then.status(status)
                    .header("content-type", "application/json; charset=utf-8")
                    .body(&body);
            })
            .await;
        let err = support::client_for(&server)
            .authenticate(&login())
            .await
            .unwrap_err();
        let mut report = format!("{err} {err:?}");
        let mut source = std::error::Error::source(&err);
        while let Some(cause) = source {
            report.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        assert!(!report.contains(PASSWORD), "{status}: {report}");
        if status == 200 {
            // Where decoding stopped, and how, stay in the report.
            assert!(
                report.contains("JSON of another shape than expected at line 1"),
                "{report}"
            );
        }
    }
}
