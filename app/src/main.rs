//! Entry point: installs the panic hook and mounts the app; everything else lives in the library.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(zoufang_app::App);
    // index.html's splash, shown while this code loaded; the app has drawn its own by now.
    if let Some(splash) = leptos::prelude::document().get_element_by_id("boot-splash") {
        splash.remove();
    }
}
