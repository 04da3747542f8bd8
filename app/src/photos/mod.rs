//! Photo evidence: a picked or captured file becomes a stored, watermarked JPEG of at most
//! [`PhotoConfig::max_long_edge`] pixels with a thumbnail, a SHA-256 of the stored bytes, the device time and,
//! when the person allows it, the GPS position.
//!
//! - `sniff`, `layout`: pure Rust (format, size, orientation; sizes and texts), tested natively.
//! - `browser`: the pipeline on the browser's decoders, canvas and SubtleCrypto, through web-sys.
//! - `location`: one geolocation request with a short limit.
//! - `messages`: what a person reads when a photo fails. The photos part of the forms is `sections::photos`.
//!
//! Evidence supports a visit and is never required (domain.md §7 caution): nothing here blocks saving or
//! submitting a visit.

pub mod browser;
pub mod layout;
pub mod location;
pub mod messages;
pub mod sniff;

use crate::clock;
use crate::ids::new_uuid;
use crate::storage::photos::{AttachedTo, PHOTO_RECORD_VERSION, PhotoRecord, save_photo};
use crate::storage::{BlobStore, StoreError};
use time::OffsetDateTime;
use zoufang_domain::model::{
    CURRENT_SCHEMA_VERSION, Evidence, EvidenceId, EvidenceKind, GpsFix, HouseholdId,
};

/// The long edge of a stored photo, in pixels: sharp enough to read a certificate or a meter, small enough
/// (~200–400 KB as JPEG) to send over a weak connection.
pub const MAX_LONG_EDGE: u32 = 1600;

/// How the pipeline shrinks and encodes. [`PhotoConfig::default`] is what the app uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoConfig {
    /// Long edge of the stored photo.
    pub max_long_edge: u32,
    /// Long edge of the thumbnail shown in lists.
    pub thumbnail_long_edge: u32,
    /// JPEG quality (0–1) of the stored photo.
    pub jpeg_quality: f64,
    pub thumbnail_quality: f64,
    /// Larger pictures are refused before decoding: their decoded pixels alone would take more memory than a
    /// low-end phone gives a tab (4 bytes a pixel).
    pub max_source_pixels: u64,
}

impl Default for PhotoConfig {
    fn default() -> Self {
        PhotoConfig {
            max_long_edge: MAX_LONG_EDGE,
            thumbnail_long_edge: 160,
            jpeg_quality: 0.8,
            thumbnail_quality: 0.7,
            max_source_pixels: 120_000_000,
        }
    }
}

/// Why a picked file did not become a photo. The UI names the file and says which of these it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    /// Not a picture at all (a text file, a PDF).
    #[error("not an image")]
    NotAnImage,
    /// A picture format this browser cannot decode (HEIC outside Safari); the format's name.
    #[error("this browser cannot decode {0}")]
    Unsupported(&'static str),
    /// A known format whose data cannot be decoded: damaged or cut short.
    #[error("the image data is damaged or incomplete")]
    Corrupt,
    /// More pixels than the phone can decode safely.
    #[error("{megapixels} megapixels is too large")]
    TooLarge { megapixels: u64 },
    /// The browser lacks `createImageBitmap` or a canvas that can encode JPEG.
    #[error("this browser cannot process photos")]
    NoBrowserSupport,
    /// SubtleCrypto exists only on https (and localhost).
    #[error("hashing needs a secure (https) connection")]
    NoSecureContext,
    #[error("{0}")]
    Failed(String),
    #[error(transparent)]
    Storage(#[from] StoreError),
}

/// What a new photo belongs to and what its watermark says.
#[derive(Debug, Clone)]
pub struct PhotoContext {
    pub household_id: HouseholdId,
    pub attached_to: AttachedTo,
    /// Builds the watermark's lines from the capture time (local) and the fix; the caller localises them.
    pub watermark: fn(&WatermarkFacts, OffsetDateTime, Option<GpsFix>) -> Vec<String>,
    pub facts: WatermarkFacts,
}

/// The words of a watermark that do not depend on the moment: already localised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatermarkFacts {
    /// The household: head's name and 户编号, or the 户编号 alone.
    pub household: String,
    /// "帮扶人 王海燕".
    pub helper: String,
    /// "无定位".
    pub no_location: String,
}

/// The watermark lines: household, helper, local date and time, position (or 无定位).
pub fn standard_watermark(
    facts: &WatermarkFacts,
    taken_at: OffsetDateTime,
    gps: Option<GpsFix>,
) -> Vec<String> {
    let position = layout::gps_text(gps).unwrap_or_else(|| facts.no_location.clone());
    [
        facts.household.clone(),
        facts.helper.clone(),
        layout::local_date_time(taken_at),
        position,
    ]
    .into_iter()
    .filter(|line| !line.trim().is_empty())
    .collect()
}

/// Processes one picked file and keeps it on the phone. Leaves a `zoufang:photo` performance measure (file →
/// stored) for the benchmark.
pub async fn add_photo(
    store: &impl BlobStore,
    file: &web_sys::File,
    context: &PhotoContext,
    gps: Option<GpsFix>,
    config: &PhotoConfig,
) -> Result<PhotoRecord, PhotoError> {
    mark("zoufang:photo-start");
    let taken_at = clock::now_local();
    let lines = (context.watermark)(&context.facts, taken_at, gps);
    let processed = browser::process_file(file, &lines, config).await?;
    let file_modified_at = OffsetDateTime::from_unix_timestamp_nanos(
        (file.last_modified() as i128).saturating_mul(1_000_000),
    )
    .ok()
    .filter(|_| file.last_modified() > 0.0)
    .map(|instant| instant.to_offset(clock::local_offset()));
    let visit_id = match context.attached_to {
        AttachedTo::Visit { visit_id } => Some(visit_id),
        _ => None,
    };
    let record = PhotoRecord {
        schema_version: PHOTO_RECORD_VERSION,
        evidence: Evidence {
            schema_version: CURRENT_SCHEMA_VERSION,
            id: EvidenceId(new_uuid()),
            visit_id,
            kind: EvidenceKind::SitePhoto,
            taken_at,
            gps,
            sha256: processed.sha256.clone(),
            bytes: processed.jpeg.len() as u64,
            width: Some(processed.width),
            height: Some(processed.height),
            caption: String::new(),
        },
        household_id: context.household_id,
        attached_to: context.attached_to,
        file_name: file.name(),
        file_modified_at,
        source_width: processed.source_width,
        source_height: processed.source_height,
        watermark: lines,
        thumbnail_bytes: processed.thumbnail.len() as u64,
    };
    save_photo(store, &record, &processed.jpeg, &processed.thumbnail).await?;
    mark("zoufang:photo-stored");
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(
            "zoufang:photo",
            "zoufang:photo-start",
            "zoufang:photo-stored",
        );
    }
    Ok(record)
}

fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use zoufang_domain::model::GpsSource;

    fn facts() -> WatermarkFacts {
        WatermarkFacts {
            household: "王德福 · 460107001001".to_owned(),
            helper: "帮扶人 王海燕".to_owned(),
            no_location: "无定位".to_owned(),
        }
    }

    #[test]
    fn the_watermark_says_who_when_and_where() {
        let fix = GpsFix::new(19.9, 110.5, 8.0, GpsSource::Gnss).ok();
        assert_eq!(
            standard_watermark(&facts(), datetime!(2026-11-22 14:05 +08:00), fix),
            vec![
                "王德福 · 460107001001",
                "帮扶人 王海燕",
                "2026-11-22 14:05",
                "19.90000, 110.50000 ±8 m"
            ]
        );
    }

    #[test]
    fn without_a_fix_the_watermark_says_no_location() {
        let lines = standard_watermark(&facts(), datetime!(2026-11-22 14:05 +08:00), None);
        assert_eq!(lines.last().map(String::as_str), Some("无定位"));
    }

    #[test]
    fn the_stored_long_edge_is_1600_by_default() {
        assert_eq!(PhotoConfig::default().max_long_edge, 1600);
        assert_eq!(PhotoConfig::default().jpeg_quality, 0.8);
    }
}
