//! The household page's side of the photos section: it reads and writes the phone's photo records
//! (`storage::photos`) and runs the photo pipeline (`photos::add_photo`) for the section, which only shows them
//! and asks (`sections::photos::PhotoAccess`). Provided once per household page as context.

use std::rc::Rc;

use leptos::prelude::*;

use crate::draft::HouseholdDraft;
use crate::i18n::Locale;

use crate::photos::messages::{problem_text, storage_advice};
use crate::photos::{PhotoConfig, PhotoContext, WatermarkFacts, add_photo};
use crate::sections::photos::{
    DeleteRefusal, Pending, PhotoAccess, PhotoTarget, Photos, ShownPhoto,
};
use crate::storage::AppStore;
use crate::storage::blobs::bytes_to_blob;
use crate::storage::photos::{
    self, AttachedTo, DeletePhotoError, PhotoRecord, photo_records, photos_attached_to,
};
use zoufang_domain::model::{EvidenceId, GpsFix};

type I18n = leptos_i18n::I18nContext<Locale>;

/// Makes the page's photo records available to the photos sections below it.
pub fn provide_photos(store: AppStore, i18n: I18n) {
    let access: Rc<dyn PhotoAccess> = Rc::new(StoredPhotos { store, i18n });
    provide_context(Photos::new(access));
}

struct StoredPhotos {
    store: AppStore,
    i18n: I18n,
}

/// What a target's photos are attached to in the store.
fn attached_to(target: PhotoTarget, draft: &HouseholdDraft) -> AttachedTo {
    match target {
        PhotoTarget::Visit => AttachedTo::Visit {
            visit_id: draft.visit.id,
        },
        PhotoTarget::Checklist(item) => AttachedTo::ChecklistItem { item },
        PhotoTarget::Measure(measure_id) => AttachedTo::PlanMeasure {
            plan_id: draft.plan.id,
            measure_id,
        },
    }
}

/// A record with an object URL of its thumbnail (the section revokes it).
async fn shown(store: &AppStore, record: PhotoRecord) -> ShownPhoto {
    let thumbnail = match photos::thumbnail_blob(store, record.id()).await {
        Ok(Some(bytes)) => bytes_to_blob(&bytes, photos::JPEG)
            .ok()
            .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok()),
        _ => None,
    };
    ShownPhoto {
        evidence: record.evidence,
        file_name: record.file_name,
        thumbnail,
    }
}

impl PhotoAccess for StoredPhotos {
    fn load(&self, target: PhotoTarget, draft: &HouseholdDraft) -> Pending<Vec<ShownPhoto>> {
        let store = self.store.clone();
        let ids = target.ids(draft);
        let attached = attached_to(target, draft);
        let household_id = draft.household.id;
        Box::pin(async move {
            let mut records = photo_records(&store, &ids).await.unwrap_or_default();
            let found = photos_attached_to(&store, attached)
                .await
                .unwrap_or_default();
            records.extend(found.into_iter().filter(|record| {
                record.household_id == household_id && !ids.contains(&record.id())
            }));
            let mut list = Vec::with_capacity(records.len());
            for record in records {
                list.push(shown(&store, record).await);
            }
            list
        })
    }

    fn add(
        &self,
        target: PhotoTarget,
        draft: &HouseholdDraft,
        file: web_sys::File,
        facts: WatermarkFacts,
        gps: Option<GpsFix>,
    ) -> Pending<Result<ShownPhoto, String>> {
        let (store, i18n) = (self.store.clone(), self.i18n);
        let context = PhotoContext {
            household_id: draft.household.id,
            attached_to: attached_to(target, draft),
            watermark: crate::photos::standard_watermark,
            facts,
        };
        Box::pin(async move {
            match add_photo(&store, &file, &context, gps, &PhotoConfig::default()).await {
                Ok(record) => Ok(shown(&store, record).await),
                Err(error) => Err(problem_text(i18n, &file.name(), &error)),
            }
        })
    }

    fn set_caption(&self, id: EvidenceId, caption: String) -> Pending<Result<(), String>> {
        let (store, i18n) = (self.store.clone(), self.i18n);
        Box::pin(async move {
            photos::set_caption(&store, id, &caption)
                .await
                .map_err(|error| storage_advice(i18n, "saving a caption", &error))
        })
    }

    fn may_delete(&self, id: EvidenceId) -> Pending<Result<(), DeleteRefusal>> {
        let (store, i18n) = (self.store.clone(), self.i18n);
        Box::pin(async move {
            match photos::queued_evidence(&store).await {
                Ok(queued) => match queued.get(&id) {
                    Some(submitted_at) => Err(DeleteRefusal::Queued(*submitted_at)),
                    None => Ok(()),
                },
                Err(error) => Err(DeleteRefusal::Failed(storage_advice(
                    i18n,
                    "deleting a photo",
                    &error,
                ))),
            }
        })
    }

    fn delete(&self, id: EvidenceId) -> Pending<Result<(), DeleteRefusal>> {
        let (store, i18n) = (self.store.clone(), self.i18n);
        Box::pin(async move {
            photos::delete_photo(&store, id)
                .await
                .map_err(|error| match error {
                    DeletePhotoError::Queued { submitted_at } => {
                        DeleteRefusal::Queued(submitted_at)
                    }
                    DeletePhotoError::Store(error) => {
                        DeleteRefusal::Failed(storage_advice(i18n, "deleting a photo", &error))
                    }
                })
        })
    }
}
