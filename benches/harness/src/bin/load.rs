//! One benchmark run: a client (`crate` or `raw` reqwest) calling one operation at a fixed
//! concurrency on a single-threaded runtime, for a warm-up then a measured window. Prints
//! one JSON line: calls/s, p50/p99 latency, allocations and CPU time per call.
//!   load <crate|raw> <get_session|exists|authenticate|get_token> <concurrency> <seconds> <base url>
//! With LOAD_CALLS=n each task makes exactly n calls instead (seconds is ignored).

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

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [kind, op, concurrency, seconds, base] = args.as_slice() else {
        eprintln!("usage: load <crate|raw> <op> <concurrency> <seconds> <base url>");
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
            // Retries off: the stub never fails, and raw reqwest has none either.
            // The defaults a user gets (retries on: the stub never fails, so only their
            // bookkeeping costs), with tracing compiled in and no subscriber.
            "crate" => Client::Crate(AuthClient::new(Config::new().with_base_url(base.as_str())).unwrap()),
            // The same without retries: no request clone per call (to attribute the gap).
            "crate-no-retries" => Client::Crate(
                AuthClient::new(Config::new().with_base_url(base.as_str()).with_retry_policy(medusa_store_auth::RetryPolicy::none())).unwrap(),
            ),
            "raw" => Client::Raw(reqwest::Client::builder().build().unwrap(), Arc::from(base.as_str())),
            _ => panic!("client must be crate, crate-no-retries or raw"),
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
        all.sort_unstable();
        let calls = all.len().max(1) as f64;
        let pct = |p: f64| all.get(((all.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0);
        println!(
            "{}",
            serde_json::json!({
                "client": kind, "op": op, "concurrency": concurrency, "calls": all.len(), "failures": failures,
                "seconds": elapsed.as_secs_f64(), "rps": calls / elapsed.as_secs_f64(),
                "p50_us": pct(0.5), "p99_us": pct(0.99),
                "allocs_per_call": (allocs1 - allocs0) as f64 / calls,
                "cpu_us_per_call": (cpu1 - cpu0).as_secs_f64() * 1e6 / calls,
            })
        );
    });
}
