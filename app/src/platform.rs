//! Browser capabilities the shell needs, each feature-detected: the service worker, persistent storage
//! and the storage estimate. A missing API degrades to "unknown", never to a panic.

use js_sys::{Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What the service worker has done for this page.
#[derive(Debug, Clone, Copy)]
pub struct ServiceWorkerStatus {
    /// The shell is cached: the app will open without a network.
    pub offline_ready: RwSignal<bool>,
    /// A newer build is installed and waits for this page to let it take over.
    pub update_waiting: RwSignal<bool>,
}

fn property(target: &JsValue, name: &str) -> Option<JsValue> {
    Reflect::get(target, &JsValue::from_str(name))
        .ok()
        .filter(|value| !value.is_undefined() && !value.is_null())
}

fn service_worker_container() -> Option<web_sys::ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    property(&navigator, "serviceWorker")?.dyn_into().ok()
}

/// Registers `/sw.js` and keeps [`ServiceWorkerStatus`] current. Does nothing where service workers
/// are unsupported (some in-app browsers) or not allowed (plain http other than localhost).
pub fn register_service_worker(status: ServiceWorkerStatus) {
    let Some(container) = service_worker_container() else {
        return;
    };
    let options = web_sys::RegistrationOptions::new();
    options.set_update_via_cache(web_sys::ServiceWorkerUpdateViaCache::None);
    let registration_promise = container.register_with_options("/sw.js", &options);
    let ready_promise = container.ready();
    leptos::task::spawn_local(async move {
        if let Ok(registration) = JsFuture::from(registration_promise).await
            && let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>()
        {
            watch_for_updates(&registration, status);
        }
    });
    if let Ok(ready_promise) = ready_promise {
        leptos::task::spawn_local(async move {
            if JsFuture::from(ready_promise).await.is_ok() {
                status.offline_ready.set(true);
            }
        });
    }
}

fn watch_for_updates(
    registration: &web_sys::ServiceWorkerRegistration,
    status: ServiceWorkerStatus,
) {
    let has_controller = || {
        service_worker_container()
            .and_then(|c| c.controller())
            .is_some()
    };
    if registration.waiting().is_some() && has_controller() {
        status.update_waiting.set(true);
    }
    let watched = registration.clone();
    let on_update_found = Closure::<dyn FnMut()>::new(move || {
        let Some(installing) = watched.installing() else {
            return;
        };
        let worker = installing.clone();
        let on_state_change = Closure::<dyn FnMut()>::new(move || {
            // "installed" with a controller present means an older build runs this page.
            if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                status.update_waiting.set(true);
            }
        });
        installing.set_onstatechange(Some(on_state_change.as_ref().unchecked_ref()));
        on_state_change.forget();
    });
    registration.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
    on_update_found.forget();
}

/// Lets the waiting build take over and reloads once it controls the page, so html, js and wasm
/// always come from the same build.
pub fn activate_waiting_update() {
    let Some(container) = service_worker_container() else {
        return;
    };
    let on_controller_change = Closure::<dyn FnMut()>::new(|| {
        if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();
    leptos::task::spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let Ok(registration) = registration.dyn_into::<web_sys::ServiceWorkerRegistration>() else {
            return;
        };
        if let Some(waiting) = registration.waiting() {
            let message = js_sys::Object::new();
            let _ = Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
            let _ = waiting.post_message(&message);
        }
    });
}

/// What the browser says about the app's local storage.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct StorageReport {
    /// `None` where `navigator.storage.persisted` is missing.
    pub persisted: Option<bool>,
    /// Bytes used and the quota, where `navigator.storage.estimate` exists.
    pub usage_bytes: Option<f64>,
    pub quota_bytes: Option<f64>,
}

fn storage_manager() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    property(&navigator, "storage")
}

async fn call_promise(target: &JsValue, method: &str) -> Option<JsValue> {
    let function: js_sys::Function = property(target, method)?.dyn_into().ok()?;
    let promise: Promise = function.call0(target).ok()?.dyn_into().ok()?;
    JsFuture::from(promise).await.ok()
}

/// Asks the browser not to evict the app's data under storage pressure. Returns the answer, or `None`
/// where the API is missing.
pub async fn request_persistent_storage() -> Option<bool> {
    let manager = storage_manager()?;
    call_promise(&manager, "persist").await?.as_bool()
}

/// Reads whether storage is persistent and how much is used.
pub async fn storage_report() -> StorageReport {
    let Some(manager) = storage_manager() else {
        return StorageReport::default();
    };
    let persisted = call_promise(&manager, "persisted")
        .await
        .and_then(|value| value.as_bool());
    let estimate = call_promise(&manager, "estimate").await;
    let number = |name: &str| {
        estimate
            .as_ref()
            .and_then(|e| property(e, name))
            .and_then(|v| v.as_f64())
    };
    StorageReport {
        persisted,
        usage_bytes: number("usage"),
        quota_bytes: number("quota"),
    }
}

/// Formats a byte count for people: "0 B", "12.3 KB", "4.5 MB", "1.2 GB".
pub fn human_bytes(bytes: f64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut value = bytes.max(0.0);
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[unit])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `navigator.onLine` as a signal, updated by the `online` and `offline` events.
pub fn use_online() -> ReadSignal<bool> {
    let initial = web_sys::window().is_none_or(|window| window.navigator().on_line());
    let (online, set_online) = signal(initial);
    let _ = window_event_listener(leptos::ev::online, move |_| set_online.set(true));
    let _ = window_event_listener(leptos::ev::offline, move |_| set_online.set(false));
    online
}

/// Leaves a named mark on the page's performance timeline (`performance.mark`), which the benchmarks read
/// (`tools/bench-autosave.mjs`). Does nothing where there is no `performance`.
pub fn performance_mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}
