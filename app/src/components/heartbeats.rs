//! The player's heartbeat queue: every heartbeat is queued in web storage
//! before it is sent, and stays there until the server says it applied it.
//! A lost network, a closed tab or a killed WeChat webview only delays
//! heartbeats; the server applies each sequence number once.

use academy_shared::study::Heartbeat;

/// Where a stream's unsent heartbeats wait.
pub const QUEUE_PREFIX: &str = "academy.beats.";

pub fn queue_key(stream_id: i64) -> String {
    format!("{QUEUE_PREFIX}{stream_id}")
}

/// The stream ids of queues left behind by earlier pages (to replay).
#[cfg(feature = "hydrate")]
pub fn leftover_streams() -> Vec<i64> {
    let Some(Ok(Some(storage))) = web_sys::window().map(|w| w.local_storage()) else {
        return Vec::new();
    };
    let count = storage.length().unwrap_or(0);
    (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .filter_map(|key| key.strip_prefix(QUEUE_PREFIX)?.parse().ok())
        .collect()
}

pub fn load(stream_id: i64) -> Vec<Heartbeat> {
    crate::components::browser::local_get(&queue_key(stream_id))
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

pub fn save(stream_id: i64, queue: &[Heartbeat]) {
    let key = queue_key(stream_id);
    if queue.is_empty() {
        crate::components::browser::local_remove(&key);
    } else if let Ok(text) = serde_json::to_string(queue) {
        crate::components::browser::local_set(&key, &text);
    }
}

/// Sends a stream's queue, in requests of at most
/// [`crate::study::api::MAX_BEATS_PER_REQUEST`], and drops what the server
/// applied. Returns the last reply, or the error that stopped it (the rest
/// stays queued).
pub async fn flush(
    stream_id: i64,
) -> Result<Option<crate::study::api::HeartbeatReply>, crate::error::AppError> {
    use crate::error::AppError;
    use crate::study::api::{MAX_BEATS_PER_REQUEST, send_heartbeats};
    let mut last = None;
    loop {
        let queue = load(stream_id);
        if queue.is_empty() {
            return Ok(last);
        }
        let batch: Vec<Heartbeat> = queue.iter().take(MAX_BEATS_PER_REQUEST).cloned().collect();
        let sent_up_to = batch.last().map_or(0, |b| b.seq);
        match send_heartbeats(stream_id, batch, None).await {
            Ok(reply) if reply.stream_closed => {
                // The server closed this page's stream: nothing more of it counts.
                save(stream_id, &[]);
                return Ok(Some(reply));
            }
            Ok(reply) => {
                // Read again: heartbeats queued while this request was out stay.
                let applied = reply.last_seq.max(sent_up_to);
                let rest: Vec<Heartbeat> = load(stream_id)
                    .into_iter()
                    .filter(|b| b.seq > applied)
                    .collect();
                save(stream_id, &rest);
                last = Some(reply);
            }
            // Passing trouble (no network, the server or its database down
            // for a moment): keep them for the next try.
            Err(error @ (AppError::Network | AppError::Internal | AppError::TooManyRequests)) => {
                return Err(error);
            }
            Err(other) => {
                // The server refused them for good (the stream is not ours, the
                // session ended): resending would only fail again.
                let rest: Vec<Heartbeat> = load(stream_id)
                    .into_iter()
                    .filter(|b| b.seq > sent_up_to)
                    .collect();
                save(stream_id, &rest);
                return Err(other);
            }
        }
    }
}

/// Sends the queue as the page is hidden or closed: a keepalive request
/// outlives the page. What it delivers is applied once; what it does not
/// stays queued for the next page. It also gives up the credit lease, so the
/// learner's next lesson is credited at once (this page takes the lease back
/// with its next heartbeat if it comes back and no other page has it).
#[cfg(feature = "hydrate")]
pub fn flush_keepalive(stream_id: i64) {
    use crate::study::api::{MAX_BEATS_PER_REQUEST, heartbeat_path};
    // Sent even when nothing is queued: it also gives up the lease.
    let queue = load(stream_id);
    let beats: Vec<&Heartbeat> = queue.iter().take(MAX_BEATS_PER_REQUEST).collect();
    let Ok(body) = serde_json::to_string(&serde_json::json!({
        "stream_id": stream_id,
        "beats": beats,
        "leaving": true,
    })) else {
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // web-sys has no setter for `keepalive`; it is a plain dictionary field.
    let _ = js_sys::Reflect::set(
        &init,
        &wasm_bindgen::JsValue::from_str("keepalive"),
        &wasm_bindgen::JsValue::TRUE,
    );
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let Ok(headers) = web_sys::Headers::new() else {
        return;
    };
    let _ = headers.set("Content-Type", "application/json");
    init.set_headers_headers(&headers);
    if let (Some(window), Ok(request)) = (
        web_sys::window(),
        web_sys::Request::new_with_str_and_init(heartbeat_path(), &init),
    ) {
        let _ = window.fetch_with_request(&request);
    }
}
