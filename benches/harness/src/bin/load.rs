//! One benchmark run: a client (`crate` or `raw` reqwest) calling one operation at a fixed
//! concurrency on a single-threaded runtime, for a warm-up then a measured window. Prints
//! one JSON line: calls/s, p50/p99 latency, allocations and CPU time per call.
//!   load <crate|raw> <get_session|exists|authenticate|get_token> <concurrency> <seconds> <base url>
//! With LOAD_CALLS=n each task makes exactly n calls instead (seconds is ignored).
//!   load pair <op> <concurrency> <seconds> <base url>
//! runs the crate and raw reqwest in turns of 100 ms in one process (see `interleaved`).
//!   load wire
//! checks that both send the same request for each operation (see `wire`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use medusa_store_auth::types::{
    StoreAuthRes, StoreBearerAuthRes, StoreGetAuthEmailRes, StorePostAuthReq,
};
use medusa_store_auth::{AuthClient, Config};

struct Counting;
static ALLOCS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// User + system CPU time of this process, from /proc (clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat
        .rsplit_once(") ")
        .map(|(_, rest)| rest.split(' ').collect())
        .unwrap_or_default();
    let ticks: u64 = fields.get(11).and_then(|v| v.parse().ok()).unwrap_or(0)
        + fields.get(12).and_then(|v| v.parse().ok()).unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

#[derive(Clone)]
enum Client {
    Crate(AuthClient),
    Raw(RawClient),
}

/// The crate's User-Agent (src/client.rs); `load wire` fails when they drift apart.
const USER_AGENT: &str = "medusa-store-auth/0.1.0";
const EMAIL: &str = "alice@example.com";
const PASSWORD: &str = "S3cret-pass!";

impl Client {
    async fn call(&self, op: &str, login: &StorePostAuthReq) -> bool {
        match self {
            Client::Crate(c) => match op {
                "get_session" => c.get_session().await.is_ok(),
                "exists" => c.exists(EMAIL).await.is_ok(),
                "authenticate" => c.authenticate(login).await.is_ok(),
                "get_token" => c.get_token(login).await.is_ok(),
                // The generated method through the hooks, without the wrapper's builder.
                "generated_get_session" => c.raw().get_auth().await.is_ok(),
                _ => unreachable!(),
            },
            Client::Raw(raw) => match op {
                "get_session" => raw.get_session().await.is_ok(),
                "exists" => raw.exists(EMAIL).await.is_ok(),
                "authenticate" => raw.authenticate(login).await.is_ok(),
                "get_token" => raw.get_token(login).await.is_ok(),
                _ => unreachable!(),
            },
        }
    }
}

/// The baseline: what one would write by hand with reqwest for the same four calls, each
/// an async fn that sends the same request as the crate (`load wire` checks it) and returns
/// the same decoded type. No timeout, no retries, no session: only the exchange.
#[derive(Clone)]
struct RawClient {
    http: reqwest::Client,
    base: Arc<str>,
}

#[derive(Debug)]
#[allow(dead_code)] // read only through Debug
enum RawError {
    Http(reqwest::Error),
    Status(reqwest::StatusCode),
    Decode(serde_json::Error),
}

impl RawClient {
    fn new(base: &str) -> Self {
        // The crate's User-Agent, as the crate's client sets it.
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .build()
            .unwrap();
        Self {
            http,
            base: Arc::from(base),
        }
    }

    async fn get_session(&self) -> Result<StoreAuthRes, RawError> {
        let request = self.http.get(format!("{}/store/auth", self.base));
        Self::send(request).await
    }

    async fn exists(&self, email: &str) -> Result<StoreGetAuthEmailRes, RawError> {
        // A plain email: no encoding needed (the crate checks and encodes).
        let request = self.http.get(format!("{}/store/auth/{email}", self.base));
        Self::send(request).await
    }

    async fn authenticate(&self, login: &StorePostAuthReq) -> Result<StoreAuthRes, RawError> {
        let request = self.http.post(format!("{}/store/auth", self.base));
        Self::send(Self::with_key(request).json(login)).await
    }

    async fn get_token(&self, login: &StorePostAuthReq) -> Result<StoreBearerAuthRes, RawError> {
        let request = self.http.post(format!("{}/store/auth/token", self.base));
        Self::send(Self::with_key(request).json(login)).await
    }

    /// The crate's POSTs carry an Idempotency-Key: a v4 UUID from the same generator.
    fn with_key(request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        let mut key = [0u8; 36];
        uuid::Uuid::new_v4().hyphenated().encode_lower(&mut key);
        request.header(
            "idempotency-key",
            reqwest::header::HeaderValue::from_bytes(&key).unwrap(),
        )
    }

    async fn send<T: serde::de::DeserializeOwned>(
        request: reqwest::RequestBuilder,
    ) -> Result<T, RawError> {
        let response = request
            .header(reqwest::header::ACCEPT, "application/json")
            .send()
            .await
            .map_err(RawError::Http)?;
        if !response.status().is_success() {
            return Err(RawError::Status(response.status()));
        }
        let body = response.bytes().await.map_err(RawError::Http)?;
        serde_json::from_slice(&body).map_err(RawError::Decode)
    }
}

/// The clients: `crate` with the defaults a user gets (2 retries, which the stub never
/// triggers; tracing compiled in, no subscriber); `crate-no-retries` (to attribute costs);
/// `raw` reqwest with its defaults plus the crate's User-Agent, so both send the same
/// request (`load wire` checks it).
fn client(kind: &str, base: &str) -> Client {
    match kind {
        "crate" => Client::Crate(AuthClient::new(Config::new().with_base_url(base)).unwrap()),
        "crate-no-retries" => Client::Crate(
            AuthClient::new(
                Config::new()
                    .with_base_url(base)
                    .with_retry_policy(medusa_store_auth::RetryPolicy::none()),
            )
            .unwrap(),
        ),
        _ => Client::Raw(RawClient::new(base)),
    }
}

/// CPU time of this thread, in nanoseconds (/proc/thread-self/schedstat). The runtime is
/// single-threaded, so it is the client's whole CPU time.
fn thread_cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// The crate and raw reqwest in one process, taking turns of 100 ms until each has run
/// `measured`: both see the same machine, so a noisy neighbour or a frequency change
/// touches both alike. Each turn starts `concurrency` tasks, stops them at the end of the
/// turn and waits for their calls in flight. Prints one JSON line per client.
async fn interleaved(op: &str, concurrency: usize, measured: Duration, base: &str) {
    const TURN: Duration = Duration::from_millis(100);
    let clients = [
        ("crate", client("crate", base)),
        ("raw", client("raw", base)),
    ];
    let login = Arc::new(StorePostAuthReq::new(EMAIL, PASSWORD));

    async fn turn(
        client: &Client,
        op: &str,
        login: &Arc<StorePostAuthReq>,
        concurrency: usize,
        length: Duration,
    ) -> (Vec<u32>, u64, Duration, u64, u64) {
        let stop = Arc::new(AtomicBool::new(false));
        let (cpu0, allocs0, t0) = (
            thread_cpu_ns(),
            ALLOCS.load(Ordering::Relaxed),
            Instant::now(),
        );
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let (client, login, stop, op) =
                    (client.clone(), login.clone(), stop.clone(), op.to_string());
                tokio::spawn(async move {
                    let (mut latencies, mut failures) = (Vec::new(), 0u64);
                    while !stop.load(Ordering::Relaxed) {
                        let started = Instant::now();
                        let ok = client.call(&op, &login).await;
                        latencies.push(started.elapsed().as_micros() as u32);
                        failures += u64::from(!ok);
                    }
                    (latencies, failures)
                })
            })
            .collect();
        tokio::time::sleep(length).await;
        stop.store(true, Ordering::Relaxed);
        let (mut all, mut failures) = (Vec::new(), 0);
        for task in tasks {
            let (latencies, failed) = task.await.unwrap();
            all.extend(latencies);
            failures += failed;
        }
        let elapsed = t0.elapsed();
        (
            all,
            failures,
            elapsed,
            thread_cpu_ns() - cpu0,
            ALLOCS.load(Ordering::Relaxed) - allocs0,
        )
    }

    // Warm-up: connections, caches, the jar.
    for (_, client) in &clients {
        turn(client, op, &login, concurrency, Duration::from_millis(500)).await;
    }
    let mut totals: Vec<(Vec<u32>, u64, Duration, u64, u64)> = (0..2)
        .map(|_| (Vec::new(), 0, Duration::ZERO, 0, 0))
        .collect();
    let mut round = 0;
    while totals.iter().any(|t| t.2 < measured) {
        // Each client goes first in every other round.
        round += 1;
        let order = if round % 2 == 0 { [1, 0] } else { [0, 1] };
        for i in order {
            let client = &clients[i].1;
            let (latencies, failures, elapsed, cpu, allocs) =
                turn(client, op, &login, concurrency, TURN).await;
            let total = &mut totals[i];
            total.0.extend(latencies);
            total.1 += failures;
            total.2 += elapsed;
            total.3 += cpu;
            total.4 += allocs;
        }
    }
    for ((name, _), (latencies, failures, elapsed, cpu, allocs)) in clients.iter().zip(totals) {
        let run = Run {
            mode: "interleaved",
            client: name,
            op,
            concurrency,
            failures,
            elapsed,
        };
        run.print(latencies, allocs, Duration::from_nanos(cpu));
    }
}

/// Checks that the crate and the raw baseline send the same request for each operation:
/// the same request line, header names and values (the Idempotency-Key's value aside, which
/// is random: both must send one, or neither) and body. Exits non-zero when they differ.
async fn wire() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let login = StorePostAuthReq::new(EMAIL, PASSWORD);
    // One request per connection; the answer does not matter (a 200 that fails to decode,
    // which the crate never retries).
    let capture = || async {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        let complete = |r: &[u8]| {
            let text = String::from_utf8_lossy(r);
            let Some((head, body)) = text.split_once("\r\n\r\n") else {
                return false;
            };
            let length = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0usize);
            body.len() >= length
        };
        while !complete(&request) {
            let n = socket.read(&mut buf).await.unwrap();
            assert!(n > 0, "connection closed mid-request");
            request.extend_from_slice(&buf[..n]);
        }
        socket
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}")
            .await
            .unwrap();
        normalise(&String::from_utf8_lossy(&request))
    };
    fn normalise(request: &str) -> String {
        let (head, body) = request.split_once("\r\n\r\n").unwrap();
        let mut lines = head.lines();
        let first = lines.next().unwrap().to_string();
        let mut headers: Vec<String> = lines
            .map(|line| {
                let (name, value) = line.split_once(':').unwrap();
                let name = name.trim().to_ascii_lowercase();
                let value = value.trim();
                if name == "idempotency-key" {
                    assert_eq!(value.len(), 36, "idempotency-key is a hyphenated UUID");
                    format!("{name}: <uuid>")
                } else {
                    format!("{name}: {value}")
                }
            })
            .collect();
        headers.sort();
        format!("{first}\n{}\n\n{body}", headers.join("\n"))
    }
    let mut differ = false;
    for op in ["get_session", "exists", "authenticate", "get_token"] {
        let mut seen = Vec::new();
        for kind in ["crate", "raw"] {
            let client = client(kind, &base);
            let (_, request) = tokio::join!(client.call(op, &login), capture());
            seen.push(request);
        }
        if seen[0] == seen[1] {
            println!("{op}: same request\n{}\n", seen[0]);
        } else {
            differ = true;
            println!(
                "{op}: DIFFERENT\n--- crate\n{}\n--- raw\n{}\n",
                seen[0], seen[1]
            );
        }
    }
    if differ {
        std::process::exit(1);
    }
}

/// One measured window of one client.
struct Run<'a> {
    mode: &'a str,
    client: &'a str,
    op: &'a str,
    concurrency: usize,
    failures: u64,
    elapsed: Duration,
}

impl Run<'_> {
    /// Prints the JSON line: calls/s, p50/p99 latency, allocations and CPU per call.
    fn print(&self, mut latencies: Vec<u32>, allocs: u64, cpu: Duration) {
        latencies.sort_unstable();
        let calls = latencies.len().max(1) as f64;
        let pct = |p: f64| {
            latencies
                .get(((latencies.len() as f64 - 1.0) * p) as usize)
                .copied()
                .unwrap_or(0)
        };
        println!(
            "{}",
            serde_json::json!({
                "mode": self.mode, "client": self.client, "op": self.op, "concurrency": self.concurrency,
                "calls": latencies.len(), "failures": self.failures, "seconds": self.elapsed.as_secs_f64(),
                "rps": calls / self.elapsed.as_secs_f64(), "p50_us": pct(0.5), "p99_us": pct(0.99),
                "allocs_per_call": allocs as f64 / calls,
                "cpu_us_per_call": cpu.as_secs_f64() * 1e6 / calls,
            })
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("wire") {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        return runtime.block_on(wire());
    }
    let [kind, op, concurrency, seconds, base] = args.as_slice() else {
        eprintln!(
            "usage: load <crate|crate-no-retries|raw|pair> <op> <concurrency> <seconds> <base url>"
        );
        std::process::exit(2);
    };
    let concurrency: usize = concurrency.parse().unwrap();
    let measured = Duration::from_secs_f64(seconds.parse().unwrap());
    let warmup = Duration::from_secs(1);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let client = match kind.as_str() {
            "crate" | "crate-no-retries" | "raw" => client(kind, base),
            "pair" => return interleaved(op, concurrency, measured, base).await,
            _ => panic!("client must be crate, crate-no-retries, raw or pair"),
        };
        let login = Arc::new(StorePostAuthReq::new(EMAIL, PASSWORD));
        // A fixed number of calls per task and no clock (for callgrind: benches/profile.sh).
        if let Ok(calls) = std::env::var("LOAD_CALLS") {
            let calls: usize = calls.parse().expect("LOAD_CALLS is a number");
            let mut tasks = Vec::new();
            for _ in 0..concurrency {
                let (client, login, op) = (client.clone(), login.clone(), op.clone());
                tasks.push(tokio::spawn(async move {
                    let mut ok = 0usize;
                    for _ in 0..calls {
                        ok += usize::from(client.call(&op, &login).await);
                    }
                    ok
                }));
            }
            let mut ok = 0;
            for task in tasks {
                ok += task.await.unwrap();
            }
            assert_eq!(ok, calls * concurrency, "every call must succeed");
            println!("{}", serde_json::json!({"client": kind, "op": op, "concurrency": concurrency, "calls": ok}));
            return;
        }
        let measuring = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let mut tasks = Vec::new();
        for _ in 0..concurrency {
            let (client, login, measuring, stop, op) = (client.clone(), login.clone(), measuring.clone(), stop.clone(), op.clone());
            tasks.push(tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(1 << 16);
                let mut failures = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let started = Instant::now();
                    let ok = client.call(&op, &login).await;
                    if measuring.load(Ordering::Relaxed) && !stop.load(Ordering::Relaxed) {
                        latencies.push(started.elapsed().as_micros() as u32);
                        failures += u64::from(!ok);
                    }
                }
                (latencies, failures)
            }));
        }
        tokio::time::sleep(warmup).await;
        let (cpu0, allocs0, t0) = (cpu_time(), ALLOCS.load(Ordering::Relaxed), Instant::now());
        measuring.store(true, Ordering::Relaxed);
        tokio::time::sleep(measured).await;
        stop.store(true, Ordering::Relaxed);
        let (cpu1, allocs1, elapsed) = (cpu_time(), ALLOCS.load(Ordering::Relaxed), t0.elapsed());
        let mut all = Vec::new();
        let mut failures = 0;
        for task in tasks {
            let (latencies, failed) = task.await.unwrap();
            all.extend(latencies);
            failures += failed;
        }
        let run = Run { mode: "separate", client: kind, op, concurrency, failures, elapsed };
        run.print(all, allocs1 - allocs0, cpu1 - cpu0);
    });
}
