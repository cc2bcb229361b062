//! The HTML pages. Everything from a customer or a form is escaped; notices are fixed texts.

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use medusa_store_auth::Error;

use super::shop::{Customer, NewCustomer, Shop};

pub enum Notice {
    Info(&'static str),
    Error(&'static str),
}

pub fn notice_html(notice: Option<Notice>) -> String {
    match notice {
        Some(Notice::Info(text)) => format!("<p class=\"info\" role=\"status\">{text}</p>"),
        Some(Notice::Error(text)) => format!("<p class=\"error\" role=\"alert\">{text}</p>"),
        None => String::new(),
    }
}

/// Text from a customer or a form, made safe to put in a page.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn page(shop: &Shop, title: &str, body: &str) -> Html<String> {
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} · Example Shop</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }}
header {{ display: flex; justify-content: space-between; align-items: baseline; border-bottom: 1px solid #d0d7de; margin-bottom: 1rem; }}
header small {{ color: #59636e; }}
label {{ display: block; margin: .75rem 0 .25rem; }}
input {{ width: 100%; padding: .5rem; box-sizing: border-box; font-size: 1rem; }}
button {{ margin-top: 1rem; padding: .5rem 1rem; font-size: 1rem; }}
.error {{ background: #ffebe9; border: 1px solid #ff8182; padding: .5rem; }}
.info {{ background: #ddf4ff; border: 1px solid #54aeff; padding: .5rem; }}
dt {{ font-weight: bold; margin-top: .5rem; }}
</style>
</head>
<body>
<header><h1>Example Shop</h1><small>{line}</small></header>
<main>
<h2>{title}</h2>
{body}
</main>
</body>
</html>
"#,
        line = shop.line(),
    ))
}

pub fn login_form(shop: &Shop, csrf: &str, email: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<form method="post" action="/login">
<input type="hidden" name="csrf" value="{csrf}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button id="log-in" type="submit">Log in</button>
</form>
<p>New here? <a href="/register">Create an account</a>.</p>"#,
        notice = notice_html(notice),
        email = escape(email),
    );
    page(shop, "Log in", &body)
}

pub fn register_form(
    shop: &Shop,
    csrf: &str,
    form: &NewCustomer,
    notice: Option<Notice>,
) -> Html<String> {
    let body = format!(
        r#"{notice}<form method="post" action="/register">
<input type="hidden" name="csrf" value="{csrf}">
<label for="first_name">First name</label><input id="first_name" name="first_name" autocomplete="given-name" required value="{first}">
<label for="last_name">Last name</label><input id="last_name" name="last_name" autocomplete="family-name" required value="{last}">
<label for="email">Email</label><input id="email" name="email" type="email" autocomplete="username" required value="{email}">
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required>
<button id="register" type="submit">Create account</button>
</form>
<p>Have an account? <a href="/login">Log in</a>.</p>"#,
        notice = notice_html(notice),
        first = escape(&form.first_name),
        last = escape(&form.last_name),
        email = escape(&form.email),
    );
    page(shop, "Create an account", &body)
}

pub fn account_page(shop: &Shop, csrf: &str, customer: &Customer) -> Html<String> {
    let body = format!(
        r#"<p>Welcome back{comma}<span id="customer-name">{name}</span>.</p>
<dl><dt>Email</dt><dd id="customer-email">{email}</dd><dt>Customer</dt><dd id="customer-id">{id}</dd></dl>
<form method="post" action="/logout">
<input type="hidden" name="csrf" value="{csrf}">
<button id="log-out" type="submit">Log out</button>
</form>"#,
        comma = if customer.name.is_empty() { "" } else { ", " },
        name = escape(&customer.name),
        email = escape(&customer.email),
        id = escape(&customer.id),
    );
    page(shop, "Your account", &body)
}

pub fn mfa_form(shop: &Shop, csrf: &str, challenge: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<p>Your account has a second factor: enter the code your authenticator app shows.</p>
<form method="post" action="/mfa">
<input type="hidden" name="csrf" value="{csrf}">
<input type="hidden" name="challenge" value="{challenge}">
<label for="code">Code</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
<label><input type="checkbox" name="method" value="recovery" style="width:auto"> This is a recovery code</label>
<button id="confirm" type="submit">Confirm</button>
</form>"#,
        notice = notice_html(notice),
        challenge = escape(challenge),
    );
    page(shop, "Second factor", &body)
}

pub fn verify_form(shop: &Shop, csrf: &str, notice: Option<Notice>) -> Html<String> {
    let body = format!(
        r#"{notice}<p>The shop needs to check your email address: we have sent you a code.</p>
<form method="post" action="/verify">
<input type="hidden" name="csrf" value="{csrf}">
<label for="code">Code from the email</label><input id="code" name="code" autocomplete="one-time-code" required>
<button id="confirm" type="submit">Confirm</button>
</form>
<p>No email? <a href="/login">Log in again</a> for a new code.</p>"#,
        notice = notice_html(notice),
    );
    page(shop, "Check your email", &body)
}

/// The page for a failure the visitor can do nothing about but wait.
pub fn trouble(shop: &Shop, error: &Error) -> Response {
    // An error's Display never holds a password, token or cookie.
    eprintln!("medusa: {error}");
    let down = error.is_transport()
        || error.is_timeout()
        || error.status().is_some_and(|s| s.is_server_error());
    if down {
        unavailable(shop)
    } else {
        (
            StatusCode::BAD_GATEWAY,
            page(
                shop,
                "Something went wrong",
                "<p class=\"error\">The shop's account service gave an answer we did not expect. \
                 Try again; if it keeps happening, contact the shop.</p>",
            ),
        )
            .into_response()
    }
}

pub fn unavailable(shop: &Shop) -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        page(
            shop,
            "The shop is unavailable",
            "<p class=\"error\">We cannot reach the shop's account service right now. \
             Nothing was changed: try again in a minute.</p>\
             <p><a href=\"/\">Try again</a></p>",
        ),
    )
        .into_response()
}

pub fn expired_form(shop: &Shop) -> Response {
    (
        StatusCode::FORBIDDEN,
        page(
            shop,
            "This form has expired",
            "<p class=\"error\">This form was not sent from this shop's page, or it has \
             expired. <a href=\"/login\">Open the page again</a> and retry.</p>",
        ),
    )
        .into_response()
}
