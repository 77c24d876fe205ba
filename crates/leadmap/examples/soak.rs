//! The soak driver `bench/soak.sh` runs: many clients reading the roadmap page and writing
//! progress against one or more `leadmap serve` processes for a fixed time, then checking that
//! every acknowledged write is stored.
//!
//! ```text
//! cargo run --release -p leadmap --example soak -- \
//!     --servers http://127.0.0.1:8001,http://127.0.0.1:8002 \
//!     --accounts accounts.tsv --topics topics --clients 200 --seconds 600
//! ```
//!
//! `accounts.tsv` has one line per account: `NAME<TAB>TOKEN<TAB>COOKIE` (the cookie may be
//! empty: such accounts only write), at least one per client; `topics` holds the roadmap's topic
//! ids. Client `i` writes as account `i` with its token (so each client's writes are its own to
//! check) and reads pages with the cookie of the next account that has one. Each client starts on
//! server `i % servers`; when a request cannot reach its server (a refused or reset
//! connection) it counts one "lost in flight" failure and moves to the next server for good,
//! as a load balancer would. Every other failure (a status other than 200, a page without the
//! roadmap) is an error. At the end, each written topic whose last write was acknowledged is
//! read back through the API and compared.
//!
//! Prints per route: requests, errors, p50, p99, max; then the check's result. Exits 1 when
//! there was any error or any acknowledged write is missing.
#![allow(clippy::disallowed_methods, clippy::disallowed_macros)]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use tokio::sync::Mutex;

const ROADMAP: &str = "engineering-leadership";
const STATUSES: [&str; 4] = ["done", "learning", "skipped", "pending"];
/// One page read in `READS_PER_WRITE + 1` requests is a write.
const READS_PER_WRITE: u64 = 2;

#[derive(Clone)]
struct Account {
    name: String,
    token: String,
    cookie: String,
}

#[derive(Default)]
struct Route {
    micros: Vec<u32>,
    errors: u64,
    lost_in_flight: u64,
}

#[derive(Default)]
struct Stats {
    page: Route,
    put: Route,
}

struct Args {
    servers: Vec<String>,
    accounts: Vec<Account>,
    clients: usize,
    seconds: u64,
    /// The roadmap's learnable topic ids.
    topics: Vec<String>,
}

fn args() -> Args {
    let mut servers = Vec::new();
    let mut accounts = None;
    let mut clients = 200;
    let mut seconds = 600;
    let mut topics = Vec::new();
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || {
            it.next()
                .unwrap_or_else(|| die(&format!("{a} needs a value")))
        };
        match a.as_str() {
            "--servers" => servers = value().split(',').map(str::to_owned).collect(),
            "--accounts" => {
                let text = std::fs::read_to_string(value()).unwrap_or_else(|e| die(&e.to_string()));
                accounts = Some(
                    text.lines()
                        .filter(|l| !l.trim().is_empty())
                        .map(|l| {
                            let mut f = l.split('\t');
                            Account {
                                name: f.next().unwrap_or_default().to_owned(),
                                token: f.next().unwrap_or_default().to_owned(),
                                cookie: f.next().unwrap_or_default().to_owned(),
                            }
                        })
                        .collect::<Vec<_>>(),
                );
            }
            "--topics" => {
                topics = std::fs::read_to_string(value())
                    .unwrap_or_else(|e| die(&e.to_string()))
                    .split([',', '\n'])
                    .map(|t| t.trim().trim_matches('"').to_owned())
                    .filter(|t| !t.is_empty())
                    .collect();
            }
            "--clients" => clients = value().parse().unwrap_or_else(|_| die("--clients N")),
            "--seconds" => seconds = value().parse().unwrap_or_else(|_| die("--seconds N")),
            other => die(&format!("unknown argument {other}")),
        }
    }
    let accounts = accounts.unwrap_or_else(|| die("--accounts FILE is required"));
    if servers.is_empty() || accounts.is_empty() || !accounts.iter().any(|a| !a.cookie.is_empty()) {
        die("need --servers and accounts, at least one with a cookie");
    }
    if clients > accounts.len() {
        die("one account per client at least: each client's writes are its own to check");
    }
    if topics.is_empty() {
        die("--topics FILE (the roadmap's topic ids) is required");
    }
    Args {
        servers,
        accounts,
        clients,
        seconds,
        topics,
    }
}

fn die(m: &str) -> ! {
    eprintln!("soak: {m}");
    std::process::exit(2)
}

/// What one client wrote last per (account, topic): the status, or `None` when the last write's
/// fate is unknown (it was in flight when its server went away).
type Written = HashMap<(usize, String), Option<&'static str>>;

#[allow(clippy::too_many_arguments)]
async fn client(
    i: usize,
    args: Arc<Args>,
    topics: Arc<Vec<String>>,
    http: reqwest::Client,
    stats: Arc<Mutex<Stats>>,
    written: Arc<Mutex<Written>>,
    deadline: Instant,
    requests: Arc<AtomicU64>,
) {
    let account = i % args.accounts.len();
    let token = &args.accounts[account].token;
    let cookie = (0..args.accounts.len())
        .map(|k| &args.accounts[(i + k) % args.accounts.len()].cookie)
        .find(|c| !c.is_empty())
        .expect("a cookie");
    let mut server = i % args.servers.len();
    let mut moved = false;
    let mut page = Route::default();
    let mut put = Route::default();
    let mut mine: Written = HashMap::new();
    let mut n: u64 = i as u64;
    while Instant::now() < deadline {
        n += 1;
        let base = &args.servers[server];
        let started = Instant::now();
        let write = n.is_multiple_of(READS_PER_WRITE + 1);
        let (route, outcome) = if write {
            let topic = &topics[(n as usize * 7 + i) % topics.len()];
            let status = STATUSES[(n / 3) as usize % STATUSES.len()];
            let r = http
                .put(format!("{base}/api/v1/me/progress/{ROADMAP}/{topic}"))
                .bearer_auth(token)
                .json(&serde_json::json!({ "status": status, "note": format!("soak {i} {n}") }))
                .send()
                .await;
            let outcome = match r {
                Ok(r) if r.status() == 200 => {
                    mine.insert((account, topic.clone()), Some(status));
                    Ok(())
                }
                Ok(r) => Err(Some(format!("PUT answered {}", r.status()))),
                Err(e) => {
                    mine.insert((account, topic.clone()), None);
                    Err(if e.is_connect() || e.is_request() {
                        None
                    } else {
                        Some(e.to_string())
                    })
                }
            };
            (&mut put, outcome)
        } else {
            let r = http
                .get(format!("{base}/r/{ROADMAP}"))
                .header("cookie", cookie)
                .send()
                .await;
            let outcome = match r {
                Ok(r) if r.status() == 200 => match r.text().await {
                    Ok(body) if body.contains("data-id=\"define-core-values\"") => Ok(()),
                    Ok(_) => Err(Some("the page lacks the roadmap".to_owned())),
                    Err(_) => Err(None),
                },
                Ok(r) => Err(Some(format!("page answered {}", r.status()))),
                Err(e) => Err(if e.is_connect() || e.is_request() {
                    None
                } else {
                    Some(e.to_string())
                }),
            };
            (&mut page, outcome)
        };
        requests.fetch_add(1, Ordering::Relaxed);
        match outcome {
            Ok(()) => route
                .micros
                .push(started.elapsed().as_micros().min(u32::MAX as u128) as u32),
            // The server went away under the request: the first time, move to the next one.
            Err(None) if !moved && args.servers.len() > 1 => {
                route.lost_in_flight += 1;
                server = (server + 1) % args.servers.len();
                moved = true;
            }
            Err(None) => {
                route.errors += 1;
                eprintln!("client {i}: {base} cannot be reached");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(Some(e)) => {
                route.errors += 1;
                eprintln!("client {i}: {e}");
            }
        }
    }
    let mut s = stats.lock().await;
    s.page.micros.extend(page.micros);
    s.page.errors += page.errors;
    s.page.lost_in_flight += page.lost_in_flight;
    s.put.micros.extend(put.micros);
    s.put.errors += put.errors;
    s.put.lost_in_flight += put.lost_in_flight;
    written.lock().await.extend(mine);
}

fn line(name: &str, r: &mut Route, seconds: f64) -> String {
    r.micros.sort_unstable();
    let q = |p: f64| -> f64 {
        if r.micros.is_empty() {
            return 0.0;
        }
        let i = ((r.micros.len() as f64 - 1.0) * p).round() as usize;
        f64::from(r.micros[i]) / 1000.0
    };
    format!(
        "{name:<6} {:>10} {:>9.0} {:>7} {:>7} {:>8.2} {:>8.2} {:>9.2}",
        r.micros.len(),
        r.micros.len() as f64 / seconds,
        r.errors,
        r.lost_in_flight,
        q(0.5),
        q(0.99),
        q(1.0)
    )
}

#[tokio::main]
async fn main() {
    let args = Arc::new(args());
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(args.clients)
        .timeout(Duration::from_secs(30))
        .build()
        .expect("an HTTP client");
    let topics = Arc::new(args.topics.clone());
    let stats = Arc::new(Mutex::new(Stats::default()));
    let written = Arc::new(Mutex::new(Written::new()));
    let requests = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(args.seconds);
    // A line every 10 s, so a long run shows it is alive.
    let ticker = {
        let requests = requests.clone();
        tokio::spawn(async move {
            let mut last = 0;
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let now = requests.load(Ordering::Relaxed);
                eprintln!(
                    "soak: {:>4} s, {:>7.0} requests/s",
                    started.elapsed().as_secs(),
                    (now - last) as f64 / 10.0
                );
                last = now;
            }
        })
    };
    let tasks: Vec<_> = (0..args.clients)
        .map(|i| {
            tokio::spawn(client(
                i,
                args.clone(),
                topics.clone(),
                http.clone(),
                stats.clone(),
                written.clone(),
                deadline,
                requests.clone(),
            ))
        })
        .collect();
    for t in tasks {
        t.await.expect("a client task");
    }
    ticker.abort();
    let seconds = started.elapsed().as_secs_f64();
    let mut s = stats.lock().await;
    println!("route    requests     req/s  errors  lost-in-flight   p50 ms   p99 ms    max ms");
    println!("{}", line("page", &mut s.page, seconds));
    println!("{}", line("put", &mut s.put, seconds));

    // Every acknowledged last write is stored (read from any server still answering).
    let written = written.lock().await;
    let mut checked = 0;
    let mut missing = 0;
    for (account, a) in args.accounts.iter().enumerate() {
        let mut stored = None;
        for server in &args.servers {
            if let Ok(r) = http
                .get(format!("{server}/api/v1/me/progress/{ROADMAP}"))
                .bearer_auth(&a.token)
                .send()
                .await
                && r.status() == 200
                && let Ok(v) = r.json::<serde_json::Value>().await
            {
                stored = Some(v);
                break;
            }
        }
        let Some(stored) = stored else {
            eprintln!("soak: no server answers for {}", a.name);
            missing += 1;
            continue;
        };
        let by_topic: HashMap<&str, &str> = stored["topics"]
            .as_object()
            .map(|ts| {
                ts.iter()
                    .filter_map(|(id, r)| Some((id.as_str(), r["status"].as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        for ((acc, topic), status) in written.iter() {
            if *acc != account {
                continue;
            }
            let Some(status) = status else { continue };
            checked += 1;
            if by_topic.get(topic.as_str()) != Some(status) {
                missing += 1;
                eprintln!(
                    "soak: {} {topic}: acknowledged {status}, stored {:?}",
                    a.name,
                    by_topic.get(topic.as_str())
                );
            }
        }
    }
    println!("acknowledged last writes checked: {checked}, missing: {missing}");
    let errors = s.page.errors + s.put.errors;
    if errors > 0 || missing > 0 {
        println!("FAILED: {errors} errors, {missing} acknowledged writes missing");
        std::process::exit(1);
    }
    println!("OK");
}
