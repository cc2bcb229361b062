//! Server-side rendering: one shared client serving many visitors must never let one
//! visitor's session reach another's call; every call's future can be spawned.

mod support;

use std::future::{Future, IntoFuture};

use medusa_store_auth::mock::MockStore;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, SessionCookie};
use support::fixtures::{replayed, RecordingExt, EMAIL, PASSWORD};
use support::scripted::{Reply, Scripted};

fn shared_client(server: &Scripted) -> AuthClient {
    AuthClient::new(Config::new().with_base_url(&server.base_url)).unwrap()
}

#[tokio::test]
async fn a_forwarded_cookie_never_becomes_the_shared_clients_session() {
    // Medusa re-saves a forwarded session and answers with a new `Set-Cookie` (a rolling
    // session, a login, an invalid cookie replaced by a fresh one).
    let login = replayed("10-auth-login-ok");
    let server = Scripted::start(vec![
        Reply::replaying(&login),
        Reply::recorded("21-session-get-no-cookie"),
    ])
    .await;
    let shared = shared_client(&server);

    // Visitor A's call carries A's cookie.
    shared
        .get_session()
        .header("cookie", "connect.sid=s%3Avisitor-a.sig")
        .await
        .unwrap();
    // Visitor B's call carries nothing of its own.
    let _ = shared.get_session().await;

    let seen = server.seen();
    assert_eq!(
        seen[0].header("cookie"),
        Some("connect.sid=s%3Avisitor-a.sig")
    );
    assert_eq!(
        seen[1].header("cookie"),
        None,
        "A's session reached B's call"
    );
    // B's own call may start an anonymous session of the client's; never A's.
    let (_, a_renewed) = login.cookie_pair().unwrap();
    assert_ne!(
        shared.session_cookie().map(|c| c.expose().to_string()),
        Some(a_renewed)
    );
}

#[tokio::test]
async fn a_call_with_its_own_credential_neither_sends_nor_changes_the_clients_session() {
    let token = replayed("40-token-ok");
    let server = Scripted::start(vec![
        Reply::replaying(&token),
        Reply::recorded("50-delete-session"),
        Reply::recorded("20-session-get-with-cookie"),
    ])
    .await;
    let shared = shared_client(&server);
    shared
        .set_session_cookie(&SessionCookie::new("s%3Ashared.sig"))
        .unwrap();
    let login = StorePostAuthReq::new(EMAIL, PASSWORD);

    // A token asked for on a visitor's behalf is theirs, not the client's.
    shared
        .get_token(&login)
        .header("authorization", "Bearer visitor-token")
        .await
        .unwrap();
    assert!(shared.token().is_none());
    // A visitor's logout does not log the client out.
    shared
        .delete_session()
        .header("cookie", "connect.sid=s%3Avisitor.sig")
        .await
        .unwrap();
    assert_eq!(shared.session_cookie().unwrap().expose(), "s%3Ashared.sig");
    shared.get_session().await.unwrap();

    let seen = server.seen();
    // Only the visitor's credential went out with the visitor's calls.
    assert_eq!(seen[0].header("cookie"), None);
    assert_eq!(
        seen[0].header("authorization"),
        Some("Bearer visitor-token")
    );
    assert_eq!(
        seen[1].header("cookie"),
        Some("connect.sid=s%3Avisitor.sig")
    );
    // The client's own call still carries its own session, and the token answer's
    // `Set-Cookie` did not replace it.
    let (name, _) = token.cookie_pair().unwrap();
    assert_eq!(
        seen[2].header("cookie"),
        Some(format!("{name}=s%3Ashared.sig").as_str())
    );
    assert_eq!(seen[2].header("authorization"), None);
}

#[tokio::test]
async fn sessions_made_from_a_shared_client_stay_apart_under_load() {
    let store = MockStore::start().await;
    let shared = store.client();
    let mut visitors = Vec::new();
    for i in 0..20 {
        let email = format!("visitor{i}@example.com");
        store.register(&email, "pass-word-1");
        let visitor = shared.new_session();
        visitors.push(tokio::spawn(async move {
            visitor
                .authenticate(&StorePostAuthReq::new(email.clone(), "pass-word-1"))
                .await
                .unwrap();
            let me = visitor.get_session().await.unwrap();
            (email, me.customer.email.clone())
        }));
    }
    for visitor in visitors {
        let (email, seen_as) = visitor.await.unwrap();
        assert_eq!(email, seen_as);
    }
    assert!(
        shared.session_cookie().is_none(),
        "the shared client stays anonymous"
    );
}

/// Compiles only if `future` can be spawned on a multi-threaded runtime.
fn spawnable<F: Future + Send + 'static>(future: F) -> F {
    future
}

#[tokio::test]
async fn every_calls_future_in_every_form_can_be_spawned() {
    let store = MockStore::start().await;
    let client = store.client();
    let login = StorePostAuthReq::new(EMAIL, PASSWORD);
    let email = String::from(EMAIL);

    // A call is a future itself: spawned as it is.
    let bare = (
        spawnable(client.authenticate(&login)),
        spawnable(client.exists(&email)),
    );
    assert!(tokio::spawn(bare.0).await.unwrap().is_ok());
    assert!(tokio::spawn(bare.1).await.unwrap().unwrap().exists);

    // The borrowed payload and email end with the statement: the futures own their input.
    let futures = (
        spawnable(client.authenticate(&login).into_future()),
        spawnable(client.authenticate(&login).send()),
        spawnable(client.authenticate(&login).send_with_response()),
        spawnable(client.get_session().into_future()),
        spawnable(client.get_session().send_with_response()),
        spawnable(client.exists(&email).send()),
        spawnable(client.exists(email.as_str()).send_with_response()),
        spawnable(client.get_token(&login).send()),
        spawnable(client.get_token(&login).send_with_response()),
        spawnable(client.delete_session().send()),
        spawnable(client.delete_session().send_with_response()),
    );
    drop(login);
    drop(email);

    assert!(tokio::spawn(futures.0).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.1).await.unwrap().is_ok());
    assert_eq!(
        tokio::spawn(futures.2).await.unwrap().unwrap().status(),
        200
    );
    assert!(tokio::spawn(futures.3).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.4).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.5).await.unwrap().unwrap().exists);
    assert!(tokio::spawn(futures.6).await.unwrap().unwrap().exists);
    assert!(tokio::spawn(futures.7).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.8).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.9).await.unwrap().is_ok());
    assert!(tokio::spawn(futures.10).await.unwrap().is_ok());
}
