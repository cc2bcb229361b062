//! A visitor's session saved into the browser and restored on the shared client, on both
//! lines: what the restored client sends, what a request changes, and what a hostile value
//! from the browser gets.

use medusa_store_auth::mock::v2::MockStore as MockStoreV2;
use medusa_store_auth::mock::MockStore;
use medusa_store_auth::v1::types::StorePostAuthReq;
use medusa_store_auth::v2::types::{AuthPayload, StoreCreateCustomer};
use medusa_store_auth::v2::{Pending, EMAILPASS};
use medusa_store_auth::{Error, InvalidInput, SavedSession};

mod support;

#[tokio::test]
async fn a_v2_visitor_goes_to_the_browser_and_back() {
    let store = MockStoreV2::start().await;
    let shared = store.client();
    store.register("vic@example.com", "Vic-pass-1!");

    // Request 1: log in, save what the browser keeps.
    let visitor = shared.new_session();
    let before = visitor.saved_session();
    assert!(before.is_empty());
    visitor
        .login(
            EMAILPASS,
            &AuthPayload::email_password("vic@example.com", "Vic-pass-1!"),
        )
        .await
        .unwrap();
    let saved = visitor.saved_session();
    assert_ne!(saved, before, "the login changed it: send the cookie");
    assert!(saved.expires_at().unwrap() > std::time::SystemTime::now());
    let for_the_browser = saved.encode();
    drop(visitor);

    // Request 2: restore from what the browser sent back.
    let restored = shared
        .restore_session(&SavedSession::decode(&for_the_browser).unwrap())
        .unwrap();
    let me = restored.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.email.as_deref(), Some("vic@example.com"));
    assert_eq!(
        restored.saved_session(),
        saved,
        "reading the customer changed nothing: no cookie to send"
    );
    // Logging out empties it: the storefront clears its cookie.
    restored.logout().await.unwrap();
    assert!(restored.saved_session().is_empty());
    // The shared client itself never held the visitor's session.
    assert!(shared.saved_session().is_empty());
}

#[tokio::test]
async fn a_v1_visitor_keeps_medusas_session_cookie() {
    let store = MockStore::start().await;
    store.register("val@example.com", "Val-pass-1!");
    let shared = store.client();
    let visitor = shared.new_session();
    visitor
        .authenticate(&StorePostAuthReq::new("val@example.com", "Val-pass-1!"))
        .await
        .unwrap();
    let encoded = visitor.saved_session().encode();
    assert!(encoded.starts_with("ms1."));
    let restored = shared
        .restore_session(&SavedSession::decode(&encoded).unwrap())
        .unwrap();
    let me = restored.get_session().await.unwrap().customer;
    assert_eq!(me.email, "val@example.com");

    // A v1 session cannot be restored on a v2 client, nor the reverse.
    let v2 = MockStoreV2::start().await.client();
    let err = v2
        .restore_session(&SavedSession::decode(&encoded).unwrap())
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(InvalidInput::SavedSession { .. })),
        "{err:?}"
    );
}

/// A visitor on the stand-in's client who logged in as `email`, a customer with an enabled
/// TOTP factor: the client holds an MFA-pending token.
async fn challenged_visitor(store: &MockStoreV2, email: &str) -> medusa_store_auth::v2::AuthClient {
    let credentials = AuthPayload::email_password(email, "Enrolled-pass-1!");
    let enrolling = store.client();
    enrolling
        .sign_up(EMAILPASS, &credentials, &StoreCreateCustomer::new(email))
        .await
        .unwrap();
    support::enrol_totp(&enrolling).await;
    let visitor = store.client();
    visitor.login(EMAILPASS, &credentials).await.unwrap();
    visitor
}

#[tokio::test]
async fn a_pending_sign_in_is_saved_as_pending() {
    let store = MockStoreV2::start().await;
    let shared = store.client();
    let visitor = challenged_visitor(&store, "pam@example.com").await;
    let saved = SavedSession::decode(&visitor.saved_session().encode()).unwrap();
    assert_eq!(saved.pending(), Some(Pending::SecondFactor));
    let restored = shared.restore_session(&saved).unwrap();
    assert_eq!(restored.pending(), Some(Pending::SecondFactor));
}

#[tokio::test]
async fn visitors_restored_on_one_client_never_see_each_other() {
    let store = MockStoreV2::start().await;
    let shared = store.client();
    let mut saved = Vec::new();
    for i in 0..20 {
        let email = format!("visitor{i}@example.com");
        store.register(&email, "Visitor-pass-1!");
        let visitor = shared.new_session();
        visitor
            .login(
                EMAILPASS,
                &AuthPayload::email_password(&email, "Visitor-pass-1!"),
            )
            .await
            .unwrap();
        saved.push((email, visitor.saved_session().encode()));
    }
    let calls = saved.into_iter().map(|(email, encoded)| {
        let shared = shared.clone();
        tokio::spawn(async move {
            let visitor = shared
                .restore_session(&SavedSession::decode(&encoded).unwrap())
                .unwrap();
            let me = visitor.retrieve_customer().await.unwrap().customer;
            (email, me.email)
        })
    });
    for call in calls {
        let (email, seen) = call.await.unwrap();
        assert_eq!(seen.as_deref(), Some(email.as_str()));
    }
}

#[tokio::test]
async fn renew_token_refreshes_only_when_due_and_says_when_it_cannot() {
    use medusa_store_auth::v2::types::Login;
    use medusa_store_auth::v2::Renewal;
    use std::time::Duration;

    let store = MockStoreV2::start().await;
    store.register("rene@example.com", "Rene-pass-1!");
    let visitor = store.client();
    visitor
        .login(
            EMAILPASS,
            &AuthPayload::email_password("rene@example.com", "Rene-pass-1!"),
        )
        .await
        .unwrap();
    let first = visitor.token().unwrap();
    // The stand-in's tokens live 24 hours, as Medusa's.
    let renewal = visitor
        .renew_token(Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(renewal, Renewal::NotDue);
    assert_eq!(visitor.token(), Some(first.clone()), "nothing was sent");
    let renewal = visitor
        .renew_token(Duration::from_secs(25 * 3600))
        .await
        .unwrap();
    assert!(
        matches!(renewal, Renewal::Renewed(Login::Authenticated { .. })),
        "{renewal:?}"
    );
    assert_ne!(visitor.token(), Some(first));
    assert!(visitor.retrieve_customer().await.is_ok());

    // An expired token: nothing sent, forgotten, the saved session empty.
    let server = httpmock::MockServer::start_async().await;
    let anything = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    use base64::Engine;
    let claims = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"actor_id":"cus_1","exp":1000000000}"#);
    let expired = medusa_store_auth::v2::AuthClient::new(
        medusa_store_auth::Config::new()
            .with_base_url(server.base_url())
            .with_token(medusa_store_auth::AccessToken::new(format!(
                "eyJhbGciOiJIUzI1NiJ9.{claims}.sig"
            ))),
    )
    .unwrap();
    let renewal = expired
        .renew_token(Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(renewal, Renewal::Expired);
    assert!(expired.saved_session().is_empty());
    anything.assert_calls_async(0).await;
}

#[tokio::test]
async fn renewing_a_pending_token_respects_the_challenge() {
    use medusa_store_auth::v2::Renewal;
    use std::time::Duration;

    let store = MockStoreV2::start().await;
    let visitor = challenged_visitor(&store, "penny@example.com").await;
    let renewal = visitor
        .renew_token(Duration::from_secs(25 * 3600))
        .await
        .unwrap();
    let Renewal::Renewed(login) = renewal else {
        panic!("{renewal:?}")
    };
    assert!(
        login.mfa_challenge().is_some(),
        "a new challenge, not a full token"
    );
    assert_eq!(visitor.pending(), Some(Pending::SecondFactor));
}
