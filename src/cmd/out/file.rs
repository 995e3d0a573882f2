//! Writing `-o FILE` so that a reader never sees half of a file, and nothing but the file is
//! touched. A regular file (or a new path) is replaced atomically: the text goes to a
//! temporary file in the same folder, with the target's permissions, which then replaces the
//! target in one rename. Anything else is written in place: `-` is standard output, and a
//! character device (`/dev/null`, `/dev/stdout`) or a FIFO is opened and written, never
//! replaced (renaming over `/dev/null` would turn it into a regular file for the whole machine).
//! A symbolic link is followed, so the link stays and its target gets the new text.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// Writes `bytes` to `path` (see the module). On any failure a regular target is left as it was.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if path.as_os_str() == "-" {
        let mut stdout = std::io::stdout().lock();
        return stdout.write_all(bytes).and_then(|()| stdout.flush()).context("cannot write standard output");
    }
    let shown = path.display();
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!("`{shown}` is a directory; give a file name with -o"),
        Ok(meta) if meta.is_file() => replace(&real_path(path)?, bytes, Some(meta.permissions())),
        Ok(_) => write_in_place(path, bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => replace(path, bytes, None),
        Err(e) => Err(e).with_context(|| format!("cannot write `{shown}`")),
    }
}

/// The file a symbolic link points at, so the rename replaces the file and keeps the link.
fn real_path(path: &Path) -> Result<PathBuf> {
    let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(path.to_path_buf());
    }
    fs::canonicalize(path).with_context(|| format!("cannot follow the link `{}`", path.display()))
}

/// A device, FIFO or socket: opened for writing and written, as a shell's `>` would.
fn write_in_place(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    let mut file =
        OpenOptions::new().write(true).open(path).with_context(|| format!("cannot open `{shown}`"))?;
    file.write_all(bytes).and_then(|()| file.flush()).with_context(|| format!("cannot write `{shown}`"))
}

/// Writes a temporary file next to `path` and renames it over `path`.
fn replace(path: &Path, bytes: &[u8], permissions: Option<fs::Permissions>) -> Result<()> {
    let shown = path.display();
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let (temp, mut file) = create_temp(&dir)?;
    let written = file
        .write_all(bytes)
        .and_then(|()| permissions.map_or(Ok(()), |p| file.set_permissions(p)))
        .and_then(|()| file.sync_all());
    drop(file);
    let result = written
        .with_context(|| format!("cannot write `{}`", temp.display()))
        .and_then(|()| fs::rename(&temp, path).with_context(|| format!("cannot replace `{shown}`")));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A new file in `dir`, named so that it cannot collide with another run. The name does not
/// repeat the target's, so a target name of the longest length a folder allows still works.
fn create_temp(dir: &Path) -> Result<(PathBuf, fs::File)> {
    for attempt in 0..100u32 {
        let temp = dir.join(format!(".pim-notify.{}.{attempt}.tmp", std::process::id()));
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

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pim-notify-output-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = scratch("replace");
        let target = dir.join("out.yaml");
        fs::write(&target, "old").unwrap();
        write_atomically(&target, b"new").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        assert!(write_atomically(&dir, b"x").is_err());
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn keeps_the_targets_permissions_and_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("modes");
        let target = dir.join("secret.json");
        fs::write(&target, "old").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomically(&link, b"new").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is kept");
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_name_of_255_bytes_works() {
        let dir = scratch("long");
        let target = dir.join("n".repeat(250) + ".json");
        write_atomically(&target, b"{}").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "{}");
        write_atomically(&target, b"[]").unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "[]");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn a_character_device_is_written_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let null = Path::new("/dev/null");
        write_atomically(null, b"discarded").unwrap();
        assert!(fs::metadata(null).unwrap().file_type().is_char_device(), "/dev/null is still a device");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_written_not_replaced() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = scratch("fifo");
        let fifo = dir.join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success(), "mkfifo");
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut text = String::new();
                fs::File::open(fifo).unwrap().read_to_string(&mut text).unwrap();
                text
            })
        };
        write_atomically(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(fs::metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is still a FIFO");
        fs::remove_dir_all(&dir).unwrap();
    }
}
