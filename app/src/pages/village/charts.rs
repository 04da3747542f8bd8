//! The village view's two small charts, plain HTML/CSS and SVG: the colour counts as a stacked bar with a labelled
//! count per colour (a tap filters the list by it), and a teaching point's 参学率 by month as bars.

use crate::i18n::*;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use zoufang_domain::risk::RiskColour;

/// The colour's CSS suffix (the same classes as the risk badge).
fn colour_class(colour: RiskColour) -> &'static str {
    match colour {
        RiskColour::Red => "red",
        RiskColour::Yellow => "yellow",
        RiskColour::Green => "green",
        RiskColour::NotAccounted => "not-accounted",
        RiskColour::NotConfigured => "not-configured",
    }
}

pub fn colour_label(i18n: I18nContext<Locale>, colour: RiskColour) -> String {
    match colour {
        RiskColour::Red => t_string!(i18n, village.colour.red),
        RiskColour::Yellow => t_string!(i18n, village.colour.yellow),
        RiskColour::Green => t_string!(i18n, village.colour.green),
        RiskColour::NotAccounted => t_string!(i18n, village.colour.not_accounted),
        RiskColour::NotConfigured => t_string!(i18n, village.colour.not_configured),
    }
    .to_string()
}

/// Counts per colour; `selected` is the colour filter, toggled by a tap on a count.
#[component]
pub fn ColourChart(
    counts: Vec<(RiskColour, usize)>,
    selected: Signal<Option<RiskColour>>,
    on_select: Callback<Option<RiskColour>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let total: usize = counts.iter().map(|(_, count)| count).sum();
    // An SVG bar 1000 units wide, each colour a rect as wide as its share: attributes, not inline styles, which the
    // server's content security policy refuses.
    let mut left = 0usize;
    let bar = counts
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(colour, count)| {
            let x = left * 1000 / total.max(1);
            left += count;
            let width = left * 1000 / total.max(1) - x;
            view! {
                <rect
                    class=format!("village-bar-part risk-{}", colour_class(*colour))
                    x=x
                    y=0
                    width=width
                    height=14
                ></rect>
            }
        })
        .collect_view();
    let buttons = counts
        .into_iter()
        .map(|(colour, count)| {
            let pressed = move || selected.get() == Some(colour);
            view! {
                <button
                    type="button"
                    class="village-count"
                    data-testid="village-count"
                    data-colour=format!("{colour:?}")
                    aria-pressed=move || pressed().to_string()
                    on:click=move |_| on_select.run(if pressed() { None } else { Some(colour) })
                >
                    <span class=format!("village-dot risk-{}", colour_class(colour)) aria-hidden="true"></span>
                    <span class="village-count-label">{move || colour_label(i18n, colour)}</span>
                    <strong class="village-count-number">{count}</strong>
                </button>
            }
        })
        .collect_view();
    view! {
        <section class="card village-summary" data-testid="village-summary" data-total=total>
            <svg
                class="village-bar"
                viewBox="0 0 1000 14"
                preserveAspectRatio="none"
                role="img"
                aria-label=move || t_string!(i18n, village.chart_label, total = total).to_string()
            >
                {bar}
            </svg>
            <div class="village-counts">{buttons}</div>
        </section>
    }
}

/// One month's 参学率 (per mille; `None`: no session that month).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthRate {
    pub year: i32,
    pub month: u8,
    pub per_mille: Option<u32>,
}

/// Bars of a teaching point's monthly 参学率, oldest month on the left, each labelled with its month and percent.
#[component]
pub fn TrendChart(months: Vec<MonthRate>, label: String) -> impl IntoView {
    const HEIGHT: u32 = 60;
    const STEP: u32 = 40;
    let width = STEP * u32::try_from(months.len()).unwrap_or(0);
    let bars = months
        .iter()
        .enumerate()
        .map(|(index, month)| {
            let x = STEP * u32::try_from(index).unwrap_or(0);
            let per_mille = month.per_mille.unwrap_or(0).min(1000);
            let bar = HEIGHT * per_mille / 1000;
            let value = month
                .per_mille
                .map(|per_mille| format!("{}%", per_mille / 10))
                .unwrap_or_else(|| "–".to_string());
            view! {
                <g>
                    <rect class="trend-bar" x=x + 8 y=14 + HEIGHT - bar width=24 height=bar></rect>
                    <text class="trend-value" x=x + 20 y=10 + HEIGHT - bar text-anchor="middle">{value}</text>
                    <text class="trend-month" x=x + 20 y=HEIGHT + 28 text-anchor="middle">{format!("{}/{}", month.year % 100, month.month)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            class="trend-chart"
            data-testid="night-school-trend"
            viewBox=format!("0 0 {} {}", width.max(STEP), HEIGHT + 34)
            width=width.max(STEP)
            height=HEIGHT + 34
            role="img"
            aria-label=label
        >
            {bars}
        </svg>
    }
}
