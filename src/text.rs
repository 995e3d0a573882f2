//! Making untrusted text safe to print: control characters never reach a terminal, and each
//! output format escapes what would change its meaning.

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

/// First characters that make a spreadsheet read a cell as a formula (OWASP CSV injection),
/// including the full-width forms some spreadsheets also accept.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A CSV cell: control characters escaped, formula-looking cells neutralised with a leading
/// apostrophe, quoted when needed.
/// Replaces each control or invisible character with one visible character (the Unicode
/// "control pictures", e.g. `␉` for a tab, or `�`), so a source line keeps its columns while
/// it cannot drive the terminal.
pub fn control_pictures(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            _ if !needs_escape(c) => c,
            code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
            0x7f => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect()
}

/// Text safe inside XML 1.0 content and attributes (JUnit reports): control characters,
/// which XML cannot carry, shown as escapes; markup characters as entities; line breaks kept
/// as `&#10;` so attributes keep them too.
pub fn xml_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_control_keep_newlines(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\u{fffe}' | '\u{ffff}' => out.extend(c.escape_default()),
            _ => out.push(c),
        }
    }
    out
}

pub fn csv_cell(text: &str) -> String {
    let mut cell = escape_control(text);
    // Spreadsheets skip leading blanks before deciding that a cell is a formula.
    if cell.trim_start().starts_with(FORMULA_STARTS) {
        cell.insert(0, '\'');
    }
    if cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ') {
        cell = format!("\"{}\"", cell.replace('"', "\"\""));
    }
    cell
}

/// A Markdown table cell: pipes, HTML and emphasis characters escaped.
pub fn markdown_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in escape_control(text).chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '*' | '_' | '`' | '[' | ']' | '\\' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Like [`escape_control`] but keeps line breaks, for multi-line messages.
pub fn escape_control_keep_newlines(text: &str) -> String {
    text.split('\n').map(escape_control).collect::<Vec<_>>().join("\n")
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

/// The message of a GitHub workflow command (`::error file=...::MESSAGE`): `%`, CR and LF are
/// percent-encoded as the runner expects, other control characters are shown escaped so
/// they cannot color or rewrite the log.
pub fn github_annotation_escape(text: &str) -> String {
    github_escape(text, false)
}

/// A property value of a GitHub workflow command (`file=`, `title=`): like
/// [`github_annotation_escape`], and `:` and `,` too, which would end the value.
pub fn github_property_escape(text: &str) -> String {
    github_escape(text, true)
}

fn github_escape(text: &str, property: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            c if needs_escape(c) => out.extend(c.escape_default()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_escapes_markup_and_control_characters() {
        assert_eq!(xml_text(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(xml_text("bell\u{7}\u{ffff}\nnext"), "bell\\u{7}\\u{ffff}&#10;next");
    }

    #[test]
    fn control_pictures_keep_one_column_per_character() {
        assert_eq!(control_pictures("\tadmins\u{1b}[2J\u{7f}"), "\u{2409}admins\u{241b}[2J\u{2421}");
        assert_eq!(control_pictures("plain"), "plain");
    }

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(escape_control("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(escape_control("bell\u{7}"), "bell\\u{7}");
        assert_eq!(escape_control("plain"), "plain");
    }

    #[test]
    fn csv_neutralises_formulas() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("@evil"), "'@evil");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
    }

    #[test]
    fn markdown_escapes_pipes_and_html() {
        assert_eq!(markdown_cell("a|b<script>"), "a\\|b&lt;script&gt;");
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
    fn csv_neutralises_formulas_behind_blanks_and_full_width_signs() {
        assert_eq!(csv_cell(" =1+1"), "' =1+1");
        assert_eq!(csv_cell("＝1+1"), "'＝1+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("+SUM(A1)"), "'+SUM(A1)");
        assert_eq!(csv_cell("\t=1"), "\\t=1", "the tab is shown as `\\t`, which starts no formula");
        assert_eq!(csv_cell("a@contoso.com"), "a@contoso.com");
    }

    #[test]
    fn csv_never_breaks_a_row() {
        let cell = csv_cell("a\r\nb,\"c\"");
        assert!(!cell.contains(['\r', '\n']));
        assert_eq!(cell, "\"a\\r\\nb,\"\"c\"\"\"");
    }

    #[test]
    fn markdown_escapes_emphasis_links_and_strikethrough() {
        assert_eq!(markdown_cell("[x](http://e) ~~y~~ a&b"), "\\[x\\](http://e) \\~\\~y\\~\\~ a&amp;b");
        assert_eq!(markdown_cell("line\nbreak"), "line\\\\nbreak");
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

    #[test]
    fn github_messages_encode_percent_and_line_breaks() {
        assert_eq!(github_annotation_escape("100% sure\r\nnext: a,b"), "100%25 sure%0D%0Anext: a,b");
        assert_eq!(github_annotation_escape("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(github_annotation_escape("::error::x"), "::error::x", "safe inside a message");
    }

    #[test]
    fn github_properties_also_encode_colon_and_comma() {
        assert_eq!(github_property_escape("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        assert_eq!(github_property_escape("policies/contoso.yaml"), "policies/contoso.yaml");
    }
}
