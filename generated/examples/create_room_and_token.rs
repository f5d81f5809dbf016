//! Create a room, then a token a client SDK can join it with.
//!
//! ```sh
//! TELNYX_API_KEY=... cargo run --example create_room_and_token
//! ```

use telnyx_video::models::{CreateRoomClientTokenRequest, CreateRoomRequest};
use telnyx_video::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let client = Client::from_env()?;

    // Only the fields set here are sent; the server applies its defaults to the rest.
    let room = client
        .rooms()
        .create(CreateRoomRequest::new().unique_name("standup").max_participants(8).enable_recording(true))
        .send()
        .await?;
    let room_id = room.id.ok_or_else(|| Error::UnexpectedResponse("the created room has no id".into()))?;
    println!("created room {room_id} ({:?})", room.unique_name);

    // A join token valid for ten minutes, and a refresh token valid for an hour.
    let token = client
        .rooms()
        .generate_join_client_token(
            room_id,
            CreateRoomClientTokenRequest::new().token_ttl_secs(600).refresh_token_ttl_secs(3600),
        )
        .send()
        .await?;
    println!("join token expires at {:?}", token.token_expires_at);
    println!("refresh token expires at {:?}", token.refresh_token_expires_at);
    Ok(())
}
