//! 照片 in the visit form and on each 两不愁三保障 checklist item: take photos with the camera or pick several from the gallery, see each with its
//! thumbnail, size, time and place, write a caption, delete one (with confirmation; refused while a queued
//! record still needs it). A file that cannot be read gets a message naming it; the others of the same pick
//! are still added. The page owns the phone's photo records: it provides a [`Photos`] handle (`PhotoAccess`) that
//! this section asks to load, add, caption and delete; the section never touches storage itself.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use time::OffsetDateTime;

use crate::clock;
use crate::draft::HouseholdDraft;
use crate::i18n::*;
use crate::photos::{WatermarkFacts, location};
use crate::platform::human_bytes;
use crate::session::AppContext;
use leptos::prelude::*;
use zoufang_domain::model::{ChecklistItem, Evidence, EvidenceId, GpsFix, MeasureId, Relation};

type I18n = leptos_i18n::I18nContext<Locale>;

/// What a list of photos belongs to, and where in the draft its evidence ids live.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoTarget {
    /// The visit being written (`visit.evidence`).
    Visit,
    /// One 两不愁三保障 item (`checklist.<item>.evidence`).
    Checklist(ChecklistItem),
    /// The progress of one plan measure (`plan.measures[i].evidence`).
    Measure(MeasureId),
}

impl PhotoTarget {
    /// The ids of the photos the draft lists for this target.
    pub fn ids(self, draft: &HouseholdDraft) -> Vec<EvidenceId> {
        match self {
            PhotoTarget::Visit => draft.visit.evidence.clone(),
            PhotoTarget::Checklist(item) => draft.household.checklist.entry(item).evidence.clone(),
            PhotoTarget::Measure(id) => draft
                .plan
                .measures
                .iter()
                .find(|measure| measure.id == id)
                .map(|measure| measure.evidence.clone())
                .unwrap_or_default(),
        }
    }

    /// Where the ids live; `None` for a measure that has been removed meanwhile.
    fn ids_mut(self, draft: &mut HouseholdDraft) -> Option<&mut Vec<EvidenceId>> {
        match self {
            PhotoTarget::Visit => Some(&mut draft.visit.evidence),
            PhotoTarget::Checklist(item) => {
                Some(&mut draft.household.checklist.entry_mut(item).evidence)
            }
            PhotoTarget::Measure(id) => draft
                .plan
                .measures
                .iter_mut()
                .find(|measure| measure.id == id)
                .map(|measure| &mut measure.evidence),
        }
    }

    /// The field path the summary links to.
    fn path(self) -> String {
        match self {
            PhotoTarget::Visit => "visit.evidence".to_owned(),
            PhotoTarget::Checklist(item) => format!("checklist.{}.evidence", item.field_name()),
            PhotoTarget::Measure(id) => format!("measure-{id}-evidence"),
        }
    }

    fn test_id(self) -> &'static str {
        match self {
            PhotoTarget::Visit => "photos",
            PhotoTarget::Checklist(_) => "checklist-photos",
            PhotoTarget::Measure(_) => "measure-photos",
        }
    }
}

/// One photo as the list shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShownPhoto {
    pub evidence: Evidence,
    /// The picked file's name (the thumbnail's text when there is no caption).
    pub file_name: String,
    /// An object URL of the thumbnail; the list revokes it when the photo or the list goes away.
    pub thumbnail: Option<String>,
}

impl ShownPhoto {
    fn id(&self) -> EvidenceId {
        self.evidence.id
    }
}

/// Why a photo cannot be deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeleteRefusal {
    /// A queued record submitted at this time still needs it.
    Queued(OffsetDateTime),
    /// The phone's storage failed: what to do about it, in words.
    Failed(String),
}

/// Work the page does for the section, finished later.
pub type Pending<T> = Pin<Box<dyn Future<Output = T>>>;

/// What the photos section asks of its page, which owns the phone's photo records. Messages come back as the words
/// a helper reads.
pub trait PhotoAccess {
    /// The photos of `target`: the ones the draft lists, then any stored for it that the draft does not list yet (a
    /// photo stored just before the tab was closed, before the draft was saved with it).
    fn load(&self, target: PhotoTarget, draft: &HouseholdDraft) -> Pending<Vec<ShownPhoto>>;
    /// Processes and stores one picked file for `target`; `Err` is the message naming the file.
    fn add(
        &self,
        target: PhotoTarget,
        draft: &HouseholdDraft,
        file: web_sys::File,
        facts: WatermarkFacts,
        gps: Option<GpsFix>,
    ) -> Pending<Result<ShownPhoto, String>>;
    /// Saves a caption; `Err` says what to do about a storage failure.
    fn set_caption(&self, id: EvidenceId, caption: String) -> Pending<Result<(), String>>;
    /// Whether the photo may be deleted now.
    fn may_delete(&self, id: EvidenceId) -> Pending<Result<(), DeleteRefusal>>;
    fn delete(&self, id: EvidenceId) -> Pending<Result<(), DeleteRefusal>>;
}

/// The page's [`PhotoAccess`], in context (`use_context::<Photos>()`).
#[derive(Clone, Copy)]
pub struct Photos(StoredValue<Rc<dyn PhotoAccess>, LocalStorage>);

impl Photos {
    pub fn new(access: Rc<dyn PhotoAccess>) -> Photos {
        Photos(StoredValue::new_local(access))
    }

    fn get(self) -> Rc<dyn PhotoAccess> {
        self.0.get_value()
    }
}

/// The photos of the draft's visit. Renders nothing where the page provides no photo access (tests that mount
/// the forms alone).
#[component]
pub fn VisitPhotos(draft: RwSignal<HouseholdDraft>) -> impl IntoView {
    view! { <TargetPhotos draft=draft target=PhotoTarget::Visit /> }
}

/// The photos of one checklist item.
#[component]
pub fn ChecklistPhotos(draft: RwSignal<HouseholdDraft>, item: ChecklistItem) -> impl IntoView {
    view! { <TargetPhotos draft=draft target=PhotoTarget::Checklist(item) /> }
}

/// The progress photos of one plan measure.
#[component]
pub fn MeasurePhotos(draft: RwSignal<HouseholdDraft>, measure: MeasureId) -> impl IntoView {
    view! { <TargetPhotos draft=draft target=PhotoTarget::Measure(measure) /> }
}

#[component]
fn TargetPhotos(draft: RwSignal<HouseholdDraft>, target: PhotoTarget) -> impl IntoView {
    let (Some(context), Some(photos)) = (use_context::<AppContext>(), use_context::<Photos>())
    else {
        return ().into_any();
    };
    view! { <PhotoList draft=draft photos=photos context=context target=target /> }.into_any()
}

/// The thumbnails' object URLs, released when the list goes away.
#[derive(Clone, Copy)]
struct Thumbnails(RwSignal<BTreeMap<EvidenceId, String>>);

impl Thumbnails {
    fn new() -> Thumbnails {
        let urls = RwSignal::new(BTreeMap::<EvidenceId, String>::new());
        on_cleanup(move || {
            for url in urls.get_untracked().values() {
                let _ = web_sys::Url::revoke_object_url(url);
            }
        });
        Thumbnails(urls)
    }

    fn keep(self, id: EvidenceId, url: Option<String>) {
        if let Some(url) = url {
            self.0.update(|urls| {
                urls.insert(id, url);
            });
        }
    }

    fn forget(self, id: EvidenceId) {
        self.0.update(|urls| {
            if let Some(url) = urls.remove(&id) {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        });
    }

    fn url(self, id: EvidenceId) -> Option<String> {
        self.0.with(|urls| urls.get(&id).cloned())
    }
}

#[component]
fn PhotoList(
    draft: RwSignal<HouseholdDraft>,
    photos: Photos,
    context: AppContext,
    target: PhotoTarget,
) -> impl IntoView {
    let i18n = use_i18n();
    let photos_list = RwSignal::new(Vec::<ShownPhoto>::new());
    let thumbnails = Thumbnails::new();
    let progress = RwSignal::new(None::<(usize, usize)>);
    let locating = RwSignal::new(false);
    let problems = RwSignal::new(Vec::<String>::new());

    // The draft lists the photos; one stored for the target but not listed yet is put back in the draft.
    let loading = draft.with_untracked(|d| photos.get().load(target, d));
    leptos::task::spawn_local(async move {
        let found = loading.await;
        let listed = draft.with_untracked(|d| target.ids(d));
        let missing: Vec<EvidenceId> = found
            .iter()
            .map(ShownPhoto::id)
            .filter(|id| !listed.contains(id))
            .collect();
        if !missing.is_empty() {
            draft.update(|d| {
                if let Some(ids) = target.ids_mut(d) {
                    ids.extend(missing);
                }
            });
        }
        for photo in &found {
            thumbnails.keep(photo.id(), photo.thumbnail.clone());
        }
        photos_list.set(found);
    });

    let on_pick = move |event: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&event);
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| {
                (0..list.length())
                    .filter_map(|index| list.get(index))
                    .collect()
            })
            .unwrap_or_default();
        // Cleared so that picking the same file again fires another change.
        input.set_value("");
        if files.is_empty() || progress.get_untracked().is_some() {
            return;
        }
        let facts = watermark_facts(i18n, context, draft);
        problems.set(Vec::new());
        progress.set(Some((0, files.len())));
        leptos::task::spawn_local(async move {
            let access = photos.get();
            locating.set(true);
            let gps = location::current_fix().await;
            locating.set(false);
            let total = files.len();
            for (index, file) in files.into_iter().enumerate() {
                progress.set(Some((index, total)));
                let adding =
                    draft.with_untracked(|d| access.add(target, d, file, facts.clone(), gps));
                match adding.await {
                    Ok(photo) => {
                        let id = photo.id();
                        draft.update(|d| {
                            if let Some(ids) = target.ids_mut(d) {
                                ids.push(id);
                            }
                        });
                        thumbnails.keep(id, photo.thumbnail.clone());
                        photos_list.update(|list| list.push(photo));
                    }
                    Err(message) => problems.update(|list| list.push(message)),
                }
            }
            progress.set(None);
        });
    };
    let removed = Callback::new(move |id: EvidenceId| {
        photos_list.update(|list| list.retain(|record| record.id() != id));
        draft.update(|d| {
            if let Some(ids) = target.ids_mut(d) {
                ids.retain(|kept| *kept != id);
            }
        });
        thumbnails.forget(id);
    });
    let busy = move || progress.get().is_some();
    let status = move || {
        progress.get().map(|(done, total)| {
            if locating.get() {
                t_string!(i18n, photos.locating).to_string()
            } else {
                t_string!(i18n, photos.processing, done = done + 1, total = total).to_string()
            }
        })
    };

    view! {
        <div class="card form photos" id=target.path() data-testid=target.test_id()>
            <h3>{t!(i18n, photos.title)}</h3>
            <p class="hint">{t!(i18n, photos.hint)}</p>
            <div class="photo-actions">
                <label class="button button-primary photo-pick" class:disabled=busy>
                    {t!(i18n, photos.take)}
                    <input type="file" accept="image/*" capture="environment" multiple
                        data-testid="photo-camera" prop:disabled=busy on:change=on_pick />
                </label>
                <label class="button photo-pick" class:disabled=busy>
                    {t!(i18n, photos.gallery)}
                    <input type="file" accept="image/*" multiple
                        data-testid="photo-gallery" prop:disabled=busy on:change=on_pick />
                </label>
            </div>
            {move || status().map(|text| view! { <p class="photo-status" role="status" data-testid="photo-status">{text}</p> })}
            <ul class="photo-problems" role="alert">
                <For each=move || problems.get().into_iter().enumerate() key=|(index, _)| *index let:problem>
                    <li class="form-error" data-testid="photo-problem">{problem.1}</li>
                </For>
            </ul>
            <ul class="photo-list">
                <For each=move || photos_list.get() key=ShownPhoto::id let:record>
                    <PhotoRow record=record photos=photos thumbnails=thumbnails removed=removed />
                </For>
            </ul>
        </div>
    }
}

/// What a new photo's watermark says besides the moment and the place.
fn watermark_facts(
    i18n: I18n,
    context: AppContext,
    draft: RwSignal<HouseholdDraft>,
) -> WatermarkFacts {
    let (head, code) = draft.with_untracked(|d| {
        let head = d
            .household
            .members
            .iter()
            .find(|member| member.relation == Relation::Head)
            .map(|member| member.name.clone())
            .unwrap_or_default();
        (head, d.household.household_code.clone())
    });
    let household = match (head.is_empty(), code.is_empty()) {
        (false, false) => {
            t_string!(i18n, photos.watermark_household, name = head, code = code).to_string()
        }
        (false, true) => head,
        (true, _) => t_string!(i18n, photos.watermark_code, code = code).to_string(),
    };
    let helper = context
        .current()
        .map(|session| {
            t_string!(i18n, photos.watermark_helper, name = session.user.name).to_string()
        })
        .unwrap_or_default();
    WatermarkFacts {
        household,
        helper,
        no_location: t_string!(i18n, photos.no_location).to_string(),
    }
}

/// Where deleting one photo stands.
#[derive(Debug, Clone, PartialEq, Eq)]
enum DeleteState {
    Idle,
    Asking,
    /// Refused: a queued record submitted at this time still needs the photo.
    Queued(OffsetDateTime),
    /// The phone's storage failed (deleting it or saving its caption): the whole message.
    Failed(String),
}

fn refused(i18n: I18n, refusal: DeleteRefusal) -> DeleteState {
    match refusal {
        DeleteRefusal::Queued(submitted_at) => DeleteState::Queued(submitted_at),
        DeleteRefusal::Failed(advice) => {
            DeleteState::Failed(t_string!(i18n, photos.delete_failed, advice = advice).to_string())
        }
    }
}

#[component]
fn PhotoRow(
    record: ShownPhoto,
    photos: Photos,
    thumbnails: Thumbnails,
    removed: Callback<EvidenceId>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = record.id();
    let caption = RwSignal::new(record.evidence.caption.clone());
    let delete_state = RwSignal::new(DeleteState::Idle);
    let (width, height) = (
        record.evidence.width.unwrap_or_default(),
        record.evidence.height.unwrap_or_default(),
    );
    let gps = crate::photos::layout::gps_text(record.evidence.gps);
    let meta = {
        let size = human_bytes(record.evidence.bytes as f64);
        let taken = clock::date_time(record.evidence.taken_at);
        move || {
            let place = gps
                .clone()
                .unwrap_or_else(|| t_string!(i18n, photos.no_location).to_string());
            format!("{width}×{height} · {size} · {taken} · {place}")
        }
    };
    let file_name = record.file_name.clone();
    let on_caption = move |event: leptos::ev::Event| {
        let text = event_target_value(&event);
        caption.set(text.clone());
        let saving = photos.get().set_caption(id, text);
        leptos::task::spawn_local(async move {
            if let Err(advice) = saving.await {
                delete_state.set(DeleteState::Failed(
                    t_string!(i18n, photos.caption_failed, advice = advice).to_string(),
                ));
            }
        });
    };
    let ask = move |_| {
        let asking = photos.get().may_delete(id);
        leptos::task::spawn_local(async move {
            match asking.await {
                Ok(()) => delete_state.set(DeleteState::Asking),
                Err(refusal) => delete_state.set(refused(i18n, refusal)),
            }
        });
    };
    let confirm = move |_| {
        let deleting = photos.get().delete(id);
        leptos::task::spawn_local(async move {
            match deleting.await {
                Ok(()) => removed.run(id),
                Err(refusal) => delete_state.set(refused(i18n, refusal)),
            }
        });
    };
    let caption_label = move || t_string!(i18n, photos.caption).to_string();
    let caption_id = format!("photo-caption-{id}");
    let caption_for = caption_id.clone();
    view! {
        <li class="photo" data-testid="photo" data-evidence-id=id.to_string()>
            <img class="photo-thumb" alt=move || if caption.get().is_empty() { file_name.clone() } else { caption.get() }
                src=move || thumbnails.url(id).unwrap_or_default() />
            <div class="photo-body">
                <p class="photo-meta" data-testid="photo-meta">{meta}</p>
                <label class="field" for=caption_for>
                    <span class="field-label">{caption_label}</span>
                    <input type="text" id=caption_id data-testid="photo-caption" prop:value=move || caption.get()
                        placeholder=move || t_string!(i18n, photos.caption_hint).to_string() on:input=on_caption />
                </label>
                {move || match delete_state.get() {
                    DeleteState::Idle => view! {
                        <button type="button" class="button button-quiet" data-testid="photo-delete" on:click=ask>
                            {t!(i18n, photos.delete)}
                        </button>
                    }.into_any(),
                    DeleteState::Asking => view! {
                        <div class="confirm" role="alertdialog">
                            <span>{t!(i18n, photos.delete_confirm)}</span>
                            <button type="button" class="button button-danger-small" data-testid="photo-delete-yes" on:click=confirm>
                                {t!(i18n, photos.delete)}
                            </button>
                            <button type="button" class="button" on:click=move |_| delete_state.set(DeleteState::Idle)>
                                {t!(i18n, forms.cancel)}
                            </button>
                        </div>
                    }.into_any(),
                    DeleteState::Queued(submitted_at) => {
                        let when = clock::date_time(submitted_at);
                        view! {
                            <p class="form-error" role="alert" data-testid="photo-delete-refused">
                                {t_string!(i18n, photos.delete_queued, time = when).to_string()}
                            </p>
                            <button type="button" class="button" on:click=move |_| delete_state.set(DeleteState::Idle)>
                                {t!(i18n, photos.understood)}
                            </button>
                        }.into_any()
                    }
                    DeleteState::Failed(message) => view! {
                        <p class="form-error" role="alert" data-testid="photo-delete-failed">{message}</p>
                        <button type="button" class="button" on:click=move |_| delete_state.set(DeleteState::Idle)>
                            {t!(i18n, photos.understood)}
                        </button>
                    }.into_any(),
                }}
            </div>
        </li>
    }
}
