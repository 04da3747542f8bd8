//! The phone's clock and local time zone, read here and passed into the domain (which never reads
//! the clock itself).

use time::{Date, OffsetDateTime, UtcOffset};

/// Now, from the browser's clock.
pub fn now_utc() -> OffsetDateTime {
    let millis = js_sys::Date::now();
    // Date.now() is a whole number of milliseconds since 1970: well inside i128 and OffsetDateTime.
    let nanos = (millis as i128) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The phone's current offset from UTC (China Standard Time is +08:00).
pub fn local_offset() -> UtcOffset {
    // getTimezoneOffset() is minutes *behind* UTC: -480 in China.
    let minutes_behind = js_sys::Date::new_0().get_timezone_offset() as i32;
    UtcOffset::from_whole_seconds(-minutes_behind * 60).unwrap_or(UtcOffset::UTC)
}

/// Now, in the phone's time zone.
pub fn now_local() -> OffsetDateTime {
    now_utc().to_offset(local_offset())
}

/// Today's date where the helper is.
pub fn today_local() -> Date {
    now_local().date()
}

/// RFC 3339 text of an instant (for stored timestamps).
pub fn rfc3339(instant: OffsetDateTime) -> String {
    instant
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// "hh:mm:ss" in the phone's time zone, for the "saved at" indicator.
pub fn clock_time(instant: OffsetDateTime) -> String {
    let local = instant.to_offset(local_offset());
    format!(
        "{:02}:{:02}:{:02}",
        local.hour(),
        local.minute(),
        local.second()
    )
}

/// "YYYY-MM-DD HH:MM" in the phone's time zone, for lists.
pub fn date_time(instant: OffsetDateTime) -> String {
    let local = instant.to_offset(local_offset());
    format!("{} {:02}:{:02}", local.date(), local.hour(), local.minute())
}

/// Parses a stored RFC 3339 instant.
pub fn parse_rfc3339(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}
