//! The pipeline in the browser, with the browser's own decoders and encoders: sniff the file, decode it already
//! shrunk and turned upright (`createImageBitmap` with `imageOrientation: "from-image"` and a resize), draw it on
//! an `OffscreenCanvas` (or a detached `<canvas>` where that is missing), burn in the watermark, encode JPEG,
//! make a thumbnail and hash the stored bytes with SubtleCrypto.

use super::layout::{fit_within, watermark_font_px};
use super::sniff::{self, HEAD_BYTES, ImageFormat};
use super::{PhotoConfig, PhotoError};
use crate::storage::blobs::{blob_bytes, js_message};
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, OffscreenCanvas,
    OffscreenCanvasRenderingContext2d,
};
use zoufang_domain::model::Sha256Digest;

/// A picked file turned into what is stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ProcessedPhoto {
    pub jpeg: Vec<u8>,
    pub thumbnail: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// The picture's size before shrinking, upright.
    pub source_width: u32,
    pub source_height: u32,
    /// SHA-256 of `jpeg`, exactly the bytes stored.
    pub sha256: Sha256Digest,
}

/// Runs the whole pipeline on one picked file. `watermark` is burned in line by line, bottom-left.
pub async fn process_file(
    file: &Blob,
    watermark: &[String],
    config: &PhotoConfig,
) -> Result<ProcessedPhoto, PhotoError> {
    if file.size() <= 0.0 {
        return Err(PhotoError::Empty);
    }
    let window = web_sys::window().ok_or(PhotoError::NoBrowserSupport)?;
    let head_end = file.size().min(HEAD_BYTES as f64);
    let head = file
        .slice_with_f64_and_f64(0.0, head_end)
        .map_err(|error| PhotoError::Failed(js_message(&error)))?;
    let head = blob_bytes(&head)
        .await
        .map_err(|error| PhotoError::Failed(error.to_string()))?;
    let info = sniff::inspect(&head);
    if info.format == ImageFormat::Unknown && !file.type_().starts_with("image/") {
        return Err(PhotoError::NotAnImage);
    }
    if let Some((width, height)) = info.displayed_size() {
        check_pixels(width, height, config)?;
    }
    if !has_function(&window, "createImageBitmap") {
        return Err(PhotoError::NoBrowserSupport);
    }
    let undecodable = |_| match info.format {
        ImageFormat::Heic | ImageFormat::Avif => PhotoError::Unsupported(info.format.label()),
        ImageFormat::Unknown => PhotoError::NotAnImage,
        _ => PhotoError::Corrupt,
    };

    // Decode straight to the stored size when the header gave the size (a large photo is never drawn in full);
    // otherwise decode, read the size and shrink the decoded picture.
    let (bitmap, source_width, source_height) = match info.displayed_size() {
        Some((width, height)) => {
            let target = fit_within(width, height, config.max_long_edge);
            let bitmap = decode(&window, DecodeSource::Blob(file), Some(target))
                .await
                .map_err(undecodable)?;
            (bitmap, width, height)
        }
        None => {
            let full = decode(&window, DecodeSource::Blob(file), None)
                .await
                .map_err(undecodable)?;
            let (width, height) = (full.width(), full.height());
            if let Err(error) = check_pixels(width, height, config) {
                full.close();
                return Err(error);
            }
            let target = fit_within(width, height, config.max_long_edge);
            if target == (width, height) {
                (full, width, height)
            } else {
                let shrunk = decode(&window, DecodeSource::Bitmap(&full), Some(target)).await;
                full.close();
                (shrunk.map_err(undecodable)?, width, height)
            }
        }
    };
    let (width, height) = (bitmap.width(), bitmap.height());
    let result = draw_and_encode(&window, &bitmap, watermark, config).await;
    bitmap.close();
    let (jpeg, thumbnail) = result?;
    let sha256 = sha256(&window, &jpeg).await?;
    Ok(ProcessedPhoto {
        jpeg,
        thumbnail,
        width,
        height,
        source_width,
        source_height,
        sha256,
    })
}

fn check_pixels(width: u32, height: u32, config: &PhotoConfig) -> Result<(), PhotoError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > config.max_source_pixels {
        Err(PhotoError::TooLarge {
            megapixels: pixels.div_ceil(1_000_000),
        })
    } else {
        Ok(())
    }
}

fn has_function(target: &JsValue, name: &str) -> bool {
    Reflect::get(target, &name.into()).is_ok_and(|value| value.is_function())
}

enum DecodeSource<'a> {
    Blob(&'a Blob),
    Bitmap(&'a ImageBitmap),
}

/// `createImageBitmap` with EXIF orientation applied and, when `size` is given, resized with high quality.
async fn decode(
    window: &web_sys::Window,
    source: DecodeSource<'_>,
    size: Option<(u32, u32)>,
) -> Result<ImageBitmap, JsValue> {
    let options = web_sys::ImageBitmapOptions::new();
    options.set_image_orientation(web_sys::ImageOrientation::FromImage);
    if let Some((width, height)) = size {
        options.set_resize_width(width);
        options.set_resize_height(height);
        options.set_resize_quality(web_sys::ResizeQuality::High);
    }
    let promise = match source {
        DecodeSource::Blob(blob) => {
            window.create_image_bitmap_with_blob_and_image_bitmap_options(blob, &options)?
        }
        DecodeSource::Bitmap(bitmap) => window
            .create_image_bitmap_with_image_bitmap_and_image_bitmap_options(bitmap, &options)?,
    };
    JsFuture::from(promise).await?.dyn_into()
}

/// The 2D drawing calls the pipeline makes, on either kind of canvas.
trait Context2d {
    fn draw_bitmap(&self, bitmap: &ImageBitmap) -> Result<(), JsValue>;
    fn set_fill(&self, style: &str);
    fn fill_rectangle(&self, x: f64, y: f64, width: f64, height: f64);
    fn set_font_and_baseline(&self, font: &str);
    fn fill_text_at(&self, text: &str, x: f64, y: f64) -> Result<(), JsValue>;
    fn text_width(&self, text: &str) -> Result<f64, JsValue>;
}

macro_rules! context_2d {
    ($type:ty) => {
        impl Context2d for $type {
            fn draw_bitmap(&self, bitmap: &ImageBitmap) -> Result<(), JsValue> {
                self.draw_image_with_image_bitmap(bitmap, 0.0, 0.0)
            }
            fn set_fill(&self, style: &str) {
                self.set_fill_style_str(style);
            }
            fn fill_rectangle(&self, x: f64, y: f64, width: f64, height: f64) {
                self.fill_rect(x, y, width, height);
            }
            fn set_font_and_baseline(&self, font: &str) {
                self.set_font(font);
                self.set_text_baseline("top");
            }
            fn fill_text_at(&self, text: &str, x: f64, y: f64) -> Result<(), JsValue> {
                self.fill_text(text, x, y)
            }
            fn text_width(&self, text: &str) -> Result<f64, JsValue> {
                Ok(self.measure_text(text)?.width())
            }
        }
    };
}

context_2d!(OffscreenCanvasRenderingContext2d);
context_2d!(CanvasRenderingContext2d);

/// A canvas of a given size: an `OffscreenCanvas` where the browser has one that can encode, otherwise a
/// `<canvas>` that is never attached to the page.
enum Surface {
    Offscreen(OffscreenCanvas, OffscreenCanvasRenderingContext2d),
    Element(HtmlCanvasElement, CanvasRenderingContext2d),
}

impl Surface {
    fn new(window: &web_sys::Window, width: u32, height: u32) -> Result<Surface, JsValue> {
        let offscreen_works = Reflect::get(window, &"OffscreenCanvas".into())
            .ok()
            .and_then(|constructor| Reflect::get(&constructor, &"prototype".into()).ok())
            .is_some_and(|prototype| has_function(&prototype, "convertToBlob"));
        if offscreen_works {
            let canvas = OffscreenCanvas::new(width, height)?;
            if let Some(context) = canvas.get_context("2d")? {
                return Ok(Surface::Offscreen(canvas, context.dyn_into()?));
            }
        }
        let document = window
            .document()
            .ok_or_else(|| JsValue::from_str("no document"))?;
        let canvas: HtmlCanvasElement = document.create_element("canvas")?.dyn_into()?;
        canvas.set_width(width);
        canvas.set_height(height);
        let context = canvas
            .get_context("2d")?
            .ok_or_else(|| JsValue::from_str("no 2d context"))?
            .dyn_into()?;
        Ok(Surface::Element(canvas, context))
    }

    fn context(&self) -> &dyn Context2d {
        match self {
            Surface::Offscreen(_, context) => context,
            Surface::Element(_, context) => context,
        }
    }

    /// Encodes the canvas as JPEG at `quality` (0–1).
    async fn encode_jpeg(&self, quality: f64) -> Result<Blob, JsValue> {
        let promise = match self {
            Surface::Offscreen(canvas, _) => {
                let options = web_sys::ImageEncodeOptions::new();
                options.set_type("image/jpeg");
                options.set_quality(quality);
                canvas.convert_to_blob_with_options(&options)?
            }
            Surface::Element(canvas, _) => {
                let canvas = canvas.clone();
                let mut failure = None;
                let promise = Promise::new(&mut |resolve: Function, reject: Function| {
                    let callback = Closure::once_into_js(move |blob: JsValue| {
                        if blob.is_null() {
                            let _ = reject.call1(&JsValue::NULL, &"toBlob gave no blob".into());
                        } else {
                            let _ = resolve.call1(&JsValue::NULL, &blob);
                        }
                    });
                    if let Err(error) = canvas.to_blob_with_type_and_encoder_options(
                        callback.unchecked_ref(),
                        "image/jpeg",
                        &JsValue::from_f64(quality),
                    ) {
                        failure = Some(error);
                    }
                });
                if let Some(error) = failure {
                    return Err(error);
                }
                promise
            }
        };
        let blob: Blob = JsFuture::from(promise).await?.dyn_into()?;
        if blob.type_() != "image/jpeg" {
            return Err(JsValue::from_str("this browser cannot encode JPEG"));
        }
        Ok(blob)
    }
}

async fn draw_and_encode(
    window: &web_sys::Window,
    bitmap: &ImageBitmap,
    watermark: &[String],
    config: &PhotoConfig,
) -> Result<(Vec<u8>, Vec<u8>), PhotoError> {
    let failed = |error: JsValue| PhotoError::Failed(js_message(&error));
    let (width, height) = (bitmap.width(), bitmap.height());
    let thumbnail_size = fit_within(width, height, config.thumbnail_long_edge);
    // The thumbnail comes from the shrunk picture, not from the file: one full decode per photo is enough.
    let thumbnail_bitmap = decode(window, DecodeSource::Bitmap(bitmap), Some(thumbnail_size))
        .await
        .map_err(failed)?;
    let thumbnail_surface = Surface::new(window, thumbnail_size.0, thumbnail_size.1);
    let thumbnail = match thumbnail_surface {
        Ok(surface) => {
            let drawn = surface.context().draw_bitmap(&thumbnail_bitmap);
            thumbnail_bitmap.close();
            drawn.map_err(failed)?;
            surface
                .encode_jpeg(config.thumbnail_quality)
                .await
                .map_err(failed)?
        }
        Err(error) => {
            thumbnail_bitmap.close();
            return Err(failed(error));
        }
    };

    let surface = Surface::new(window, width, height).map_err(failed)?;
    let context = surface.context();
    context.draw_bitmap(bitmap).map_err(failed)?;
    draw_watermark(context, width, height, watermark).map_err(failed)?;
    let jpeg = surface
        .encode_jpeg(config.jpeg_quality)
        .await
        .map_err(failed)?;
    let jpeg = blob_bytes(&jpeg)
        .await
        .map_err(|error| PhotoError::Failed(error.to_string()))?;
    let thumbnail = blob_bytes(&thumbnail)
        .await
        .map_err(|error| PhotoError::Failed(error.to_string()))?;
    Ok((jpeg, thumbnail))
}

/// White text on a dark translucent band in the bottom-left corner; the letters shrink when the longest line
/// would not fit the picture's width.
fn draw_watermark(
    context: &dyn Context2d,
    width: u32,
    height: u32,
    lines: &[String],
) -> Result<(), JsValue> {
    if lines.is_empty() {
        return Ok(());
    }
    let font = |px: f64| {
        format!(
            "{px:.0}px \"PingFang SC\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \
             \"Microsoft YaHei\", sans-serif"
        )
    };
    let mut font_px = watermark_font_px(width, height);
    context.set_font_and_baseline(&font(font_px));
    let mut widest = 0.0_f64;
    for line in lines {
        widest = widest.max(context.text_width(line)?);
    }
    let padding = |px: f64| (px * 0.5).round();
    let room = f64::from(width) - 2.0 * padding(font_px);
    if widest > room && widest > 0.0 {
        let scale = (room / widest).max(0.3);
        font_px = (font_px * scale).max(6.0).floor();
        widest *= font_px / watermark_font_px(width, height);
        context.set_font_and_baseline(&font(font_px));
    }
    let pad = padding(font_px);
    let line_height = (font_px * 1.3).round();
    let band_width = (widest + 2.0 * pad).min(f64::from(width)).ceil();
    let band_height = (line_height * lines.len() as f64 + 2.0 * pad - (line_height - font_px))
        .min(f64::from(height))
        .ceil();
    let top = f64::from(height) - band_height;
    context.set_fill("rgba(0, 0, 0, 0.6)");
    context.fill_rectangle(0.0, top, band_width, band_height);
    context.set_fill("#ffffff");
    for (index, line) in lines.iter().enumerate() {
        context.fill_text_at(line, pad, top + pad + line_height * index as f64)?;
    }
    Ok(())
}

/// SHA-256 of `bytes` with the browser's SubtleCrypto (present on https and localhost).
pub async fn sha256(window: &web_sys::Window, bytes: &[u8]) -> Result<Sha256Digest, PhotoError> {
    let subtle = Reflect::get(window, &"crypto".into())
        .ok()
        .and_then(|crypto| Reflect::get(&crypto, &"subtle".into()).ok())
        .and_then(|subtle| subtle.dyn_into::<web_sys::SubtleCrypto>().ok())
        .ok_or(PhotoError::NoSecureContext)?;
    let promise = subtle
        .digest_with_str_and_u8_array("SHA-256", bytes)
        .map_err(|error| PhotoError::Failed(js_message(&error)))?;
    let digest = JsFuture::from(promise)
        .await
        .map_err(|error| PhotoError::Failed(js_message(&error)))?;
    let digest = js_sys::Uint8Array::new(&digest).to_vec();
    let hex: String = digest.iter().map(|byte| format!("{byte:02x}")).collect();
    Sha256Digest::parse(&hex).map_err(|error| PhotoError::Failed(error.to_string()))
}
