//! Medusa v2 end to end: register → create the customer → refresh → read it → log out →
//! log in → a cookie session → read it by cookie → log out, printing each step.
//!
//! Against a real Medusa 2.21: `MEDUSA_BACKEND_URL=http://localhost:9000
//! MEDUSA_PUBLISHABLE_KEY=pk_… cargo run --example v2_quickstart` (it registers a new
//! customer each run). Without `MEDUSA_BACKEND_URL`, it starts the crate's v2 stand-in
//! (`medusa_store_auth::mock::v2`, feature `mock`), which answers as the recorded 2.21.2.

use std::time::{SystemTime, UNIX_EPOCH};

use medusa_store_auth::mock::v2::{MockStore, PUBLISHABLE_KEY};
use medusa_store_auth::v2::types::{AuthPayload, StoreCreateCustomer};
use medusa_store_auth::v2::{AuthClient, EMAILPASS};
use medusa_store_auth::{Config, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    // Keep the stand-in alive for the whole run.
    let (_standin, base_url, key) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => {
            let key = std::env::var("MEDUSA_PUBLISHABLE_KEY")
                .expect("set MEDUSA_PUBLISHABLE_KEY to a publishable API key of that store");
            (None, url, key)
        }
        Err(_) => {
            let store = MockStore::start().await;
            let url = store.base_url().to_string();
            println!("MEDUSA_BACKEND_URL is not set: using the crate's v2 stand-in at {url}");
            (Some(store), url, PUBLISHABLE_KEY.to_string())
        }
    };
    let client = AuthClient::new(
        Config::new()
            .with_base_url(&base_url)
            .with_publishable_api_key(key),
    )?;
    let run = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    let email = format!("quickstart-{run}@example.com");
    let credentials = AuthPayload::email_password(&email, "Quickstart-pass-1!");

    client.register(EMAILPASS, &credentials).await?;
    println!("1. register          -> a token with no customer yet (kept by the client)");
    let customer = StoreCreateCustomer {
        first_name: Some("Quick".into()),
        last_name: Some("Start".into()),
        ..StoreCreateCustomer::new(&email)
    };
    let created = client.create_customer(&customer).await?.customer;
    println!(
        "2. create_customer   -> {} ({:?})",
        created.id, created.email
    );
    client.refresh().await?;
    println!("3. refresh           -> a token that acts as the customer");
    let me = client.retrieve_customer().await?.customer;
    println!("4. retrieve_customer -> {} by token", me.id);
    let logout = client.logout().await?;
    println!(
        "5. logout            -> {logout:?}; token forgotten: {}",
        client.token().is_none()
    );

    let login = client.login(EMAILPASS, &credentials).await?;
    println!(
        "6. login             -> authenticated: {}",
        login.is_authenticated()
    );
    client.create_session().await?;
    println!(
        "7. create_session    -> cookie kept: {}, token dropped: {}",
        client.session_cookie().is_some(),
        client.token().is_none()
    );
    let me = client.retrieve_customer().await?.customer;
    println!("8. retrieve_customer -> {} by cookie", me.id);
    let logout = client.logout().await?;
    println!("9. logout            -> {logout:?}");
    assert!(client
        .retrieve_customer()
        .await
        .unwrap_err()
        .is_unauthorized());
    Ok(())
}
