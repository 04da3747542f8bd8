//! The photos of a submitted visit, for the review screen and the household's timeline: each tile shown from the
//! phone when it is there (the thumbnail of a photo taken on this phone, or one kept from an earlier download), else
//! the server's thumbnail, fetched once and kept (`storage::photo_cache`); a tap opens the whole photo, fetched
//! then (and kept) when the phone does not have it. Without a network each says so.

use crate::api::{self, ApiError};
use crate::clock;
use crate::i18n::*;
use crate::session::AppContext;
use crate::storage::blobs::bytes_to_blob;
use crate::storage::photo_cache::{
    keep_photo, keep_thumbnail, photo_on_phone, whole_photo_on_phone,
};
use futures::FutureExt;
use futures::future::{LocalBoxFuture, Shared};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use zoufang_domain::model::Evidence;

type Download = Shared<LocalBoxFuture<'static, Result<Rc<Vec<u8>>, ApiError>>>;

thread_local! {
    /// Downloads under way, by address: a tile drawn again while its photo is still coming (the screen is rebuilt
    /// when a sync run ends) waits for the same download instead of starting another. A download looks on the
    /// phone first and keeps what it fetched before it ends, so a tile drawn after it ended finds the bytes kept.
    static DOWNLOADS: RefCell<HashMap<String, Download>> = RefCell::new(HashMap::new());
}

/// `fetch`'s answer, shared by every caller asking for `address` while it runs.
async fn download_once(
    address: String,
    fetch: impl std::future::Future<Output = Result<Vec<u8>, ApiError>> + 'static,
) -> Result<Rc<Vec<u8>>, ApiError> {
    let running = DOWNLOADS.with_borrow_mut(|downloads| {
        downloads
            .entry(address.clone())
            .or_insert_with(|| {
                fetch
                    .map(|answer| answer.map(Rc::new))
                    .boxed_local()
                    .shared()
            })
            .clone()
    });
    let answer = running.await;
    DOWNLOADS.with_borrow_mut(|downloads| downloads.remove(&address));
    answer
}

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
    let caption = photo.caption.clone();
    let taken = photo
        .taken_at
        .to_offset(clock::local_offset())
        .date()
        .to_string();
    let photo = StoredValue::new(photo);
    // Read (or fetched) once: nothing the loader reads is tracked.
    let tile =
        LocalResource::new(move || async move { load_tile(context, &photo.get_value()).await });
    // The whole photo, fetched when the tile is opened.
    let whole = RwSignal::new(None::<Tile>);
    on_cleanup(move || {
        for shown in [
            tile.try_get_untracked().flatten(),
            whole.try_get_untracked().flatten(),
        ] {
            if let Some(Tile::Shown(url)) = shown {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    let open = move |_| {
        if whole.get_untracked().is_some() {
            return;
        }
        whole.set(Some(Tile::Loading));
        leptos::task::spawn_local(async move {
            let loaded = load_whole(context, &photo.get_value()).await;
            let _ = whole.try_set(Some(loaded));
        });
    };
    let close = move |_| {
        if let Some(Some(Tile::Shown(url))) = whole.try_get_untracked() {
            let _ = web_sys::Url::revoke_object_url(&url);
        }
        whole.set(None);
    };
    let alt = caption.clone();
    let label = Signal::derive(move || {
        format!("{} {}", t_string!(i18n, review.photo_open), alt)
            .trim_end()
            .to_owned()
    });
    let viewer_alt = caption.clone();
    view! {
        <li class="photo-tile" data-testid="photo-tile">
            {move || match tile.get().unwrap_or(Tile::Loading) {
                Tile::Loading => view! { <span class="photo-placeholder">{t!(i18n, loading)}</span> }.into_any(),
                Tile::Shown(url) => view! {
                    <button type="button" class="photo-open" aria-label=label on:click=open data-testid="photo-open">
                        <img class="photo-thumb" src=url alt="" loading="lazy" data-testid="photo-shown" />
                    </button>
                }.into_any(),
                Tile::Offline => view! {
                    <span class="photo-placeholder" data-testid="photo-offline">{t!(i18n, review.photo_offline)}</span>
                }.into_any(),
                Tile::Unavailable => view! {
                    <span class="photo-placeholder" data-testid="photo-unavailable">{t!(i18n, review.photo_unavailable)}</span>
                }.into_any(),
            }}
            <span class="photo-caption">{taken}" "{caption}</span>
            {move || whole.get().map(|state| {
                let body = match state {
                    Tile::Loading => view! { <p class="photo-viewer-note">{t!(i18n, loading)}</p> }.into_any(),
                    Tile::Shown(url) => view! {
                        <img class="photo-viewer-image" src=url alt=viewer_alt.clone() data-testid="photo-whole" />
                    }.into_any(),
                    Tile::Offline => view! {
                        <p class="photo-viewer-note" data-testid="photo-whole-offline">{t!(i18n, review.photo_offline)}</p>
                    }.into_any(),
                    Tile::Unavailable => view! {
                        <p class="photo-viewer-note">{t!(i18n, review.photo_unavailable)}</p>
                    }.into_any(),
                };
                view! {
                    <div class="photo-viewer" role="dialog" aria-modal="true" aria-label=label data-testid="photo-viewer">
                        {body}
                        <button type="button" class="button" on:click=close data-testid="photo-close">
                            {t!(i18n, review.photo_close)}
                        </button>
                    </div>
                }
            })}
        </li>
    }
}

fn object_url(bytes: &[u8]) -> Option<String> {
    bytes_to_blob(bytes, "image/jpeg")
        .ok()
        .and_then(|blob| web_sys::Url::create_object_url_with_blob(&blob).ok())
}

fn shown(bytes: &[u8]) -> Tile {
    object_url(bytes).map_or(Tile::Unavailable, Tile::Shown)
}

/// A failed download in the reviewer's terms.
fn failed(error: &ApiError) -> Tile {
    match error {
        ApiError::Offline | ApiError::Unreachable | ApiError::Timeout => Tile::Offline,
        _ => Tile::Unavailable,
    }
}

/// The tile: from the phone when it is there, else the server's thumbnail (a few KB, kept), else — a photo the
/// server cannot shrink — the whole photo.
async fn load_tile(context: AppContext, photo: &Evidence) -> Tile {
    let Some(store) = context.store() else {
        return Tile::Unavailable;
    };
    if let Ok(Some((bytes, _))) = photo_on_phone(&store, photo).await {
        return shown(&bytes);
    }
    let Some(session) = context.current() else {
        return Tile::Offline;
    };
    let sha256 = photo.sha256.as_str().to_owned();
    let address = format!("{sha256}/thumbnail");
    let (token, evidence) = (session.token.clone(), photo.clone());
    let fetch = async move {
        // Looked for again inside the shared download: a tile drawn again just after an earlier download was kept
        // finds it here instead of fetching it a second time.
        if let Ok(Some((bytes, _))) = photo_on_phone(&store, &evidence).await {
            return Ok(bytes);
        }
        let bytes = api::photo_thumbnail(&token, &sha256).await?;
        // Kept even if showing fails: the next screen that needs it will not download it again.
        let _ = keep_thumbnail(&store, &sha256, &bytes, &clock::rfc3339(clock::now_utc())).await;
        Ok(bytes)
    };
    match download_once(address, fetch).await {
        Ok(bytes) => shown(&bytes),
        Err(error @ (ApiError::Offline | ApiError::Unreachable | ApiError::Timeout)) => {
            failed(&error)
        }
        Err(_) => load_whole(context, photo).await,
    }
}

/// The whole photo: from the phone when it is there, else fetched once and kept.
async fn load_whole(context: AppContext, photo: &Evidence) -> Tile {
    let Some(store) = context.store() else {
        return Tile::Unavailable;
    };
    if let Ok(Some(bytes)) = whole_photo_on_phone(&store, photo).await {
        return shown(&bytes);
    }
    let Some(session) = context.current() else {
        return Tile::Offline;
    };
    let sha256 = photo.sha256.as_str().to_owned();
    let address = sha256.clone();
    let (token, evidence) = (session.token.clone(), photo.clone());
    let fetch = async move {
        if let Ok(Some(bytes)) = whole_photo_on_phone(&store, &evidence).await {
            return Ok(bytes);
        }
        let bytes = api::photo(&token, &sha256).await?;
        // A phone that cannot keep it still shows it this time.
        let _ = keep_photo(&store, &sha256, &bytes, &clock::rfc3339(clock::now_utc())).await;
        Ok(bytes)
    };
    match download_once(address, fetch).await {
        Ok(bytes) => shown(&bytes),
        Err(error) => failed(&error),
    }
}
