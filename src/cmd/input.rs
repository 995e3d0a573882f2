//! Reading input files safely: a size limit that holds even on endless input, clear messages
//! for directories and non-UTF-8, and `-` for standard input. JSON inputs (Graph exports) are
//! decoded here, in one place: UTF-8 with or without a byte order mark, and UTF-16, which is
//! what Windows PowerShell 5.1 writes (`Out-File`, `>`, `Set-Content -Encoding Unicode`).

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

/// Reads a JSON file (or standard input for `-`) in any encoding Windows tools write.
pub fn read_json(path: &str, limit: u64) -> Result<String> {
    let bytes = if path == "-" {
        read_limited(io::stdin().lock(), limit).context("cannot read standard input")?
    } else {
        read_file(Path::new(path), limit)?
    };
    decode_json(if path == "-" { "<stdin>" } else { path }, bytes)
}

/// Refuses `-` named twice: standard input can be read only once, and the second reader
/// would get an empty file instead of the data meant for it.
pub fn stdin_at_most_once(paths: &[Option<&str>]) -> Result<()> {
    if paths.iter().flatten().filter(|p| **p == "-").count() > 1 {
        bail!("`-` (standard input) is given more than once; it can be read only once: save all but one input to a file");
    }
    Ok(())
}

/// The text of a JSON file: a UTF-8 byte order mark is dropped; UTF-16 (little or big
/// endian, with a byte order mark, or without one as RFC 4627 detects it from the zero bytes
/// around the first ASCII characters) is decoded; UTF-32 is refused with the fix.
pub fn decode_json(path: &str, bytes: Vec<u8>) -> Result<String> {
    let shown = pim_notify::text::escape_control(path);
    match Encoding::of(&bytes) {
        Encoding::Utf8 { bom } => {
            let bytes = if bom { bytes[3..].to_vec() } else { bytes };
            utf8_text(path, bytes, "save it as UTF-8 or UTF-16 (Graph exports are JSON text)")
        }
        Encoding::Utf16 { little_endian, bom } => {
            decode_utf16(&bytes[if bom { 2 } else { 0 }..], little_endian).map_err(|offset| {
                anyhow::anyhow!(
                    "{shown}: not valid UTF-16 at byte {offset} (an odd length or a lone surrogate); save it again as UTF-8"
                )
            })
        }
        Encoding::Utf32 => {
            bail!("{shown}: the file is UTF-32; save it as UTF-8 (PowerShell: `Set-Content -Encoding utf8`)")
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Encoding {
    Utf8 { bom: bool },
    Utf16 { little_endian: bool, bom: bool },
    Utf32,
}

impl Encoding {
    fn of(bytes: &[u8]) -> Encoding {
        match bytes {
            [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Encoding::Utf32,
            [0xEF, 0xBB, 0xBF, ..] => Encoding::Utf8 { bom: true },
            [0xFF, 0xFE, ..] => Encoding::Utf16 { little_endian: true, bom: true },
            [0xFE, 0xFF, ..] => Encoding::Utf16 { little_endian: false, bom: true },
            // JSON starts with ASCII: its zero byte shows UTF-16 without a byte order mark.
            [0, 0, 0, a, ..] | [a, 0, 0, 0, ..] if *a != 0 => Encoding::Utf32,
            [0, a, ..] if *a != 0 => Encoding::Utf16 { little_endian: false, bom: false },
            [a, 0, ..] if *a != 0 => Encoding::Utf16 { little_endian: true, bom: false },
            _ => Encoding::Utf8 { bom: false },
        }
    }
}

/// UTF-16 → text; `Err` is the byte offset of the first bad unit.
fn decode_utf16(bytes: &[u8], little_endian: bool) -> std::result::Result<String, usize> {
    if bytes.len() % 2 != 0 {
        return Err(bytes.len() - 1);
    }
    let units = bytes.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little_endian {
            u16::from_le_bytes(pair)
        } else {
            u16::from_be_bytes(pair)
        }
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut offset = 0;
    for unit in char::decode_utf16(units) {
        let c = unit.map_err(|_| offset)?;
        text.push(c);
        offset += c.len_utf16() * 2;
    }
    Ok(text)
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
    utf8_text(path, bytes, "save it as UTF-8 (policy files are YAML text)")
}

fn utf8_text(path: &str, bytes: Vec<u8>, fix: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(valid);
        let line = text.matches('\n').count() + 1;
        let column = text.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        anyhow::anyhow!("{path}:{line}:{column}: the file is not valid UTF-8 text; {fix}")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(text: &str, little_endian: bool, bom: bool) -> Vec<u8> {
        let mut bytes = Vec::new();
        let units = (bom.then_some(0xFEFF_u16)).into_iter().chain(text.encode_utf16());
        for unit in units {
            bytes.extend(if little_endian { unit.to_le_bytes() } else { unit.to_be_bytes() });
        }
        bytes
    }

    #[test]
    fn every_windows_encoding_of_json_decodes_to_the_same_text() {
        let text = "{\"value\": [\"Administrateur général 𝔾\"]}\r\n";
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend(text.as_bytes());
        let inputs = [
            text.as_bytes().to_vec(),
            with_bom,
            utf16(text, true, true),
            utf16(text, false, true),
            utf16(text, true, false),
            utf16(text, false, false),
        ];
        for bytes in inputs {
            assert_eq!(decode_json("x.json", bytes.clone()).unwrap(), text, "{:?}", &bytes[..4]);
        }
    }

    #[test]
    fn broken_encodings_are_refused_with_the_fix() {
        let mut odd = utf16("{}", true, true);
        odd.push(b'x');
        let lone_surrogate = vec![0xFF, 0xFE, b'{', 0, 0x00, 0xD8, b'}', 0];
        let utf32 = vec![0xFF, 0xFE, 0, 0, b'{', 0, 0, 0];
        for (bytes, expected) in [(odd, "UTF-16"), (lone_surrogate, "UTF-16"), (utf32, "UTF-32")] {
            let err = decode_json("x.json", bytes).unwrap_err().to_string();
            assert!(err.contains(expected) && err.contains("UTF-8"), "{err}");
        }
        let err = decode_json("x.json", vec![b'{', 0xC3, b'}']).unwrap_err().to_string();
        assert!(err.contains("x.json:1:2") && err.contains("UTF-8"), "{err}");
    }

    #[test]
    fn standard_input_can_be_named_once() {
        assert!(stdin_at_most_once(&[Some("-"), Some("a.json"), None]).is_ok());
        let err = stdin_at_most_once(&[Some("-"), None, Some("-")]).unwrap_err();
        assert!(err.to_string().contains("more than once"));
    }
}
