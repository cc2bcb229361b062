//! The per-visitor session of server-side rendering: a fresh one (`new_session`), and one
//! restored from what the storefront kept in the visitor's browser (`SavedSession::decode`
//! then `restore_session`) holding a v1 session cookie, a v2 token, or both. For each: what
//! one costs to make, what 10,000 idle ones hold in memory, and how many TCP connections
//! making them opens (none: they share the client's pool). Prints one JSON object.
//!   sessions

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use medusa_store_auth::{AccessToken, Config, SavedSession, SessionCookie};

/// Counts live heap bytes and allocations.
struct Counting;
static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        LIVE_BYTES.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Resident memory of this process, from /proc.
fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

const ALIVE: usize = 10_000;
const MADE: u32 = 200_000;

/// A recorded connect.sid (Medusa 1.20.11) and a recorded customer token (Medusa 2.21.2).
const COOKIE: &str = "s%3AFz3x4rVqz1kJd8mD1lq0nQxY2uZ6bT7c.gvVCO%2FQaux4pq6";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY3Rvcl9pZCI6ImN1c18wMUpWNUZSM1o3WEdHQ0VZUDdZUTFHOTlQRSIsImFjdG9yX3R5cGUiOiJjdXN0b21lciIsImF1dGhfaWRlbnRpdHlfaWQiOiJhdXRoaWRfMDFKVjVGUjNYOFhSM1FUQlZROVE0TUhGUlYiLCJhcHBfbWV0YWRhdGEiOnsiY3VzdG9tZXJfaWQiOiJjdXNfMDFKVjVGUjNaN1hHR0NFWVA3WVExRzk5UEUifSwiaWF0IjoxNzQ3MjI2NjU0LCJleHAiOjE3NDczMTMwNTR9.2BTgLSVt7Y6cGkZKNn3rDwG8dzYcN2zPVv0uTiW6qOQ";

/// What one kind of visitor costs.
fn measure<C>(name: &str, make: impl Fn() -> C) -> String {
    // Time to make one (and drop it), as a request handler would.
    let started = Instant::now();
    for _ in 0..MADE {
        std::hint::black_box(make());
    }
    let ns = started.elapsed().as_nanos() as f64 / f64::from(MADE);

    // Memory of 10,000 idle ones.
    let (bytes_before, allocs_before, rss_before) = (
        LIVE_BYTES.load(Ordering::Relaxed),
        ALLOCS.load(Ordering::Relaxed),
        rss_bytes(),
    );
    let alive: Vec<C> = (0..ALIVE).map(|_| make()).collect();
    let heap = (LIVE_BYTES.load(Ordering::Relaxed) - bytes_before) as f64 / ALIVE as f64;
    let allocs = (ALLOCS.load(Ordering::Relaxed) - allocs_before) as f64 / ALIVE as f64;
    let rss = (rss_bytes().saturating_sub(rss_before)) as f64 / ALIVE as f64;
    drop(alive);
    format!(
        "{{\"visitor\": \"{name}\", \"ns\": {ns:.0}, \"heap_bytes\": {heap:.0}, \"allocs\": {allocs:.1}, \"rss_bytes\": {rss:.0}}}"
    )
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The shared clients point at a listener that counts the connections it is offered.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let v1 = medusa_store_auth::v1::AuthClient::new(Config::new().with_base_url(&url)).unwrap();
    let v2 = medusa_store_auth::v2::AuthClient::new(
        Config::new()
            .with_base_url(&url)
            .with_publishable_api_key("pk_01JV5FQ9Y1ZKXKQ8V2RZ3M4N5P"),
    )
    .unwrap();

    // What the browser sends back, as the storefront saved it.
    let donor = v1.new_session();
    donor
        .set_session_cookie(&SessionCookie::new(COOKIE))
        .unwrap();
    let v1_cookie = donor.saved_session().encode();
    let donor = v2.new_session();
    donor.set_token(AccessToken::new(TOKEN)).unwrap();
    let v2_token = donor.saved_session().encode();
    donor
        .set_session_cookie(&SessionCookie::new(COOKIE))
        .unwrap();
    let v2_both = donor.saved_session().encode();

    let restore_v1 = |text: &str| {
        v1.restore_session(&SavedSession::decode(text).unwrap())
            .unwrap()
    };
    let restore_v2 = |text: &str| {
        v2.restore_session(&SavedSession::decode(text).unwrap())
            .unwrap()
    };
    let decoded = |text: &str| SavedSession::decode(text).unwrap();
    let (v1_cookie_saved, v2_token_saved, v2_both_saved) =
        (decoded(&v1_cookie), decoded(&v2_token), decoded(&v2_both));
    let results = [
        measure("new_session", || v1.new_session()),
        measure("new_session + set_session_cookie", || {
            let visitor = v1.new_session();
            visitor
                .set_session_cookie(&SessionCookie::new(COOKIE))
                .unwrap();
            visitor
        }),
        measure("v1: restore_session (cookie)", || {
            v1.restore_session(&v1_cookie_saved).unwrap()
        }),
        measure("v1: decode + restore_session (cookie)", || {
            restore_v1(&v1_cookie)
        }),
        measure("v2: restore_session (token)", || {
            v2.restore_session(&v2_token_saved).unwrap()
        }),
        measure("v2: decode + restore_session (token)", || {
            restore_v2(&v2_token)
        }),
        measure("v2: restore_session (token and cookie)", || {
            v2.restore_session(&v2_both_saved).unwrap()
        }),
        measure("v2: decode + restore_session (token and cookie)", || {
            restore_v2(&v2_both)
        }),
    ];

    // Making visitors sends nothing: no connection reaches the listener.
    let connections =
        match tokio::time::timeout(Duration::from_millis(200), listener.accept()).await {
            Ok(_) => 1,
            Err(_) => 0,
        };
    println!(
        "{{\"alive\": {ALIVE}, \"made\": {MADE}, \"connections_opened\": {connections}, \"visitors\": [{}]}}",
        results.join(", ")
    );
}
