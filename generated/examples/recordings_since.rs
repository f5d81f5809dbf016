//! Page through every recording started since a date, as a stream.
//!
//! ```sh
//! TELNYX_API_KEY=... cargo run --example recordings_since -- 2021-04-25
//! ```

use futures_util::StreamExt;
use telnyx_video::chrono::NaiveDate;
use telnyx_video::params::{DateRange, PageParams, RoomRecordingsFilter};
use telnyx_video::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let since = std::env::args().nth(1).unwrap_or_else(|| "2021-04-25".to_string());
    let since: NaiveDate = since.parse().map_err(|e| Error::Config(format!("`{since}` is not a date: {e}")))?;
    let client = Client::from_env()?;

    // Sent as filter[date_started_at][gte]=...&page[size]=100, then page 2, 3, ... lazily.
    let mut recordings = client
        .room_recordings()
        .list()
        .filter(RoomRecordingsFilter::new().date_started_at(DateRange::new().gte(since)))
        .page(PageParams::new().size(100))
        .items();
    let (mut count, mut seconds) = (0, 0);
    while let Some(recording) = recordings.next().await {
        let recording = recording?;
        count += 1;
        seconds += recording.duration_secs.unwrap_or(0);
        println!("{:?} {:?} {:?} {:?}", recording.id, recording.r#type, recording.status, recording.download_url);
    }
    println!("{count} recordings since {since}, {seconds} s in all");
    Ok(())
}
