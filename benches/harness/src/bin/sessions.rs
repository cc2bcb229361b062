//! The per-visitor session of server-side rendering (`AuthClient::new_session`): what one
//! costs to make, what 10,000 idle ones hold in memory, and how many TCP connections making
//! them opens (none: they share the client's pool). Prints one JSON object.
//!   sessions

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use medusa_store_auth::v1::AuthClient;
use medusa_store_auth::{Config, SessionCookie};

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

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // The shared client points at a listener that counts the connections it is offered.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let shared = AuthClient::new(Config::new().with_base_url(url)).unwrap();

    // Time to make one (and drop it), as a request handler would.
    let started = Instant::now();
    for _ in 0..MADE {
        std::hint::black_box(shared.new_session());
    }
    let ns_per_session = started.elapsed().as_nanos() as f64 / f64::from(MADE);

    // With the browser's cookie set, as a handler does for a returning visitor.
    let cookie = SessionCookie::new("s%3AFz3x4rVqz1kJd8mD1lq0nQxY2uZ6bT7c.gvVCO%2FQaux4pq6");
    let started = Instant::now();
    for _ in 0..MADE / 10 {
        let visitor = shared.new_session();
        visitor.set_session_cookie(&cookie).unwrap();
        std::hint::black_box(visitor);
    }
    let ns_per_session_with_cookie = started.elapsed().as_nanos() as f64 / f64::from(MADE / 10);

    // Memory of 10,000 idle sessions, each holding a cookie.
    let (bytes_before, allocs_before, rss_before) = (
        LIVE_BYTES.load(Ordering::Relaxed),
        ALLOCS.load(Ordering::Relaxed),
        rss_bytes(),
    );
    let alive: Vec<AuthClient> = (0..ALIVE)
        .map(|_| {
            let visitor = shared.new_session();
            visitor.set_session_cookie(&cookie).unwrap();
            visitor
        })
        .collect();
    let heap_per_session =
        (LIVE_BYTES.load(Ordering::Relaxed) - bytes_before) as f64 / ALIVE as f64;
    let allocs_per_session = (ALLOCS.load(Ordering::Relaxed) - allocs_before) as f64 / ALIVE as f64;
    let rss_per_session = (rss_bytes().saturating_sub(rss_before)) as f64 / ALIVE as f64;

    // Making sessions sends nothing: no connection reaches the listener.
    let connections =
        match tokio::time::timeout(Duration::from_millis(200), listener.accept()).await {
            Ok(_) => 1,
            Err(_) => 0,
        };
    drop(alive);

    println!(
        "{{\"ns_per_session\": {ns_per_session:.0}, \"ns_per_session_with_cookie\": {ns_per_session_with_cookie:.0}, \
         \"alive\": {ALIVE}, \"heap_bytes_per_session\": {heap_per_session:.0}, \"allocs_per_session\": {allocs_per_session:.1}, \
         \"rss_bytes_per_session\": {rss_per_session:.0}, \"connections_opened\": {connections}}}"
    );
}
