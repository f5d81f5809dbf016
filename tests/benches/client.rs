//! What the generated client costs over the work it cannot avoid, measured with criterion
//! against hand-written equivalents in the same run (`cargo xtask bench` reads the results):
//!
//! - `decode_room_page_250`: a 250-room page (each room with two sessions of two participants)
//!   decoded into the generated types vs. into plain `#[derive(Deserialize)]` structs of the
//!   same shape;
//! - `build_request`: a list-rooms request with every filter and the page set, built into a
//!   `reqwest::Request` (validation, query encoding, URL, headers);
//! - `round_trip_retrieve_room`: `GET /rooms/{id}` on a loopback server through the client vs.
//!   a hand-written reqwest call on the same `reqwest::Client`;
//! - `paginate_10000_rooms`: 40 pages of 250 rooms streamed with `items()`, and the peak live
//!   heap while doing it for 2,500 and for 10,000 rooms (a counting global allocator), which
//!   must not grow with the length of the listing.
//!
//! The server is hyper on 127.0.0.1:0, serving bodies built before measuring; it stops with
//! the benchmark. Nothing here asserts a time.
//!
//! Besides criterion's own estimates (`target/criterion/<group>/<bench>/new/estimates.json`),
//! a measuring run (`cargo bench`) writes the heap figures to
//! `target/bench-results/client-memory.json` and every extra figure (the paired timings too)
//! to `target/bench-results/client.json`, which `cargo xtask bench` reads. Criterion's test
//! mode (`cargo test --benches`) runs each benchmark once and writes neither.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use futures_util::StreamExt;
use http_body_util::Full;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde::Deserialize;
use serde_json::{Value, json};
use telnyx_video::Client;
use telnyx_video::models::{PaginationMeta, Room};
use telnyx_video::params::{DateRange, ListRoomsFilter, PageParams};
use uuid::Uuid;

// --- Heap accounting --------------------------------------------------------------------------

/// The system allocator, counting live bytes and their high-water mark.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are updated.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: forwarded with the caller's layout.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: forwarded with the caller's arguments.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if p != ptr {
                // Moved: the old block and the new one were both live while it was copied.
                grew(new_size);
                LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            } else if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak live heap above what was live when `f` started.
fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let out = f();
    (out, PEAK.load(Ordering::Relaxed).saturating_sub(before))
}

// --- Paired measurements ---------------------------------------------------------------------

/// Times `a` and `b` in alternating batches, so that whatever else the machine is doing
/// weighs on both alike, and returns the median time per call of each.
fn interleaved(rounds: usize, batch: usize, mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    let mut times_a = Vec::with_capacity(rounds);
    let mut times_b = Vec::with_capacity(rounds);
    let per_call = |started: std::time::Instant| started.elapsed().as_secs_f64() * 1e9 / batch as f64;
    // A B, B A, A B, …: neither side always goes first.
    for round in 0..rounds {
        for first in [round % 2 == 0, round % 2 != 0] {
            let started = std::time::Instant::now();
            if first {
                (0..batch).for_each(|_| a());
                times_a.push(per_call(started));
            } else {
                (0..batch).for_each(|_| b());
                times_b.push(per_call(started));
            }
        }
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(times_a), median(times_b))
}

/// The workspace's target directory: `CARGO_TARGET_DIR` when set (a relative one taken from
/// the workspace root, where cargo is run), else `target/` beside the workspace's Cargo.toml,
/// found by walking up from this package.
fn target_dir() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir
        .ancestors()
        .find(|dir| {
            std::fs::read_to_string(dir.join("Cargo.toml"))
                .is_ok_and(|toml| toml.lines().any(|l| l.trim() == "[workspace]"))
        })
        .unwrap_or(manifest_dir);
    match std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from) {
        Some(dir) if dir.is_absolute() => dir,
        Some(dir) => workspace.join(dir),
        None => workspace.join("target"),
    }
}

/// Adds a figure to `target/bench-results/client.json` (everything `cargo xtask bench` reads
/// besides criterion's estimates) and, for heap figures (`*_bytes`), to `client-memory.json`.
/// Only a measuring run records: a figure from criterion's one-shot test mode is not one.
fn record(key: &str, value: f64) {
    if !measuring() {
        return;
    }
    let dir = target_dir().join("bench-results");
    if std::fs::create_dir_all(&dir).is_err() {
        eprintln!("cannot create {}", dir.display());
        return;
    }
    let files: &[&str] =
        if key.ends_with("_bytes") { &["client.json", "client-memory.json"] } else { &["client.json"] };
    for name in files {
        let file = dir.join(name);
        let mut all: serde_json::Map<String, Value> =
            std::fs::read_to_string(&file).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default();
        all.insert(key.to_string(), json!(value));
        if let Err(e) = std::fs::write(&file, serde_json::to_string_pretty(&Value::Object(all)).unwrap_or_default()) {
            eprintln!("cannot write {}: {e}", file.display());
        }
    }
}

/// Criterion's test mode (`cargo test --benches`) runs each benchmark once; skip the paired
/// measurements there.
fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

// --- Bodies -----------------------------------------------------------------------------------

const PAGE_SIZE: usize = 250;
const TIME: &str = "2021-04-16T09:46:20.954863Z";

fn uuid(n: u128) -> String {
    Uuid::from_u128(0x7b61_621f_62e0_4aad_ab11_0000_0000_0000 | n).to_string()
}

/// A room as the API sends it, with `sessions` sessions of two participants each.
fn room(n: u128, sessions: u128) -> Value {
    let sessions: Vec<Value> = (0..sessions)
        .map(|s| {
            let sid = n * 100 + s + 1_000_000;
            json!({
                "id": uuid(sid), "room_id": uuid(n), "active": s == 0, "created_at": TIME, "updated_at": TIME,
                "ended_at": if s == 0 { Value::Null } else { json!(TIME) }, "record_type": "room_session",
                "participants": (0..2u128).map(|p| json!({
                    "id": uuid(sid * 10 + p + 10_000_000), "session_id": uuid(sid), "context": "Alice",
                    "joined_at": TIME, "updated_at": TIME, "left_at": null, "record_type": "room_participant"
                })).collect::<Vec<_>>()
            })
        })
        .collect();
    json!({
        "id": uuid(n), "unique_name": format!("room {n}"), "max_participants": 50, "enable_recording": true,
        "active_session_id": uuid(n * 100 + 1_000_000), "sessions": sessions, "webhook_event_url": "https://www.example.com",
        "webhook_event_failover_url": null, "webhook_timeout_secs": 25, "created_at": TIME, "updated_at": TIME,
        "record_type": "room"
    })
}

fn page_body(page: usize, total: usize, sessions: u128) -> Bytes {
    let first = (page - 1) * PAGE_SIZE;
    let last = (first + PAGE_SIZE).min(total);
    let data: Vec<Value> = (first..last).map(|n| room(n as u128, sessions)).collect();
    let meta = json!({"page_number": page, "page_size": PAGE_SIZE, "total_pages": total.div_ceil(PAGE_SIZE), "total_results": total});
    Bytes::from(serde_json::to_vec(&json!({"data": data, "meta": meta})).expect("JSON"))
}

// --- The hand-written baseline: plain structs of the same shape -----------------------------

// The fair baseline is what a careful hand-written client would declare for the same JSON:
// the same field types as the generated models (`Uuid`, `DateTime<Utc>`, `i64`, `bool`,
// `String`, nested `Vec`s), every field an `Option` with `#[serde(default)]` (the spec marks
// none of them required), unknown fields ignored. Two choices lean towards the baseline, so
// a ratio near 1 is not flattering the generated code:
// - The two optional nullable fields of `Room` (`webhook_event_failover_url`,
//   `webhook_timeout_secs`) are a plain `Option` here; the generated model makes them
//   `Option<Option<T>>` through `runtime::double_option`, to tell "absent" from `null`.
// - Enums: none of these three schemas has one (`record_type` is a plain string in the spec,
//   so it is a `String` on both sides). Had there been one, the baseline would be a plain
//   `#[derive(Deserialize)]` enum, against the generated enums' `Unknown(String)` fallback.
#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainPage {
    data: Vec<PlainRoom>,
    #[serde(default)]
    meta: Option<PlainMeta>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainMeta {
    page_number: Option<i64>,
    page_size: Option<i64>,
    total_pages: Option<i64>,
    total_results: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainEnvelope {
    data: PlainRoom,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainRoom {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    unique_name: Option<String>,
    #[serde(default)]
    max_participants: Option<i64>,
    #[serde(default)]
    enable_recording: Option<bool>,
    #[serde(default)]
    active_session_id: Option<Uuid>,
    #[serde(default)]
    sessions: Option<Vec<PlainSession>>,
    #[serde(default)]
    webhook_event_url: Option<String>,
    #[serde(default)]
    webhook_event_failover_url: Option<String>,
    #[serde(default)]
    webhook_timeout_secs: Option<i64>,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    record_type: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainSession {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    room_id: Option<Uuid>,
    #[serde(default)]
    active: Option<bool>,
    #[serde(default)]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    ended_at: Option<DateTime<Utc>>,
    #[serde(default)]
    participants: Option<Vec<PlainParticipant>>,
    #[serde(default)]
    record_type: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded, never read")]
struct PlainParticipant {
    #[serde(default)]
    id: Option<Uuid>,
    #[serde(default)]
    session_id: Option<Uuid>,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    joined_at: Option<DateTime<Utc>>,
    #[serde(default)]
    updated_at: Option<DateTime<Utc>>,
    #[serde(default)]
    left_at: Option<DateTime<Utc>>,
    #[serde(default)]
    record_type: Option<String>,
}

// --- A loopback server ------------------------------------------------------------------------

/// Prepared responses: `GET /rooms/{id}`, and `GET /{total}/rooms?page[number]=N&page[size]=250`
/// for the listings of 2,500 and 10,000 rooms, one server for both (each listing's client has
/// the base URL `http://127.0.0.1:port/{total}/`, so it asks for `/rooms` like any other).
struct Routes {
    room: Bytes,
    pages: HashMap<(usize, usize), Bytes>,
}

impl Routes {
    fn respond(&self, req: &Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
        let path = req.uri().path();
        let body = if path.starts_with("/rooms/") {
            Some(self.room.clone())
        } else if let Some(total) = path.strip_prefix('/').and_then(|p| p.strip_suffix("/rooms")) {
            let query = req.uri().query().unwrap_or("").replace("%5B", "[").replace("%5D", "]");
            let param = |key: &str| query.split('&').find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='));
            let number = param("page[number]").and_then(|n| n.parse::<usize>().ok()).unwrap_or(1);
            // The pages are cut for this size; any other is not served (a 404 fails the bench).
            let size = param("page[size]").and_then(|n| n.parse::<usize>().ok());
            total
                .parse::<usize>()
                .ok()
                .filter(|_| size == Some(PAGE_SIZE))
                .and_then(|t| self.pages.get(&(t, number)).cloned())
        } else {
            None
        };
        match body {
            Some(body) => {
                Response::builder().header("content-type", "application/json").body(Full::new(body)).expect("response")
            }
            None => Response::builder().status(StatusCode::NOT_FOUND).body(Full::new(Bytes::new())).expect("404"),
        }
    }
}

async fn serve(routes: Arc<Routes>) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let routes = routes.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let response = routes.respond(&req);
                    async move { Ok::<_, Infallible>(response) }
                });
                let _ =
                    hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
            });
        }
    });
    (addr, task)
}

// --- Benchmarks -------------------------------------------------------------------------------

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().expect("runtime")
}

/// Exactly what `client.rooms().list().send()` returns. The client's decode
/// (`runtime::decode`, private) is `serde_json::from_slice` into this type, re-decoding with
/// path tracking only when that fails, so the benchmark calls `from_slice` directly.
type GeneratedPage = telnyx_video::Page<Room, PaginationMeta>;

/// Live heap after decoding `body` into `T` (the decoded value alone) and the peak during it.
fn decode_heap<T: serde::de::DeserializeOwned>(body: &[u8]) -> (usize, usize) {
    let before = LIVE.load(Ordering::Relaxed);
    let (value, peak) = peak_during(|| serde_json::from_slice::<T>(body).expect("decodes"));
    let held = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    drop(value);
    (held, peak)
}

fn decode(c: &mut Criterion) {
    let body = page_body(1, PAGE_SIZE, 2);
    let (generated_held, generated_peak) = decode_heap::<GeneratedPage>(&body);
    let (plain_held, plain_peak) = decode_heap::<PlainPage>(&body);
    println!(
        "decode: a {} KiB page decodes into {} KiB of generated types (peak {} KiB), {} KiB of plain ones (peak {} KiB)",
        body.len() / 1024,
        generated_held / 1024,
        generated_peak / 1024,
        plain_held / 1024,
        plain_peak / 1024
    );
    record("decode_body_bytes", body.len() as f64);
    record("decode_generated_held_bytes", generated_held as f64);
    record("decode_generated_peak_bytes", generated_peak as f64);
    record("decode_plain_held_bytes", plain_held as f64);
    record("decode_plain_peak_bytes", plain_peak as f64);

    // Both sides decode the same bytes.
    let mut group = c.benchmark_group("decode_room_page_250");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("generated", |b| b.iter(|| serde_json::from_slice::<GeneratedPage>(&body).expect("decodes")));
    group.bench_function("plain", |b| b.iter(|| serde_json::from_slice::<PlainPage>(&body).expect("decodes")));
    group.finish();
    if measuring() {
        let (generated, plain) = interleaved(
            41,
            20,
            || {
                std::hint::black_box(serde_json::from_slice::<GeneratedPage>(&body).expect("decodes"));
            },
            || {
                std::hint::black_box(serde_json::from_slice::<PlainPage>(&body).expect("decodes"));
            },
        );
        println!("decode, interleaved: generated {generated:.0} ns, plain {plain:.0} ns ({:.3}×)", generated / plain);
        record("decode_generated_ns", generated);
        record("decode_plain_ns", plain);
    }
}

fn build_request(c: &mut Criterion) {
    let client = Client::builder().api_key("KEY").base_url("https://api.example.com/v2/").build().expect("client");
    let day = NaiveDate::from_ymd_opt(2021, 4, 25).expect("date");
    let mut group = c.benchmark_group("build_request");
    group.bench_function("list_rooms_full_filter", |b| {
        b.iter(|| {
            client
                .rooms()
                .list()
                .include_sessions(true)
                .filter(
                    ListRoomsFilter::new()
                        .date_created_at(DateRange::new().eq(day).gte(day).lte(day))
                        .date_updated_at(DateRange::new().eq(day).gte(day).lte(day))
                        .unique_name("My room"),
                )
                .page(PageParams::new().number(2).size(50))
                .build_request()
                .expect("builds")
        })
    });
    group.finish();
}

struct Loopback {
    rt: tokio::runtime::Runtime,
    addr: SocketAddr,
    server: tokio::task::JoinHandle<()>,
    http: reqwest::Client,
}

impl Loopback {
    fn start(routes: Routes) -> Loopback {
        let rt = runtime();
        let (addr, server) = rt.block_on(serve(Arc::new(routes)));
        Loopback { rt, addr, server, http: reqwest::Client::new() }
    }

    fn client(&self, prefix: &str) -> Client {
        Client::builder()
            .api_key("KEY")
            .base_url(format!("http://{}/{prefix}", self.addr))
            .http_client(self.http.clone())
            .build()
            .expect("client")
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn round_trip(c: &mut Criterion) {
    let room_body = Bytes::from(serde_json::to_vec(&json!({"data": room(7, 2)})).expect("JSON"));
    let server = Loopback::start(Routes { room: room_body, pages: HashMap::new() });
    let client = server.client("");
    let id = Uuid::parse_str(&uuid(7)).expect("uuid");
    let url = format!("http://{}/rooms/{id}", server.addr);
    let mut group = c.benchmark_group("round_trip_retrieve_room");
    group.bench_function("generated", |b| {
        b.to_async(&server.rt).iter(|| async { client.rooms().retrieve(id).send().await.expect("room") })
    });
    group.bench_function("hand_written", |b| {
        b.to_async(&server.rt).iter(|| async {
            let response = server.http.get(&url).bearer_auth("KEY").send().await.expect("sent");
            assert!(response.status().is_success());
            let body = response.bytes().await.expect("body");
            serde_json::from_slice::<PlainEnvelope>(&body).expect("decodes")
        })
    });
    group.finish();
    if measuring() {
        let hand_written = || async {
            let response = server.http.get(&url).bearer_auth("KEY").send().await.expect("sent");
            assert!(response.status().is_success());
            let body = response.bytes().await.expect("body");
            std::hint::black_box(serde_json::from_slice::<PlainEnvelope>(&body).expect("decodes"));
        };
        let (generated, plain) = interleaved(
            41,
            100,
            || {
                std::hint::black_box(server.rt.block_on(client.rooms().retrieve(id).send()).expect("room"));
            },
            || server.rt.block_on(hand_written()),
        );
        println!(
            "round trip, interleaved: generated {generated:.0} ns, hand-written {plain:.0} ns ({:.3}×)",
            generated / plain
        );
        record("round_trip_generated_ns", generated);
        record("round_trip_hand_written_ns", plain);
    }
}

async fn paginate(client: &Client) -> usize {
    paginate_sampled(client, &mut |_| {}).await
}

/// Streams the listing, calling `at_page_end` with the item count after each page's last
/// item (before the next page is asked for).
async fn paginate_sampled(client: &Client, at_page_end: &mut dyn FnMut(usize)) -> usize {
    let mut items = client.rooms().list().page(PageParams::new().size(PAGE_SIZE as i64)).items();
    let mut seen = 0;
    while let Some(room) = items.next().await {
        room.expect("room");
        seen += 1;
        if seen % PAGE_SIZE == 0 {
            at_page_end(seen);
        }
    }
    seen
}

/// Heap held from page to page (live bytes above the start, at the end of each page; the
/// most of any page) and the transient peak, over `listings` runs of the listing.
fn heap_of(server: &Loopback, client: &Client, expected: usize, listings: usize) -> (usize, usize) {
    let mut held = 0;
    let mut peak = 0;
    for _ in 0..listings {
        let before = LIVE.load(Ordering::Relaxed);
        let (n, p) = peak_during(|| {
            server.rt.block_on(paginate_sampled(client, &mut |_| {
                held = held.max(LIVE.load(Ordering::Relaxed).saturating_sub(before));
            }))
        });
        assert_eq!(n, expected);
        peak = peak.max(p);
    }
    (held, peak)
}

fn pagination(c: &mut Criterion) {
    let mut pages = HashMap::new();
    for total in [2_500, 10_000] {
        for page in 1..=total / PAGE_SIZE {
            pages.insert((total, page), page_body(page, total, 1));
        }
    }
    let server = Loopback::start(Routes { room: Bytes::new(), pages });
    let (small, large) = (server.client("2500/"), server.client("10000/"));
    // Warm the connection pool, then measure the heap each listing needs at its peak. How
    // many bytes are live while a page is read varies from page to page (how the body arrives
    // in chunks), so each side is the highest over the same number of pages read: twenty
    // listings of 2,500 rooms and five of 10,000, 200 pages each.
    assert_eq!(server.rt.block_on(paginate(&small)), 2_500);
    let runs = |n: usize| if measuring() { n } else { 1 };
    // The same number of pages (200) for each listing: the transient peak depends on how a
    // body arrives in chunks, and more pages give more chances at a high one.
    let (held_2500, peak_2500) = heap_of(&server, &small, 2_500, runs(20));
    let (held_10000, peak_10000) = heap_of(&server, &large, 10_000, runs(5));
    let page = page_body(1, PAGE_SIZE, 1).len();
    println!(
        "paginate: heap held between pages {} KiB for 2,500 rooms, {} KiB for 10,000 rooms ({:.2}×); \
         transient peak {} KiB and {} KiB; a page's body is {} KiB",
        held_2500 / 1024,
        held_10000 / 1024,
        held_10000 as f64 / held_2500.max(1) as f64,
        peak_2500 / 1024,
        peak_10000 / 1024,
        page / 1024
    );
    record("paginate_2500_held_bytes", held_2500 as f64);
    record("paginate_10000_held_bytes", held_10000 as f64);
    record("paginate_2500_peak_bytes", peak_2500 as f64);
    record("paginate_10000_peak_bytes", peak_10000 as f64);
    record("page_body_bytes", page as f64);

    let mut group = c.benchmark_group("paginate_10000_rooms");
    group.throughput(Throughput::Elements(10_000));
    // A listing takes tens of milliseconds: ten samples of a few listings each.
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group
        .bench_function(BenchmarkId::from_parameter("generated"), |b| b.to_async(&server.rt).iter(|| paginate(&large)));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = decode, build_request, round_trip, pagination
}
criterion_main!(benches);
