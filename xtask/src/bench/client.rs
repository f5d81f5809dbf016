//! Client overhead: runs the criterion benches of the generated client
//! (`tests/benches/client.rs`) and reads their estimates back.

use std::path::Path;

use super::{Row, Section, row, target_dir};

/// Criterion's median estimate for `group/bench`, in nanoseconds.
fn median_ns(root: &Path, group: &str, bench: &str) -> Result<f64, String> {
    let path = target_dir(root).join("criterion").join(group).join(bench).join("new/estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    json.pointer("/median/point_estimate")
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| format!("{} has no median estimate", path.display()))
}

fn ns(x: f64) -> String {
    if x >= 1e6 {
        format!("{:.2} ms", x / 1e6)
    } else if x >= 1e3 {
        format!("{:.1} µs", x / 1e3)
    } else {
        format!("{x:.0} ns")
    }
}

pub fn section(root: &Path, cargo: &str, quick: bool) -> Result<Section, String> {
    let mut args = vec!["bench", "-p", "e2e", "--bench", "client", "--"];
    if quick {
        args.extend(["--warm-up-time", "0.5", "--measurement-time", "1"]);
    }
    let extra_path = target_dir(root).join("bench-results/client.json");
    let _ = std::fs::remove_file(&extra_path);
    let status = std::process::Command::new(cargo)
        .args(&args)
        .current_dir(root)
        .status()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err("cargo bench -p e2e --bench client failed".into());
    }
    let decode_generated = median_ns(root, "decode_room_page_250", "generated")?;
    let decode_plain = median_ns(root, "decode_room_page_250", "plain")?;
    let build = median_ns(root, "build_request", "list_rooms_full_filter")?;
    let trip_generated = median_ns(root, "round_trip_retrieve_room", "generated")?;
    let trip_plain = median_ns(root, "round_trip_retrieve_room", "hand_written")?;
    let paginate = median_ns(root, "paginate_10000_rooms", "generated")?;
    let extra: serde_json::Value = std::fs::read_to_string(&extra_path)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| format!("{} is missing or not JSON", extra_path.display()))?;
    let get = |key: &str| extra.get(key).and_then(serde_json::Value::as_f64).unwrap_or(0.0);
    let (p2500, p10000) = (get("paginate_2500_peak_bytes"), get("paginate_10000_peak_bytes"));
    let kib = |b: f64| format!("{:.0} KiB", b / 1024.0);
    let rows: Vec<Row> = vec![
        row(
            "decode a 250-room page (two sessions of two participants each), interleaved batches",
            ns(get("decode_generated_ns")),
            format!("{} (plain serde structs)", ns(get("decode_plain_ns"))),
        )
        .ratio(get("decode_generated_ns"), get("decode_plain_ns"))
        .target_ratio(1.05),
        row("… criterion medians", ns(decode_generated), ns(decode_plain)).ratio(decode_generated, decode_plain),
        row("build a request: every list-rooms filter + page (query, URL, headers)", ns(build), ""),
        row(
            "round trip GET /rooms/{id} on loopback, interleaved batches",
            ns(get("round_trip_generated_ns")),
            format!("{} (hand-written reqwest call)", ns(get("round_trip_hand_written_ns"))),
        )
        .ratio(get("round_trip_generated_ns"), get("round_trip_hand_written_ns"))
        .target_ratio(1.05),
        row("… criterion medians", ns(trip_generated), ns(trip_plain)).ratio(trip_generated, trip_plain),
        row(
            "auto-paginate 10,000 rooms (40 pages of 250), loopback",
            format!("{:.0} items/s", 10_000.0 / (paginate / 1e9)),
            ns(paginate),
        ),
        {
            let (held_small, held_large, page) =
                (get("paginate_2500_held_bytes"), get("paginate_10000_held_bytes"), get("page_body_bytes"));
            row(
                "heap held from page to page, 10,000 vs. 2,500 rooms (most at any page end)",
                kib(held_large),
                kib(held_small),
            )
            .ratio(held_large, held_small)
            // Collecting 7,500 more rooms would hold megabytes more; streaming holds one page.
            .target("flat: grows by less than one page body", page > 0.0 && held_large - held_small < page)
        },
        row(
            "transient peak while paginating, 10,000 vs. 2,500 rooms (worst over 200 pages each)",
            format!("{} ({:.1} page bodies)", kib(p10000), p10000 / get("page_body_bytes").max(1.0)),
            format!("{} ({:.1} page bodies)", kib(p2500), p2500 / get("page_body_bytes").max(1.0)),
        )
        .ratio(p10000, p2500),
    ];
    Ok(Section {
        title: "Client overhead (criterion medians; tests/benches/client.rs)".into(),
        rows,
        notes: vec![
            "Servers are hyper on 127.0.0.1; both sides of each ratio share the reqwest client \
                     configuration. Heap figures come from a counting global allocator in the bench binary; a page body is the \
                     JSON of 250 rooms."
                .into(),
        ],
    })
}
