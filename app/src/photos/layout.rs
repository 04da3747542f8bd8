//! Sizes and texts of the pipeline, as pure functions: how big the stored photo and thumbnail are, how big the
//! watermark's letters are, and what it says.

use time::OffsetDateTime;
use zoufang_domain::model::GpsFix;

/// The largest size that fits in `max_long_edge` on the long edge with the same shape; never larger than the
/// source, never zero.
pub fn fit_within(width: u32, height: u32, max_long_edge: u32) -> (u32, u32) {
    let long_edge = width.max(height);
    if long_edge <= max_long_edge || long_edge == 0 {
        return (width.max(1), height.max(1));
    }
    let scale = f64::from(max_long_edge) / f64::from(long_edge);
    let scaled = |edge: u32| ((f64::from(edge) * scale).round() as u32).clamp(1, max_long_edge);
    (scaled(width), scaled(height))
}

/// The watermark's font size in pixels for a picture of this size: about 1/36 of the short edge, at least 11 px
/// so it stays readable on a small picture, at most 48 px.
pub fn watermark_font_px(width: u32, height: u32) -> f64 {
    (f64::from(width.min(height)) / 36.0).clamp(11.0, 48.0)
}

/// `lat, lon ±N m` with five decimals (about a metre), or `None` without a fix.
pub fn gps_text(fix: Option<GpsFix>) -> Option<String> {
    fix.map(|fix| {
        format!(
            "{:.5}, {:.5} ±{:.0} m",
            fix.latitude(),
            fix.longitude(),
            fix.accuracy_m().ceil()
        )
    })
}

/// `YYYY-MM-DD HH:MM` in the instant's own offset (the phone's local time).
pub fn local_date_time(instant: OffsetDateTime) -> String {
    format!(
        "{} {:02}:{:02}",
        instant.date(),
        instant.hour(),
        instant.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use zoufang_domain::model::GpsSource;

    #[test]
    fn a_12_megapixel_landscape_shrinks_to_1600_on_the_long_edge() {
        assert_eq!(fit_within(4000, 3000, 1600), (1600, 1200));
        assert_eq!(fit_within(3000, 4000, 1600), (1200, 1600));
        assert_eq!(fit_within(8192, 6144, 1600), (1600, 1200));
    }

    #[test]
    fn a_small_picture_is_never_enlarged_and_a_thin_one_never_reaches_zero() {
        assert_eq!(fit_within(20, 10, 1600), (20, 10));
        assert_eq!(fit_within(1600, 1600, 1600), (1600, 1600));
        assert_eq!(fit_within(10_000, 3, 160), (160, 1));
    }

    #[test]
    fn the_watermark_font_follows_the_short_edge_within_limits() {
        assert_eq!(watermark_font_px(1600, 1200), 1200.0 / 36.0);
        assert_eq!(watermark_font_px(20, 10), 11.0);
        assert_eq!(watermark_font_px(8000, 6000), 48.0);
    }

    #[test]
    fn gps_text_has_five_decimals_and_whole_metres() {
        let fix = GpsFix::new(19.98765432, 110.3312, 12.2, GpsSource::Gnss).ok();
        assert_eq!(gps_text(fix).as_deref(), Some("19.98765, 110.33120 ±13 m"));
        assert_eq!(gps_text(None), None);
    }

    #[test]
    fn the_date_and_time_are_shown_in_the_phones_offset() {
        assert_eq!(
            local_date_time(datetime!(2026-11-22 06:05 +08:00)),
            "2026-11-22 06:05"
        );
    }
}
