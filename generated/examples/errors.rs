//! Handle the errors a caller usually cares about: a room that is not there (404), and
//! rate limiting (429) that outlasted the client's retries.
//!
//! ```sh
//! TELNYX_API_KEY=... cargo run --example errors -- <room id>
//! ```

use std::time::Duration;

use telnyx_video::uuid::Uuid;
use telnyx_video::{Client, Error, RetryPolicy};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let room_id = std::env::args().nth(1).unwrap_or_else(|| "0ccc7b54-4df3-4bca-a65a-3da1ecc777f0".to_string());
    let room_id: Uuid = room_id.parse().map_err(|e| Error::Config(format!("`{room_id}` is not a room id: {e}")))?;

    // The key (and any base URL) from the environment; three retries (429 and 5xx on a GET),
    // honouring Retry-After up to 30 s.
    let client = Client::builder()
        .retry_policy(RetryPolicy::default().max_retries(3).max_retry_after(Duration::from_secs(30)))
        .build()?;

    match client.rooms().retrieve(room_id).send().await {
        Ok(room) => println!("room {room_id}: {:?}, {:?} participants at most", room.unique_name, room.max_participants),
        Err(Error::NotFound(e)) => {
            // The API's error code, title and detail, and the request id, are there for logs and
            // support tickets; `{e}` has them all on one line.
            println!("room {room_id} does not exist (code {:?}): {e}", e.code());
        }
        Err(Error::RateLimited(e)) => {
            let wait = e.headers.get("retry-after").and_then(|v| v.to_str().ok()).unwrap_or("unknown");
            println!("still rate limited after retries; the server asks to wait {wait} s (request id {:?})", e.request_id);
        }
        Err(other) => return Err(other),
    }
    Ok(())
}
