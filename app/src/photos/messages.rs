//! What the person holding the phone reads when a photo cannot be read or kept: which file, what happened and
//! what to do, in their language. A storage failure never shows the browser's own (English) text; that goes to
//! the console for whoever debugs the phone.

use super::PhotoError;
use crate::i18n::*;
use crate::storage::StoreError;

type I18n = leptos_i18n::I18nContext<Locale>;

/// What to do after the phone's storage refused a photo, its caption or its deletion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageAdvice {
    /// The browser's quota is used up: free space, then try again.
    FreeSpace,
    /// Anything else (a refused write, a broken connection to the database, a value that cannot be read): try
    /// again, and if it keeps failing, leave private browsing, where some browsers refuse what the app stores.
    RetryOrLeavePrivateBrowsing,
}

impl StorageAdvice {
    pub fn for_error(error: &StoreError) -> StorageAdvice {
        match error {
            StoreError::QuotaExceeded => StorageAdvice::FreeSpace,
            StoreError::Unavailable(_)
            | StoreError::UpgradeBlocked
            | StoreError::Corrupt(_)
            | StoreError::Failed(_) => StorageAdvice::RetryOrLeavePrivateBrowsing,
        }
    }
}

/// The advice sentence for a storage failure; the technical detail goes to the console as a warning.
pub fn storage_advice(i18n: I18n, what: &str, error: &StoreError) -> String {
    leptos::logging::warn!("photo storage: {what}: {error}");
    match StorageAdvice::for_error(error) {
        StorageAdvice::FreeSpace => t_string!(i18n, photos.storage.full).to_string(),
        StorageAdvice::RetryOrLeavePrivateBrowsing => {
            t_string!(i18n, photos.storage.retry).to_string()
        }
    }
}

/// "无法读取照片 IMG_1.heic：浏览器不支持此格式（HEIC）…", or "照片 yard.jpg 未能保存在手机上。请重试；…".
pub fn problem_text(i18n: I18n, name: &str, error: &PhotoError) -> String {
    let reason = match error {
        PhotoError::Empty => t_string!(i18n, photos.reason.empty).to_string(),
        PhotoError::NotAnImage => t_string!(i18n, photos.reason.not_image).to_string(),
        PhotoError::Unsupported(format) => {
            t_string!(i18n, photos.reason.unsupported, format = *format).to_string()
        }
        PhotoError::Corrupt => t_string!(i18n, photos.reason.corrupt).to_string(),
        PhotoError::TooLarge { megapixels } => {
            t_string!(i18n, photos.reason.too_large, megapixels = *megapixels).to_string()
        }
        PhotoError::NoBrowserSupport => t_string!(i18n, photos.reason.no_support).to_string(),
        PhotoError::NoSecureContext => t_string!(i18n, photos.reason.insecure).to_string(),
        PhotoError::Failed(detail) => {
            t_string!(i18n, photos.reason.failed, detail = detail.clone()).to_string()
        }
        PhotoError::Storage(error) => {
            let advice = storage_advice(i18n, &format!("saving {name}"), error);
            return t_string!(
                i18n,
                photos.save_failed,
                name = name.to_owned(),
                advice = advice
            )
            .to_string();
        }
    };
    t_string!(
        i18n,
        photos.read_failed,
        name = name.to_owned(),
        reason = reason
    )
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_quota_asks_to_free_space() {
        assert_eq!(
            StorageAdvice::for_error(&StoreError::QuotaExceeded),
            StorageAdvice::FreeSpace
        );
    }

    #[test]
    fn webkits_refusal_in_private_browsing_gets_retry_advice_not_its_english_text() {
        let refused = StoreError::Failed(
            "UnknownError: Error preparing Blob/File data to be stored in object store".to_owned(),
        );
        assert_eq!(
            StorageAdvice::for_error(&refused),
            StorageAdvice::RetryOrLeavePrivateBrowsing
        );
        for other in [
            StoreError::Unavailable("SecurityError".to_owned()),
            StoreError::UpgradeBlocked,
            StoreError::Corrupt("e1/photo".to_owned()),
        ] {
            assert_eq!(
                StorageAdvice::for_error(&other),
                StorageAdvice::RetryOrLeavePrivateBrowsing
            );
        }
    }
}
