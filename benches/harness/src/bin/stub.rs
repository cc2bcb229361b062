//! The benchmark's stub Medusa: answers the five v1 store-auth routes, and v2's login and
//! `/store/customers/me`, with the bodies, statuses and content types of the recorded real
//! responses, keep-alive on, as fast as it can.
//!   stub <port>

use std::convert::Infallible;

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper::{Method, Request, Response};
use medusa_store_auth::mock::Recording;

const FIXTURES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/medusa-1.20.11/"
);

const FIXTURES_V2: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../tests/fixtures/medusa-2.21.2/"
);

/// (status, content type, extra header, body) of a recorded response, replayed at start-up
/// (the crate's one replay path), so its session cookie expires 10 hours from now.
fn recorded(name: &str) -> (u16, Option<String>, Option<(String, String)>, Bytes) {
    let text = std::fs::read_to_string(format!("{FIXTURES}{name}.http")).expect("fixture");
    from_recording(&text)
}

/// A Medusa 2.21.2 recording, as `recorded`.
fn recorded_v2(name: &str) -> (u16, Option<String>, Option<(String, String)>, Bytes) {
    let text = std::fs::read_to_string(format!("{FIXTURES_V2}{name}.http")).expect("fixture");
    from_recording(&text)
}

fn from_recording(text: &str) -> (u16, Option<String>, Option<(String, String)>, Bytes) {
    let replayed = Recording::parse(text).expect("a recording").replay();
    let cookie = replayed
        .header("set-cookie")
        .map(|value| ("set-cookie".to_string(), value.to_string()));
    (
        replayed.status(),
        replayed.header("content-type").map(str::to_string),
        cookie,
        Bytes::from(replayed.body().to_vec()),
    )
}

/// Like Medusa: a session cookie is set on a login, and on any request that has none.
fn build(
    r: &(u16, Option<String>, Option<(String, String)>, Bytes),
    has_cookie: bool,
    login: bool,
) -> Response<Full<Bytes>> {
    let mut builder = Response::builder()
        .status(r.0)
        .header("x-powered-by", "Express")
        .header("vary", "Origin");
    if let Some(t) = &r.1 {
        builder = builder.header("content-type", t);
    }
    if let Some((n, v)) = r.2.as_ref().filter(|_| login || !has_cookie) {
        builder = builder.header(n, v);
    }
    builder.body(Full::new(r.3.clone())).unwrap()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let port: u16 = std::env::args()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(9911);
    let login = Box::leak(Box::new(recorded("10-auth-login-ok")));
    let session = Box::leak(Box::new(recorded("20-session-get-with-cookie")));
    let exists = Box::leak(Box::new(recorded("30-exists-existing")));
    let token = Box::leak(Box::new(recorded("40-token-ok")));
    let deleted = Box::leak(Box::new(recorded("50-delete-session")));
    let unauthorized = Box::leak(Box::new(recorded("21-session-get-no-cookie")));
    let v2_login = Box::leak(Box::new(recorded_v2("10-login-ok")));
    let v2_me = Box::leak(Box::new(recorded_v2("20-me-bearer")));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    eprintln!("stub listening on 127.0.0.1:{port}");
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let (login, session, exists, token, deleted, unauthorized) = (
            &*login,
            &*session,
            &*exists,
            &*token,
            &*deleted,
            &*unauthorized,
        );
        let (v2_login, v2_me) = (&*v2_login, &*v2_me);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(
                move |request: Request<hyper::body::Incoming>| async move {
                    let (parts, body) = request.into_parts();
                    let _ = body.collect().await;
                    let path = parts.uri.path();
                    let has_cookie = parts.headers.contains_key("cookie");
                    let is_login = parts.method == Method::POST && path == "/store/auth";
                    let reply = match (parts.method, path) {
                        (Method::POST, "/store/auth") => login,
                        (Method::POST, "/store/auth/token") => token,
                        (Method::POST, "/auth/customer/emailpass") => v2_login,
                        (Method::GET, "/store/customers/me") => v2_me,
                        (Method::DELETE, "/store/auth") => deleted,
                        (Method::GET, "/store/auth") => session,
                        (Method::GET, p) if p.starts_with("/store/auth/") => exists,
                        _ => unauthorized,
                    };
                    Ok::<_, Infallible>(build(reply, has_cookie, is_login))
                },
            );
            let _ = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
