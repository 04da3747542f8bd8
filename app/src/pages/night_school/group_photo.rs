//! The optional group photo of a session, through the app's photo pipeline (`crate::photos`: shrunk, watermarked
//! with the teaching point, the recorder, the time and the position when allowed, hashed, kept on the phone). The
//! queued session carries the photos' metadata as its evidence, and the sync driver uploads the bytes the server
//! lacks before it sends the session. Never required: a session with no photo is complete.

use crate::i18n::*;
use crate::photos::messages::problem_text;
use crate::photos::{PhotoConfig, PhotoContext, WatermarkFacts, add_photo, location};
use crate::session::AppContext;
use crate::storage::AppStore;
use crate::storage::blobs::bytes_to_blob;
use crate::storage::photos::{self, AttachedTo, JPEG, PhotoRecord};
use leptos::prelude::*;
use uuid::Uuid;
use wasm_bindgen::JsCast;
use zoufang_domain::model::{Evidence, EvidenceId, HouseholdId, SessionId};

/// What a session's photos are attached to on the phone.
pub fn target(session_id: SessionId) -> AttachedTo {
    AttachedTo::NightSchoolSession { session_id }
}

/// The metadata of the session's photos kept on this phone, oldest first, for the submission's `evidence` (the
/// sync driver uploads the bytes the server lacks before it sends the session).
pub async fn session_evidence(
    store: &AppStore,
    session_id: SessionId,
) -> Result<Vec<Evidence>, crate::storage::StoreError> {
    let records = photos::photos_attached_to(store, target(session_id)).await?;
    Ok(records.into_iter().map(|record| record.evidence).collect())
}

/// The group photo part of the after-lesson screen. `changed` is called after a photo is added or removed, so the
/// draft starts a new version when the server already has this one.
#[component]
pub fn GroupPhoto(
    session_id: SessionId,
    point_name: String,
    changed: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let list = RwSignal::new(Vec::<(PhotoRecord, Option<String>)>::new());
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    on_cleanup(move || {
        for (_, url) in list.get_untracked() {
            if let Some(url) = url {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    leptos::task::spawn_local(async move {
        let Some(store) = context.store() else { return };
        if let Ok(found) = photos::photos_attached_to(&store, target(session_id)).await {
            for record in found {
                let url = thumbnail_url(&store, record.id()).await;
                list.update(|list| list.push((record, url)));
            }
        }
    });
    let facts = move || WatermarkFacts {
        household: point_name.clone(),
        helper: context
            .current()
            .map(|session| {
                t_string!(
                    i18n,
                    night_school_after.photo_recorder,
                    name = session.user.name
                )
                .to_string()
            })
            .unwrap_or_default(),
        no_location: t_string!(i18n, photos.no_location).to_string(),
    };
    let on_pick = move |event: web_sys::Event| {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        input.set_value("");
        let Some(store) = context.store() else { return };
        let photo_context = PhotoContext {
            // A session's photo belongs to no household: it is found by what it is attached to.
            household_id: HouseholdId(Uuid::nil()),
            attached_to: target(session_id),
            watermark: crate::photos::standard_watermark,
            facts: facts(),
        };
        busy.set(true);
        problem.set(None);
        leptos::task::spawn_local(async move {
            let gps = location::current_fix().await;
            match add_photo(&store, &file, &photo_context, gps, &PhotoConfig::default()).await {
                Ok(record) => {
                    let url = thumbnail_url(&store, record.id()).await;
                    list.update(|list| list.push((record, url)));
                    changed.run(());
                }
                Err(error) => problem.set(Some(problem_text(i18n, &file.name(), &error))),
            }
            busy.set(false);
        });
    };
    let remove = move |id: EvidenceId| {
        let Some(store) = context.store() else { return };
        leptos::task::spawn_local(async move {
            match photos::delete_photo(&store, id).await {
                Ok(()) => {
                    list.update(|list| {
                        list.retain(|(record, url)| {
                            let keep = record.id() != id;
                            if let (false, Some(url)) = (keep, url) {
                                let _ = web_sys::Url::revoke_object_url(url);
                            }
                            keep
                        })
                    });
                    changed.run(());
                }
                Err(_) => problem.set(Some(
                    t_string!(i18n, night_school_after.photo_remove_failed).to_string(),
                )),
            }
        });
    };
    view! {
        <section class="card ns-after-part" data-testid="after-photo">
            <h2 class="section-title">{t!(i18n, night_school_after.photo)}</h2>
            <p class="sync-line">{t!(i18n, night_school_after.photo_hint)}</p>
            <ul class="ns-after-items">
                {move || list.get().into_iter().map(|(record, url)| {
                    let id = record.id();
                    view! {
                        <li class="ns-after-item" data-testid="after-photo-item">
                            {url.map(|url| view! { <img class="ns-after-thumb" src=url alt="" /> })}
                            <span class="ns-after-text">{record.watermark.join(" · ")}</span>
                            <button class="button" on:click=move |_| remove(id)>{t!(i18n, night_school_after.remove)}</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <label class="button photo-pick" class:disabled=move || busy.get()>
                {move || if busy.get() { t_string!(i18n, night_school_after.photo_busy).to_string() } else { t_string!(i18n, photos.take).to_string() }}
                <input type="file" accept="image/*" capture="environment" data-testid="after-photo-input"
                    prop:disabled=move || busy.get() on:change=on_pick />
            </label>
            {move || problem.get().map(|text| view! { <p class="field-error" role="alert">{text}</p> })}
        </section>
    }
}

async fn thumbnail_url(store: &AppStore, id: EvidenceId) -> Option<String> {
    let bytes = photos::thumbnail_blob(store, id).await.ok().flatten()?;
    let blob = bytes_to_blob(&bytes, JPEG).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}
