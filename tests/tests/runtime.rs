//! The generated client's runtime behaviour against a real HTTP server on 127.0.0.1
//! (wiremock): retries and their delays, timeouts, every error variant, pagination's stop
//! rules, validation before sending, raw responses, configuration and redaction. Delays are
//! configured in milliseconds so no test waits for a real backoff.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::json;
use telnyx_video::models::{
    CreateRoomCompositionRequest, CreateRoomRequest, PatchRoomRequest, RoomRecordingStatus, VideoRegion,
};
use telnyx_video::params::{PageParams, RoomRecordingsFilter};
use telnyx_video::{Client, Error, RequestOptions, RetryPolicy};
use uuid::Uuid;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEY-runtime-0123456789";
const ROOM_ID: &str = "7b61621f-62e0-4aad-ab11-9fd19e272e73";

async fn server() -> MockServer {
    MockServer::builder().listener(std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback")).start().await
}

/// Retries after 10 ms, 20 ms, … without jitter, so tests are fast and exact.
fn fast_retries() -> RetryPolicy {
    RetryPolicy::default().backoff(Duration::from_millis(10), Duration::from_millis(40)).jitter(false)
}

fn client(server: &MockServer) -> Client {
    Client::builder().api_key(KEY).base_url(server.uri()).retry_policy(fast_retries()).build().expect("client")
}

fn room_id() -> Uuid {
    ROOM_ID.parse().expect("uuid")
}

async fn requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("recording is on")
}

fn errors_body(code: &str, title: &str) -> serde_json::Value {
    json!({"errors": [{"code": code, "title": title}]})
}

// --- Retries ------------------------------------------------------------------------------

#[tokio::test]
async fn get_is_retried_on_5xx_up_to_the_limit() {
    let server = server().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let err = client(&server).rooms().retrieve(room_id()).send().await.expect_err("500");
    assert!(matches!(err, Error::Server(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), 3, "one attempt and two retries");
}

#[tokio::test]
async fn a_retry_that_succeeds_returns_the_value() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": ROOM_ID}})))
        .mount(&server)
        .await;
    let room = client(&server).rooms().retrieve(room_id()).send().await.expect("second attempt succeeds");
    assert_eq!(room.id, Some(room_id()));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn post_is_not_retried_on_5xx_unless_the_caller_opts_in() {
    let server = server().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(500)).mount(&server).await;
    let c = client(&server);
    let err = c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("500");
    assert!(matches!(err, Error::Server(_)));
    assert_eq!(requests(&server).await.len(), 1, "a POST that reached the server is not repeated");

    let opted_in = RequestOptions::new().retry_non_idempotent(true);
    c.rooms().create(CreateRoomRequest::new()).request_options(opted_in).send().await.expect_err("500");
    assert_eq!(requests(&server).await.len(), 1 + 3);
}

#[tokio::test]
async fn post_is_retried_on_429_and_on_503_with_retry_after() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "5"))
        .mount(&server)
        .await;
    let c = client(&server);
    let err = c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("429");
    assert!(matches!(err, Error::RateLimited(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), 3);

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("503");
    assert_eq!(requests(&server).await.len(), 3);

    server.reset().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("503");
    assert_eq!(requests(&server).await.len(), 1, "503 without Retry-After is not retried for POST");
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "150"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .mount(&server)
        .await;
    let started = Instant::now();
    client(&server).rooms().retrieve(room_id()).send().await.expect("retried");
    // The policy's own delay is 10 ms; the server asked for 150 ms and got at least that.
    assert!(started.elapsed() >= Duration::from_millis(150), "{:?}", started.elapsed());
}

#[tokio::test]
async fn max_retries_zero_disables_retrying_per_client_and_per_request() {
    let server = server().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&server).await;
    let per_request = RequestOptions::new().max_retries(0);
    client(&server).rooms().retrieve(room_id()).request_options(per_request).send().await.expect_err("503");
    assert_eq!(requests(&server).await.len(), 1);

    let no_retries = Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().expect("client");
    no_retries.rooms().retrieve(room_id()).send().await.expect_err("503");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn errors_that_are_not_transient_are_not_retried() {
    let server = server().await;
    for status in [400u16, 401, 403, 404, 422] {
        server.reset().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        client(&server).rooms().retrieve(room_id()).send().await.expect_err("error status");
        assert_eq!(requests(&server).await.len(), 1, "{status}");
    }
}

#[tokio::test]
async fn connection_failures_are_retried_with_backoff_for_every_method() {
    // A port that was just free: connections are refused, so nothing reached a server.
    let port = std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let c = Client::builder()
        .api_key(KEY)
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(
            RetryPolicy::default().backoff(Duration::from_millis(40), Duration::from_millis(80)).jitter(false),
        )
        .build()
        .expect("client");
    let started = Instant::now();
    let err = c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("refused");
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    // Two retries, after 40 ms and 80 ms.
    assert!(started.elapsed() >= Duration::from_millis(120), "{:?}", started.elapsed());
}

// --- Timeouts -----------------------------------------------------------------------------

#[tokio::test]
async fn a_slow_response_is_a_timeout_error_per_request_and_per_client() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {}})).set_delay(Duration::from_millis(500)),
        )
        .mount(&server)
        .await;
    let options = RequestOptions::new().timeout(Duration::from_millis(50)).max_retries(0);
    let err = client(&server).rooms().retrieve(room_id()).request_options(options).send().await.expect_err("slow");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");

    let impatient = Client::builder()
        .api_key(KEY)
        .base_url(server.uri())
        .timeout(Duration::from_millis(50))
        .retry_policy(fast_retries())
        .build()
        .expect("client");
    let err = impatient.rooms().retrieve(room_id()).send().await.expect_err("slow");
    assert!(matches!(err, Error::Timeout(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1 + 3, "a GET that timed out is retried");

    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(json!({"data": {}})).set_delay(Duration::from_millis(500)),
        )
        .mount(&server)
        .await;
    impatient.rooms().create(CreateRoomRequest::new()).send().await.expect_err("slow");
    assert_eq!(requests(&server).await.len(), 1, "a POST that timed out may have been applied: not retried");
}

// --- Errors -------------------------------------------------------------------------------

#[tokio::test]
async fn each_status_class_has_its_variant_with_status_headers_request_id_and_body() {
    let server = server().await;
    let c = Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().expect("client");
    type IsVariant = fn(&Error) -> bool;
    let cases: [(u16, IsVariant); 9] = [
        (400, |e| matches!(e, Error::BadRequest(_))),
        (401, |e| matches!(e, Error::Unauthorized(_))),
        (403, |e| matches!(e, Error::Forbidden(_))),
        (404, |e| matches!(e, Error::NotFound(_))),
        (409, |e| matches!(e, Error::Conflict(_))),
        (422, |e| matches!(e, Error::UnprocessableEntity(_))),
        (429, |e| matches!(e, Error::RateLimited(_))),
        (503, |e| matches!(e, Error::Server(_))),
        (418, |e| matches!(e, Error::Status(_))),
    ];
    for (status, is_variant) in cases {
        server.reset().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("x-request-id", "req-7")
                    .set_body_json(errors_body("10015", "Bad things")),
            )
            .mount(&server)
            .await;
        let err = c.rooms().retrieve(room_id()).send().await.expect_err("error");
        assert!(is_variant(&err), "{status}: {err:?}");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some("req-7"));
        let api = err.api().expect("API details");
        assert_eq!(api.headers.get("x-request-id").and_then(|v| v.to_str().ok()), Some("req-7"));
        let body = api.body.as_ref().expect("the documented error body");
        assert_eq!(body.errors.as_ref().map(|e| e[0].title.as_str()), Some("Bad things"));
        assert!(err.to_string().starts_with(&format!("{status} ")), "{err}");
        assert!(err.to_string().contains("Bad things (code 10015) [request id req-7]"), "{err}");
    }
}

/// The `Error` variant's name: the identifier its `Debug` output starts with.
fn variant_name(e: &Error) -> String {
    format!("{e:?}").chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// The generator's table of which variant a status becomes (`codegen::runtime_api`, which the
/// `# Errors` docs are written from) agrees with what the shipped runtime returns on the wire.
#[tokio::test]
async fn statuses_become_the_variants_the_generator_documents() {
    let server = server().await;
    let c = Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().expect("client");
    let mut statuses: Vec<u16> = codegen::runtime_api::STATUS_VARIANTS
        .iter()
        .flat_map(|(range, _)| [*range.start(), *range.end()])
        .chain([402, 405, 408, 410, 418, 499, 502, 503, 599])
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    for status in statuses {
        server.reset().await;
        Mock::given(method("GET")).respond_with(ResponseTemplate::new(status)).mount(&server).await;
        let err = c.rooms().retrieve(room_id()).send().await.expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(variant_name(&err), codegen::runtime_api::error_variant(status), "status {status}: {err:?}");
    }
}

#[tokio::test]
async fn a_non_json_error_body_is_kept_raw() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .mount(&server)
        .await;
    let c = Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().expect("client");
    let err = c.rooms().retrieve(room_id()).send().await.expect_err("502");
    let api = err.api().expect("API details");
    assert!(api.body.is_none());
    assert_eq!(api.raw_body, "<html>Bad Gateway</html>");
    assert_eq!(err.to_string(), "502 Bad Gateway: <html>Bad Gateway</html>");

    server.reset().await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let err = c.rooms().retrieve(room_id()).send().await.expect_err("401");
    assert!(matches!(err, Error::Unauthorized(_)));
    assert_eq!(err.to_string(), "401 Unauthorized");
}

/// The error a call gets when the server answers with `body` (no retries).
async fn error_for(server: &MockServer, body: ResponseTemplate) -> Error {
    server.reset().await;
    Mock::given(method("GET")).respond_with(body).mount(server).await;
    let c = Client::builder().api_key(KEY).base_url(server.uri()).max_retries(0).build().expect("client");
    c.rooms().retrieve(room_id()).send().await.expect_err("an error status")
}

#[tokio::test]
async fn code_title_and_detail_come_from_the_first_json_api_error() {
    let server = server().await;
    let body = json!({"errors": [
        {"code": "10015", "title": "Invalid value", "detail": "max_participants must be at most 50",
         "source": {"pointer": "/max_participants"}},
        {"code": "10016", "title": "Second", "detail": "not this one"},
    ]});
    let err = error_for(&server, ResponseTemplate::new(422).set_body_json(body)).await;
    assert_eq!(err.code(), Some("10015"));
    assert_eq!(err.title(), Some("Invalid value"));
    assert_eq!(err.detail(), Some("max_participants must be at most 50"));
    let api = err.api().expect("API details");
    assert_eq!((api.code(), api.title(), api.detail()), (err.code(), err.title(), err.detail()));
    assert_eq!(
        err.to_string(),
        "422 Unprocessable Entity: Invalid value: max_participants must be at most 50 (code 10015)"
    );

    // A numeric code is given as text; what the first error lacks is absent, not taken from
    // the top level or from the next error.
    let body = json!({"title": "top level", "errors": [{"code": 40001}, {"title": "Second"}]});
    let err = error_for(&server, ResponseTemplate::new(400).set_body_json(body)).await;
    assert_eq!((err.code(), err.title(), err.detail()), (Some("40001"), None, None));
}

#[tokio::test]
async fn code_title_and_detail_come_from_problem_details() {
    let server = server().await;
    let body = json!({
        "type": "https://example.com/probs/out-of-credit",
        "title": "You do not have enough credit.",
        "status": 403,
        "detail": "Your current balance is 30, but that costs 50.",
        "instance": "/account/12345/msgs/abc",
        "code": 7001,
    });
    let template = ResponseTemplate::new(403).set_body_raw(body.to_string(), "application/problem+json");
    let err = error_for(&server, template).await;
    assert!(matches!(err, Error::Forbidden(_)), "{err:?}");
    assert_eq!(err.code(), Some("7001"));
    assert_eq!(err.title(), Some("You do not have enough credit."));
    assert_eq!(err.detail(), Some("Your current balance is 30, but that costs 50."));
    assert_eq!(
        err.to_string(),
        "403 Forbidden: You do not have enough credit.: Your current balance is 30, but that costs 50. (code 7001)"
    );

    // An empty `errors` array does not hide the top level; a string code stays as it is.
    let body = json!({"errors": [], "title": "Conflict", "code": "E_CONFLICT"});
    let err = error_for(&server, ResponseTemplate::new(409).set_body_json(body)).await;
    assert_eq!((err.code(), err.title(), err.detail()), (Some("E_CONFLICT"), Some("Conflict"), None));
}

#[tokio::test]
async fn code_title_and_detail_are_none_without_a_json_body() {
    let server = server().await;
    let cases = [
        ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"),
        ResponseTemplate::new(502),
        ResponseTemplate::new(502).set_body_json(json!(["not", "an", "object"])),
        ResponseTemplate::new(502).set_body_json(json!({"code": null, "title": 5, "detail": {"x": 1}})),
    ];
    for template in cases {
        let err = error_for(&server, template).await;
        assert!(err.api().is_some(), "{err:?}");
        assert_eq!((err.code(), err.title(), err.detail()), (None, None, None), "{err:?}");
    }
    // Errors that are not responses have none either.
    let err = Client::builder().api_key(KEY).base_url("http://127.0.0.1:9").max_retries(0).build().expect("client");
    let err = err.rooms().retrieve(room_id()).send().await.expect_err("nothing listens on port 9");
    assert_eq!((err.code(), err.title(), err.detail()), (None, None, None), "{err:?}");
}

#[tokio::test]
async fn a_truncated_success_body_is_a_decode_error_that_keeps_the_body() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"data": {"id": "7b61621f-62e0"#))
        .mount(&server)
        .await;
    let err = client(&server).rooms().retrieve(room_id()).send().await.expect_err("truncated");
    let Error::Decode(d) = &err else { panic!("{err:?}") };
    assert_eq!(d.status.as_u16(), 200);
    assert!(d.body.starts_with(r#"{"data": {"id""#));
    assert!(err.to_string().starts_with("cannot decode the 200 response at `data.id`"), "{err}");
}

#[tokio::test]
async fn a_success_body_followed_by_anything_is_a_decode_error() {
    let server = server().await;
    let room = json!({"data": {"id": "7b61621f-62e0-4aad-ab11-9fd19e272e73"}}).to_string();
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!("{room} garbage")))
        .mount(&server)
        .await;
    let err = client(&server).rooms().retrieve(room_id()).send().await.expect_err("trailing text");
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
}

#[tokio::test]
async fn unknown_enum_values_and_fields_decode_and_enum_values_round_trip() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": {"id": ROOM_ID, "status": "archived", "type": "video", "brand_new_field": [1, 2]}
        })))
        .mount(&server)
        .await;
    let rec = client(&server).room_recordings().retrieve(room_id()).send().await.expect("decodes");
    assert_eq!(rec.status, Some(RoomRecordingStatus::Unknown("archived".into())));
    assert_eq!(serde_json::to_value(&rec.status).expect("encodes"), json!("archived"));
    assert_eq!(rec.codec, None, "a missing optional field is None");
}

// --- Validation before sending -------------------------------------------------------------

#[tokio::test]
async fn out_of_range_values_fail_before_anything_is_sent() {
    let server = server().await;
    let c = client(&server);
    let err = c.rooms().create(CreateRoomRequest::new().max_participants(51)).send().await.expect_err("51");
    let Error::InvalidRequest(e) = &err else { panic!("{err:?}") };
    assert_eq!(e.field, "max_participants");
    assert_eq!(err.to_string(), "invalid request: `max_participants` must be between 2 and 50 (got 51)");

    let err = c.room_recordings().list().page(PageParams::new().size(251)).send().await.expect_err("251");
    assert_eq!(err.to_string(), "invalid request: `page[size]` must be between 1 and 250 (got 251)");

    let region = VideoRegion::new().z_pos(100);
    let body = CreateRoomCompositionRequest::new()
        .video_layout([("main".to_string(), region)].into_iter().collect::<std::collections::BTreeMap<_, _>>());
    let err = c.room_compositions().create(body).send().await.expect_err("z_pos");
    assert_eq!(err.to_string(), "invalid request: `video_layout.main.z_pos` must be between -99 and 99 (got 100)");

    assert!(requests(&server).await.is_empty(), "nothing reached the server");
}

// --- Request bodies -------------------------------------------------------------------------

#[tokio::test]
async fn a_patch_can_leave_a_nullable_field_alone_or_clear_it() {
    let server = server().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"id": ROOM_ID}})))
        .mount(&server)
        .await;
    let c = client(&server);
    c.rooms().update(room_id(), PatchRoomRequest::new().unique_name("renamed")).send().await.expect("rename");
    c.rooms().update(room_id(), PatchRoomRequest::new().clear_webhook_timeout_secs()).send().await.expect("clear");
    c.rooms().update(room_id(), PatchRoomRequest::new().webhook_timeout_secs(20)).send().await.expect("set");
    let bodies: Vec<serde_json::Value> =
        requests(&server).await.iter().map(|r| r.body_json().expect("JSON body")).collect();
    assert_eq!(
        bodies,
        [json!({"unique_name": "renamed"}), json!({"webhook_timeout_secs": null}), json!({"webhook_timeout_secs": 20}),],
        "only what the caller set; no schema default is sent"
    );
}

// --- Raw responses --------------------------------------------------------------------------

#[tokio::test]
async fn send_with_response_gives_status_headers_and_request_id() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("x-request-id", "req-99")
                .set_body_json(json!({"data": {"id": ROOM_ID}})),
        )
        .mount(&server)
        .await;
    let response = client(&server).rooms().create(CreateRoomRequest::new()).send_with_response().await.expect("201");
    assert_eq!(response.status.as_u16(), 201);
    assert_eq!(response.request_id.as_deref(), Some("req-99"));
    assert_eq!(response.headers.get("x-request-id").and_then(|v| v.to_str().ok()), Some("req-99"));
    assert_eq!(response.value.id, Some(room_id()));
}

// --- Pagination -----------------------------------------------------------------------------

fn recording(n: usize) -> serde_json::Value {
    json!({"id": format!("00000000-0000-4000-8000-{n:012}"), "status": "completed"})
}

/// Mounts pages of recordings: `sizes[i]` items on page `i + 1`, with the given meta.
async fn mount_pages(server: &MockServer, sizes: &[usize], total_pages: Option<i64>) {
    let mut n = 0;
    for (i, size) in sizes.iter().enumerate() {
        let number = i + 1;
        let items: Vec<_> = (0..*size)
            .map(|_| {
                n += 1;
                recording(n)
            })
            .collect();
        let mut meta = json!({"page_number": number, "page_size": 2});
        if let Some(t) = total_pages {
            meta["total_pages"] = json!(t);
        }
        Mock::given(method("GET"))
            .and(path("/room_recordings"))
            .and(query_param("page[number]", number.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": items, "meta": meta})))
            .mount(server)
            .await;
    }
}

#[tokio::test]
async fn items_stream_every_page_keeping_filters_and_size_and_stop_at_total_pages() {
    let server = server().await;
    mount_pages(&server, &[2, 2, 1, 2], Some(3)).await;
    let items: Vec<_> = client(&server)
        .room_recordings()
        .list()
        .filter(RoomRecordingsFilter::new().status(RoomRecordingStatus::Completed))
        .page(PageParams::new().size(2))
        .items()
        .collect()
        .await;
    let ids: Vec<String> = items.into_iter().map(|r| r.expect("item").id.expect("id").to_string()).collect();
    assert_eq!(ids.len(), 5, "pages 1 to 3; page 4 exists but total_pages says 3");
    assert!(ids[4].ends_with("000000000005"));
    let queries: Vec<String> =
        requests(&server).await.iter().map(|r| r.url.query().unwrap_or("").to_string()).collect();
    assert_eq!(
        queries,
        (1..=3)
            .map(|n| format!("filter%5Bstatus%5D=completed&page%5Bnumber%5D={n}&page%5Bsize%5D=2"))
            .collect::<Vec<_>>()
    );
}

#[tokio::test]
async fn without_total_pages_the_stream_stops_at_the_first_empty_page() {
    let server = server().await;
    mount_pages(&server, &[2, 2, 0, 2], None).await;
    let pages: Vec<_> = client(&server).room_recordings().list().pages().collect().await;
    assert_eq!(pages.len(), 2, "the empty third page ends the listing and is not yielded");
    assert!(pages.iter().all(|p| p.as_ref().map(|p| p.items.len() == 2).unwrap_or(false)));
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn pages_start_from_the_requested_page() {
    let server = server().await;
    mount_pages(&server, &[2, 2, 2], Some(3)).await;
    let pages: Vec<_> =
        client(&server).room_recordings().list().page(PageParams::new().number(2)).pages().collect().await;
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_is_stopped() {
    let server = server().await;
    // Every request gets page 1, forever.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [recording(1), recording(2)], "meta": {"page_number": 1}
        })))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server).room_recordings().list().items().collect().await;
    assert_eq!(results.len(), 3, "two items, then the error");
    let err = results[2].as_ref().expect_err("guard");
    assert_eq!(err.to_string(), "unexpected response: asked for page 2 of the listing but the server returned page 1");

    // Without a page number in the meta, the repeated items give it away.
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [recording(1), recording(2)]})))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server).room_recordings().list().pages().collect().await;
    assert_eq!(results.len(), 2);
    assert!(results[1].as_ref().expect_err("guard").to_string().contains("repeats the previous page"));
}

#[tokio::test]
async fn an_error_ends_the_stream_after_yielding_it() {
    let server = server().await;
    mount_pages(&server, &[2], None).await;
    Mock::given(method("GET"))
        .and(query_param("page[number]", "2"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let results: Vec<_> = client(&server).room_recordings().list().items().collect().await;
    assert_eq!(results.len(), 3);
    assert!(matches!(results[2], Err(Error::NotFound(_))));
}

// --- Configuration and redaction -------------------------------------------------------------

/// Serialises the tests that set environment variables: they are process-wide.
static ENV_LOCK: Mutex<()> = Mutex::new(());

/// Sets (`Some`) or removes (`None`) the client's two variables for as long as it lives, holding
/// [`ENV_LOCK`], and puts back what was there when dropped (even if the test panicked). Clients
/// read the variables when they are built, so build them while this is alive and send after.
struct EnvVars {
    saved: Vec<(&'static str, Option<std::ffi::OsString>)>,
    _lock: std::sync::MutexGuard<'static, ()>,
}

impl EnvVars {
    fn set(key: Option<&str>, base_url: Option<&str>) -> EnvVars {
        let lock = ENV_LOCK.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let vars = [(telnyx_video::API_KEY_ENV, key), (telnyx_video::BASE_URL_ENV, base_url)];
        let saved = vars.iter().map(|(name, _)| (*name, std::env::var_os(name))).collect();
        for (name, value) in vars {
            // SAFETY: writers hold ENV_LOCK, and every reader in this binary goes through
            // `std::env`, which serialises reads with writes; nothing here reads the
            // environment through libc directly (the servers are on literal 127.0.0.1
            // addresses, so no resolver runs).
            unsafe {
                match value {
                    Some(v) => std::env::set_var(name, v),
                    None => std::env::remove_var(name),
                }
            }
        }
        EnvVars { saved, _lock: lock }
    }
}

impl Drop for EnvVars {
    fn drop(&mut self) {
        for (name, value) in &self.saved {
            // SAFETY: as in `EnvVars::set`; the lock is still held.
            unsafe {
                match value {
                    Some(v) => std::env::set_var(name, v),
                    None => std::env::remove_var(name),
                }
            }
        }
    }
}

/// The `Authorization` header of each request the server received.
async fn authorizations(server: &MockServer) -> Vec<Option<String>> {
    requests(server)
        .await
        .iter()
        .map(|r| r.headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string))
        .collect()
}

async fn mount_empty_list(server: &MockServer) {
    Mock::given(method("GET"))
        .and(path("/v2/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(server)
        .await;
}

#[tokio::test]
async fn from_env_reads_the_key_and_a_base_url_with_a_trailing_slash() {
    let server = server().await;
    mount_empty_list(&server).await;
    let c = {
        let _env = EnvVars::set(Some(KEY), Some(&format!("{}/v2/", server.uri())));
        Client::from_env().expect("configured from the environment")
    };
    c.rooms().list().send().await.expect("list");
    let request = &requests(&server).await[0];
    assert_eq!(request.url.path(), "/v2/rooms");
    assert_eq!(authorizations(&server).await, [Some(format!("Bearer {KEY}"))]);
    let ua = request.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or("");
    assert!(ua.starts_with("telnyx-video/"), "{ua}");
}

#[tokio::test]
async fn the_builder_reads_the_key_and_base_url_from_the_environment_when_not_given() {
    let server = server().await;
    mount_empty_list(&server).await;
    let (from_both, key_only) = {
        let _env = EnvVars::set(Some(KEY), Some(&format!("{}/v2", server.uri())));
        let from_both = Client::builder().build().expect("key and base URL from the environment");
        let key_only = Client::builder().base_url(format!("{}/v2", server.uri())).build().expect("key from the env");
        (from_both, key_only)
    };
    assert_eq!(from_both.base_url().as_str(), format!("{}/v2", server.uri()));
    from_both.rooms().list().send().await.expect("list");
    key_only.rooms().list().send().await.expect("list");
    assert_eq!(authorizations(&server).await, [Some(format!("Bearer {KEY}")), Some(format!("Bearer {KEY}"))]);

    // Without the variables, the spec's base URL.
    let _env = EnvVars::set(Some(KEY), None);
    let default = Client::builder().build().expect("key from the environment");
    assert_eq!(Some(default.base_url().as_str()), telnyx_video::DEFAULT_BASE_URL);
}

#[tokio::test]
async fn an_explicit_key_and_base_url_beat_the_environment() {
    let server = server().await;
    mount_empty_list(&server).await;
    let c = {
        // A base URL nothing listens on and another key: neither may be used.
        let _env = EnvVars::set(Some("KEY-from-the-environment"), Some("http://127.0.0.1:9/v2"));
        Client::builder().api_key(KEY).base_url(format!("{}/v2", server.uri())).build().expect("client")
    };
    c.rooms().list().send().await.expect("sent to the explicit base URL");
    assert_eq!(authorizations(&server).await, [Some(format!("Bearer {KEY}"))]);
}

#[test]
fn ignore_env_reads_neither_variable() {
    let _env = EnvVars::set(Some(KEY), Some("http://127.0.0.1:9/v2"));
    let err = Client::builder().ignore_env().build().expect_err("no key in code");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("ignore_env"), "{err}");
    let c = Client::builder().ignore_env().api_key(KEY).build().expect("client");
    assert_eq!(Some(c.base_url().as_str()), telnyx_video::DEFAULT_BASE_URL, "not the environment's");
    // `from_env` reads the variables there and then, so they count as set in code.
    let c = Client::builder().ignore_env().from_env().build().expect("explicitly read");
    assert_eq!(c.base_url().as_str(), "http://127.0.0.1:9/v2");
}

#[test]
fn an_empty_key_given_in_code_is_named_as_such() {
    let err =
        Client::builder().ignore_env().api_key("  ").base_url("https://api.example.com").build().expect_err("blank");
    assert!(err.to_string().contains("given to ClientBuilder::api_key is empty"), "{err}");
}

#[test]
fn a_base_url_with_a_query_or_fragment_is_refused_not_silently_cut() {
    for url in ["https://api.example.com/v2?tenant=1", "https://api.example.com/v2#top"] {
        let err = Client::builder().ignore_env().api_key(KEY).base_url(url).build().expect_err(url);
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert!(err.to_string().contains("query or fragment"), "{err}");
    }
}

#[test]
fn a_bad_base_url_in_the_environment_is_named_as_coming_from_it() {
    let err = {
        let _env = EnvVars::set(Some(KEY), Some("not a url"));
        Client::builder().build().expect_err("bad base URL")
    };
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.to_string().contains("`not a url` (from TELNYX_BASE_URL)"), "{err}");
}

#[tokio::test]
async fn a_client_without_a_key_refuses_authenticated_operations_before_sending() {
    let server = server().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}})))
        .mount(&server)
        .await;
    let c = {
        // `without_api_key` does not pick the key up from the environment.
        let _env = EnvVars::set(Some(KEY), None);
        Client::builder().without_api_key().base_url(server.uri()).build().expect("keyless client")
    };
    c.room_sessions().end(room_id()).send().await.expect("an unauthenticated operation works");
    let err = c.rooms().create(CreateRoomRequest::new()).send().await.expect_err("needs a key");
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert_eq!(requests(&server).await.len(), 1);
    assert_eq!(authorizations(&server).await, [None]);
}

/// Collects what `tracing` writes while a future runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn traces_name_the_operation_and_attempts_but_never_the_key() {
    let server = server().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(500).set_body_json(errors_body("1", "boom")))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {}})))
        .mount(&server)
        .await;
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let c = client(&server);
    let _guard = tracing::subscriber::set_default(subscriber);
    c.rooms().retrieve(room_id()).send().await.expect("second attempt");
    drop(_guard);
    let log = String::from_utf8(captured.0.lock().expect("lock").clone()).expect("utf-8");
    assert!(log.contains("retrying"), "{log}");
    assert!(log.contains("operation=\"retrieveRoom\""), "{log}");
    assert!(log.contains("path=\"/rooms/{room_id}\""), "{log}");
    assert!(log.contains("attempt=1") && log.contains("status=500"), "{log}");
    assert!(!log.contains(KEY), "the key leaked into traces: {log}");
    assert!(!format!("{c:?}").contains(KEY));
}
