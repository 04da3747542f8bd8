//! The tidy rules themselves (see `tidy.rs`, which runs them over the workspace and shows each one failing on a
//! made-up tree): collecting the source files, and one check per rule.

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The longest a source file may be.
pub const MAX_LINES: usize = 600;

/// Files allowed over [`MAX_LINES`] (none today). A listed file that is gone or short again fails the test too.
pub const OVERSIZE_ALLOWED: &[&str] = &[];

/// The source trees the rules cover.
pub const TREES: &[&str] = &["app/src", "domain/src", "server/src"];

/// The trees of tests and examples: rules 1 and 2 only (no file over the limit is allowed there).
pub const TEST_TREES: &[&str] = &[
    "app/tests",
    "domain/tests",
    "server/tests",
    "server/examples",
];

/// What `domain` must never name: it has no I/O, no clock and no randomness (time and ids are passed in).
pub const DOMAIN_FORBIDDEN: &[(&str, &str)] = &[
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
pub const INDEXED_DB_NAMES: &[&str] =
    &["indexed_db", "IdbDatabase", "IdbFactory", "IdbObjectStore"];

/// What only `app/src/api.rs` may name.
pub const HTTP_NAMES: &[&str] = &[
    "gloo_net",
    "web_sys::Request",
    "fetch_with_request",
    "fetch_with_str",
];

/// What `app/src/sync/` must never name: the driver runs with no page.
pub const SYNC_FORBIDDEN: &[&str] = &[
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
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: path.to_string(),
            text: text.to_string(),
        }
    }
}

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or_else(|| panic!("the domain crate sits inside the workspace"))
        .to_path_buf()
}

pub fn collect(root: &Path, directory: &Path, files: &mut Vec<SourceFile>) {
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

pub fn source_files() -> Vec<SourceFile> {
    files_under(TREES)
}

/// The tests' and examples' sources, which rules 1 and 2 cover too.
pub fn test_files() -> Vec<SourceFile> {
    files_under(TEST_TREES)
}

fn files_under(trees: &[&str]) -> Vec<SourceFile> {
    let root = workspace_root();
    let mut files = Vec::new();
    for tree in trees {
        collect(&root, &root.join(tree), &mut files);
    }
    files
}

/// The lines rules 3–6 look at, numbered from 1: not comment lines, not inside a `#[cfg(test)]` item, and with a
/// trailing `// …` comment cut off (outside string literals).
pub fn code_lines(text: &str) -> Vec<(usize, String)> {
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

pub fn strip_trailing_comment(line: &str) -> &str {
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
pub fn check_openings_and_lengths(
    files: &[SourceFile],
    allowed: &[&str],
    findings: &mut Vec<String>,
) {
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
pub const UI_LAYERS: &[(&str, &[&str])] = &[
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
pub fn check_layer_names(files: &[SourceFile], findings: &mut Vec<String>) {
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
pub fn domain_module(path: &str) -> Option<(String, usize)> {
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

pub fn leading_identifier(text: &str) -> Option<String> {
    let identifier: String = text
        .trim_start()
        .chars()
        .take_while(|character| character.is_ascii_alphanumeric() || *character == '_')
        .collect();
    (!identifier.is_empty()).then_some(identifier)
}

/// The top-level modules a line names: `crate::x`, `crate::{x, y::z}`, and `super::…` chains that reach the crate.
pub fn modules_named(line: &str, super_depth: usize) -> Vec<String> {
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
pub fn check_domain_cycles(files: &[SourceFile], findings: &mut Vec<String>) {
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

pub fn find_cycles(
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

pub fn check(files: &[SourceFile], allowed: &[&str]) -> Vec<String> {
    let mut findings = Vec::new();
    check_openings_and_lengths(files, allowed, &mut findings);
    check_layer_names(files, &mut findings);
    check_domain_cycles(files, &mut findings);
    findings
}
