//! Finding `*.tests.yaml` files: the paths given, folders searched recursively, in a stable
//! order so CI output is the same on every machine.

use std::path::Path;

use anyhow::{bail, Context, Result};

pub const SUFFIX: &str = ".tests.yaml";

/// The tests files to run: each FILE as given, each folder searched; no arguments searches
/// the current folder.
pub fn tests_files(args: &[String]) -> Result<Vec<String>> {
    if args.is_empty() {
        return below(Path::new("."));
    }
    let mut files = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        if arg != "-" && path.is_dir() {
            files.extend(below(path)?);
        } else {
            files.push(arg.clone());
        }
    }
    Ok(files)
}

/// Every `*.tests.yaml` below `root`, sorted; hidden folders and `target/` are skipped and
/// symbolic links to folders are not followed (no loops).
fn below(root: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    let mut pending = vec![root.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = std::fs::read_dir(&dir).with_context(|| format!("cannot list `{}`", dir.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let kind = entry.file_type()?;
            if kind.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    pending.push(path);
                }
            } else if name.ends_with(SUFFIX) && (kind.is_file() || path.is_file()) {
                found.push(shown(&path));
            }
        }
    }
    found.sort();
    if found.is_empty() {
        bail!("no *{SUFFIX} files below `{}`", root.display());
    }
    Ok(found)
}

/// `./policies/x.tests.yaml` shown as `policies/x.tests.yaml`.
fn shown(path: &Path) -> String {
    let path = path.strip_prefix(".").unwrap_or(path);
    path.to_string_lossy().into_owned()
}
