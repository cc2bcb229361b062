//! Custom headers on the wire: precedence (built-in < client defaults < session < per call),
//! no leaks between calls, concurrent calls on clones, invalid input.

mod support;

use httpmock::prelude::*;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{AccessToken, Config};
use reqwest::header::{HeaderMap, HeaderValue};
use support::fixtures::{recorded, replayed, RecordingExt, EMAIL};

fn client(server: &MockServer, config: Config) -> AuthClient {
    AuthClient::new(config.with_base_url(server.base_url())).unwrap()
}

/// Every value the request carried for `name`.
fn values(req: &HttpMockRequest, name: &str) -> Vec<String> {
    req.headers()
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn per_call_beats_defaults_which_beat_built_in() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .is_true(|req| {
                    values(req, "x-default-only") == ["d"]
                        && values(req, "x-both") == ["call"]
                        && values(req, "x-call-only") == ["c"]
                        && values(req, "user-agent") == ["storefront/2.0"]
                        && values(req, "accept") == ["application/json"]
                });
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let config = Config::new()
        .with_header("x-default-only", "d")
        .with_header("X-Both", "default") // names are case-insensitive
        .with_header("user-agent", "storefront/2.0");

    let client = client(&server, config);
    client
        .exists(EMAIL)
        .header("x-both", "call")
        .header("x-call-only", "c")
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn per_call_headers_do_not_leak_into_the_next_call() {
    let server = MockServer::start_async().await;
    let with = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header("x-once", "1");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let without = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header_missing("x-once");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let client = support::client_for(&server);

    client.exists(EMAIL).header("x-once", "1").await.unwrap();
    client.exists(EMAIL).await.unwrap();
    client.clone().exists(EMAIL).await.unwrap();

    with.assert_calls_async(1).await;
    without.assert_calls_async(2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_clones_each_carry_only_their_own_headers() {
    const CALLS: usize = 32;
    let server = MockServer::start_async().await;
    let mut customer = recorded("20-session-get-with-cookie").json();
    let mut mocks = Vec::new();
    for i in 0..CALLS {
        customer["customer"]["email"] = format!("user{i}@example.com").into();
        let body = customer.clone();
        let id = i.to_string();
        mocks.push(
            server
                .mock_async(move |when, then| {
                    when.method(GET)
                        .path("/store/auth")
                        .is_true(move |req| values(req, "x-call-id") == [id.clone()]);
                    then.status(200)
                        .header("content-type", "application/json; charset=utf-8")
                        .json_body(body);
                })
                .await,
        );
    }
    let client = support::client_for(&server);

    let tasks: Vec<_> = (0..CALLS)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .get_session()
                    .header("x-call-id", i.to_string())
                    .await
            })
        })
        .collect();
    for (i, task) in tasks.into_iter().enumerate() {
        let session = task.await.unwrap().expect("each call matches its own mock");
        assert_eq!(session.customer.email, format!("user{i}@example.com"));
    }
    for mock in mocks {
        mock.assert_calls_async(1).await;
    }
}

#[tokio::test]
async fn repeated_and_map_headers_send_every_value() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .is_true(|req| {
                    values(req, "x-multi") == ["1", "2"] && values(req, "x-map") == ["m"]
                });
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let mut map = HeaderMap::new();
    map.insert("x-map", HeaderValue::from_static("m"));

    support::client_for(&server)
        .exists(EMAIL)
        .header("x-multi", "1")
        .header("x-multi", "2")
        .headers(map)
        .await
        .unwrap();

    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn publishable_api_key_is_a_client_default_a_call_can_override() {
    let server = MockServer::start_async().await;
    let default = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header("x-publishable-api-key", "pk_default");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let call = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth/alice@example.com")
                .header("x-publishable-api-key", "pk_call");
            replayed("30-exists-existing").reply(then);
        })
        .await;
    let client = client(
        &server,
        Config::new().with_publishable_api_key("pk_default"),
    );

    client.exists(EMAIL).await.unwrap();
    client
        .exists(EMAIL)
        .header("x-publishable-api-key", "pk_call")
        .await
        .unwrap();

    default.assert_calls_async(1).await;
    call.assert_calls_async(1).await;
}

#[tokio::test]
async fn the_token_beats_a_default_authorization_and_a_call_beats_the_token() {
    let server = MockServer::start_async().await;
    let token = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(|req| values(req, "authorization") == ["Bearer tok"]);
            replayed("43-session-get-bearer").reply(then);
        })
        .await;
    let call = server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/store/auth")
                .is_true(|req| values(req, "authorization") == ["Bearer call"]);
            replayed("43-session-get-bearer").reply(then);
        })
        .await;
    let client = client(
        &server,
        Config::new().with_header("authorization", "Bearer default"),
    );
    client.set_token(AccessToken::new("tok")).unwrap();

    client.get_session().await.unwrap();
    client
        .get_session()
        .header("authorization", "Bearer call")
        .await
        .unwrap();

    token.assert_calls_async(1).await;
    call.assert_calls_async(1).await;
}

#[tokio::test]
async fn invalid_per_call_headers_fail_before_sending_without_echoing_the_value() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(500);
        })
        .await;
    let client = support::client_for(&server);

    let err = client
        .get_session()
        .header("x-secret", "hunter2\r\nx-injected: 1")
        .await
        .unwrap_err();
    assert!(err.is_invalid_input(), "{err:?}");
    assert_eq!(err.to_string(), "invalid value for header `x-secret`");
    assert!(!format!("{err:?}").contains("hunter2"));

    let err = client
        .get_session()
        .header("bad name\n", "v")
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), r#"invalid header name "bad name\n""#);

    any.assert_calls_async(0).await;
}

#[test]
fn invalid_default_headers_fail_at_construction() {
    let err = AuthClient::new(
        Config::new()
            .with_header("x-ok", "1")
            .with_header("x-token", "a\nb"),
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "invalid value for header `x-token`");
    let err = AuthClient::new(Config::new().with_publishable_api_key("pk\r\n")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid value for header `x-publishable-api-key`"
    );
}
