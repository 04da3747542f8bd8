//! A bare Leptos page: a login form with two inputs and a button, and the same service worker as Zoufang.

use leptos::prelude::*;

#[component]
fn Login() -> impl IntoView {
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let sent = RwSignal::new(false);
    view! {
        <main class="login">
            <h1>"走访"</h1>
            <form on:submit=move |event| {
                event.prevent_default();
                sent.set(true);
            }>
                <label for="phone">"手机号"</label>
                <input id="phone" type="tel" autocomplete="username" bind:value=phone />
                <label for="password">"密码"</label>
                <input id="password" type="password" autocomplete="current-password" bind:value=password />
                <button type="submit">"登录"</button>
                <Show when=move || sent.get()>
                    <p role="status">{move || format!("{} / {}", phone.get().len(), password.get().len())}</p>
                </Show>
            </form>
        </main>
    }
}

fn main() {
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().service_worker().register("/sw.js");
    }
    leptos::mount::mount_to_body(Login);
}
