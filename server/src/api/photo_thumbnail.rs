//! `GET /api/photos/{sha256}/thumbnail`: a small JPEG of a photo for lists and the review screen, made from the
//! stored bytes on request, for whoever may see the photo itself. A first secretary reviewing a visit over a weak
//! signal gets its photos at a few KB each and downloads a whole photo only when she opens it.
//!
//! Made again on each request (a few milliseconds of decoding on a thread of its own). Like every API answer it is
//! `no-store` (no plaintext copy in the browser's HTTP cache); the phone keeps what it fetched, sealed.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, ImageReader, Limits};

use crate::AppState;
use crate::api::photos::{parse_sha256, visible_bytes};
use crate::auth::AuthUser;
use crate::error::AppError;

/// Longest edge of a thumbnail, in pixels: twice the 96 CSS px of a photo tile (`style/main.css` `.photo-thumb`),
/// for the phones' 2× screens, with room for `object-fit: cover` on the short edge.
pub const THUMBNAIL_LONG_EDGE: u32 = 256;
/// JPEG quality of a thumbnail (the phone's own thumbnails use 0.7, `app/src/photos`).
const THUMBNAIL_QUALITY: u8 = 70;
/// The largest photo the server decodes for a thumbnail: the phone stores at most 1 600 px on the long edge, so
/// anything far beyond is not a phone's photo, and a hostile upload must not make the server allocate gigabytes.
const MAX_EDGE: u32 = 10_000;
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// 200 `image/jpeg`; 404 `photo_not_found` to whoever may not see the photo; 415 `unsupported_photo_format` when
/// the stored bytes are not a JPEG the server can read (PNG and WebP uploads are served whole only).
pub async fn get_thumbnail(
    State(state): State<AppState>,
    auth: AuthUser,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let sha256 = parse_sha256(path)?;
    let bytes = visible_bytes(&state, &auth, &sha256).await?;
    let made = tokio::task::spawn_blocking(move || thumbnail(&bytes))
        .await
        .map_err(|error| AppError::Internal(format!("thumbnail task: {error}")))?;
    let jpeg = made.ok_or(AppError::UnknownPhotoFormat)?;
    let mut response = Body::from(jpeg).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    Ok(response)
}

/// A JPEG of `photo` no larger than [`THUMBNAIL_LONG_EDGE`] on its long edge, keeping its proportions; `None` when
/// `photo` is not a JPEG within the limits.
pub fn thumbnail(photo: &[u8]) -> Option<Vec<u8>> {
    let mut reader = ImageReader::with_format(std::io::Cursor::new(photo), ImageFormat::Jpeg);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_EDGE);
    limits.max_image_height = Some(MAX_EDGE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    let image = reader.decode().ok()?;
    // `thumbnail` would also enlarge a photo smaller than the box: such a photo keeps its size.
    let small = if image.width() <= THUMBNAIL_LONG_EDGE && image.height() <= THUMBNAIL_LONG_EDGE {
        image.to_rgb8()
    } else {
        image
            .thumbnail(THUMBNAIL_LONG_EDGE, THUMBNAIL_LONG_EDGE)
            .to_rgb8()
    };
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, THUMBNAIL_QUALITY)
        .encode_image(&small)
        .ok()?;
    Some(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{GenericImageView, RgbImage};

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut bytes = Vec::new();
        JpegEncoder::new_with_quality(&mut bytes, 90)
            .encode_image(&picture)
            .unwrap_or_else(|_| unreachable!());
        bytes
    }

    #[test]
    fn a_photo_becomes_a_small_jpeg_with_its_proportions() {
        let photo = jpeg(1600, 1200);
        let small = thumbnail(&photo).unwrap_or_default();
        let decoded = image::load_from_memory_with_format(&small, ImageFormat::Jpeg)
            .unwrap_or_else(|_| unreachable!());
        assert_eq!(decoded.dimensions(), (256, 192));
        assert!(
            small.len() * 10 < photo.len(),
            "{} of {}",
            small.len(),
            photo.len()
        );
    }

    #[test]
    fn a_portrait_photo_keeps_its_long_edge_upright_and_a_small_one_is_not_enlarged() {
        let tall = thumbnail(&jpeg(900, 1600)).unwrap_or_default();
        let decoded = image::load_from_memory(&tall).unwrap_or_else(|_| unreachable!());
        assert_eq!(decoded.dimensions(), (144, 256));
        let tiny = thumbnail(&jpeg(100, 80)).unwrap_or_default();
        let decoded = image::load_from_memory(&tiny).unwrap_or_else(|_| unreachable!());
        assert_eq!(decoded.dimensions(), (100, 80));
    }

    #[test]
    fn bytes_that_are_not_a_readable_jpeg_give_none() {
        assert_eq!(thumbnail(b"not a photo"), None);
        let mut cut = jpeg(64, 64);
        cut.truncate(40);
        assert_eq!(thumbnail(&cut), None);
        // A JPEG header claiming 60 000 × 60 000 pixels is refused before anything that size is allocated.
        let mut huge = jpeg(16, 16);
        if let Some(at) = huge.windows(2).position(|pair| pair == [0xFF, 0xC0]) {
            huge[at + 5..at + 9].copy_from_slice(&[0xEA, 0x60, 0xEA, 0x60]);
        }
        assert_eq!(thumbnail(&huge), None);
    }
}
