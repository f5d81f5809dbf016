//! Contract test: every operation of the generated client, once, against Stoplight Prism
//! mocking `spec/openapi.yaml` with `--errors`, and again mocking its OpenAPI 3.1 twin
//! (`codegen/tests/fixtures/v31/openapi.yaml`), from which the same crate is generated.
//!
//! Prism validates each request against the spec (path, query parameters after deepObject
//! decoding, security, content type, body schema) and answers a violation with an error
//! status (422, 401, ...) instead of the example; it also validates the example it is about
//! to return against the response schema, and `--errors` turns a violation there into a 500.
//! So a call that succeeds shows that the client put on the wire what the spec describes,
//! that the spec's example matches its own schema, and that it decodes into the generated
//! types. Prism does not flag query keys or body fields the spec does not declare, so the
//! exact spelling of keys stays pinned by the wiremock tests in `client.rs`.
//!
//! When a call fails, the panic message carries Prism's `sl-violations` response header and
//! the guard prints Prism's log, whose `[VALIDATOR]` lines say what was rejected (the error
//! body itself is just the spec's example for that status).
//!
//! Prism comes from the repository's npm tooling (`npm ci` installs the pinned
//! `@stoplight/prism-cli`), so this test is `#[ignore]`d and run by `cargo xtask test`, or:
//!
//! ```text
//! cargo test -p e2e --test contract -- --ignored --nocapture
//! ```

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::prism::{Prism, repo_root};

use chrono::NaiveDate;
use telnyx_video::Client;
use telnyx_video::models::{
    ActionsParticipantsRequest, ActionsParticipantsRequestParticipants, CreateRoomClientTokenRequest,
    CreateRoomCompositionRequest, CreateRoomRequest, PatchRoomRequest, RefreshRoomClientTokenRequest,
    RoomCompositionStatus, RoomRecordingStatus, RoomRecordingType, VideoRegion,
};
use telnyx_video::params;
use uuid::Uuid;

/// How long all 25 calls together may take (each is also capped by `REQUEST_TIMEOUT`).
const CALLS_BUDGET: Duration = Duration::from_secs(30);
/// Per-request timeout, so a hung request cannot hold the test past its budget.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

const ROOM_ID: &str = "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0";
const SESSION_ID: &str = "7b61621f-62e0-4aad-ab11-9fd19e272e74";
const PARTICIPANT_A: &str = "7b61621f-62e0-4aad-ab11-9fd19e272e75";
const PARTICIPANT_B: &str = "7b61621f-62e0-4aad-ab11-9fd19e272e76";
const RECORDING_ID: &str = "6b61621f-62e0-4aad-ab11-9fd19e272e73";
const COMPOSITION_ID: &str = "5b61621f-62e0-4aad-ab11-9fd19e272e73";

/// The tests of this file run one Prism at a time: two started together can pick the same
/// free port, and one would then talk to the other's server, which stops when its test ends.
static ONE_PRISM_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn uuid(s: &str) -> Uuid {
    s.parse().expect("valid uuid literal")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date literal")
}

/// The operations called so far, and the time budget they share.
struct Calls {
    started: Instant,
    done: Vec<&'static str>,
}

impl Calls {
    fn start(&mut self, operation: &'static str) {
        assert!(
            self.started.elapsed() < CALLS_BUDGET,
            "the calls took longer than {CALLS_BUDGET:?}; {operation} not started (done: {:?})",
            self.done
        );
        self.done.push(operation);
    }
}

/// Sends one request, naming the operation in the panic message if it fails.
macro_rules! call {
    ($calls:ident, $operation:literal, $request:expr) => {{
        $calls.start($operation);
        $request.send().await.expect($operation)
    }};
}

/// The operationIds of a spec, read from its text.
fn spec_operation_ids(spec: &str) -> BTreeSet<String> {
    let spec = std::fs::read_to_string(repo_root().join(spec)).unwrap_or_else(|e| panic!("read {spec}: {e}"));
    spec.lines()
        .filter_map(|line| line.trim().strip_prefix("operationId:"))
        .map(|id| id.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect()
}

#[test]
#[ignore = "starts Stoplight Prism from node_modules; run by `cargo xtask test`"]
fn every_operation_is_accepted_by_prism_and_its_example_decodes() {
    contract("spec/openapi.yaml");
}

/// The same calls against Prism mocking the spec's OpenAPI 3.1 twin: the client generated
/// from either document puts on the wire what the 3.1 document describes.
#[test]
#[ignore = "starts Stoplight Prism from node_modules; run by `cargo xtask test`"]
fn every_operation_is_accepted_by_prism_mocking_the_openapi_3_1_twin() {
    contract("codegen/tests/fixtures/v31/openapi.yaml");
}

/// Runs [`every_operation`] against Prism mocking `spec`, one Prism at a time.
fn contract(spec: &str) {
    let _one = ONE_PRISM_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
        .block_on(every_operation(spec));
}

async fn every_operation(spec: &str) {
    let test_started = Instant::now();
    let prism = Prism::start(spec);
    let client = Client::builder()
        .api_key("contract-test-key")
        .base_url(format!("http://127.0.0.1:{}", prism.port))
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("client");
    let mut calls = Calls { started: Instant::now(), done: Vec::new() };

    // ---- Rooms ----
    let page = call!(
        calls,
        "listRooms",
        client
            .rooms()
            .list()
            .include_sessions(true)
            .filter(
                params::ListRoomsFilter::new()
                    .date_created_at(params::DateRange::new().gte(date(2021, 4, 1)).lte(date(2021, 4, 30)))
                    .date_updated_at(params::DateRange::new().eq(date(2021, 4, 16)))
                    .unique_name("Weekly standup"),
            )
            .page(params::PageParams::new().number(2).size(25))
    );
    assert!(!page.items.is_empty(), "listRooms: the example has a room");
    assert!(page.items[0].sessions.as_ref().is_some_and(|s| !s.is_empty()), "listRooms: sessions decoded");
    assert_eq!(page.meta.as_ref().and_then(|m| m.page_number), Some(2));

    let room = call!(
        calls,
        "createRoom",
        client.rooms().create(
            CreateRoomRequest::new()
                .unique_name("contract-test-room")
                .max_participants(10)
                .enable_recording(true)
                .webhook_event_url("https://example.com/webhooks")
                .webhook_event_failover_url("https://failover.example.com/webhooks")
                .webhook_timeout_secs(25)
        )
    );
    assert!(room.id.is_some(), "createRoom: the example room has an id");

    let room = call!(calls, "retrieveRoom", client.rooms().retrieve(uuid(ROOM_ID)).include_sessions(true));
    assert!(room.created_at.is_some(), "retrieveRoom: created_at decoded");

    let room = call!(
        calls,
        "updateRoom",
        client.rooms().update(
            uuid(ROOM_ID),
            PatchRoomRequest::new()
                .unique_name("Weekly standup")
                .max_participants(20)
                .enable_recording(false)
                .clear_webhook_event_failover_url()
                .clear_webhook_timeout_secs()
        )
    );
    assert!(room.unique_name.is_some(), "updateRoom: unique_name decoded");

    call!(calls, "deleteRoom", client.rooms().delete(uuid(ROOM_ID)));

    let sessions = call!(
        calls,
        "listRoomSessionsForRoom",
        client
            .rooms()
            .list_sessions(uuid(ROOM_ID))
            .include_participants(true)
            .filter(
                params::ListRoomSessionsForRoomFilter::new()
                    .date_created_at(params::DateRange::new().gte(date(2021, 4, 1)))
                    .date_ended_at(params::DateRange::new().lte(date(2021, 4, 30)))
                    .active(false),
            )
            .page(params::PageParams::new().number(1).size(50))
    );
    assert!(!sessions.items.is_empty(), "listRoomSessionsForRoom: the example has a session");

    let tokens = call!(
        calls,
        "generateRoomClientToken",
        client.rooms().generate_join_client_token(
            uuid(ROOM_ID),
            CreateRoomClientTokenRequest::new().token_ttl_secs(600).refresh_token_ttl_secs(3600)
        )
    );
    let refresh_token = tokens.refresh_token.expect("generateRoomClientToken: refresh_token decoded");
    assert!(tokens.token_expires_at.is_some(), "generateRoomClientToken: token_expires_at decoded");

    let refreshed = call!(
        calls,
        "refreshRoomClientToken",
        client
            .rooms()
            .refresh_client_token(uuid(ROOM_ID), RefreshRoomClientTokenRequest::new(refresh_token).token_ttl_secs(300))
    );
    assert!(refreshed.token.is_some(), "refreshRoomClientToken: token decoded");

    // ---- Room sessions ----
    let sessions = call!(
        calls,
        "listRoomSessions",
        client
            .room_sessions()
            .list()
            .include_participants(true)
            .filter(
                params::ListRoomSessionsFilter::new()
                    .room_id(uuid(ROOM_ID))
                    .active(true)
                    .date_updated_at(params::DateRange::new().eq(date(2021, 4, 16)))
                    .date_ended_at(params::DateRange::new().gte(date(2021, 4, 16))),
            )
            .page(params::PageParams::new().number(3).size(10))
    );
    assert!(!sessions.items.is_empty(), "listRoomSessions: the example has a session");

    let session = call!(
        calls,
        "retrieveRoomSession",
        client.room_sessions().retrieve(uuid(SESSION_ID)).include_participants(true)
    );
    assert!(session.participants.as_ref().is_some_and(|p| !p.is_empty()), "retrieveRoomSession: participants decoded");

    let ended = call!(calls, "endRoomSession", client.room_sessions().end(uuid(SESSION_ID)));
    assert_eq!(ended.result.as_deref(), Some("ok"));

    let kicked = call!(
        calls,
        "kickParticipantsInSession",
        client.room_sessions().kick(
            uuid(SESSION_ID),
            ActionsParticipantsRequest::new()
                .participants(ActionsParticipantsRequestParticipants::All)
                .exclude(vec![uuid(PARTICIPANT_B)])
        )
    );
    assert_eq!(kicked.result.as_deref(), Some("ok"));

    let muted = call!(
        calls,
        "muteParticipantsInSession",
        client.room_sessions().mute(
            uuid(SESSION_ID),
            ActionsParticipantsRequest::new().participants(ActionsParticipantsRequestParticipants::ParticipantIds(
                vec![uuid(PARTICIPANT_A), uuid(PARTICIPANT_B)]
            ))
        )
    );
    assert_eq!(muted.result.as_deref(), Some("ok"));

    let unmuted = call!(
        calls,
        "unmuteParticipantsInSession",
        client.room_sessions().unmute(
            uuid(SESSION_ID),
            ActionsParticipantsRequest::new()
                .participants(ActionsParticipantsRequestParticipants::ParticipantIds(vec![uuid(PARTICIPANT_A)]))
        )
    );
    assert_eq!(unmuted.result.as_deref(), Some("ok"));

    let participants = call!(
        calls,
        "listParticipantsForSession",
        client
            .room_sessions()
            .list_participants(uuid(SESSION_ID))
            .filter(
                params::ListParticipantsForSessionFilter::new()
                    .date_joined_at(params::DateRange::new().gte(date(2021, 4, 16)))
                    .date_left_at(params::DateRange::new().lte(date(2021, 4, 17)))
                    .context("Alice"),
            )
            .page(params::PageParams::new().number(1).size(20))
    );
    assert_eq!(participants.items.len(), 2, "listParticipantsForSession: the example has two participants");

    // ---- Room participants ----
    let participants = call!(
        calls,
        "listRoomParticipants",
        client
            .room_participants()
            .list()
            .filter(
                params::ListRoomParticipantsFilter::new()
                    .session_id(uuid(SESSION_ID))
                    .context("Bob")
                    .date_updated_at(params::DateRange::new().gte(date(2021, 4, 1)).lte(date(2021, 4, 30)),),
            )
            .page(params::PageParams::new().number(1).size(250))
    );
    assert!(!participants.items.is_empty(), "listRoomParticipants: the example has participants");

    let participant = call!(calls, "retrieveRoomParticipant", client.room_participants().retrieve(uuid(PARTICIPANT_A)));
    assert_eq!(participant.context.as_deref(), Some("Alice"));

    // ---- Room recordings ----
    let recordings = call!(
        calls,
        "listRoomRecordings",
        client
            .room_recordings()
            .list()
            .filter(
                params::RoomRecordingsFilter::new()
                    .date_started_at(params::DateRange::new().gte(date(2021, 4, 1)))
                    .date_ended_at(params::DateRange::new().lte(date(2021, 4, 30)))
                    .room_id(uuid(ROOM_ID))
                    .session_id(uuid(SESSION_ID))
                    .participant_id(uuid(PARTICIPANT_A))
                    .status(RoomRecordingStatus::Completed)
                    .r#type(RoomRecordingType::Audio)
                    .duration_secs(60),
            )
            .page(params::PageParams::new().number(1).size(20))
    );
    assert_eq!(recordings.items.first().and_then(|r| r.status.clone()), Some(RoomRecordingStatus::Completed));

    let deleted = call!(
        calls,
        "bulkDeleteRoomRecordings",
        client
            .room_recordings()
            .delete_many()
            .filter(
                params::RoomRecordingsFilter::new()
                    .session_id(uuid(SESSION_ID))
                    .status(RoomRecordingStatus::Completed)
                    .r#type(RoomRecordingType::Video)
                    .date_ended_at(params::DateRange::new().eq(date(2021, 4, 16))),
            )
            .page(params::PageParams::new().number(1).size(100))
    );
    assert_eq!(deleted.room_recordings, Some(3));

    let recording = call!(calls, "retrieveRoomRecording", client.room_recordings().retrieve(uuid(RECORDING_ID)));
    assert_eq!(recording.r#type, Some(RoomRecordingType::Audio));

    call!(calls, "deleteRoomRecording", client.room_recordings().delete(uuid(RECORDING_ID)));

    // ---- Room compositions ----
    let compositions = call!(
        calls,
        "listRoomCompositions",
        client
            .room_compositions()
            .list()
            .filter(
                params::ListRoomCompositionsFilter::new()
                    .date_created_at(params::DateRange::new().gte(date(2021, 4, 1)))
                    .session_id(uuid(SESSION_ID))
                    .status(RoomCompositionStatus::Completed),
            )
            .page(params::PageParams::new().number(1).size(20))
    );
    assert!(
        compositions.items.first().is_some_and(|c| c.video_layout.as_ref().is_some_and(|l| l.contains_key("speaker"))),
        "listRoomCompositions: video_layout decoded"
    );

    let layout = BTreeMap::from([
        (
            "speaker".to_string(),
            VideoRegion::new()
                .x_pos(0)
                .y_pos(0)
                .z_pos(1)
                .width(960)
                .height(720)
                .max_columns(1)
                .max_rows(1)
                .video_sources(vec![RECORDING_ID.to_string()]),
        ),
        (
            "gallery".to_string(),
            VideoRegion::new()
                .x_pos(960)
                .y_pos(0)
                .width(320)
                .height(720)
                .max_columns(1)
                .max_rows(4)
                .video_sources(vec!["*".to_string()]),
        ),
    ]);
    let composition = call!(
        calls,
        "createRoomComposition",
        client.room_compositions().create(
            CreateRoomCompositionRequest::new()
                .session_id(uuid(SESSION_ID))
                .format("mp4")
                .resolution("1280x720")
                .video_layout(layout)
                .webhook_event_url("https://example.com/compositions")
                .clear_webhook_event_failover_url()
                .webhook_timeout_secs(20)
        )
    );
    assert_eq!(composition.status, Some(RoomCompositionStatus::Enqueued));

    let composition =
        call!(calls, "retrieveRoomComposition", client.room_compositions().retrieve(uuid(COMPOSITION_ID)));
    assert!(composition.id.is_some(), "retrieveRoomComposition: id decoded");

    call!(calls, "deleteRoomComposition", client.room_compositions().delete(uuid(COMPOSITION_ID)));

    // ---- Every operation of the spec was exercised, each once ----
    let called: BTreeSet<String> = calls.done.iter().map(|s| s.to_string()).collect();
    assert_eq!(calls.done.len(), called.len(), "an operation was called twice: {:?}", calls.done);
    assert_eq!(called.len(), 25, "25 distinct operations: {:?}", calls.done);
    assert_eq!(called, spec_operation_ids(spec), "the calls cover exactly the spec's operationIds");

    eprintln!(
        "{spec}: {} operations accepted by Prism in {:.1?} (whole test {:.1?})",
        called.len(),
        calls.started.elapsed(),
        test_started.elapsed()
    );
    drop(prism);
}

/// The generated crate's `examples/` (built by `cargo xtask test` before this test), each run
/// against Prism with the environment a user would set. Each must exit successfully within
/// 30 s; its output is shown on failure.
#[test]
#[ignore = "starts Stoplight Prism from node_modules and runs the built examples; run by `cargo xtask test`"]
fn the_generated_crates_examples_run_against_prism() {
    let _one = ONE_PRISM_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let prism = Prism::start("spec/openapi.yaml");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    let examples = ["create_room_and_token", "recordings_since", "bulk_delete", "errors"];
    for name in examples {
        let binary = target.join("debug/examples").join(name);
        assert!(binary.exists(), "{} is missing: run `cargo build -p telnyx-video --examples`", binary.display());
        let mut child = Command::new(&binary)
            .env("TELNYX_API_KEY", "contract-test-key")
            .env("TELNYX_BASE_URL", format!("http://127.0.0.1:{}", prism.port))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the example starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(30) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("example `{name}` ran for more than 30 s");
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let output = child.wait_with_output().expect("output");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            status.success(),
            "example `{name}` failed ({status}):\n{stdout}\n{}\nPrism log:\n{}",
            String::from_utf8_lossy(&output.stderr),
            prism.log()
        );
        assert!(!stdout.trim().is_empty(), "example `{name}` printed nothing");
    }
}
