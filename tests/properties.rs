//! Property tests: any email and any header map make a well-formed request whose email
//! round-trips through the path; any status with any body gives a typed result or a typed
//! error, never a panic.

mod support;

use std::collections::BTreeMap;

use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, Error, RetryPolicy};
use percent_encoding::percent_decode_str;
use proptest::prelude::*;
use proptest::test_runner::{Config as ProptestConfig, TestRunner};
use support::scripted::{Reply, Scripted};

const CASES: u32 = 256;

fn config() -> ProptestConfig {
    // Failures print the shrunk case; nothing is written into the source tree.
    ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn client(base_url: &str) -> AuthClient {
    AuthClient::new(
        Config::new()
            .with_base_url(base_url)
            .with_retry_policy(RetryPolicy::none()),
    )
    .unwrap()
}

/// Header names no other layer sets, and values without leading or trailing spaces (which
/// HTTP strips), so they must arrive exactly as given.
fn headers() -> impl Strategy<Value = BTreeMap<String, String>> {
    prop::collection::btree_map("x-p-[a-z0-9-]{1,16}", "[!-~]([ -~]{0,30}[!-~])?", 0..8)
}

#[test]
fn any_email_and_headers_arrive_intact_in_one_path_segment() {
    let rt = runtime();
    let server = rt.block_on(Scripted::start(vec![Reply::recorded("31-exists-unknown")]));
    let client = client(&server.base_url);
    let mut runner = TestRunner::new(config());
    let emails =
        any::<String>().prop_filter("sendable", |e| !matches!(e.as_str(), "" | "." | ".."));
    runner
        .run(&(emails, headers()), |(email, headers)| {
            let sent = rt.block_on(async {
                let mut call = client.exists(email.clone());
                for (name, value) in &headers {
                    call = call.header(name, value.as_str());
                }
                call.await
            });
            prop_assert!(sent.is_ok(), "{email:?}: {sent:?}");
            let seen = server.seen().pop().unwrap();
            let segment = seen.path.strip_prefix("/store/auth/").expect("the route");
            prop_assert!(
                !segment.contains('/') && !segment.contains('?') && !segment.contains('#'),
                "{}",
                seen.path
            );
            prop_assert_eq!(
                percent_decode_str(segment).decode_utf8().unwrap(),
                email.as_str()
            );
            for (name, value) in &headers {
                prop_assert_eq!(seen.header(name), Some(value.as_str()));
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn invalid_header_values_are_refused_before_sending() {
    let rt = runtime();
    let server = rt.block_on(Scripted::start(vec![Reply::recorded("31-exists-unknown")]));
    let client = client(&server.base_url);
    let mut runner = TestRunner::new(config());
    let bad_value = "[ -~]{0,10}[\r\n\x00\x7f][ -~]{0,10}";
    runner
        .run(&bad_value, |value| {
            let result = rt.block_on(
                client
                    .exists("a@example.com")
                    .header("x-secret", value.as_str())
                    .send(),
            );
            let Err(Error::InvalidInput(invalid)) = result else {
                return Err(TestCaseError::fail(format!("{value:?} was not refused")));
            };
            // The message names the header and never echoes the value.
            prop_assert_eq!(invalid.to_string(), "invalid value for header `x-secret`");
            Ok(())
        })
        .unwrap();
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[test]
fn any_status_and_body_decode_to_a_result_or_a_typed_error() {
    let rt = runtime();
    let mut runner = TestRunner::new(config());
    let content_types = prop::option::of(prop::sample::select(vec![
        "application/json",
        "application/json; charset=utf-8",
        "text/plain",
        "text/html",
        "application/octet-stream",
    ]));
    let bodies = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..512),
        "\\{\"(customer|exists|access_token|message|type|code|errors)\":[ -~]{0,60}\\}"
            .prop_map(String::into_bytes),
    ];
    runner
        .run(
            &(200u16..600, content_types, bodies),
            |(status, content_type, body)| {
                let headers = content_type
                    .map(|t| vec![("content-type".to_string(), t.to_string())])
                    .unwrap_or_default();
                let reply = Reply::Respond {
                    status,
                    headers,
                    body,
                };
                rt.block_on(async {
                    let server = Scripted::start(vec![reply]).await;
                    let client = client(&server.base_url);
                    // Each decodes a different type; none may panic. Errors carry the status.
                    for result in [
                        client.get_session().await.map(|_| ()),
                        client.exists("a@example.com").await.map(|_| ()),
                        client.delete_session().await,
                    ] {
                        if let Err(err) = result {
                            if !err.is_transport() {
                                assert!(err.status().is_some(), "{err:?}");
                            }
                        }
                    }
                });
                Ok(())
            },
        )
        .unwrap();
}
