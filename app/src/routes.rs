//! The screens whose code loads on first use.
//!
//! The release build (`scripts/build-app`, `--cfg zoufang_split`) cuts the wasm into a main module (the login and
//! PIN pages, storage, the session) and one chunk per group of screens below: the logged-in frame with the
//! household list, sync and settings; the household (overview, editor, visit, review); night school; the village
//! view. Code that two groups share goes into a chunk loaded with the first of them. Other builds (tests,
//! `cargo check`) keep one module and call the same views directly, so nothing here changes what a screen does.
//!
//! The groups are few on purpose: wasm-split makes a chunk for every combination of groups that shares code, so
//! each extra group multiplies the files to fetch.
//!
//! `prefetch_for` loads the chunks a user's next tap most likely needs once the first screen is idle, so opening
//! a household never waits on the network; the service worker keeps every chunk for offline use.

// The split points' macro (`wasm_split`) generates the `unsafe` import of each chunk's function.
#![allow(unsafe_code)]

use crate::api::ApiError;
use crate::i18n::*;
use crate::session::{AppContext, PinOutcome};
use crate::storage::StoreError;
use leptos::prelude::*;
use leptos_router::LazyRoute;
use zoufang_domain::protocol::{LoginRequest, Role};

/// A chunk could not be fetched (no network and not in the service worker's cache).
#[derive(Debug, Clone, Copy)]
pub struct ChunkUnavailable;

#[cfg(zoufang_split)]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkUnavailable {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkUnavailable
    }
}

/// A view that lives in the chunk `$group`, and the function that fetches that chunk without showing anything.
macro_rules! split_view {
    ($group:ident, $view_fn:ident($($arg:ident: $ty:ty),*), $preload_fn:ident => $view:expr) => {
        #[cfg(zoufang_split)]
        #[leptos::wasm_split::wasm_split(
            $group,
            wasm_split_path = ::leptos::wasm_split,
            preload(#[allow(dead_code)] $preload_fn),
            fallible
        )]
        fn $view_fn($($arg: $ty),*) -> Result<AnyView, ChunkUnavailable> {
            Ok($view.into_any())
        }

        #[cfg(not(zoufang_split))]
        async fn $view_fn($($arg: $ty),*) -> Result<AnyView, ChunkUnavailable> {
            Ok($view.into_any())
        }

        #[cfg(not(zoufang_split))]
        #[allow(dead_code)]
        async fn $preload_fn() -> Result<(), ChunkUnavailable> {
            Ok(())
        }
    };
}

/// A route whose view is a `split_view`.
macro_rules! lazy_screen {
    ($(#[$doc:meta])* $route:ident, $group:ident, $view_fn:ident, $preload_fn:ident => $view:expr) => {
        split_view!($group, $view_fn(), $preload_fn => $view);

        $(#[$doc])*
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }
            async fn view(_this: Self) -> AnyView {
                $view_fn().await.unwrap_or_else(|_| unavailable())
            }
            async fn preload() {
                let _ = $preload_fn().await;
            }
        }
    };
}

lazy_screen!(
    /// One household's frame: its header, tabs and the draft it edits.
    HouseholdRoute, household, household_frame, preload_household_frame
        => view! { <crate::pages::household::HouseholdPage /> }
);
lazy_screen!(
    /// A household's overview: colour, income, plan, last visit, what is due.
    OverviewRoute, household, household_overview, preload_household_overview
        => view! { <crate::pages::household::overview::HouseholdOverview /> }
);
lazy_screen!(
    /// One section of the household editor.
    SectionRoute, household, household_section, preload_household_section
        => view! { <crate::pages::household::section::SectionScreen /> }
);
lazy_screen!(
    /// The stepped visit flow.
    VisitRoute, household, household_visit, preload_household_visit
        => view! { <crate::pages::household::visit_flow::VisitFlow /> }
);
lazy_screen!(
    /// The first secretary's review of what a helper submitted.
    ReviewRoute, household, household_review, preload_household_review
        => view! { <crate::pages::review::screen::ReviewScreen /> }
);
lazy_screen!(
    /// Night school at the teaching point.
    NightSchoolRoute, night_school, night_school_page, preload_night_school_page
        => view! { <crate::pages::night_school::NightSchoolPage /> }
);
lazy_screen!(
    /// Follow-ups after a lesson.
    AfterLessonRoute, night_school, after_lesson_page, preload_after_lesson_page
        => view! { <crate::pages::night_school::after_lesson::AfterLessonPage /> }
);
lazy_screen!(
    /// The printable sign-in sheet.
    SignInSheetRoute, night_school, sign_in_sheet_page, preload_sign_in_sheet_page
        => view! { <crate::pages::night_school::print::SignInSheetPage /> }
);
lazy_screen!(
    /// The first secretary's village view.
    VillageRoute, village, village_page, preload_village_page
        => view! { <crate::pages::village::VillagePage /> }
);

split_view!(shell, shell_view(), preload_shell => view! { <crate::Shell /> });

/// The logged-in frame (routes, navigation, the sync driver, the household list), loaded after the login or the
/// PIN.
pub async fn shell() -> AnyView {
    shell_view().await.unwrap_or_else(|_| unavailable())
}

/// What a login does after the server said yes (the data key, another user's data set aside), in the logged-in
/// frame's chunk: the login page only sends the password.
#[cfg(zoufang_split)]
#[leptos::wasm_split::wasm_split(
    shell,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    return_wrapper(let future = _; { future.await } -> Result<(), ApiError>)
)]
fn log_in_in_chunk(
    context: AppContext,
    request: LoginRequest,
) -> LocalFuture<Result<(), ApiError>> {
    Box::pin(context.log_in(request))
}

#[cfg(zoufang_split)]
type LocalFuture<T> = std::pin::Pin<Box<dyn std::future::Future<Output = T>>>;

/// Without the chunk the login cannot finish; for the user that is the server being out of reach.
#[cfg(zoufang_split)]
impl From<leptos::wasm_split::SplitLoaderError> for ApiError {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ApiError::Unreachable
    }
}

/// Opens the phone's data with the PIN (`AppContext::enter_pin`: the data key, then the migration that seals old
/// values), in the logged-in frame's chunk, which the PIN page prefetches while the PIN is typed.
#[cfg(zoufang_split)]
#[leptos::wasm_split::wasm_split(
    shell,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    return_wrapper(let future = _; { Ok(future.await) } -> Result<PinOutcome, ChunkUnavailable>)
)]
fn enter_pin_in_chunk(context: AppContext, pin: String) -> LocalFuture<PinOutcome> {
    Box::pin(async move { context.enter_pin(&pin).await })
}

/// Sets a new PIN and seals the phone's data with it (`AppContext::set_pin`), in the logged-in frame's chunk.
#[cfg(zoufang_split)]
#[leptos::wasm_split::wasm_split(
    shell,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    return_wrapper(let future = _; { Ok(future.await) } -> Result<Result<(), StoreError>, ChunkUnavailable>)
)]
fn set_pin_in_chunk(context: AppContext, pin: String) -> LocalFuture<Result<(), StoreError>> {
    Box::pin(async move { context.set_pin(&pin).await })
}

/// `AppContext::enter_pin`, or why it could not run.
pub async fn enter_pin(context: AppContext, pin: String) -> Result<PinOutcome, ChunkUnavailable> {
    #[cfg(zoufang_split)]
    return enter_pin_in_chunk(context, pin).await;
    #[cfg(not(zoufang_split))]
    return Ok(context.enter_pin(&pin).await);
}

/// `AppContext::set_pin`, or why it could not run.
pub async fn set_pin(
    context: AppContext,
    pin: String,
) -> Result<Result<(), StoreError>, ChunkUnavailable> {
    #[cfg(zoufang_split)]
    return set_pin_in_chunk(context, pin).await;
    #[cfg(not(zoufang_split))]
    return Ok(context.set_pin(&pin).await);
}

/// Logs in with the phone and password (`AppContext::log_in`).
pub async fn log_in(context: AppContext, request: LoginRequest) -> Result<(), ApiError> {
    #[cfg(zoufang_split)]
    return log_in_in_chunk(context, request).await;
    #[cfg(not(zoufang_split))]
    return context.log_in(request).await;
}

/// Said in place of a screen whose chunk could not be fetched; opening it again tries again.
fn unavailable() -> AnyView {
    let i18n = use_i18n();
    view! {
        <div class="banner banner-warning" role="alert" data-testid="screen-unavailable">
            <p>{t!(i18n, screen_unavailable.message)}</p>
            <button type="button" class="button" on:click=|_| {
                let _ = window().location().reload();
            }>{t!(i18n, screen_unavailable.retry)}</button>
        </div>
    }
    .into_any()
}

/// How long after the first screen is painted the next chunks start loading: the screen's own reads and
/// requests go first.
const PREFETCH_AFTER: std::time::Duration = std::time::Duration::from_secs(1);

fn when_idle(then: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(then, PREFETCH_AFTER));
}

/// Loads the logged-in frame's code without showing it, once the PIN page is idle.
pub fn prefetch_shell() {
    when_idle(|| {
        leptos::task::spawn_local(async {
            let _ = preload_shell().await;
        })
    });
}

/// Loads the chunks this user's next tap most likely needs, once the first screen is idle.
pub fn prefetch_for(role: Role) {
    when_idle(move || {
        leptos::task::spawn_local(async move {
            match role {
                Role::Helper => HouseholdRoute::preload().await,
                Role::FirstSecretary => {
                    VillageRoute::preload().await;
                    HouseholdRoute::preload().await;
                }
                Role::VillageCadre => NightSchoolRoute::preload().await,
                Role::Admin => {}
            }
        })
    });
}
