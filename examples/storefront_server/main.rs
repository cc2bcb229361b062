//! A storefront a person can use: HTML pages (axum) that log customers in through Medusa,
//! v1 or v2, with one shared client for every visitor.
//!
//! ```text
//! GET  /            → the account page when signed in, else the login page
//! GET  /login       POST /login      email and password
//! GET  /register    POST /register   a new customer (v1 checks `exists` first)
//! GET  /account                      the customer, and a logout button
//! POST /logout
//! GET  /mfa         POST /mfa        v2: the second factor, when the store asks for it
//! GET  /verify      POST /verify     v2: the emailed code, when the store asks for it
//! ```
//!
//! Run it with `cargo run --example storefront_server` and open <http://127.0.0.1:3000>:
//! - `MEDUSA_LINE=v1|v2` (or `--line`): which Medusa it talks to (default v1);
//! - `MEDUSA_BACKEND_URL` (and, for v2, `MEDUSA_PUBLISHABLE_KEY`): the Medusa server; without
//!   it the crate's stand-in for that line is started, with `alice@example.com` /
//!   `S3cret-pass!` registered;
//! - `STOREFRONT_ADDRESS` (or `--listen`): where it listens (default `127.0.0.1:3000`);
//! - `STOREFRONT_SECURE_COOKIES=1`: mark its cookies `Secure`, for a storefront behind HTTPS.
//!
//! # The session pattern
//!
//! Each request restores the visitor's [`SavedSession`] (kept in the storefront's own
//! cookie) on the one shared client, makes its calls, and sends the cookie again only when
//! the session changed; logging out empties it and the cookie is removed. Nothing of a
//! visitor lives in the server between requests, so any number of instances can serve them.
//!
//! # Cookies and CSRF
//!
//! - `shop_session` holds the encoded [`SavedSession`] (Medusa's session cookie for v1, the
//!   customer's token for v2): `HttpOnly` (no script reads it), `SameSite=Lax` (another
//!   site's form posts arrive without it), `Secure` behind HTTPS. For v2 it lives as long as
//!   the token, which is renewed when it has less than an hour left.
//! - Every form carries a token that must equal the `shop_csrf` cookie (double submit), and a
//!   POST whose `Origin` is another site's is refused. `SameSite=Lax` alone would leave
//!   browsers without it, and subdomains that can set cookies, unprotected.
//! - What the browser sends is hostile: a session cookie that does not decode, or is for the
//!   other line, reads as signed out (and is removed); page text is HTML-escaped.
//!
//! # Where things are
//!
//! `shop.rs` is the Medusa side (the shared client, a visitor's session, each line's sign-in
//! steps), `visitor.rs` the browser's (its cookies in, `Set-Cookie` out, the CSRF check),
//! `pages.rs` the HTML, and `routes.rs` ties them together, one handler per form.

mod pages;
mod routes;
mod shop;
mod visitor;

use std::net::SocketAddr;

pub use routes::router;
pub use shop::Shop;
pub use visitor::CookieSettings;

/// Serves the storefront on `listener` until the task is dropped.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shop: Shop,
    cookies: CookieSettings,
) -> std::io::Result<()> {
    axum::serve(listener, router(shop, cookies)).await
}

fn setting(flag: &str, variable: &str) -> Option<String> {
    std::env::args()
        .skip_while(|a| a != flag)
        .nth(1)
        .or_else(|| std::env::var(variable).ok())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let line = setting("--line", "MEDUSA_LINE").unwrap_or_else(|| "v1".into());
    if line != "v1" && line != "v2" {
        return Err(format!("MEDUSA_LINE is v1 or v2, not {line:?}").into());
    }
    // Without a server, the crate's stand-in for the line, kept alive while this runs.
    let mut stand_in: (
        Option<medusa_store_auth::mock::MockStore>,
        Option<medusa_store_auth::mock::v2::MockStore>,
    ) = (None, None);
    let (backend, key) = match std::env::var("MEDUSA_BACKEND_URL") {
        Ok(url) => (url, std::env::var("MEDUSA_PUBLISHABLE_KEY").ok()),
        Err(_) if line == "v2" => {
            let store = medusa_store_auth::mock::v2::MockStore::start().await;
            let url = store.base_url().to_string();
            stand_in.1 = Some(store);
            (
                url,
                Some(medusa_store_auth::mock::v2::PUBLISHABLE_KEY.to_string()),
            )
        }
        Err(_) => {
            let store = medusa_store_auth::mock::MockStore::start().await;
            let url = store.base_url().to_string();
            stand_in.0 = Some(store);
            (url, None)
        }
    };
    let shop = Shop::connect(&line, &backend, key.as_deref())?;
    let cookies = CookieSettings {
        secure: std::env::var("STOREFRONT_SECURE_COOKIES").is_ok_and(|v| v == "1"),
    };
    let address: SocketAddr = setting("--listen", "STOREFRONT_ADDRESS")
        .unwrap_or_else(|| "127.0.0.1:3000".into())
        .parse()?;
    let listener = tokio::net::TcpListener::bind(address).await?;
    println!(
        "storefront on http://{}, in front of {} at {backend}{}",
        listener.local_addr()?,
        shop.line(),
        if stand_in.0.is_some() || stand_in.1.is_some() {
            " (the crate's stand-in: log in as alice@example.com / S3cret-pass!)"
        } else {
            ""
        }
    );
    serve(listener, shop, cookies).await?;
    Ok(())
}
