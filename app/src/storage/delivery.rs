//! Where a queued record is on its way to the server. Every kind of queued record (a household visit, a review
//! decision, an attendance sheet) carries one [`Delivery`], stored flattened into the record's JSON, so the send
//! loop keeps one set of rules: queued → sending → sent, or 需处理 when refused, or back to queued with a later
//! attempt time after a transient failure.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use zoufang_domain::protocol::AssignedHousehold;
use zoufang_domain::validation::Finding;

/// Where a queued record is on its way to the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// 待发送: waiting for the network or for its next attempt.
    Queued,
    /// 发送中: being sent now. Found at start (the tab was closed mid-send), it is sent again with the same
    /// UUID, which the server answers with its first receipt.
    Sending,
    /// 已发送: the server confirmed it; kept with the receipt.
    Sent,
    /// 需处理: the server refused it for a reason a person must act on; the rest of the queue goes on.
    NeedsAttention,
}

/// Why an item needs a person, as the server said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxProblem {
    /// 422 with the rules that refused the record.
    Invalid { findings: Vec<Finding> },
    /// 409: the household changed on the server since the edit started; the server's copy, to compare.
    Conflict { server: Box<AssignedHousehold> },
    /// Any other refusal (413 too large, 403 no longer assigned, 404 …) with the server's code and reason.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

/// A queued record's progress to the server. Flattened into the record, so the stored JSON keeps the field names
/// and order it had before the type existed (golden files pin it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    pub status: OutboxStatus,
    /// Failed attempts so far (network down, server busy): drives the backoff.
    #[serde(default)]
    pub attempts: u32,
    /// Before this instant the driver does not try again (`None`: as soon as it can).
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
    /// The last transient failure, shown while the record waits.
    #[serde(default)]
    pub last_error: Option<String>,
    /// Why a person must act, set with [`OutboxStatus::NeedsAttention`].
    #[serde(default)]
    pub problem: Option<OutboxProblem>,
}

impl Delivery {
    /// A record just queued: waiting to be sent, nothing tried yet.
    pub fn queued() -> Delivery {
        Delivery {
            status: OutboxStatus::Queued,
            attempts: 0,
            next_attempt_at: None,
            last_error: None,
            problem: None,
        }
    }

    /// Still to be sent (queued, or interrupted while sending).
    pub fn is_pending(&self) -> bool {
        matches!(self.status, OutboxStatus::Queued | OutboxStatus::Sending)
    }

    /// When a pending record waits for a later attempt, the instant it is due; `None` when it may go now
    /// (`force`: the person asked to send everything now).
    pub fn waiting_until(&self, now: OffsetDateTime, force: bool) -> Option<OffsetDateTime> {
        self.next_attempt_at.filter(|due| *due > now && !force)
    }

    /// The server confirmed it.
    pub fn sent(&mut self) {
        self.status = OutboxStatus::Sent;
        self.problem = None;
        self.last_error = None;
        self.next_attempt_at = None;
    }

    /// The server refused it for a reason a person must act on.
    pub fn refused(&mut self, problem: OutboxProblem) {
        self.status = OutboxStatus::NeedsAttention;
        self.problem = Some(problem);
        self.last_error = None;
    }

    /// A transient failure (counted with [`Self::failed`]): queued again, tried no earlier than `at`.
    pub fn retry_at(&mut self, at: OffsetDateTime, reason: String) {
        self.status = OutboxStatus::Queued;
        self.next_attempt_at = Some(at);
        self.last_error = Some(reason);
    }

    /// Counts a failed attempt and returns how many there have been.
    pub fn failed(&mut self) -> u32 {
        self.attempts = self.attempts.saturating_add(1);
        self.attempts
    }

    /// Sending stopped before an answer (a login is needed, storage failed): queued again as it was.
    pub fn interrupted(&mut self) {
        self.status = OutboxStatus::Queued;
    }
}

/// The earlier of two optional instants.
pub fn earliest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Duration;
    use time::macros::datetime;

    #[test]
    fn a_waiting_record_is_due_at_its_time_unless_forced() {
        let now = datetime!(2026-11-22 08:00 UTC);
        let mut delivery = Delivery::queued();
        assert_eq!(delivery.waiting_until(now, false), None);
        assert_eq!(delivery.failed(), 1);
        delivery.retry_at(now + Duration::seconds(30), "offline".to_owned());
        assert_eq!(
            delivery.waiting_until(now, false),
            Some(now + Duration::seconds(30))
        );
        assert_eq!(delivery.waiting_until(now, true), None);
        assert_eq!(
            delivery.waiting_until(now + Duration::seconds(30), false),
            None
        );
        assert!(delivery.is_pending());
        delivery.sent();
        assert!(!delivery.is_pending());
        assert_eq!(
            (delivery.next_attempt_at, delivery.last_error),
            (None, None)
        );
    }

    #[test]
    fn a_refusal_keeps_the_reason_and_stops_the_record() {
        let mut delivery = Delivery::queued();
        delivery.last_error = Some("timeout".to_owned());
        delivery.refused(OutboxProblem::Refused {
            status: 403,
            code: "not_assigned".to_owned(),
            message: "不再负责此户".to_owned(),
        });
        assert_eq!(delivery.status, OutboxStatus::NeedsAttention);
        assert!(!delivery.is_pending());
        assert_eq!(delivery.last_error, None);
    }

    #[test]
    fn the_stored_fields_keep_their_names_and_order() {
        let mut delivery = Delivery::queued();
        delivery.failed();
        delivery.retry_at(datetime!(2026-11-22 08:00:30 UTC), "offline".to_owned());
        assert_eq!(
            serde_json::to_string(&delivery).ok().as_deref(),
            Some(
                r#"{"status":"queued","attempts":1,"next_attempt_at":"2026-11-22T08:00:30Z","last_error":"offline","problem":null}"#
            )
        );
    }

    #[test]
    fn earliest_of_two_instants() {
        let a = datetime!(2026-11-22 08:00 UTC);
        let b = datetime!(2026-11-22 09:00 UTC);
        assert_eq!(earliest(Some(b), Some(a)), Some(a));
        assert_eq!(earliest(None, Some(b)), Some(b));
        assert_eq!(earliest(None, None), None);
    }
}
