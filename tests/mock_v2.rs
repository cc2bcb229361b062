//! The v2 stand-in (`mock::v2::MockStore`) answers the crate's calls as the recorded
//! Medusa 2.21.2 did, with times moved to now.

mod support;

use medusa_store_auth::mock::v2::{MockStore, RECORDED_EMAIL, RECORDED_PASSWORD};
use medusa_store_auth::v2::types::{AuthPayload, AuthResetPasswordReq, StoreCreateCustomer};
use medusa_store_auth::v2::{AuthClient, Logout, EMAILPASS};
use medusa_store_auth::Config;
use std::time::{SystemTime, UNIX_EPOCH};
use support::fixtures::jwt_claims;

#[tokio::test]
async fn the_recorded_customer_logs_in_with_a_token_valid_from_now() {
    let store = MockStore::start().await;
    let client = store.client();
    let login = client
        .login(
            EMAILPASS,
            &AuthPayload::email_password(RECORDED_EMAIL, RECORDED_PASSWORD),
        )
        .await
        .unwrap();
    let claims = jwt_claims(login.token().unwrap());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let (iat, exp) = (
        claims["iat"].as_i64().unwrap(),
        claims["exp"].as_i64().unwrap(),
    );
    assert!((iat - now).abs() < 60, "iat {iat} is not now ({now})");
    assert_eq!(exp - iat, 86_400, "24 hours, as recorded");
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me.email.as_deref(), Some(RECORDED_EMAIL));
    assert_eq!(claims["actor_id"], me.id.as_str());

    let wrong = store
        .client()
        .login(
            EMAILPASS,
            &AuthPayload::email_password(RECORDED_EMAIL, "nope"),
        )
        .await
        .unwrap_err();
    assert_eq!(wrong.message(), Some("Invalid email or password"));
}

#[tokio::test]
async fn registration_needs_create_and_refresh_before_me() {
    let store = MockStore::start().await;
    let client = store.client();
    let payload = AuthPayload::email_password("bob@example.com", "hunter2-pass");
    client.register(EMAILPASS, &payload).await.unwrap();
    assert!(client
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());
    let created = client
        .create_customer(&StoreCreateCustomer {
            first_name: Some("Bob".into()),
            ..StoreCreateCustomer::new("bob@example.com")
        })
        .await
        .unwrap()
        .customer;
    assert_eq!(created.email.as_deref(), Some("bob@example.com"));
    let again = client
        .create_customer(&StoreCreateCustomer::new("bob@example.com"))
        .await
        .unwrap_err();
    assert_eq!(again.error_type(), Some("duplicate_error"));
    client.refresh().await.unwrap();
    assert_eq!(
        client.retrieve_customer().await.unwrap().customer.id,
        created.id
    );
    let taken = store
        .client()
        .register(EMAILPASS, &payload)
        .await
        .unwrap_err();
    assert_eq!(taken.message(), Some("Identity with email already exists"));
}

#[tokio::test]
async fn sign_up_registers_creates_and_refreshes_in_one_spawnable_call() {
    let store = MockStore::start().await;
    let client = store.client();
    let payload = AuthPayload::email_password("carol@example.com", "Carol-pass-1!");
    let customer = StoreCreateCustomer {
        first_name: Some("Carol".into()),
        ..StoreCreateCustomer::new("carol@example.com")
    };
    let created = tokio::spawn(client.sign_up(EMAILPASS, &payload, &customer))
        .await
        .unwrap()
        .unwrap()
        .customer;
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(
        (me.id, me.first_name.as_deref()),
        (created.id, Some("Carol"))
    );
    // A second sign-up stops at register, and sends nothing after it.
    let again = store
        .client()
        .sign_up(
            EMAILPASS,
            &AuthPayload::email_password("carol@example.com", "other"),
            &customer,
        )
        .await
        .unwrap_err();
    assert_eq!(again.message(), Some("Identity with email already exists"));
}

#[tokio::test]
async fn sessions_keys_and_password_resets() {
    let store = MockStore::start().await;
    let client = store.client();
    client
        .login(
            EMAILPASS,
            &AuthPayload::email_password(RECORDED_EMAIL, RECORDED_PASSWORD),
        )
        .await
        .unwrap();
    let token = client.token().unwrap();
    client.create_session().await.unwrap();
    assert!(client.session_cookie().is_some() && client.token().is_none());
    client.retrieve_customer().await.unwrap();
    assert_eq!(client.logout().await.unwrap(), Logout::SessionEnded);
    assert_eq!(client.logout().await.unwrap(), Logout::NoSession);

    let bogus = AuthClient::new(
        Config::new()
            .with_base_url(store.base_url())
            .with_publishable_api_key("pk_bogus")
            .with_token(token.clone()),
    )
    .unwrap();
    assert_eq!(
        bogus.retrieve_customer().await.unwrap_err().error_type(),
        Some("not_allowed")
    );

    client
        .reset_password(EMAILPASS, &AuthResetPasswordReq::new(RECORDED_EMAIL))
        .await
        .unwrap();
    let reset = store.reset_token(RECORDED_EMAIL).expect("an emailed token");
    client
        .update_provider(EMAILPASS, &reset, &AuthPayload::password("N3w-pass!"))
        .await
        .unwrap();
    assert!(store.reset_token(RECORDED_EMAIL).is_none(), "single use");
    let old = client
        .login(
            EMAILPASS,
            &AuthPayload::email_password(RECORDED_EMAIL, RECORDED_PASSWORD),
        )
        .await;
    assert!(old.unwrap_err().is_unauthorized());
    // Tokens from before the reset still work: Medusa never revokes them.
    let before = store.client();
    before.set_token(token).unwrap();
    before.retrieve_customer().await.unwrap();
}

#[tokio::test]
async fn dropping_the_store_closes_the_connections_it_has_open() {
    let store = MockStore::start().await;
    let client = AuthClient::new(
        Config::new()
            .with_base_url(store.base_url())
            .with_retry_policy(medusa_store_auth::RetryPolicy::none()),
    )
    .unwrap();
    assert!(client.list_providers().await.is_ok());
    drop(store);
    let err = client.list_providers().await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}

#[tokio::test]
async fn register_gives_a_customer_who_can_log_in_with_the_users_own_config() {
    use medusa_store_auth::mock::v2::PUBLISHABLE_KEY;
    let store = MockStore::start().await;
    let registered = store.register("dana@example.com", "Dana-pass-1!");
    // Wired as an application would wire a real store: its base URL and publishable key.
    let client = AuthClient::new(
        Config::new()
            .with_base_url(store.base_url())
            .with_publishable_api_key(PUBLISHABLE_KEY),
    )
    .unwrap();
    let login = client
        .login(
            EMAILPASS,
            &AuthPayload::email_password("dana@example.com", "Dana-pass-1!"),
        )
        .await
        .unwrap();
    assert!(login.is_authenticated());
    let me = client.retrieve_customer().await.unwrap().customer;
    assert_eq!(me, registered);
    assert!(client
        .login(
            EMAILPASS,
            &AuthPayload::email_password("dana@example.com", "wrong")
        )
        .await
        .unwrap_err()
        .is_unauthorized());
}
