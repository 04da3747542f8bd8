//! The logged-in user, kept on the phone so the app opens logged in without a network.

use crate::api::{self, ApiError};
use crate::i18n::Locale;
use crate::platform::performance_mark;
use crate::storage::account::{self, SessionOnPhone};
use crate::storage::crypto::{self, DataKey};
use crate::storage::lock::{self, Unlock};
use crate::storage::{AppStore, Backend, Store, StoreError, StoredSession, meta_keys};
use leptos::prelude::*;
use uuid::Uuid;
use zoufang_domain::protocol::{LoginRequest, LoginResponse};

/// Where the app is in its life: reading the phone's storage, logged out, locked, or logged in and unlocked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    Loading,
    LoggedOut,
    /// The user's data key is not in memory: their PIN is asked, or set.
    Locked(Lock),
    LoggedIn(StoredSession),
}

/// A locked app: whose, and what the lock screen asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lock {
    pub user: Uuid,
    pub step: LockStep,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockStep {
    /// The PIN opens the data key.
    EnterPin,
    /// First login on this phone (or the PIN was forgotten, or the app stored data before it had a PIN): a new
    /// PIN is chosen.
    SetPin,
}

/// Who uses the app, as far as what is on screen depends on it. It changes on login, logout, lock and unlock only:
/// when `GET /api/me` refreshes the stored profile (a new name, a new village) it stays equal, so nothing that
/// depends on it is rebuilt and the page a helper is typing in stays as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    /// The phone's storage is still being read.
    Unknown,
    LoggedOut,
    Locked(Lock),
    User(Uuid),
}

/// What a PIN typed on the lock screen did.
#[derive(Debug, Clone, PartialEq)]
pub enum PinOutcome {
    Unlocked,
    /// Wrong; this many in a row, and the next try waits until then (ms since the epoch; 0: no wait).
    Wrong {
        failures: u32,
        wait_until_ms: f64,
    },
    /// Too many wrong PINs: no try before then.
    Waiting {
        wait_until_ms: f64,
    },
    Failed(StoreError),
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
    /// What the last login kept on the phone for other users (their unsent items), to say so once.
    pub kept_for_others: RwSignal<usize>,
    /// Minutes the app may sit unused or hidden before the PIN is asked again.
    pub lock_after_minutes: RwSignal<u32>,
    backend: StoredValue<Option<Backend>, LocalStorage>,
    /// The user's data key, in memory only while unlocked.
    key: StoredValue<Option<DataKey>, LocalStorage>,
    /// A session waiting for its PIN (after a login, or stored before encryption at rest).
    pending: StoredValue<Option<StoredSession>, LocalStorage>,
    /// When the user last touched the app or it was last visible (ms since the epoch).
    last_active: StoredValue<f64, LocalStorage>,
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
                    SessionState::Locked(lock) => Identity::Locked(*lock),
                    SessionState::LoggedIn(stored) => Identity::User(stored.user.id),
                })
            }),
            needs_reauth: RwSignal::new(false),
            reauth_open: RwSignal::new(false),
            storage_problem: RwSignal::new(None),
            kept_for_others: RwSignal::new(0),
            lock_after_minutes: RwSignal::new(lock::DEFAULT_LOCK_AFTER_MINUTES),
            backend: StoredValue::new_local(None),
            key: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            last_active: StoredValue::new_local(0.0),
        }
    }

    /// The logged-in user's store, sealing with their data key; `None` when logged out or locked.
    pub fn store(&self) -> Option<AppStore> {
        let owner = self.current()?.user.id;
        Some(AppStore::sealed(
            self.backend.get_value()?,
            owner,
            self.key.get_value()?,
        ))
    }

    /// Opens storage, applies the stored language and finds who is logged in; a logged-in app opens locked.
    pub fn boot(self, i18n: leptos_i18n::I18nContext<Locale>) {
        leptos::task::spawn_local(async move {
            let backend = Backend::open().await;
            self.storage_problem.set(backend.degraded_reason().cloned());
            // Chinese first: zh-CN unless English was chosen in 我的 on this phone, whatever the
            // browser's own language.
            let stored_locale = backend
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
            if let Ok(Some(minutes)) = backend.get_meta::<u32>(lock::LOCK_AFTER_KEY).await {
                self.lock_after_minutes.set(minutes);
            }
            let on_phone = match account::session_on_phone(&backend).await {
                Ok(found) => found,
                Err(error) => {
                    self.storage_problem.set(Some(error));
                    SessionOnPhone::Nobody
                }
            };
            let state = match on_phone {
                SessionOnPhone::Nobody => SessionState::LoggedOut,
                SessionOnPhone::Plain(session) => {
                    let user = session.user.id;
                    self.pending.set_value(Some(session));
                    SessionState::Locked(Lock {
                        user,
                        step: LockStep::SetPin,
                    })
                }
                SessionOnPhone::Sealed { owner } => match lock::keyring(&backend, owner).await {
                    Ok(Some(_)) => SessionState::Locked(Lock {
                        user: owner,
                        step: LockStep::EnterPin,
                    }),
                    // No PIN on this phone for the sealed session: only a password login (which brings back the
                    // server's copy of the key) can open it. The data stays.
                    _ => SessionState::LoggedOut,
                },
            };
            self.backend.set_value(Some(backend));
            self.session.set(state);
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

    /// Logs in with the server and keeps the session on the phone. Another user's data is set aside first (their
    /// unsent items, which cannot go out with this login, are kept for them). The data key is the one in memory
    /// (the password typed again after the token expired), else the server's copy opened with the password (a
    /// forgotten PIN, or a new phone), else a new one; the server then keeps a copy wrapped with this password.
    /// Unless the key was in memory, a PIN is set next.
    pub async fn log_in(self, request: LoginRequest) -> Result<(), ApiError> {
        let LoginResponse {
            token,
            expires_at,
            user,
        } = api::login(&request).await?;
        let session = StoredSession {
            token,
            expires_at,
            user,
        };
        let user = session.user.id;
        let Some(backend) = self.backend.get_value() else {
            return Ok(());
        };
        match account::make_room_for(&backend, user).await {
            Ok(forgotten) => self.kept_for_others.set(forgotten.kept_items),
            Err(error) => self.storage_problem.set(Some(error)),
        }
        let in_memory = self
            .current()
            .filter(|current| current.user.id == user)
            .and(self.key.get_value());
        let from_server = match (&in_memory, api::data_key(&session.token).await) {
            (None, Ok(Some(copy))) => lock::open_escrow(&copy, &request.password)
                .await
                .ok()
                .flatten(),
            _ => None,
        };
        let has_keyring = matches!(lock::keyring(&backend, user).await, Ok(Some(_)));
        let key = match (in_memory.clone(), from_server) {
            (Some(key), _) | (None, Some(key)) => key,
            // The server's copy does not open (the password was changed since) but this phone has the user's
            // PIN: the PIN opens their data, and the new session waits for it.
            (None, None) if has_keyring => {
                self.pending.set_value(Some(session));
                self.key.set_value(None);
                self.finish_login();
                self.session.set(SessionState::Locked(Lock {
                    user,
                    step: LockStep::EnterPin,
                }));
                return Ok(());
            }
            (None, None) => match crypto::generate_data_key().await {
                Ok(key) => key,
                Err(error) => {
                    self.storage_problem.set(Some(error));
                    return Ok(());
                }
            },
        };
        if let Ok(copy) = lock::escrow(&key, &request.password).await {
            let _ = api::put_data_key(&session.token, &copy).await;
        }
        self.key.set_value(Some(key));
        self.finish_login();
        if in_memory.is_some() {
            self.remember(session).await;
        } else {
            self.pending.set_value(Some(session));
            self.session.set(SessionState::Locked(Lock {
                user,
                step: LockStep::SetPin,
            }));
        }
        Ok(())
    }

    fn finish_login(self) {
        self.needs_reauth.set(false);
        self.reauth_open.set(false);
        // Ask once, after the user has shown intent by logging in; browsers ignore a request without it.
        leptos::task::spawn_local(async {
            let _ = crate::platform::request_persistent_storage().await;
        });
    }

    /// Sets the PIN of a locked app at [`LockStep::SetPin`]: the data key (from the login, or a new one for data
    /// stored before encryption at rest) is wrapped with it, everything still in plaintext is sealed
    /// ([`lock::SEAL_VALUES_AT_REST`]), and the app opens.
    pub async fn set_pin(self, pin: &str) -> Result<(), StoreError> {
        let (Some(backend), Some(Lock { user, .. })) = (self.backend.get_value(), self.locked())
        else {
            return Ok(());
        };
        let key = match self.key.get_value() {
            Some(key) => key,
            None => crypto::generate_data_key().await?,
        };
        lock::set_pin(&backend, user, &key, pin).await?;
        self.open_with(&backend, user, key).await
    }

    /// Tries the PIN of a locked app at [`LockStep::EnterPin`].
    pub async fn enter_pin(self, pin: &str) -> PinOutcome {
        let (Some(backend), Some(Lock { user, .. })) = (self.backend.get_value(), self.locked())
        else {
            return PinOutcome::Unlocked;
        };
        match lock::unlock(&backend, user, pin, js_sys::Date::now()).await {
            Ok(Unlock::Opened(key)) => {
                performance_mark("unlock:key-opened");
                match self.open_with(&backend, user, key).await {
                    Ok(()) => PinOutcome::Unlocked,
                    Err(error) => PinOutcome::Failed(error),
                }
            }
            Ok(Unlock::Wrong {
                failures,
                wait_until_ms,
            }) => PinOutcome::Wrong {
                failures,
                wait_until_ms,
            },
            Ok(Unlock::Waiting { wait_until_ms }) => PinOutcome::Waiting { wait_until_ms },
            Ok(Unlock::NoKeyring) => {
                self.session.set(SessionState::LoggedOut);
                PinOutcome::Failed(StoreError::Corrupt("no PIN on this phone".to_owned()))
            }
            Err(error) => PinOutcome::Failed(error),
        }
    }

    /// The wrong PINs so far and until when the next try waits, for the lock screen after a reload.
    pub async fn pin_wait(self) -> Option<lock::PinFailures> {
        let (backend, Lock { user, .. }) = (self.backend.get_value()?, self.locked()?);
        lock::failures(&backend, user).await.ok()
    }

    /// With the data key: seal what is still plaintext, then open the session (the one waiting for the PIN, or
    /// the stored one) and check its token.
    async fn open_with(
        self,
        backend: &Backend,
        user: Uuid,
        key: DataKey,
    ) -> Result<(), StoreError> {
        lock::seal_values_at_rest(backend, user, &key).await?;
        self.key.set_value(Some(key.clone()));
        // A session just logged in is written sealed; the stored one is shown as it is, without writing it again.
        let (session, stored) = match self.pending.try_update_value(Option::take).flatten() {
            Some(session) => (Some(session), false),
            None => (
                AppStore::sealed(backend.clone(), user, key)
                    .get_meta::<StoredSession>(meta_keys::SESSION)
                    .await?,
                true,
            ),
        };
        performance_mark("unlock:session-read");
        self.touch();
        match session {
            Some(session) => {
                let token = session.token.clone();
                if stored {
                    self.session.set(SessionState::LoggedIn(session));
                } else {
                    self.remember(session).await;
                }
                self.check_token(token).await;
            }
            None => self.session.set(SessionState::LoggedOut),
        }
        Ok(())
    }

    /// The lock screen's "forgot the PIN": the password login gets the data key back from the server.
    pub fn forgot_pin(self) {
        self.key.set_value(None);
        self.session.set(SessionState::LoggedOut);
    }

    /// Locks the app now: the data key leaves memory and the PIN is asked.
    pub fn lock(self) {
        let Some(session) = self.current() else {
            return;
        };
        self.key.set_value(None);
        self.session.set(SessionState::Locked(Lock {
            user: session.user.id,
            step: LockStep::EnterPin,
        }));
    }

    /// The user did something: the idle time starts again.
    pub fn touch(self) {
        self.last_active.set_value(js_sys::Date::now());
    }

    /// Locks when the app has not been used (or seen) for [`AppContext::lock_after_minutes`].
    pub fn lock_if_idle(self) {
        let idle_ms = js_sys::Date::now() - self.last_active.get_value();
        let limit_ms = f64::from(self.lock_after_minutes.get_untracked()) * 60_000.0;
        if idle_ms >= limit_ms {
            self.lock();
        }
    }

    /// Chooses how long the app may sit unused before the PIN is asked, and remembers it on the phone.
    pub fn choose_lock_after(self, minutes: u32) {
        self.lock_after_minutes.set(minutes);
        if let Some(backend) = self.backend.get_value() {
            leptos::task::spawn_local(async move {
                if let Err(error) = backend.put_meta(lock::LOCK_AFTER_KEY, &minutes).await {
                    self.storage_problem.set(Some(error));
                }
            });
        }
    }

    fn locked(&self) -> Option<Lock> {
        self.session.with_untracked(|state| match state {
            SessionState::Locked(lock) => Some(*lock),
            _ => None,
        })
    }

    async fn remember(self, session: StoredSession) {
        if let Some(store) = self
            .backend
            .get_value()
            .zip(self.key.get_value())
            .map(|(backend, key)| AppStore::sealed(backend, session.user.id, key))
            && let Err(error) = store.put_meta(meta_keys::SESSION, &session).await
        {
            self.storage_problem.set(Some(error));
        }
        self.session.set(SessionState::LoggedIn(session));
    }

    /// Removes the user's data from this phone — except unsent outbox items and their photos, which stay for this
    /// user, sealed and unseen by others, until they log in again (the 我的 page offers to send them first) — and
    /// tells the server (best effort).
    pub async fn log_out(self) {
        let current = self.current();
        let token = current.as_ref().map(|session| session.token.clone());
        if let (Some(store), Some(backend)) = (self.store(), self.backend.get_value()) {
            match account::forget_user(&store, true).await {
                // Nothing kept: the PIN's keyring goes too.
                Ok(forgotten) if forgotten.kept_items == 0 => {
                    if let Some(session) = &current
                        && let Err(error) = lock::forget_keyring(&backend, session.user.id).await
                    {
                        self.storage_problem.set(Some(error));
                    }
                }
                Ok(_) => {}
                Err(error) => self.storage_problem.set(Some(error)),
            }
        }
        self.key.set_value(None);
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
        if let Some(store) = self.backend.get_value() {
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
