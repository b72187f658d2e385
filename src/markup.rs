//! Text escaped for XML and HTML, shared by the two writers of markup:
//! `relations.graphml` ([`crate::tables`]) and the `ikz explain --html`
//! page ([`crate::explain`]).

/// Appends `text` escaped for element content and attribute values of XML
/// and HTML. Tab and line ends become character references, so attribute
/// values keep them too (content reads them back the same). Characters
/// that XML 1.0 cannot hold (most C0 controls, DEL, U+FFFE, U+FFFF — a
/// decoded page may still carry them) become U+FFFD, so every reader
/// parses the file.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{7f}' | '\u{FFFE}' | '\u{FFFF}') => {
                out.push('\u{FFFD}')
            }
            c => out.push(c),
        }
    }
}

/// [`escape_into`] a new string.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_forbidden_characters_are_escaped() {
        assert_eq!(
            escape("A & B <C> \"D\"\u{1}\u{7f}\n"),
            "A &amp; B &lt;C&gt; &quot;D&quot;\u{FFFD}\u{FFFD}&#10;"
        );
    }
}
