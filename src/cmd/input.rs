//! Reading input files safely: a size limit that holds even on endless input, clear messages
//! for directories and non-UTF-8, and `-` for standard input.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{bail, Context, Result};

/// Default largest input accepted, in bytes: four times a generous 100,000-role policy.
pub const DEFAULT_MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Reads a whole text file (or standard input for `-`), refusing more than `limit` bytes.
pub fn read_text(path: &str, limit: u64) -> Result<String> {
    let bytes = if path == "-" {
        read_limited(io::stdin().lock(), limit).context("cannot read standard input")?
    } else {
        read_file(Path::new(path), limit)?
    };
    into_text(path, bytes)
}

fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let shown = path.display();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read `{shown}`"))?;
    if meta.is_dir() {
        bail!("`{shown}` is a directory, not a policy file; pass a .yaml file inside it");
    }
    let file = File::open(path).with_context(|| format!("cannot open `{shown}`"))?;
    read_limited(file, limit).with_context(|| format!("cannot read `{shown}`"))
}

pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        bail!(
            "input is larger than the {} limit; raise it with --max-input-size BYTES (or `max_input_size` in pim-notify.toml)",
            size_text(limit)
        );
    }
    Ok(bytes)
}

/// `64 MiB` for whole mebibytes, else `1000 bytes`.
fn size_text(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

pub fn into_text(path: &str, bytes: Vec<u8>) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        anyhow::anyhow!(
            "{path}:{line}:{column}: the file is not valid UTF-8 text; save it as UTF-8 (policy files are YAML text)"
        )
    })
}
