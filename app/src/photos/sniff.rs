//! What a file is, read from its first bytes without decoding it: the image format, the stored pixel size and
//! the EXIF orientation. This lets the pipeline ask the browser for a small picture straight away (a 50-megapixel
//! photo is never drawn at full size) and name the problem when a file is not a picture the browser can read.

/// How many leading bytes of a file [`inspect`] needs at most: a JPEG's frame header comes after its EXIF block,
/// which holds a thumbnail of up to 64 KB; phones add maker notes and XMP on top.
pub const HEAD_BYTES: usize = 256 * 1024;

/// Image formats recognised by their signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    /// HEIF/HEIC (iPhone and many Android cameras); only Safari decodes it.
    Heic,
    Avif,
    /// No known image signature (a text file, a PDF, a video…).
    Unknown,
}

impl ImageFormat {
    /// The name people see on their phone for this kind of file.
    pub fn label(self) -> &'static str {
        match self {
            ImageFormat::Jpeg => "JPEG",
            ImageFormat::Png => "PNG",
            ImageFormat::Gif => "GIF",
            ImageFormat::Webp => "WebP",
            ImageFormat::Bmp => "BMP",
            ImageFormat::Heic => "HEIC",
            ImageFormat::Avif => "AVIF",
            ImageFormat::Unknown => "",
        }
    }
}

/// What the first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub format: ImageFormat,
    /// Width and height as stored (before EXIF rotation), when the header was found.
    pub stored_size: Option<(u32, u32)>,
    /// EXIF orientation 1–8 (1 when absent or unreadable).
    pub orientation: u8,
}

impl ImageInfo {
    /// The size as the picture is meant to be seen: orientations 5–8 turn it by a quarter.
    pub fn displayed_size(&self) -> Option<(u32, u32)> {
        self.stored_size.map(|(width, height)| {
            if (5..=8).contains(&self.orientation) {
                (height, width)
            } else {
                (width, height)
            }
        })
    }
}

/// Reads the format, size and orientation from a file's first bytes (up to [`HEAD_BYTES`]).
pub fn inspect(head: &[u8]) -> ImageInfo {
    let format = format_of(head);
    let (stored_size, orientation) = match format {
        ImageFormat::Jpeg => jpeg_size_and_orientation(head),
        ImageFormat::Png => (png_size(head), 1),
        ImageFormat::Gif => (gif_size(head), 1),
        ImageFormat::Webp => (webp_size(head), 1),
        ImageFormat::Bmp => (bmp_size(head), 1),
        ImageFormat::Heic | ImageFormat::Avif | ImageFormat::Unknown => (None, 1),
    };
    ImageInfo {
        format,
        stored_size: stored_size.filter(|(width, height)| *width > 0 && *height > 0),
        orientation,
    }
}

fn format_of(head: &[u8]) -> ImageFormat {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ImageFormat::Jpeg
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        ImageFormat::Png
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        ImageFormat::Gif
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        ImageFormat::Webp
    } else if head.starts_with(b"BM") && head.len() >= 26 {
        ImageFormat::Bmp
    } else if head.len() >= 12 && &head[4..8] == b"ftyp" {
        match &head[8..12] {
            b"avif" | b"avis" => ImageFormat::Avif,
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" | b"mif1" | b"msf1" => {
                ImageFormat::Heic
            }
            _ => ImageFormat::Unknown,
        }
    } else {
        ImageFormat::Unknown
    }
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn le16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

fn le32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// Walks the JPEG markers up to the first frame header (SOFn), reading the EXIF orientation on the way.
fn jpeg_size_and_orientation(head: &[u8]) -> (Option<(u32, u32)>, u8) {
    let mut orientation = 1;
    let mut at = 2;
    while at + 4 <= head.len() {
        if head[at] != 0xFF {
            return (None, orientation);
        }
        let marker = head[at + 1];
        // Fill bytes, standalone markers (TEM, RSTn) and a stray SOI carry no length.
        if marker == 0xFF {
            at += 1;
            continue;
        }
        if marker == 0x01 || (0xD0..=0xD8).contains(&marker) {
            at += 2;
            continue;
        }
        let Some(length) = be16(head, at + 2).map(usize::from) else {
            return (None, orientation);
        };
        let segment = at + 4;
        match marker {
            // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let size = be16(head, segment + 1)
                    .zip(be16(head, segment + 3))
                    .map(|(height, width)| (u32::from(width), u32::from(height)));
                return (size, orientation);
            }
            // Start of scan or end of image before any frame header: not a picture we can size.
            0xDA | 0xD9 => return (None, orientation),
            0xE1 => {
                let end = (at + 2 + length).min(head.len());
                if let Some(found) = head.get(segment..end).and_then(exif_orientation) {
                    orientation = found;
                }
            }
            _ => {}
        }
        at += 2 + length;
    }
    (None, orientation)
}

/// The Orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment's payload.
fn exif_orientation(payload: &[u8]) -> Option<u8> {
    let tiff = payload.strip_prefix(b"Exif\0\0")?;
    let little_endian = match tiff.get(..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let read16 = |at: usize| {
        if little_endian {
            le16(tiff, at)
        } else {
            be16(tiff, at)
        }
    };
    let read32 = |at: usize| {
        if little_endian {
            le32(tiff, at)
        } else {
            be32(tiff, at)
        }
    };
    if read16(2)? != 42 {
        return None;
    }
    let ifd = usize::try_from(read32(4)?).ok()?;
    let count = usize::from(read16(ifd)?);
    (0..count).find_map(|index| {
        let entry = ifd + 2 + index * 12;
        // Tag 0x0112, type SHORT (3): the value sits in the first two bytes of the value field.
        if read16(entry)? == 0x0112 && read16(entry + 2)? == 3 {
            let value = read16(entry + 8)?;
            u8::try_from(value)
                .ok()
                .filter(|value| (1..=8).contains(value))
        } else {
            None
        }
    })
}

fn png_size(head: &[u8]) -> Option<(u32, u32)> {
    (head.get(12..16)? == b"IHDR").then_some(())?;
    Some((be32(head, 16)?, be32(head, 20)?))
}

fn gif_size(head: &[u8]) -> Option<(u32, u32)> {
    Some((u32::from(le16(head, 6)?), u32::from(le16(head, 8)?)))
}

fn webp_size(head: &[u8]) -> Option<(u32, u32)> {
    match head.get(12..16)? {
        b"VP8 " => {
            // Key frame: 3-byte frame tag, start code 9D 01 2A, then 14-bit width and height.
            (head.get(23..26)? == [0x9D, 0x01, 0x2A]).then_some(())?;
            Some((
                u32::from(le16(head, 26)? & 0x3FFF),
                u32::from(le16(head, 28)? & 0x3FFF),
            ))
        }
        b"VP8L" => {
            (*head.get(20)? == 0x2F).then_some(())?;
            let bits = le32(head, 21)?;
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => {
            let width = u32::from_le_bytes([*head.get(24)?, *head.get(25)?, *head.get(26)?, 0]);
            let height = u32::from_le_bytes([*head.get(27)?, *head.get(28)?, *head.get(29)?, 0]);
            Some((width + 1, height + 1))
        }
        _ => None,
    }
}

fn bmp_size(head: &[u8]) -> Option<(u32, u32)> {
    let width = i32::from_le_bytes(head.get(18..22)?.try_into().ok()?);
    let height = i32::from_le_bytes(head.get(22..26)?.try_into().ok()?);
    Some((width.unsigned_abs(), height.unsigned_abs()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal JPEG header: SOI, optional APP1 EXIF with an orientation, SOF0 of the given size, SOS.
    fn jpeg_head(width: u16, height: u16, orientation: Option<(u16, bool)>) -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xD8];
        // An APP0 JFIF segment first, as encoders write it.
        bytes.extend([0xFF, 0xE0, 0x00, 0x10]);
        bytes.extend(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        if let Some((value, little_endian)) = orientation {
            let mut tiff: Vec<u8> = Vec::new();
            let push16 = |tiff: &mut Vec<u8>, v: u16| {
                tiff.extend(if little_endian {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                })
            };
            let push32 = |tiff: &mut Vec<u8>, v: u32| {
                tiff.extend(if little_endian {
                    v.to_le_bytes()
                } else {
                    v.to_be_bytes()
                })
            };
            tiff.extend(if little_endian { b"II" } else { b"MM" });
            push16(&mut tiff, 42);
            push32(&mut tiff, 8);
            push16(&mut tiff, 2);
            // An unrelated tag first (ImageWidth, LONG), then Orientation.
            push16(&mut tiff, 0x0100);
            push16(&mut tiff, 4);
            push32(&mut tiff, 1);
            push32(&mut tiff, 4000);
            push16(&mut tiff, 0x0112);
            push16(&mut tiff, 3);
            push32(&mut tiff, 1);
            push16(&mut tiff, value);
            push16(&mut tiff, 0);
            push32(&mut tiff, 0);
            let length = (2 + 6 + tiff.len()) as u16;
            bytes.extend([0xFF, 0xE1]);
            bytes.extend(length.to_be_bytes());
            bytes.extend(b"Exif\0\0");
            bytes.extend(tiff);
        }
        bytes.extend([0xFF, 0xC0, 0x00, 0x11, 0x08]);
        bytes.extend(height.to_be_bytes());
        bytes.extend(width.to_be_bytes());
        bytes.extend([0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        bytes.extend([0xFF, 0xDA, 0x00, 0x08]);
        bytes
    }

    #[test]
    fn a_jpeg_without_exif_has_its_frame_size_and_orientation_1() {
        let info = inspect(&jpeg_head(4000, 3000, None));
        assert_eq!(info.format, ImageFormat::Jpeg);
        assert_eq!(info.stored_size, Some((4000, 3000)));
        assert_eq!(info.orientation, 1);
        assert_eq!(info.displayed_size(), Some((4000, 3000)));
    }

    #[test]
    fn exif_orientation_6_turns_a_landscape_jpeg_into_portrait_in_both_byte_orders() {
        for little_endian in [true, false] {
            let info = inspect(&jpeg_head(4000, 3000, Some((6, little_endian))));
            assert_eq!(info.orientation, 6, "little endian: {little_endian}");
            assert_eq!(info.stored_size, Some((4000, 3000)));
            assert_eq!(info.displayed_size(), Some((3000, 4000)));
        }
    }

    #[test]
    fn an_out_of_range_orientation_is_ignored() {
        assert_eq!(inspect(&jpeg_head(10, 20, Some((9, true)))).orientation, 1);
    }

    #[test]
    fn a_jpeg_cut_before_its_frame_header_has_no_size() {
        let head = jpeg_head(4000, 3000, Some((6, true)));
        let cut = &head[..head.len() - 25];
        let info = inspect(cut);
        assert_eq!(info.format, ImageFormat::Jpeg);
        assert_eq!(info.stored_size, None);
    }

    #[test]
    fn png_gif_webp_and_bmp_headers_give_their_sizes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(640_u32.to_be_bytes());
        png.extend(480_u32.to_be_bytes());
        assert_eq!(inspect(&png).stored_size, Some((640, 480)));

        let mut gif = b"GIF89a".to_vec();
        gif.extend(20_u16.to_le_bytes());
        gif.extend(10_u16.to_le_bytes());
        assert_eq!(inspect(&gif).stored_size, Some((20, 10)));

        let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
        webp.extend([0; 8]);
        webp.extend([0x3F, 0x1F, 0x00, 0xBF, 0x0F, 0x00]);
        assert_eq!(inspect(&webp).format, ImageFormat::Webp);
        assert_eq!(inspect(&webp).stored_size, Some((8000, 4032)));

        let mut bmp = b"BM".to_vec();
        bmp.extend([0; 16]);
        bmp.extend(300_i32.to_le_bytes());
        bmp.extend((-200_i32).to_le_bytes());
        assert_eq!(inspect(&bmp).stored_size, Some((300, 200)));
    }

    #[test]
    fn heic_and_avif_are_recognised_by_their_brand_and_text_is_not_an_image() {
        assert_eq!(
            inspect(b"\0\0\0\x18ftypheic\0\0\0\0mif1heic").format,
            ImageFormat::Heic
        );
        assert_eq!(
            inspect(b"\0\0\0\x1cftypavif\0\0\0\0").format,
            ImageFormat::Avif
        );
        let text = inspect("走访记录：家里新盖了厨房".as_bytes());
        assert_eq!(text.format, ImageFormat::Unknown);
        assert_eq!(text.stored_size, None);
        assert_eq!(inspect(&[]).format, ImageFormat::Unknown);
    }
}
