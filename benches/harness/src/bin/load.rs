//! One benchmark run: a client (`crate` or `raw` reqwest) calling one operation at a fixed
//! concurrency on a single-threaded runtime, for a warm-up then a measured window. Prints
//! one JSON line: calls/s, p50/p99 latency, allocations and CPU time per call.
//!   load <crate|raw> <get_session|exists|authenticate|get_token> <concurrency> <seconds> <base url>
//! With LOAD_CALLS=n each task makes exactly n calls instead (seconds is ignored).
//!   load pair <op> <concurrency> <seconds> <base url>
//! runs the crate and raw reqwest in turns of 100 ms in one process (see `interleaved`).

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
    Raw(reqwest::Client, Arc<str>),
}

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
            Client::Raw(http, base) => {
                let accept = (reqwest::header::ACCEPT, "application/json");
                let response = match op {
                    "get_session" => {
                        http.get(format!("{base}/store/auth"))
                            .header(accept.0, accept.1)
                            .send()
                            .await
                    }
                    "exists" => {
                        http.get(format!("{base}/store/auth/{EMAIL}"))
                            .header(accept.0, accept.1)
                            .send()
                            .await
                    }
                    "authenticate" => {
                        http.post(format!("{base}/store/auth"))
                            .header(accept.0, accept.1)
                            .json(login)
                            .send()
                            .await
                    }
                    "get_token" => {
                        http.post(format!("{base}/store/auth/token"))
                            .header(accept.0, accept.1)
                            .json(login)
                            .send()
                            .await
                    }
                    _ => unreachable!(),
                };
                let Ok(response) = response else { return false };
                if !response.status().is_success() {
                    return false;
                }
                let Ok(body) = response.bytes().await else {
                    return false;
                };
                match op {
                    "get_session" | "authenticate" => {
                        serde_json::from_slice::<StoreAuthRes>(&body).is_ok()
                    }
                    "exists" => serde_json::from_slice::<StoreGetAuthEmailRes>(&body).is_ok(),
                    _ => serde_json::from_slice::<StoreBearerAuthRes>(&body).is_ok(),
                }
            }
        }
    }
}

/// The clients: `crate` with the defaults a user gets (2 retries, which the stub never
/// triggers; tracing compiled in, no subscriber); `crate-no-retries` (to attribute costs);
/// `raw` reqwest with its defaults.
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
        _ => Client::Raw(reqwest::Client::builder().build().unwrap(), Arc::from(base)),
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
    let clients = [("crate", client("crate", base)), ("raw", client("raw", base))];
    let login = Arc::new(StorePostAuthReq::new(EMAIL, PASSWORD));

    async fn turn(
        client: &Client,
        op: &str,
        login: &Arc<StorePostAuthReq>,
        concurrency: usize,
        length: Duration,
    ) -> (Vec<u32>, u64, Duration, u64, u64) {
        let stop = Arc::new(AtomicBool::new(false));
        let (cpu0, allocs0, t0) = (thread_cpu_ns(), ALLOCS.load(Ordering::Relaxed), Instant::now());
        let tasks: Vec<_> = (0..concurrency)
            .map(|_| {
                let (client, login, stop, op) = (client.clone(), login.clone(), stop.clone(), op.to_string());
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
        (all, failures, elapsed, thread_cpu_ns() - cpu0, ALLOCS.load(Ordering::Relaxed) - allocs0)
    }

    // Warm-up: connections, caches, the jar.
    for (_, client) in &clients {
        turn(client, op, &login, concurrency, Duration::from_millis(500)).await;
    }
    let mut totals: Vec<(Vec<u32>, u64, Duration, u64, u64)> =
        (0..2).map(|_| (Vec::new(), 0, Duration::ZERO, 0, 0)).collect();
    while totals.iter().any(|t| t.2 < measured) {
        for (i, (_, client)) in clients.iter().enumerate() {
            let (latencies, failures, elapsed, cpu, allocs) = turn(client, op, &login, concurrency, TURN).await;
            let total = &mut totals[i];
            total.0.extend(latencies);
            total.1 += failures;
            total.2 += elapsed;
            total.3 += cpu;
            total.4 += allocs;
        }
    }
    for ((name, _), (latencies, failures, elapsed, cpu, allocs)) in clients.iter().zip(totals) {
        let run = Run { mode: "interleaved", client: name, op, concurrency, failures, elapsed };
        run.print(latencies, allocs, Duration::from_nanos(cpu));
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
        let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0);
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
    let [kind, op, concurrency, seconds, base] = args.as_slice() else {
        eprintln!("usage: load <crate|crate-no-retries|raw|pair> <op> <concurrency> <seconds> <base url>");
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
