//! Whose data is on the phone. Everything a user's work leaves on the phone — the session, households, drafts, the
//! outbox (visits, review decisions, night-school sheets), photos, kept histories and downloaded photos — is that user's ([`super::AppStore`] wraps it with the owner's id). Logging out, or another user
//! logging in, removes the previous user's data; the previous user's unsent outbox items are shown first and can be
//! sent, or kept for that user: then they (and the photos they need) stay, invisible to anyone else, and come back
//! when that user logs in again. Nothing unsent is ever removed here, and nothing is sent with another user's login.

use super::night_school::{self, QueuedAttendance, QueuedConfirmation};
use super::photos::{evidence_ids, photo_key, thumbnail_key};
use super::records::{self, OutboxItem, OutboxStatus};
use super::review_queue::{self, QueuedReview};
use super::schema::{
    DRAFTS_STORE, HOUSEHOLDS_STORE, META_STORE, OUTBOX_STORE, PHOTO_BLOBS_STORE, PHOTOS_STORE,
};
use super::scoped::Envelope;
use super::{AppStore, Backend, BlobStore, Store, StoreError, StoredSession, meta_keys};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The stores whose values belong to a user. (Photo bytes belong to the user of their photo record.)
pub const USER_STORES: &[&str] = &[
    META_STORE,
    HOUSEHOLDS_STORE,
    DRAFTS_STORE,
    OUTBOX_STORE,
    PHOTOS_STORE,
];

/// The named migration that gives the values written before values had owners (schema version 3 and earlier)
/// to the user who was logged in, or to the first user who logs in when nobody was.
pub const GIVE_UNOWNED_VALUES_AN_OWNER: &str = "give_unowned_values_an_owner";

/// Prefix of the `meta` keys that belong to the phone rather than to a user (besides the language).
pub const PHONE_WIDE_PREFIX: &str = "phone/";

/// Whether a `meta` key is the phone's own (the language, the lock's state), kept whatever user logs in.
pub fn is_phone_wide(key: &str) -> bool {
    key == meta_keys::LOCALE || key.starts_with(PHONE_WIDE_PREFIX)
}

/// Who is logged in on the phone, as far as can be told before the PIN.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionOnPhone {
    Nobody,
    /// Stored in plaintext by the app before encryption at rest: its user sets a PIN, then everything is sealed.
    Plain(StoredSession),
    /// Sealed: the user's PIN opens it.
    Sealed {
        owner: Uuid,
    },
}

/// The stored session. One written before values had owners first runs [`GIVE_UNOWNED_VALUES_AN_OWNER`] for its
/// user.
pub async fn session_on_phone(backend: &Backend) -> Result<SessionOnPhone, StoreError> {
    let Some(json) = backend.get_raw(META_STORE, meta_keys::SESSION).await? else {
        return Ok(SessionOnPhone::Nobody);
    };
    match Envelope::read(&json) {
        Some(Envelope {
            plain: Some(plain),
            sealed: None,
            ..
        }) => super::decode(meta_keys::SESSION, &plain).map(SessionOnPhone::Plain),
        Some(envelope) => Ok(SessionOnPhone::Sealed {
            owner: envelope.owner,
        }),
        None => {
            let session: StoredSession = super::decode(meta_keys::SESSION, &json)?;
            give_unowned_values_an_owner(backend, session.user.id).await?;
            Ok(SessionOnPhone::Plain(session))
        }
    }
}

/// [`GIVE_UNOWNED_VALUES_AN_OWNER`]: every value of a user store that has no owner yet becomes `owner`'s, its
/// text unchanged (an outbox item also records its owner, so the sync driver sends it with that user's login
/// only). Returns how many values it changed; running it again changes none.
pub async fn give_unowned_values_an_owner(
    backend: &Backend,
    owner: Uuid,
) -> Result<usize, StoreError> {
    let mut changed = 0;
    for &store in USER_STORES {
        for (key, json) in backend.get_all_raw(store).await? {
            if Envelope::read(&json).is_some() || (store == META_STORE && is_phone_wide(&key)) {
                continue;
            }
            let plain = if store == OUTBOX_STORE {
                stamp_owner(&json, owner)
            } else {
                json
            };
            backend
                .put(store, &key, &Envelope::plain(owner, plain))
                .await?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// An outbox item's text with its owner recorded; a text that is not a JSON object is kept as it is. The text is
/// patched as JSON rather than decoded as an `OutboxItem`: this runs at start, in the login page's code, which then
/// carries no household decoder.
fn stamp_owner(json: &str, owner: Uuid) -> String {
    match serde_json::from_str::<serde_json::Value>(json) {
        Ok(serde_json::Value::Object(mut item))
            if item.get("owner").is_none_or(serde_json::Value::is_null) =>
        {
            item.insert("owner".into(), serde_json::Value::String(owner.to_string()));
            serde_json::to_string(&item).unwrap_or_else(|_| json.to_owned())
        }
        _ => json.to_owned(),
    }
}

/// The users with data on the phone.
pub async fn owners(backend: &Backend) -> Result<BTreeSet<Uuid>, StoreError> {
    let mut owners = BTreeSet::new();
    for &store in USER_STORES {
        for (_, json) in backend.get_all_raw(store).await? {
            if let Some(envelope) = Envelope::read(&json) {
                owners.insert(envelope.owner);
            }
        }
    }
    Ok(owners)
}

/// One item of a user's outbox the server has not accepted: a household visit, a first secretary's review decision
/// or a night-school attendance sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Unsent {
    Visit(Box<OutboxItem>),
    Review(Box<QueuedReview>),
    Attendance(Box<QueuedAttendance>),
    /// A first secretary's 确认 of a night-school session version.
    Confirmation(Box<QueuedConfirmation>),
}

impl Unsent {
    /// Its key in the `outbox` store.
    pub fn key(&self) -> String {
        match self {
            Unsent::Visit(item) => item.id.to_string(),
            Unsent::Review(review) => review.key(),
            Unsent::Attendance(sheet) => sheet.key(),
            Unsent::Confirmation(confirmation) => confirmation.key(),
        }
    }

    /// When it was submitted (or decided).
    pub fn queued_at(&self) -> time::OffsetDateTime {
        match self {
            Unsent::Visit(item) => item.submitted_at,
            Unsent::Review(review) => review.decided_at,
            Unsent::Attendance(sheet) => sheet.submitted_at,
            Unsent::Confirmation(confirmation) => confirmation.confirmed_at,
        }
    }

    /// The photos (evidence ids) it needs to be sent.
    fn photo_ids(&self) -> Vec<String> {
        match self {
            Unsent::Visit(item) => evidence_ids(&item.snapshot)
                .into_iter()
                .map(|id| id.to_string())
                .collect(),
            Unsent::Review(_) | Unsent::Confirmation(_) => Vec::new(),
            Unsent::Attendance(sheet) => sheet
                .sheet
                .evidence
                .iter()
                .map(|evidence| evidence.id.to_string())
                .collect(),
        }
    }
}

/// The items of a user's outbox that the server has not accepted (waiting, being sent, or 需处理): visits oldest
/// first, then review decisions, then night-school sheets.
pub async fn unsent(store: &impl Store) -> Result<Vec<Unsent>, StoreError> {
    let visits = records::outbox(store)
        .await?
        .into_iter()
        .filter(|item| item.delivery.status != OutboxStatus::Sent)
        .map(|item| Unsent::Visit(Box::new(item)));
    let reviews = review_queue::queued_reviews(store)
        .await?
        .into_iter()
        .filter(|review| review.delivery.status != OutboxStatus::Sent)
        .map(|review| Unsent::Review(Box::new(review)));
    let sheets = night_school::queued(store)
        .await?
        .into_iter()
        .filter(|sheet| sheet.delivery.status != OutboxStatus::Sent)
        .map(|sheet| Unsent::Attendance(Box::new(sheet)));
    let confirmations = night_school::queued_confirmations(store)
        .await?
        .into_iter()
        .filter(|confirmation| confirmation.delivery.status != OutboxStatus::Sent)
        .map(|confirmation| Unsent::Confirmation(Box::new(confirmation)));
    Ok(visits
        .chain(reviews)
        .chain(sheets)
        .chain(confirmations)
        .collect())
}

/// The blobs stored with the record under `key` of `store`, removed (and sealed) together with it: a photo's JPEG
/// and thumbnail, a downloaded photo's bytes.
pub(crate) fn blob_keys_of(store: &str, key: &str) -> Vec<String> {
    match store {
        PHOTOS_STORE => match key.parse::<Uuid>() {
            Ok(id) => {
                let id = zoufang_domain::model::EvidenceId(id);
                vec![photo_key(id), thumbnail_key(id)]
            }
            Err(_) => Vec::new(),
        },
        META_STORE => super::photo_cache::blob_key_of_record(key)
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// What [`forget_user`] left on the phone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Forgotten {
    pub removed: usize,
    /// Unsent outbox items kept for the user.
    pub kept_items: usize,
    pub kept_photos: usize,
}

/// Removes the store's user's data from the phone: the session, households, drafts, the outbox and photos —
/// except, with `keep_unsent`, the unsent outbox items and the photos they need. `store` must hold the user's data
/// key (their values are read to tell unsent items and their photos). Other users' values are not touched.
pub async fn forget_user(store: &AppStore, keep_unsent: bool) -> Result<Forgotten, StoreError> {
    let kept: Vec<Unsent> = if keep_unsent {
        unsent(store).await?
    } else {
        Vec::new()
    };
    let kept_items: BTreeSet<String> = kept.iter().map(Unsent::key).collect();
    let kept_photos: BTreeSet<String> = kept.iter().flat_map(Unsent::photo_ids).collect();
    let mut forgotten = Forgotten {
        kept_items: kept_items.len(),
        ..Forgotten::default()
    };
    for &name in USER_STORES {
        for (key, _) in store.get_all_raw(name).await? {
            if name == META_STORE && is_phone_wide(&key) {
                continue;
            }
            if name == OUTBOX_STORE && kept_items.contains(&key) {
                continue;
            }
            if name == PHOTOS_STORE && kept_photos.contains(&key) {
                forgotten.kept_photos += 1;
                continue;
            }
            let blobs = blob_keys_of(name, &key);
            if blobs.is_empty() {
                store.delete(name, &key).await?;
            } else {
                let blob_keys: Vec<&str> = blobs.iter().map(String::as_str).collect();
                store
                    .delete_with_blobs(name, &key, PHOTO_BLOBS_STORE, &blob_keys)
                    .await?;
            }
            forgotten.removed += 1;
        }
    }
    Ok(forgotten)
}

/// Sets another user's data aside without their data key: their households, drafts, session and other values go;
/// their whole outbox and their photos stay (which items are unsent cannot be read without their key), sealed and
/// invisible to anyone else, until they log in again. Returns what was kept.
pub async fn set_aside(backend: &Backend, owner: Uuid) -> Result<Forgotten, StoreError> {
    let mut forgotten = Forgotten::default();
    for &name in USER_STORES {
        for (key, json) in backend.get_all_raw(name).await? {
            if Envelope::read(&json).is_none_or(|envelope| envelope.owner != owner) {
                continue;
            }
            match name {
                OUTBOX_STORE => forgotten.kept_items += 1,
                PHOTOS_STORE => forgotten.kept_photos += 1,
                _ => {
                    let blobs = blob_keys_of(name, &key);
                    let blob_keys: Vec<&str> = blobs.iter().map(String::as_str).collect();
                    backend
                        .delete_with_blobs(name, &key, PHOTO_BLOBS_STORE, &blob_keys)
                        .await?;
                    forgotten.removed += 1;
                }
            }
        }
    }
    Ok(forgotten)
}

/// Before `user` starts working on the phone: every other user's data is set aside ([`set_aside`]: their outbox
/// and photos kept for them, never sent with this login); unowned values (schema version 3 and earlier, logged
/// out) become `user`'s. Returns what was kept for others.
pub async fn make_room_for(backend: &Backend, user: Uuid) -> Result<Forgotten, StoreError> {
    let mut total = Forgotten::default();
    for other in owners(backend).await? {
        if other == user {
            continue;
        }
        let forgotten = set_aside(backend, other).await?;
        total.removed += forgotten.removed;
        total.kept_items += forgotten.kept_items;
        total.kept_photos += forgotten.kept_photos;
    }
    give_unowned_values_an_owner(backend, user).await?;
    Ok(total)
}

#[cfg(test)]
#[path = "account_tests.rs"]
mod tests;
