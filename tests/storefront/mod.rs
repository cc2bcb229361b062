//! Shared by the storefront tests: `examples/storefront_server/` itself, started on a free
//! loopback port in front of a Medusa (a stand-in or a real server), and a visitor that
//! reads its pages and submits its forms as a browser does.

#![allow(dead_code)]

#[path = "../../examples/storefront_server/main.rs"]
pub mod example;

use example::{CookieSettings, Shop};
use reqwest::StatusCode;

/// The example, serving on a free loopback port until dropped.
pub struct Storefront {
    pub url: String,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Storefront {
    pub async fn start(shop: Shop) -> Self {
        Self::start_with(shop, CookieSettings::default()).await
    }

    pub async fn start_with(shop: Shop, cookies: CookieSettings) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(example::serve(listener, shop, cookies));
        Storefront { url, server }
    }
}

impl Drop for Storefront {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A page as the visitor got it, after redirects.
pub struct Page {
    pub status: StatusCode,
    /// The path the browser ended on (redirects followed).
    pub path: String,
    pub html: String,
    /// The `Set-Cookie` lines of the last response.
    pub set_cookies: Vec<String>,
}

impl Page {
    /// The text of the element with `id`, as the pages mark what a test reads.
    pub fn text_of(&self, id: &str) -> Option<&str> {
        let start = self.html.find(&format!("id=\"{id}\">"))? + id.len() + 6;
        let end = self.html[start..].find('<')? + start;
        Some(&self.html[start..end])
    }

    /// The CSRF token of the page's forms.
    pub fn csrf(&self) -> &str {
        let marker = "name=\"csrf\" value=\"";
        let start = self.html.find(marker).expect("a page with a form") + marker.len();
        let end = self.html[start..].find('"').unwrap() + start;
        &self.html[start..end]
    }
}

/// One browser: its own cookie jar, following redirects, as a person's browser does.
pub struct Visitor {
    http: reqwest::Client,
    base: String,
}

impl Visitor {
    pub fn new(storefront: &Storefront) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .build()
            .unwrap();
        Visitor {
            http,
            base: storefront.url.clone(),
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// Submits the form at `action` with `fields`, and the CSRF token of `page`, the page
    /// the form is on.
    pub async fn submit(&self, page: &Page, action: &str, fields: &[(&str, &str)]) -> Page {
        let mut form = vec![("csrf", page.csrf())];
        form.extend_from_slice(fields);
        self.post(action, &form).await
    }

    /// A POST with exactly `form` (no CSRF token added).
    pub async fn post(&self, action: &str, form: &[(&str, &str)]) -> Page {
        let response = self
            .http
            .post(format!("{}{action}", self.base))
            .form(form)
            .send()
            .await
            .unwrap();
        read(response).await
    }

    /// Logs in through the form; the page it ends on.
    pub async fn log_in(&self, email: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        self.submit(&form, "/login", &[("email", email), ("password", password)])
            .await
    }

    /// Logs out with the account page's button; the page it ends on.
    pub async fn log_out(&self) -> Page {
        let account = self.get("/account").await;
        self.submit(&account, "/logout", &[]).await
    }
}

async fn read(response: reqwest::Response) -> Page {
    let status = response.status();
    let path = response.url().path().to_string();
    let set_cookies = response
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    let html = response.text().await.unwrap();
    Page {
        status,
        path,
        html,
        set_cookies,
    }
}
