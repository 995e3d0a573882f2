//! `--format json`: the stable contracts of DESIGN §5. serde_json escapes what JSON requires;
//! this writer also writes the characters JSON allows raw but terminals obey (DEL, C1
//! controls such as the 8-bit CSI, bidi overrides, U+2028/U+2029) as `\uXXXX`, which parses to
//! the same value. (`matrix` streams its rows through the library's writer, which does the same.)

use anyhow::Result;

use super::Out;

/// Writes a JSON value, pretty, with a final newline.
pub fn value(out: &mut Out, value: &impl serde::Serialize) -> Result<()> {
    let text = pim_notify::text::json_escape_invisible(serde_json::to_string_pretty(value)?);
    writeln!(out.w, "{text}")?;
    Ok(())
}
