//! Tidy: the rules of ARCHITECTURE.md a script can check, over every `.rs` file in `app/src`, `domain/src` and
//! `server/src`. It lives with the domain's tests so that plain `cargo test` (and `cargo test --workspace`) runs it.
//!
//! 1. Every file opens with a `//!` sentence saying what it is for.
//! 2. No file is longer than [`MAX_LINES`], except the ones in [`OVERSIZE_ALLOWED`], which are being split; a listed
//!    file that is short enough (or gone) must leave the list, so it only shrinks.
//! 3. `domain` has no I/O and no clock: no `std::fs`, `std::net`, `std::env`, `SystemTime`, `Instant::now`,
//!    `OffsetDateTime::now_*`.
//! 4. In `app/src` only `storage/` touches IndexedDB, and only `api.rs` makes HTTP requests.
//! 5. `app/src/sync/` has no DOM or view code.
//! 6. The top-level modules of `domain/src` do not import each other in a cycle (`crate::…` paths outside tests).
//! 7. The app's UI layers import downwards only (`pages → sections → ui`, components beside sections): `ui/`,
//!    `sections/` and `components/` never name `crate::storage`, `crate::api` or `crate::sync` (only pages and sync
//!    call storage and api), nor a layer above them.
//!
//! Comment lines and `#[cfg(test)]` items are not looked at for rules 3–7.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The longest a source file may be.
const MAX_LINES: usize = 600;

/// Files allowed over [`MAX_LINES`] (none today). A listed file that is gone or short again fails the test too.
const OVERSIZE_ALLOWED: &[&str] = &[];

/// The source trees the rules cover.
const TREES: &[&str] = &["app/src", "domain/src", "server/src"];

/// What `domain` must never name: it has no I/O, no clock and no randomness (time and ids are passed in).
const DOMAIN_FORBIDDEN: &[(&str, &str)] = &[
    ("std::fs", "file I/O"),
    ("std::net", "network I/O"),
    ("std::env", "reading the environment"),
    ("SystemTime", "the clock"),
    ("Instant::now", "the clock"),
    ("OffsetDateTime::now", "the clock"),
    ("PrimitiveDateTime::now", "the clock"),
    ("Date::today", "the clock"),
];

/// What only `app/src/storage/` may name.
const INDEXED_DB_NAMES: &[&str] = &["indexed_db", "IdbDatabase", "IdbFactory", "IdbObjectStore"];

/// What only `app/src/api.rs` may name.
const HTTP_NAMES: &[&str] = &[
    "gloo_net",
    "web_sys::Request",
    "fetch_with_request",
    "fetch_with_str",
];

/// What `app/src/sync/` must never name: the driver runs with no page.
const SYNC_FORBIDDEN: &[&str] = &[
    "web_sys::Document",
    "web_sys::Element",
    "web_sys::HtmlElement",
    "gloo_utils::document",
    ".document()",
    "view!",
    "IntoView",
    "#[component]",
    "leptos::html",
    "leptos::mount",
];

/// One source file: its path from the workspace root (with `/`) and its text.
struct SourceFile {
    path: String,
    text: String,
}

impl SourceFile {
    fn new(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("the domain crate sits inside the workspace"))
        .to_path_buf()
}

fn collect(root: &Path, directory: &Path, files: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = fs::read_dir(directory)
        .unwrap_or_else(|error| panic!("{}: {error}", directory.display()))
        .map(|entry| entry.unwrap_or_else(|error| panic!("{error}")).path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(root, &path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            let text = fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let relative = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.push(SourceFile {
                path: relative,
                text,
            });
        }
    }
}

fn source_files() -> Vec<SourceFile> {
    let root = workspace_root();
    let mut files = Vec::new();
    for tree in TREES {
        collect(&root, &root.join(tree), &mut files);
    }
    files
}

/// The lines rules 3–6 look at, numbered from 1: not comment lines, not inside a `#[cfg(test)]` item, and with a
/// trailing `// …` comment cut off (outside string literals).
fn code_lines(text: &str) -> Vec<(usize, String)> {
    let mut lines = Vec::new();
    let mut skipping_test_item = false;
    let mut depth: i64 = 0;
    let mut seen_brace = false;
    for (index, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if !skipping_test_item && trimmed.starts_with("#[cfg(test)]") {
            skipping_test_item = true;
            depth = 0;
            seen_brace = false;
            continue;
        }
        if skipping_test_item {
            for character in raw.chars() {
                match character {
                    '{' => {
                        depth += 1;
                        seen_brace = true;
                    }
                    '}' => depth -= 1,
                    _ => {}
                }
            }
            // An item without a body (`mod tests;`, a `use`) ends at its semicolon.
            if (seen_brace && depth <= 0) || (!seen_brace && trimmed.ends_with(';')) {
                skipping_test_item = false;
            }
            continue;
        }
        lines.push((index + 1, strip_trailing_comment(raw).to_string()));
    }
    lines
}

fn strip_trailing_comment(line: &str) -> &str {
    let mut in_string = false;
    let mut previous = ' ';
    for (position, character) in line.char_indices() {
        match character {
            '"' if previous != '\\' => in_string = !in_string,
            '/' if !in_string && previous == '/' => return &line[..position - 1],
            _ => {}
        }
        previous = character;
    }
    line
}

/// Rules 1 and 2, and the allow-list kept short.
fn check_openings_and_lengths(files: &[SourceFile], allowed: &[&str], findings: &mut Vec<String>) {
    for file in files {
        if !file.text.starts_with("//!") {
            findings.push(format!(
                "{}:1: the file must open with a `//!` line saying what it is for",
                file.path
            ));
        }
        let lines = file.text.lines().count();
        if lines > MAX_LINES && !allowed.contains(&file.path.as_str()) {
            findings.push(format!(
                "{}: {lines} lines, over the limit of {MAX_LINES}: split it by subject",
                file.path
            ));
        }
    }
    for listed in allowed {
        match files.iter().find(|file| file.path == *listed) {
            None => findings.push(format!(
                "{listed}: listed in OVERSIZE_ALLOWED but gone: remove it from the list"
            )),
            Some(file) if file.text.lines().count() <= MAX_LINES => findings.push(format!(
                "{listed}: listed in OVERSIZE_ALLOWED but now {} lines: remove it from the list",
                file.text.lines().count()
            )),
            Some(_) => {}
        }
    }
}

/// Rule 7: each UI layer of the app and the `crate::` paths above it or beside the pages that it must not name.
const UI_LAYERS: &[(&str, &[&str])] = &[
    (
        "app/src/ui/",
        &[
            "crate::storage",
            "crate::api",
            "crate::sync",
            "crate::pages",
            "crate::sections",
            "crate::components",
        ],
    ),
    (
        "app/src/sections/",
        &[
            "crate::storage",
            "crate::api",
            "crate::sync",
            "crate::pages",
        ],
    ),
    (
        "app/src/components/",
        &[
            "crate::storage",
            "crate::api",
            "crate::sync",
            "crate::pages",
        ],
    ),
];

/// Rules 3–5 and 7: names a part of the code must not use.
fn check_layer_names(files: &[SourceFile], findings: &mut Vec<String>) {
    for file in files {
        let path = file.path.as_str();
        let mut forbidden: Vec<(&str, String)> = Vec::new();
        if path.starts_with("domain/src/") {
            for (name, what) in DOMAIN_FORBIDDEN {
                forbidden.push((name, format!("domain has no I/O and no clock ({what})")));
            }
        }
        if path.starts_with("app/src/") && !path.starts_with("app/src/storage/") {
            for name in INDEXED_DB_NAMES {
                forbidden.push((name, "only app/src/storage touches IndexedDB".to_string()));
            }
        }
        if path.starts_with("app/src/") && path != "app/src/api.rs" {
            for name in HTTP_NAMES {
                forbidden.push((name, "only app/src/api.rs makes HTTP requests".to_string()));
            }
        }
        for (layer, names) in UI_LAYERS {
            if path.starts_with(layer) {
                for name in *names {
                    forbidden.push((
                        name,
                        "the UI layers import downwards only (pages → sections → ui); only pages and sync call storage and api"
                            .to_string(),
                    ));
                }
            }
        }
        if path.starts_with("app/src/sync/") {
            for name in SYNC_FORBIDDEN {
                forbidden.push((
                    name,
                    "the sync driver never touches the DOM or views".to_string(),
                ));
            }
        }
        if forbidden.is_empty() {
            continue;
        }
        for (number, line) in code_lines(&file.text) {
            for (name, rule) in &forbidden {
                if line.contains(name) {
                    findings.push(format!("{path}:{number}: names `{name}`: {rule}"));
                }
            }
        }
    }
}

/// The top-level domain module a file belongs to (`None` for `lib.rs`), and how many `super::` lead to the crate.
fn domain_module(path: &str) -> Option<(String, usize)> {
    let inside = path.strip_prefix("domain/src/")?;
    let parts: Vec<&str> = inside.split('/').collect();
    match parts.as_slice() {
        ["lib.rs"] => None,
        [file] => Some((file.trim_end_matches(".rs").to_string(), 1)),
        [folder, ..] => {
            let depth = if parts.last() == Some(&"mod.rs") {
                parts.len() - 1
            } else {
                parts.len()
            };
            Some((folder.to_string(), depth))
        }
        [] => None,
    }
}

fn leading_identifier(text: &str) -> Option<String> {
    let identifier: String = text
        .trim_start()
        .chars()
        .take_while(|character| character.is_ascii_alphanumeric() || *character == '_')
        .collect();
    (!identifier.is_empty()).then_some(identifier)
}

/// The top-level modules a line names: `crate::x`, `crate::{x, y::z}`, and `super::…` chains that reach the crate.
fn modules_named(line: &str, super_depth: usize) -> Vec<String> {
    let mut named = Vec::new();
    let mut rest = line;
    while let Some(position) = rest.find("crate::") {
        let after = &rest[position + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (offset, character) in group.char_indices() {
                match character {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    _ if item_start && !character.is_whitespace() => {
                        named.extend(leading_identifier(&group[offset..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            named.extend(leading_identifier(after));
        }
        rest = after;
    }
    let supers = "super::".repeat(super_depth);
    let mut rest = line;
    while let Some(position) = rest.find(&supers) {
        let before = &rest[..position];
        let after = &rest[position + supers.len()..];
        if !before.ends_with("super::") && !after.starts_with("super::") {
            named.extend(leading_identifier(after));
        }
        rest = after;
    }
    named.retain(|name| name != "self" && name != "super");
    named
}

/// Rule 6: the module graph of `domain/src`, and every cycle in it.
fn check_domain_cycles(files: &[SourceFile], findings: &mut Vec<String>) {
    // module -> imported module -> where the first such import is
    let mut graph: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for file in files {
        let Some((module, depth)) = domain_module(&file.path) else {
            continue;
        };
        let edges = graph.entry(module.clone()).or_default();
        for (number, line) in code_lines(&file.text) {
            for named in modules_named(&line, depth) {
                if named != module {
                    edges
                        .entry(named)
                        .or_insert_with(|| format!("{}:{number}", file.path));
                }
            }
        }
    }
    let mut reported: BTreeSet<BTreeSet<String>> = BTreeSet::new();
    for start in graph.keys() {
        let mut path = vec![start.clone()];
        find_cycles(&graph, &mut path, &mut reported, findings);
    }
}

fn find_cycles(
    graph: &BTreeMap<String, BTreeMap<String, String>>,
    path: &mut Vec<String>,
    reported: &mut BTreeSet<BTreeSet<String>>,
    findings: &mut Vec<String>,
) {
    let Some(current) = path.last().cloned() else {
        return;
    };
    let Some(edges) = graph.get(&current) else {
        return;
    };
    for (next, place) in edges {
        if let Some(start) = path.iter().position(|module| module == next) {
            let cycle: Vec<String> = path[start..].to_vec();
            let members: BTreeSet<String> = cycle.iter().cloned().collect();
            if reported.insert(members) {
                let steps: Vec<String> = cycle
                    .iter()
                    .enumerate()
                    .map(|(index, module)| {
                        let target = cycle.get(index + 1).unwrap_or(next);
                        let at = graph
                            .get(module)
                            .and_then(|edges| edges.get(target))
                            .map_or(place.as_str(), String::as_str);
                        format!("{module} → {target} ({at})")
                    })
                    .collect();
                findings.push(format!(
                    "domain/src: modules import each other in a cycle: {}",
                    steps.join(", ")
                ));
            }
        } else if path.len() < graph.len() {
            path.push(next.clone());
            find_cycles(graph, path, reported, findings);
            path.pop();
        }
    }
}

fn check(files: &[SourceFile], allowed: &[&str]) -> Vec<String> {
    let mut findings = Vec::new();
    check_openings_and_lengths(files, allowed, &mut findings);
    check_layer_names(files, &mut findings);
    check_domain_cycles(files, &mut findings);
    findings
}

#[test]
fn the_workspace_is_tidy() {
    let files = source_files();
    assert!(
        files.len() > 50,
        "found only {} source files: is the workspace root right?",
        files.len()
    );
    let findings = check(&files, OVERSIZE_ALLOWED);
    assert!(
        findings.is_empty(),
        "tidy rules broken (see domain/tests/tidy.rs):\n{}",
        findings.join("\n")
    );
}

// Each rule, shown to fail on a small made-up tree.

fn findings_for(files: &[SourceFile]) -> Vec<String> {
    check(files, &[])
}

fn assert_one_finding(files: &[SourceFile], expected: &[&str]) {
    let findings = findings_for(files);
    assert_eq!(findings.len(), 1, "{findings:#?}");
    for fragment in expected {
        assert!(findings[0].contains(fragment), "{findings:#?}");
    }
}

#[test]
fn a_file_without_an_opening_doc_line_is_named() {
    assert_one_finding(
        &[SourceFile::new(
            "server/src/x.rs",
            "// plain comment\nfn x() {}\n",
        )],
        &["server/src/x.rs:1", "`//!`"],
    );
    assert!(findings_for(&[SourceFile::new("server/src/x.rs", "//! X.\nfn x() {}\n")]).is_empty());
}

#[test]
fn a_file_over_600_lines_fails_unless_listed_and_a_listed_short_file_must_leave_the_list() {
    let long = format!("//! Long.\n{}", "fn x() {}\n".repeat(600));
    let exactly = format!("//! Exactly at the limit.\n{}", "fn x() {}\n".repeat(599));
    assert_one_finding(
        &[SourceFile::new("app/src/long.rs", &long)],
        &["app/src/long.rs", "601 lines"],
    );
    assert!(findings_for(&[SourceFile::new("app/src/limit.rs", &exactly)]).is_empty());
    let listed = [SourceFile::new("app/src/long.rs", &long)];
    assert!(check(&listed, &["app/src/long.rs"]).is_empty());
    let split = [SourceFile::new("app/src/long.rs", &exactly)];
    let findings = check(&split, &["app/src/long.rs"]);
    assert!(
        findings.len() == 1 && findings[0].contains("remove it from the list"),
        "{findings:#?}"
    );
}

#[test]
fn the_domain_reading_files_or_the_clock_is_named() {
    for (line, name) in [
        ("use std::fs;", "std::fs"),
        (
            "let now = time::OffsetDateTime::now_utc();",
            "OffsetDateTime::now",
        ),
        ("let started = std::time::Instant::now();", "Instant::now"),
        ("use std::time::SystemTime;", "SystemTime"),
        (
            "let socket = std::net::TcpStream::connect(address);",
            "std::net",
        ),
    ] {
        let text = format!("//! X.\nfn x() {{\n    {line}\n}}\n");
        assert_one_finding(
            &[SourceFile::new("domain/src/x.rs", &text)],
            &["domain/src/x.rs:3", name, "no I/O and no clock"],
        );
    }
    // Comments, tests and other crates may.
    let fine =
        "//! X.\n// std::fs is not used here\n#[cfg(test)]\nmod tests {\n    use std::fs;\n}\n";
    assert!(findings_for(&[SourceFile::new("domain/src/x.rs", fine)]).is_empty());
    assert!(
        findings_for(&[SourceFile::new("server/src/x.rs", "//! X.\nuse std::fs;\n")]).is_empty()
    );
}

#[test]
fn indexed_db_outside_storage_and_http_outside_api_are_named() {
    let idb = "//! X.\nuse indexed_db_futures::database::Database;\n";
    assert_one_finding(
        &[SourceFile::new("app/src/pages/x.rs", idb)],
        &[
            "app/src/pages/x.rs:2",
            "only app/src/storage touches IndexedDB",
        ],
    );
    assert!(findings_for(&[SourceFile::new("app/src/storage/x.rs", idb)]).is_empty());
    let http = "//! X.\nuse gloo_net::http::Request;\n";
    assert_one_finding(
        &[SourceFile::new("app/src/sync/x.rs", http)],
        &[
            "app/src/sync/x.rs:2",
            "only app/src/api.rs makes HTTP requests",
        ],
    );
    assert!(findings_for(&[SourceFile::new("app/src/api.rs", http)]).is_empty());
}

#[test]
fn a_section_or_the_toolkit_naming_storage_api_or_a_layer_above_is_named() {
    for (path, line) in [
        (
            "app/src/sections/x.rs",
            "use crate::storage::photos::PhotoRecord;",
        ),
        (
            "app/src/sections/x.rs",
            "let answer = crate::api::me(&token).await;",
        ),
        (
            "app/src/sections/x.rs",
            "use crate::pages::household::HouseholdScreen;",
        ),
        (
            "app/src/ui/form/x.rs",
            "use crate::sections::members::member_field;",
        ),
        ("app/src/components/x.rs", "use crate::storage::AppStore;"),
    ] {
        let text = format!("//! X.\n{line}\n");
        assert_one_finding(
            &[SourceFile::new(path, &text)],
            &[&format!("{path}:2"), "import downwards only"],
        );
    }
    // Pages may call storage; sections may use the toolkit, the draft and the domain; a doc comment is not an import.
    let page = "//! X.\nuse crate::storage::records;\n";
    assert!(findings_for(&[SourceFile::new("app/src/pages/x.rs", page)]).is_empty());
    let section = "//! X.\n/// The page reads `crate::storage::photos` for us.\nuse crate::ui::form::*;\nuse crate::draft::HouseholdDraft;\n";
    assert!(findings_for(&[SourceFile::new("app/src/sections/x.rs", section)]).is_empty());
}

#[test]
fn view_or_dom_code_in_the_sync_driver_is_named() {
    for line in [
        "let document = web_sys::window().and_then(|window| window.document());",
        "view! { <p>\"x\"</p> }",
        "fn x() -> impl IntoView {}",
    ] {
        let text = format!("//! X.\n{line}\n");
        assert_one_finding(
            &[SourceFile::new("app/src/sync/x.rs", &text)],
            &["app/src/sync/x.rs:2", "never touches the DOM"],
        );
    }
    // Reactive signals are not view code.
    let signals = "//! X.\nuse leptos::prelude::*;\nlet state = RwSignal::new(0);\n";
    assert!(findings_for(&[SourceFile::new("app/src/sync/x.rs", signals)]).is_empty());
}

#[test]
fn a_module_cycle_in_the_domain_is_named_with_where_each_import_is() {
    let files = [
        SourceFile::new("domain/src/lib.rs", "//! Root.\npub mod a;\npub mod b;\n"),
        SourceFile::new("domain/src/a.rs", "//! A.\nuse crate::b::B;\n"),
        SourceFile::new("domain/src/b/mod.rs", "//! B.\nmod c;\n"),
        SourceFile::new(
            "domain/src/b/c.rs",
            "//! C.\nuse super::super::a::A;\nuse super::D;\n",
        ),
    ];
    assert_one_finding(
        &files,
        &[
            "cycle",
            "a → b (domain/src/a.rs:2)",
            "b → a (domain/src/b/c.rs:2)",
        ],
    );
    // Grouped imports count; imports in tests and comments do not.
    let grouped = [
        SourceFile::new(
            "domain/src/a.rs",
            "//! A.\nuse crate::{b::B, money::Fen};\n",
        ),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\n/// See [`crate::a`].\nfn b() {}\n",
        ),
    ];
    assert!(findings_for(&grouped).is_empty());
    let grouped_cycle = [
        SourceFile::new(
            "domain/src/a.rs",
            "//! A.\nuse crate::{b::B, money::Fen};\n",
        ),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\nfn b() -> crate::a::A { todo!() }\n",
        ),
    ];
    assert_one_finding(&grouped_cycle, &["a → b", "b → a"]);
    let in_tests = [
        SourceFile::new("domain/src/a.rs", "//! A.\nuse crate::b::B;\n"),
        SourceFile::new(
            "domain/src/b.rs",
            "//! B.\n#[cfg(test)]\nmod tests {\n    use crate::a::A;\n}\n",
        ),
    ];
    assert!(findings_for(&in_tests).is_empty());
}
