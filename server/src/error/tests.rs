//! The wait a refused login is told about: `Retry-After` seconds and the Chinese sentence.

use super::*;

#[test]
fn retry_after_is_whole_seconds_rounded_up_and_never_zero() {
    assert_eq!(retry_after_seconds(Duration::ZERO), 1);
    assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
    assert_eq!(retry_after_seconds(Duration::from_millis(1500)), 2);
    assert_eq!(retry_after_seconds(Duration::from_secs(900)), 900);
}

#[test]
fn a_wait_reads_in_seconds_below_a_minute_and_in_whole_minutes_above() {
    assert_eq!(chinese_wait(Duration::from_secs(30)), " 30 秒");
    assert_eq!(chinese_wait(Duration::from_secs(60)), " 1 分钟");
    assert_eq!(chinese_wait(Duration::from_secs(61)), " 2 分钟");
    assert_eq!(chinese_wait(Duration::from_secs(900)), " 15 分钟");
}
