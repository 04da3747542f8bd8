//! The lock screen: setting the 6-digit app PIN after a login, and typing it when the app opens or has sat unused.
//! Wrong PINs are throttled by `storage::lock`; a forgotten PIN goes back to the password login.

use crate::i18n::*;
use crate::session::{AppContext, LockStep, PinOutcome};
use crate::storage::lock::is_valid_pin;
use leptos::prelude::*;

/// What the lock screen says under the PIN.
#[derive(Debug, Clone, PartialEq)]
enum LockMessage {
    Invalid,
    Mismatch,
    Wrong(u32),
    /// Until this instant (ms since the epoch).
    Wait(f64),
    Storage,
    /// The code that opens the phone's data could not be fetched.
    Unavailable,
}

fn wait_label(until_ms: f64) -> String {
    let nanos = (until_ms * 1_000_000.0) as i128;
    time::OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map(crate::clock::clock_time)
        .unwrap_or_default()
}

#[component]
pub fn LockPage(step: LockStep) -> impl IntoView {
    let i18n = use_i18n();
    let context = expect_context::<AppContext>();
    let pin = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let message = RwSignal::new(None::<LockMessage>);
    let forgot_open = RwSignal::new(false);
    let setting = step == LockStep::SetPin;
    crate::routes::prefetch_shell();

    // After a reload the wait from earlier wrong PINs still holds: say so at once.
    if !setting {
        leptos::task::spawn_local(async move {
            if let Some(failures) = context.pin_wait().await
                && failures.wait_until_ms > js_sys::Date::now()
            {
                message.set(Some(LockMessage::Wait(failures.wait_until_ms)));
            }
        });
    }

    let submit = Action::new_local(move |typed: &(String, String)| {
        let (typed, again) = typed.clone();
        async move {
            if !is_valid_pin(&typed) {
                message.set(Some(LockMessage::Invalid));
                return;
            }
            if setting {
                if typed != again {
                    message.set(Some(LockMessage::Mismatch));
                    return;
                }
                match crate::routes::set_pin(context, typed).await {
                    Ok(Ok(())) => {}
                    Ok(Err(_)) => message.set(Some(LockMessage::Storage)),
                    Err(_) => message.set(Some(LockMessage::Unavailable)),
                }
                return;
            }
            let Ok(outcome) = crate::routes::enter_pin(context, typed).await else {
                message.set(Some(LockMessage::Unavailable));
                return;
            };
            // Unlocked: this page is gone already.
            if outcome == PinOutcome::Unlocked {
                return;
            }
            pin.set(String::new());
            message.set(match outcome {
                PinOutcome::Unlocked => None,
                PinOutcome::Wrong { wait_until_ms, .. } if wait_until_ms > 0.0 => {
                    Some(LockMessage::Wait(wait_until_ms))
                }
                PinOutcome::Wrong { failures, .. } => Some(LockMessage::Wrong(failures)),
                PinOutcome::Waiting { wait_until_ms } => Some(LockMessage::Wait(wait_until_ms)),
                PinOutcome::Failed(_) => Some(LockMessage::Storage),
            });
        }
    });
    let busy = submit.pending();
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        message.set(None);
        submit.dispatch_local((pin.get_untracked(), again.get_untracked()));
    };
    let text = move |found: LockMessage| -> String {
        match found {
            LockMessage::Invalid => t_string!(i18n, lock.pin_invalid).to_string(),
            LockMessage::Mismatch => t_string!(i18n, lock.pin_mismatch).to_string(),
            LockMessage::Wrong(count) => t_string!(i18n, lock.wrong, count = count).to_string(),
            LockMessage::Wait(until) => {
                t_string!(i18n, lock.wait, time = wait_label(until)).to_string()
            }
            LockMessage::Storage => t_string!(i18n, lock.storage_failed).to_string(),
            LockMessage::Unavailable => t_string!(i18n, screen_unavailable.message).to_string(),
        }
    };
    let pin_input = move |value: RwSignal<String>, id: &'static str| {
        view! {
            <input
                id=id
                name=id
                type="password"
                inputmode="numeric"
                pattern="[0-9]*"
                autocomplete="off"
                maxlength="6"
                aria-invalid=move || message.get().is_some().to_string()
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        }
    };

    view! {
        <div class="login lock" data-testid=if setting { "set-pin" } else { "enter-pin" }>
            <div class="login-brand">
                <div class="splash-mark" aria-hidden="true">"走"</div>
                <h1>{t!(i18n, app_name)}</h1>
            </div>
            <form class="card form" on:submit=on_submit novalidate=true>
                <h2>{move || if setting {
                    t_string!(i18n, lock.set_title).to_string()
                } else {
                    t_string!(i18n, lock.enter_title).to_string()
                }}</h2>
                {setting.then(|| view! { <p class="hint">{t!(i18n, lock.set_explain)}</p> })}
                <label class="field" for="pin">
                    <span class="field-label">{t!(i18n, lock.pin)}</span>
                    {pin_input(pin, "pin")}
                </label>
                {setting.then(|| view! {
                    <label class="field" for="pin-again">
                        <span class="field-label">{t!(i18n, lock.pin_again)}</span>
                        {pin_input(again, "pin-again")}
                    </label>
                })}
                {move || message.get().map(|found| view! {
                    <p class="form-error" role="alert" data-testid="pin-error">{text(found)}</p>
                })}
                <button class="button button-primary" type="submit" disabled=move || busy.get()>
                    {move || match (busy.get(), setting) {
                        (true, _) => t_string!(i18n, lock.working).to_string(),
                        (false, true) => t_string!(i18n, lock.set_submit).to_string(),
                        (false, false) => t_string!(i18n, lock.unlock).to_string(),
                    }}
                </button>
                {(!setting).then(|| view! {
                    <button class="button" type="button" data-testid="forgot-pin"
                        on:click=move |_| forgot_open.update(|open| *open = !*open)
                    >{t!(i18n, lock.forgot)}</button>
                    <Show when=move || forgot_open.get()>
                        <p class="hint">{t!(i18n, lock.forgot_explain)}</p>
                        <button class="button" type="button" on:click=move |_| context.forgot_pin()>
                            {t!(i18n, lock.forgot_action)}
                        </button>
                    </Show>
                })}
            </form>
        </div>
    }
}
