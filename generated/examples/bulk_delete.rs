//! Delete, in one call, every completed recording of a room that ended before a date.
//!
//! ```sh
//! TELNYX_API_KEY=... cargo run --example bulk_delete -- <room id> 2021-04-25
//! ```

use telnyx_video::chrono::NaiveDate;
use telnyx_video::models::RoomRecordingStatus;
use telnyx_video::params::{DateRange, RoomRecordingsFilter};
use telnyx_video::uuid::Uuid;
use telnyx_video::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let room_id = args.next().unwrap_or_else(|| "7b61621f-62e0-4aad-ab11-9fd19e272e73".to_string());
    let room_id: Uuid = room_id.parse().map_err(|e| Error::Config(format!("`{room_id}` is not a room id: {e}")))?;
    let before = args.next().unwrap_or_else(|| "2021-04-25".to_string());
    let before: NaiveDate = before.parse().map_err(|e| Error::Config(format!("`{before}` is not a date: {e}")))?;
    let client = Client::from_env()?;

    // DELETE /room_recordings?filter[room_id]=...&filter[status]=completed&filter[date_ended_at][lte]=...
    let deleted = client
        .room_recordings()
        .delete_many()
        .filter(
            RoomRecordingsFilter::new()
                .room_id(room_id)
                .status(RoomRecordingStatus::Completed)
                .date_ended_at(DateRange::new().lte(before)),
        )
        .send()
        .await?;
    println!("deleted {} recordings", deleted.room_recordings.unwrap_or(0));
    Ok(())
}
