//! The server's idea of "today". Villages keep China Standard Time (UTC+8, no daylight saving), so a visit at 07:00
//! in the village is on the village's date, not on yesterday's UTC date. The domain never reads the clock: handlers
//! read it once and pass the date in.

use time::{Date, OffsetDateTime, UtcOffset};

/// China Standard Time.
pub const CHINA_STANDARD_TIME: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(offset) => offset,
    Err(_) => UtcOffset::UTC,
};

/// The date in China at `now`. An instant at the very end of the representable range (which handlers refuse
/// before asking) keeps its own date rather than panicking.
pub fn china_date(now: OffsetDateTime) -> Date {
    now.checked_to_offset(CHINA_STANDARD_TIME)
        .unwrap_or(now)
        .date()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn the_last_representable_instant_has_a_date_and_does_not_panic() {
        assert_eq!(
            china_date(datetime!(9999-12-31 23:59:59 UTC)),
            date!(9999 - 12 - 31)
        );
    }

    #[test]
    fn the_date_turns_at_midnight_in_china_not_in_utc() {
        assert_eq!(
            china_date(datetime!(2026-11-22 15:59:59 UTC)),
            date!(2026 - 11 - 22)
        );
        assert_eq!(
            china_date(datetime!(2026-11-22 16:00:00 UTC)),
            date!(2026 - 11 - 23)
        );
    }
}
