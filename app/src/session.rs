//! The logged-in user, kept on the phone so the app opens logged in without a network.

use crate::api::{self, ApiError};
use crate::i18n::Locale;
use crate::storage::{AppStore, Store, StoreError, StoredSession, meta_keys};
use leptos::prelude::*;
use uuid::Uuid;
use zoufang_domain::protocol::{LoginRequest, LoginResponse};

/// Where the app is in its life: reading the phone's storage, logged out, or logged in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Loading,
    LoggedOut,
    LoggedIn(StoredSession),
}

/// Who uses the app, as far as what is on screen depends on it. It changes on login and logout only: when
/// `GET /api/me` refreshes the stored profile (a new name, a new village) it stays equal, so nothing that
/// depends on it is rebuilt and the page a helper is typing in stays as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The phone's storage is still being read.
    Unknown,
    LoggedOut,
    User(Uuid),
}

/// App-wide state, provided as context. Every field is a cheap copyable handle.
#[derive(Debug, Clone, Copy)]
pub struct AppContext {
    /// The whole stored session, profile included; read it where the profile is shown. Code that decides what
    /// to mount reads [`AppContext::identity`] instead.
    pub session: RwSignal<SessionState>,
    /// The part of `session` that decides what is mounted: see [`Identity`].
    pub identity: Memo<Identity>,
    /// The server refused the stored token: the user must type the password again. Nothing local is lost.
    pub needs_reauth: RwSignal<bool>,
    /// The login page is shown over the shell to re-enter the password.
    pub reauth_open: RwSignal<bool>,
    /// Why IndexedDB is not in use, when the app runs on the in-memory fallback.
    pub storage_problem: RwSignal<Option<StoreError>>,
    store: StoredValue<Option<AppStore>, LocalStorage>,
}

impl AppContext {
    pub fn new() -> AppContext {
        let session = RwSignal::new(SessionState::Loading);
        AppContext {
            session,
            identity: Memo::new(move |_| {
                session.with(|state| match state {
                    SessionState::Loading => Identity::Unknown,
                    SessionState::LoggedOut => Identity::LoggedOut,
                    SessionState::LoggedIn(stored) => Identity::User(stored.user.id),
                })
            }),
            needs_reauth: RwSignal::new(false),
            reauth_open: RwSignal::new(false),
            storage_problem: RwSignal::new(None),
            store: StoredValue::new_local(None),
        }
    }

    /// The store, once [`AppContext::boot`] has opened it.
    pub fn store(&self) -> Option<AppStore> {
        self.store.get_value()
    }

    /// Opens storage, applies the stored language and restores the session; then, if online, checks
    /// the token with the server.
    pub fn boot(self, i18n: leptos_i18n::I18nContext<Locale>) {
        leptos::task::spawn_local(async move {
            let store = AppStore::open().await;
            self.storage_problem.set(store.degraded_reason().cloned());
            // Chinese first: zh-CN unless English was chosen in 我的 on this phone, whatever the
            // browser's own language.
            let stored_locale = store
                .get_meta::<String>(meta_keys::LOCALE)
                .await
                .ok()
                .flatten();
            i18n.set_locale(
                stored_locale
                    .as_deref()
                    .and_then(locale_from_code)
                    .unwrap_or(Locale::zh_CN),
            );
            let restored: Option<StoredSession> = match store.get_meta(meta_keys::SESSION).await {
                Ok(session) => session,
                Err(error) => {
                    self.storage_problem.set(Some(error));
                    None
                }
            };
            self.store.set_value(Some(store));
            match restored {
                Some(session) => {
                    let token = session.token.clone();
                    self.session.set(SessionState::LoggedIn(session));
                    self.check_token(token).await;
                }
                None => self.session.set(SessionState::LoggedOut),
            }
        });
    }

    /// Asks the server whether the token is still good. Offline or unreachable: nothing changes.
    async fn check_token(self, token: String) {
        match api::me(&token).await {
            Ok(user) => {
                let updated = self.session.with_untracked(|state| match state {
                    SessionState::LoggedIn(session) if session.token == token => {
                        Some(StoredSession {
                            user,
                            ..session.clone()
                        })
                    }
                    _ => None,
                });
                if let Some(updated) = updated {
                    self.remember(updated).await;
                }
            }
            Err(ApiError::Unauthorized(_)) => self.needs_reauth.set(true),
            Err(_) => {}
        }
    }

    /// Logs in with the server and keeps the session on the phone.
    pub async fn log_in(self, request: LoginRequest) -> Result<(), ApiError> {
        let LoginResponse {
            token,
            expires_at,
            user,
        } = api::login(&request).await?;
        self.remember(StoredSession {
            token,
            expires_at,
            user,
        })
        .await;
        self.needs_reauth.set(false);
        self.reauth_open.set(false);
        // Ask once, after the user has shown intent by logging in; browsers ignore a request without it.
        let _ = crate::platform::request_persistent_storage().await;
        Ok(())
    }

    async fn remember(self, session: StoredSession) {
        if let Some(store) = self.store()
            && let Err(error) = store.put_meta(meta_keys::SESSION, &session).await
        {
            self.storage_problem.set(Some(error));
        }
        self.session.set(SessionState::LoggedIn(session));
    }

    /// Forgets the session on this phone and tells the server (best effort).
    pub async fn log_out(self) {
        let token = self.session.with_untracked(|state| match state {
            SessionState::LoggedIn(session) => Some(session.token.clone()),
            _ => None,
        });
        if let Some(store) = self.store()
            && let Err(error) = store.delete_meta(meta_keys::SESSION).await
        {
            self.storage_problem.set(Some(error));
        }
        self.needs_reauth.set(false);
        self.reauth_open.set(false);
        self.session.set(SessionState::LoggedOut);
        if let Some(token) = token {
            let _ = api::logout(&token).await;
        }
    }

    /// Switches the language and remembers the choice on the phone.
    pub fn choose_locale(self, i18n: leptos_i18n::I18nContext<Locale>, locale: Locale) {
        i18n.set_locale(locale);
        if let Some(store) = self.store() {
            leptos::task::spawn_local(async move {
                if let Err(error) = store
                    .put_meta(meta_keys::LOCALE, &locale_code(locale))
                    .await
                {
                    self.storage_problem.set(Some(error));
                }
            });
        }
    }

    /// The logged-in session, if any (untracked read for event handlers).
    pub fn current(&self) -> Option<StoredSession> {
        self.session.with_untracked(|state| match state {
            SessionState::LoggedIn(session) => Some(session.clone()),
            _ => None,
        })
    }
}

impl Default for AppContext {
    fn default() -> Self {
        AppContext::new()
    }
}

/// The stable code a language is stored under.
pub fn locale_code(locale: Locale) -> String {
    match locale {
        Locale::zh_CN => "zh-CN".to_owned(),
        Locale::en => "en".to_owned(),
    }
}

/// The language for a stored code; `None` for a code this build does not know.
pub fn locale_from_code(code: &str) -> Option<Locale> {
    match code {
        "zh-CN" => Some(Locale::zh_CN),
        "en" => Some(Locale::en),
        _ => None,
    }
}
