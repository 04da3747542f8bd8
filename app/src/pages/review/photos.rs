//! The photos of a submitted visit, for the review screen and the household's timeline: each shown from the phone
//! when it is there (the thumbnail of a photo taken on this phone, or one kept from an earlier download), else
//! fetched once from the server, kept (`storage::photo_cache`) and shown; without a network it says so.

use crate::api::{self, ApiError};
use crate::clock;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::blobs::bytes_to_blob;
use crate::storage::photo_cache::{keep_photo, photo_on_phone};
use leptos::prelude::*;
use zoufang_domain::model::Evidence;

/// Where one photo stands.
#[derive(Debug, Clone, PartialEq)]
enum Tile {
    Loading,
    Shown(String),
    /// Not on the phone and no network to fetch it.
    Offline,
    /// The server has no copy this person may see.
    Unavailable,
}

/// A row of photos; `evidence` in the order the submission lists them.
#[component]
pub fn PhotoStrip(evidence: Vec<Evidence>) -> impl IntoView {
    let i18n = use_i18n();
    if evidence.is_empty() {
        return view! { <p class="hint" data-testid="photos-none">{t!(i18n, review.photos_none)}</p> }.into_any();
    }
    view! {
        <ul class="photo-strip" data-testid="photo-strip">
            {evidence.into_iter().map(|photo| view! { <PhotoTile photo=photo /> }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn PhotoTile(photo: Evidence) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let tile = RwSignal::new(Tile::Loading);
    on_cleanup(move || {
        if let Some(Tile::Shown(url)) = tile.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    });
    let caption = photo.caption.clone();
    let taken = photo
        .taken_at
        .to_offset(clock::local_offset())
        .date()
        .to_string();
    leptos::task::spawn_local(async move {
        tile.set(load(context, &photo).await);
    });
    let alt = caption.clone();
    view! {
        <li class="photo-tile" data-testid="photo-tile">
            {move || match tile.get() {
                Tile::Loading => view! { <span class="photo-placeholder">{t!(i18n, loading)}</span> }.into_any(),
                Tile::Shown(url) => {
                    let href = url.clone();
                    view! {
                    <a href=href target="_blank" rel="noopener">
                        <img class="photo-thumb" src=url alt=alt.clone() loading="lazy" data-testid="photo-shown" />
                    </a>
                }.into_any()
                }
                Tile::Offline => view! {
                    <span class="photo-placeholder" data-testid="photo-offline">{t!(i18n, review.photo_offline)}</span>
                }.into_any(),
                Tile::Unavailable => view! {
                    <span class="photo-placeholder" data-testid="photo-unavailable">{t!(i18n, review.photo_unavailable)}</span>
                }.into_any(),
            }}
            <span class="photo-caption">{taken}" "{caption}</span>
        </li>
    }
}

fn object_url(bytes: &[u8]) -> Option<String> {
    bytes_to_blob(bytes, "image/jpeg")
        .ok()
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok())
}

async fn load(context: AppContext, photo: &Evidence) -> Tile {
    let Some(store) = context.store() else {
        return Tile::Unavailable;
    };
    if let Ok(Some((bytes, _))) = photo_on_phone(&store, photo).await {
        return object_url(&bytes).map_or(Tile::Unavailable, Tile::Shown);
    }
    let Some(session) = context.current() else {
        return Tile::Offline;
    };
    let sha256 = photo.sha256.as_str();
    match api::photo(&session.token, sha256).await {
        Ok(bytes) => {
            // Kept even if showing fails: the next screen that needs it will not download it again. A phone that
            // cannot keep it still shows it this time.
            let _ = keep_photo(&store, sha256, &bytes, &clock::rfc3339(clock::now_utc())).await;
            object_url(&bytes).map_or(Tile::Unavailable, Tile::Shown)
        }
        Err(ApiError::Offline | ApiError::Unreachable | ApiError::Timeout) => Tile::Offline,
        Err(_) => Tile::Unavailable,
    }
}
