//! The generated client against a real HTTP server on 127.0.0.1 (wiremock): what goes on
//! the wire, and what comes back decoded.

use std::time::Duration;

use chrono::NaiveDate;
use serde_json::json;
use telnyx_video::models::{ActionsParticipantsRequestParticipants, CreateRoomRequest, RoomRecordingStatus};
use telnyx_video::params::{DateRange, ListRoomsFilter, PageParams, RoomRecordingsFilter};
use telnyx_video::{Client, Error, RequestOptions};
use uuid::Uuid;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "KEY-0123456789";
const ROOM_ID: &str = "7b61621f-62e0-4aad-ab11-9fd19e272e73";

async fn server() -> MockServer {
    MockServer::builder().listener(std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback")).start().await
}

fn client(server: &MockServer) -> Client {
    Client::builder().api_key(KEY).base_url(format!("{}/v2/", server.uri())).build().expect("client")
}

fn room(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "unique_name": "My Room",
        "max_participants": 50,
        "enable_recording": true,
        "created_at": "2021-04-16T09:46:20.954863Z",
        "record_type": "room",
        "sessions": [{"id": "7b61621f-62e0-4aad-ab11-9fd19e272e74", "active": true, "participants": []}],
        "some_future_field": {"ignored": true}
    })
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request");
    requests.remove(0)
}

#[tokio::test]
async fn list_rooms_sends_the_nested_filter_and_page_and_decodes_the_page() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v2/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "data": [room(ROOM_ID)],
            "meta": {"page_number": 2, "page_size": 50, "total_pages": 3, "total_results": 101}
        })))
        .mount(&server)
        .await;

    let date = NaiveDate::from_ymd_opt(2021, 4, 25).expect("date");
    let page = client(&server)
        .rooms()
        .list()
        .include_sessions(true)
        .filter(ListRoomsFilter::new().date_created_at(DateRange::new().gte(date)).unique_name("My room"))
        .page(PageParams::new().number(2).size(50))
        .send()
        .await
        .expect("list succeeds");

    let request = only_request(&server).await;
    assert_eq!(
        request.url.query(),
        Some(
            "include_sessions=true\
             &filter%5Bdate_created_at%5D%5Bgte%5D=2021-04-25\
             &filter%5Bunique_name%5D=My%20room\
             &page%5Bnumber%5D=2\
             &page%5Bsize%5D=50"
        )
    );
    assert_eq!(request.headers.get("authorization").and_then(|v| v.to_str().ok()), Some("Bearer KEY-0123456789"));

    assert_eq!(page.items.len(), 1);
    let room = &page.items[0];
    assert_eq!(room.id, Some(ROOM_ID.parse::<Uuid>().expect("uuid")));
    assert_eq!(room.unique_name.as_deref(), Some("My Room"));
    assert_eq!(room.max_participants, Some(50));
    let sessions = room.sessions.as_ref().expect("sessions included");
    assert_eq!(sessions[0].active, Some(true));
    let meta = page.meta.as_ref().expect("meta");
    assert_eq!((meta.page_number, meta.total_pages, meta.total_results), (Some(2), Some(3), Some(101)));
}

#[tokio::test]
async fn create_room_sends_only_the_fields_set_and_unwraps_the_data_envelope() {
    let server = server().await;
    Mock::given(method("POST"))
        .and(path("/v2/rooms"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": room(ROOM_ID)})))
        .mount(&server)
        .await;

    let created = client(&server)
        .rooms()
        .create(CreateRoomRequest::new().unique_name("standup"))
        .send()
        .await
        .expect("create succeeds");

    let request = only_request(&server).await;
    // No schema default (max_participants 10, enable_recording false) is sent implicitly.
    assert_eq!(request.body_json::<serde_json::Value>().expect("JSON body"), json!({"unique_name": "standup"}));
    assert_eq!(request.headers.get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    assert_eq!(created.unique_name.as_deref(), Some("My Room"));
}

#[tokio::test]
async fn ending_a_session_is_a_bodyless_post_without_credentials() {
    let server = server().await;
    let session = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";
    Mock::given(method("POST"))
        .and(path(format!("/v2/room_sessions/{session}/actions/end")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}})))
        .mount(&server)
        .await;

    let result =
        client(&server).room_sessions().end(session.parse::<Uuid>().expect("uuid")).send().await.expect("end succeeds");

    let request = only_request(&server).await;
    assert!(request.headers.get("authorization").is_none(), "security: [] sends no credentials");
    assert!(request.body.is_empty());
    assert_eq!(result.result.as_deref(), Some("ok"));
}

#[tokio::test]
async fn kick_serializes_the_one_of_participants() {
    let server = server().await;
    let session = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";
    Mock::given(method("POST"))
        .and(path(format!("/v2/room_sessions/{session}/actions/kick")))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": {"result": "ok"}})))
        .mount(&server)
        .await;
    let body = telnyx_video::models::ActionsParticipantsRequest::new()
        .participants(ActionsParticipantsRequestParticipants::All);
    client(&server).room_sessions().kick(session.parse::<Uuid>().expect("uuid"), body).send().await.expect("kick");
    let request = only_request(&server).await;
    assert_eq!(request.body_json::<serde_json::Value>().expect("JSON"), json!({"participants": "all"}));
}

#[tokio::test]
async fn bulk_delete_sends_its_filter_on_a_delete_and_reads_the_count() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path("/v2/room_recordings"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": {"room_recordings": 7}})))
        .mount(&server)
        .await;

    let deleted = client(&server)
        .room_recordings()
        .delete_many()
        .filter(RoomRecordingsFilter::new().status(RoomRecordingStatus::Completed).duration_secs(60))
        .send()
        .await
        .expect("bulk delete succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.url.query(), Some("filter%5Bstatus%5D=completed&filter%5Bduration_secs%5D=60"));
    assert_eq!(deleted.room_recordings, Some(7));
}

#[tokio::test]
async fn delete_returns_unit_on_204() {
    let server = server().await;
    Mock::given(method("DELETE"))
        .and(path(format!("/v2/rooms/{ROOM_ID}")))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let () = client(&server).rooms().delete(ROOM_ID.parse::<Uuid>().expect("uuid")).send().await.expect("delete");
}

#[tokio::test]
async fn a_404_becomes_an_api_error_with_the_parsed_body() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/rooms/{ROOM_ID}")))
        .respond_with(
            ResponseTemplate::new(404)
                .insert_header("x-request-id", "req-42")
                .set_body_json(json!({"errors": [{"code": "10005", "title": "Resource not found", "detail": "The requested room does not exist."}]})),
        )
        .mount(&server)
        .await;
    let err = client(&server).rooms().retrieve(ROOM_ID.parse::<Uuid>().expect("uuid")).send().await.expect_err("404");
    let Error::NotFound(api) = &err else { panic!("expected a 404 error, got {err:?}") };
    assert_eq!(api.status.as_u16(), 404);
    assert_eq!(api.request_id.as_deref(), Some("req-42"));
    let body = api.body.as_ref().expect("the documented error body parses");
    assert_eq!(body.errors.as_ref().map(|e| e[0].code.as_str()), Some("10005"));
    assert_eq!(
        err.to_string(),
        "404 Not Found: Resource not found: The requested room does not exist. (code 10005) [request id req-42]"
    );
    assert!(!format!("{err:?}").contains(KEY), "the key never appears in errors");
}

#[tokio::test]
async fn a_body_that_does_not_match_names_the_failing_path() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path(format!("/v2/rooms/{ROOM_ID}")))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"data": {"id": ROOM_ID, "max_participants": "many"}})),
        )
        .mount(&server)
        .await;
    let err =
        client(&server).rooms().retrieve(ROOM_ID.parse::<Uuid>().expect("uuid")).send().await.expect_err("decode");
    let Error::Decode(decode) = &err else { panic!("expected a decode error, got {err:?}") };
    assert_eq!(decode.path, "data.max_participants");
}

#[test]
fn the_api_key_is_redacted_and_required() {
    let client = Client::builder().api_key(KEY).build().expect("client");
    assert!(!format!("{client:?}").contains(KEY));
    assert!(format!("{client:?}").contains("redacted"));
    let builder = Client::builder().api_key(KEY);
    assert!(!format!("{builder:?}").contains(KEY));
    // The environment is ignored so that a TELNYX_API_KEY in the caller's shell cannot make
    // a key appear; runtime.rs covers the builder's reading of it.
    let err = Client::builder().ignore_env().build().expect_err("a key is required");
    assert!(err.to_string().contains("ClientBuilder::api_key"), "{err}");
    Client::builder().ignore_env().without_api_key().build().expect("explicitly keyless is allowed");
}

// --- Requests built without sending ------------------------------------------------------------

#[test]
fn build_request_is_the_request_send_makes() {
    let client = Client::builder().api_key(KEY).base_url("https://api.example.com/v2/").build().expect("client");
    let date = NaiveDate::from_ymd_opt(2021, 4, 25).expect("date");
    // The crate re-exports the reqwest its requests are made with.
    let request: telnyx_video::reqwest::Request = client
        .rooms()
        .list()
        .filter(ListRoomsFilter::new().date_created_at(DateRange::new().gte(date)).unique_name("My room"))
        .page(PageParams::new().number(2).size(50))
        .build_request()
        .expect("builds");
    assert_eq!(request.method().as_str(), "GET");
    assert_eq!(
        request.url().as_str(),
        "https://api.example.com/v2/rooms?filter%5Bdate_created_at%5D%5Bgte%5D=2021-04-25\
         &filter%5Bunique_name%5D=My%20room&page%5Bnumber%5D=2&page%5Bsize%5D=50"
    );
    let auth = request.headers().get("authorization").expect("authenticated operation");
    assert_eq!(auth.to_str().ok(), Some("Bearer KEY-0123456789"));
    assert!(auth.is_sensitive(), "the key is marked sensitive, so it is redacted in logs");
    assert!(request.body().is_none());

    let created = client
        .rooms()
        .create(CreateRoomRequest::new().unique_name("My Room").max_participants(10))
        .build_request()
        .expect("builds");
    assert_eq!(created.method().as_str(), "POST");
    assert_eq!(created.url().as_str(), "https://api.example.com/v2/rooms");
    assert_eq!(created.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("application/json"));
    let body = created.body().and_then(|b| b.as_bytes()).expect("a JSON body");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(body).expect("JSON"),
        json!({"unique_name": "My Room", "max_participants": 10})
    );
}

#[test]
fn build_request_reports_what_send_would_refuse() {
    // The default base URL, whatever TELNYX_BASE_URL says in the caller's shell.
    let client = Client::builder().api_key(KEY).ignore_env().build().expect("client");
    let session = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0".parse::<Uuid>().expect("uuid");
    let end = client.room_sessions().end(session).build_request().expect("builds");
    assert!(end.headers().get("authorization").is_none(), "security: [] sends no credentials");
    assert_eq!(end.url().path(), format!("/v2/room_sessions/{session}/actions/end"));

    let err = client.rooms().create(CreateRoomRequest::new().max_participants(51)).build_request().expect_err("51");
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");

    let keyless = Client::builder().without_api_key().ignore_env().build().expect("client");
    assert!(matches!(keyless.rooms().list().build_request(), Err(Error::Config(_))));
    keyless.room_sessions().end(session).build_request().expect("needs no key");
}

#[tokio::test]
async fn build_request_is_byte_for_byte_what_send_puts_on_the_wire() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/v2/rooms"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [], "meta": {"page_number": 3}})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v2/rooms"))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"data": room(ROOM_ID)})))
        .mount(&server)
        .await;
    let client = client(&server);
    let day = NaiveDate::from_ymd_opt(2021, 4, 25).expect("date");
    let list = client
        .rooms()
        .list()
        .include_sessions(false)
        .filter(
            ListRoomsFilter::new()
                .date_created_at(DateRange::new().eq(day).gte(day).lte(day))
                .date_updated_at(DateRange::new().gte(day))
                .unique_name("a b&c=d/é"),
        )
        .page(PageParams::new().number(3).size(250))
        .request_options(RequestOptions::new().timeout(Duration::from_secs(7)));
    let create = client.rooms().create(CreateRoomRequest::new().unique_name("standup").enable_recording(true));

    let built = list.build_request().expect("builds");
    list.send().await.expect("sent");
    assert_sent_as_built(&server, &built).await;
    let built = create.build_request().expect("builds");
    create.send().await.expect("sent");
    assert_sent_as_built(&server, &built).await;
}

/// The last request the server received has the built request's method, URL (path and
/// encoded query), every one of its headers with the same value, and its body.
async fn assert_sent_as_built(server: &MockServer, built: &reqwest::Request) {
    let wire = server.received_requests().await.expect("recording is on").pop().expect("a request was sent");
    assert_eq!(wire.method.as_str(), built.method().as_str());
    // The server sees the origin form (path and query); wiremock puts its own host in front.
    assert_eq!(wire.url.path(), built.url().path());
    assert_eq!(wire.url.query(), built.url().query());
    for (name, value) in built.headers() {
        assert_eq!(wire.headers.get(name.as_str()).map(|v| v.as_bytes()), Some(value.as_bytes()), "{name}");
    }
    let body = built.body().map(|b| b.as_bytes().expect("a body of bytes").to_vec()).unwrap_or_default();
    assert_eq!(wire.body, body);
}

#[test]
fn build_request_carries_the_per_request_timeout_and_the_exact_query() {
    let client = Client::builder().api_key(KEY).base_url("https://api.example.com/v2").build().expect("client");
    let day = NaiveDate::from_ymd_opt(2021, 4, 25).expect("date");
    let request = client
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
        .request_options(RequestOptions::new().timeout(Duration::from_millis(1500)))
        .build_request()
        .expect("builds");
    assert_eq!(request.url().path(), "/v2/rooms");
    assert_eq!(
        request.url().query(),
        Some(
            "include_sessions=true\
             &filter%5Bdate_created_at%5D%5Beq%5D=2021-04-25\
             &filter%5Bdate_created_at%5D%5Bgte%5D=2021-04-25\
             &filter%5Bdate_created_at%5D%5Blte%5D=2021-04-25\
             &filter%5Bdate_updated_at%5D%5Beq%5D=2021-04-25\
             &filter%5Bdate_updated_at%5D%5Bgte%5D=2021-04-25\
             &filter%5Bdate_updated_at%5D%5Blte%5D=2021-04-25\
             &filter%5Bunique_name%5D=My%20room\
             &page%5Bnumber%5D=2\
             &page%5Bsize%5D=50"
        )
    );
    assert_eq!(request.timeout(), Some(&Duration::from_millis(1500)));
    assert_eq!(request.headers().get("accept").and_then(|v| v.to_str().ok()), Some("application/json"));
    assert!(request.headers().get("content-type").is_none(), "no body, no content type");
    // Without per-request options the client's own timeout applies, not one on the request.
    assert_eq!(client.rooms().list().build_request().expect("builds").timeout(), None);
    // Years outside 0..=9999 keep their sign, as ISO 8601 asks.
    let far = NaiveDate::from_ymd_opt(12345, 6, 7).expect("date");
    let request = client
        .rooms()
        .list()
        .filter(ListRoomsFilter::new().date_created_at(DateRange::new().gte(far)))
        .build_request()
        .expect("builds");
    assert_eq!(request.url().query(), Some("filter%5Bdate_created_at%5D%5Bgte%5D=%2B12345-06-07"));
}

#[test]
fn build_request_refuses_an_out_of_range_page_size() {
    let client = Client::builder().api_key(KEY).build().expect("client");
    let err = client.rooms().list().page(PageParams::new().size(251)).build_request().expect_err("251 > 250");
    let Error::InvalidRequest(invalid) = &err else { panic!("expected InvalidRequest, got {err:?}") };
    assert_eq!(invalid.field, "page[size]");
    assert!(invalid.message.contains("between 1 and 250"), "{}", invalid.message);
}

#[test]
fn build_request_sends_the_bearer_key_even_with_userinfo_in_the_base_url() {
    // reqwest turns `user:pass@` into a basic `Authorization` header of its own; the API key
    // must still be the one sent.
    let client =
        Client::builder().api_key(KEY).base_url("https://user:secret@api.example.com/v2").build().expect("client");
    let request = client.rooms().list().build_request().expect("builds");
    let auth = request.headers().get_all("authorization").iter().collect::<Vec<_>>();
    assert_eq!(auth.len(), 1, "one Authorization header");
    assert_eq!(auth[0].to_str().ok(), Some("Bearer KEY-0123456789"));
    assert!(auth[0].is_sensitive());
    assert_eq!(request.headers().get("accept").and_then(|v| v.to_str().ok()), Some("application/json"));
    assert!(request.headers().get("user-agent").is_some());
}
