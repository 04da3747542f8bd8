//! The phone's position for a photo, when the person allows it: one `navigator.geolocation` request with a short
//! limit. A refusal, no fix in time or a missing API all give `None` (the watermark then says 无定位); a photo is
//! never held back for a position.

use js_sys::{Function, Promise};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use zoufang_domain::model::{GpsFix, GpsSource};

/// How long to wait for a fix, including the time the person takes to answer the permission question.
pub const LOCATION_TIMEOUT_MS: u32 = 6_000;

/// A fix this recent (from an earlier photo or another app) is good enough.
const MAXIMUM_AGE_MS: u32 = 120_000;

/// Browsers do not say where a fix came from; with high accuracy asked for, a fix this precise is taken to come
/// from satellites and anything coarser from the network.
const SATELLITE_ACCURACY_M: f64 = 30.0;

/// The current position, or `None` when it is refused, unavailable or slower than [`LOCATION_TIMEOUT_MS`].
pub async fn current_fix() -> Option<GpsFix> {
    let window = web_sys::window()?;
    let navigator = window.navigator();
    // `navigator.geolocation` is missing in some WebViews; web-sys would throw on a missing property.
    let geolocation = js_sys::Reflect::get(&navigator, &"geolocation".into())
        .ok()
        .filter(JsValue::is_object)?;
    // Not `dyn_into`: web-sys declares `Geolocation` with `is_type_of = |_| false`, so that check always fails.
    let geolocation: web_sys::Geolocation = geolocation.unchecked_into();
    let promise = Promise::new(&mut |resolve: Function, _reject: Function| {
        let on_success = {
            let resolve = resolve.clone();
            Closure::once_into_js(move |position: JsValue| {
                let _ = resolve.call1(&JsValue::NULL, &position);
            })
        };
        let on_error = {
            let resolve = resolve.clone();
            Closure::once_into_js(move |_error: JsValue| {
                let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            })
        };
        let options = web_sys::PositionOptions::new();
        options.set_enable_high_accuracy(true);
        options.set_timeout(LOCATION_TIMEOUT_MS);
        options.set_maximum_age(MAXIMUM_AGE_MS);
        let asked = geolocation.get_current_position_with_error_callback_and_options(
            on_success.unchecked_ref(),
            Some(on_error.unchecked_ref()),
            &options,
        );
        if asked.is_err() {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
            return;
        }
        // The API's own timeout does not count the time a permission question stays open: end the wait here too.
        let give_up = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &JsValue::NULL);
        });
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            give_up.unchecked_ref(),
            LOCATION_TIMEOUT_MS as i32 + 500,
        );
    });
    let position = JsFuture::from(promise).await.ok()?;
    // Read by name: web-sys's typed `GeolocationPosition` is still behind its unstable-API flag.
    let coordinates = js_sys::Reflect::get(&position, &"coords".into()).ok()?;
    let number = |name: &str| {
        js_sys::Reflect::get(&coordinates, &name.into())
            .ok()
            .and_then(|value| value.as_f64())
    };
    let accuracy = number("accuracy")?;
    let source = if accuracy <= SATELLITE_ACCURACY_M {
        GpsSource::Gnss
    } else {
        GpsSource::Network
    };
    GpsFix::new(number("latitude")?, number("longitude")?, accuracy, source).ok()
}
