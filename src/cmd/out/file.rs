//! Writing output files so that a reader never sees half of one: the text goes to a temporary
//! file in the same folder, which then replaces the target in one rename.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Writes `bytes` to `path` atomically. On any failure the target is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    if path.is_dir() {
        bail!("`{shown}` is a directory; give a file name with -o");
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, mut file) = create_temp(&dir, path)?;
    let written = file.write_all(bytes).and_then(|_| file.sync_all());
    drop(file);
    let result = written
        .with_context(|| format!("cannot write `{}`", temp.display()))
        .and_then(|_| fs::rename(&temp, path).with_context(|| format!("cannot replace `{shown}`")));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A new file next to the target, named so that it cannot collide with another run.
fn create_temp(dir: &Path, target: &Path) -> Result<(PathBuf, fs::File)> {
    let name =
        target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    for attempt in 0..100u32 {
        let temp = dir.join(format!(".{name}.{}.{attempt}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create a file in `{}`", dir.display())),
        }
    }
    bail!("cannot create a temporary file in `{}`: 100 names are taken", dir.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = std::env::temp_dir().join(format!("pim-notify-output-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("out.yaml");
        fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        let leftovers = fs::read_dir(&dir).unwrap().count();
        assert_eq!(leftovers, 1);
        assert!(write_atomically(&dir, b"x").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}
