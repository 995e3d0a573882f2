//! Making untrusted text safe to print: control characters never reach a terminal. Each
//! output format's own escaping lives with its writer (the binary's `cmd/out/`).

/// Replaces control characters (ANSI and OSC escapes, bell, CR, LF...) with visible escapes.
pub fn escape_control(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// Control characters, plus the invisible characters that reorder text (bidirectional
/// overrides, "Trojan Source") or break lines outside ASCII (U+2028, U+2029).
pub fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{2028}' | '\u{2029}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Serialized JSON with the characters JSON allows raw but terminals obey (DEL, C1 controls
/// such as the 8-bit CSI, bidirectional overrides, U+2028/U+2029) written as `\uXXXX`.
/// These can only occur inside JSON strings, where the escape means the same character, so
/// the document stays valid and parses to the same value.
pub fn json_escape_invisible(json: String) -> String {
    // Below DEL, serde_json already escapes inside strings; outside them are only the line
    // breaks and indentation of pretty output, which must stay.
    let raw_invisible = |c: char| c >= '\u{7f}' && needs_escape(c);
    if !json.chars().any(raw_invisible) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if raw_invisible(c) {
            // Every character that needs escaping is in the Basic Multilingual Plane.
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape_control("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_control("bell\u{7}"), "bell\\u{7}");
        assert_eq!(escape_control("plain"), "plain");
    }

    #[test]
    fn osc_hyperlinks_and_bidi_overrides_are_escaped() {
        let osc = "\u{1b}]8;;https://evil.example\u{7}click\u{1b}]8;;\u{7}";
        assert!(!escape_control(osc).contains('\u{1b}'));
        assert!(!escape_control(osc).contains('\u{7}'));
        assert_eq!(escape_control("a\u{202e}b"), "a\\u{202e}b");
        assert_eq!(escape_control("a\u{2028}b"), "a\\u{2028}b");
        assert_eq!(escape_control("\u{9b}31m"), "\\u{9b}31m", "C1 control sequence introducer");
    }

    #[test]
    fn json_keeps_its_meaning_without_raw_invisible_characters() {
        let value = serde_json::json!({ "name": "a\u{9b}31m\u{202e}b\u{7f}\u{1b}" });
        let text = json_escape_invisible(serde_json::to_string(&value).unwrap());
        assert!(!text.chars().any(|c| c >= '\u{7f}' && needs_escape(c)), "{text}");
        assert_eq!(text, r#"{"name":"a\u009b31m\u202eb\u007f\u001b"}"#);
        assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
        let pretty = json_escape_invisible(serde_json::to_string_pretty(&value).unwrap());
        assert!(pretty.contains('\n'), "pretty output keeps its line breaks");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&pretty).unwrap(), value);
    }
}
