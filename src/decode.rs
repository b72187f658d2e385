//! Stage 1: bytes to text.
//!
//! Detects rather than guesses: a byte-order mark decides first (UTF-8,
//! UTF-16LE/BE); without one, text that is valid UTF-8 is UTF-8, and text with
//! no valid multi-byte UTF-8 sequence but high bytes is Windows-1252 (a
//! superset of ISO-8859-1 for printable text, as the WHATWG encoding standard
//! and `encoding_rs` treat it). Mostly-UTF-8 text with a few broken bytes is
//! decoded with replacement characters and a warning. Binary files are
//! refused. Line ends are normalised to `\n`.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// The result of decoding one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text with `\n` line ends.
    pub text: String,
    /// How it was decoded, for the documents table.
    pub encoding: String,
    /// Set when the text needed replacement characters.
    pub warning: Option<String>,
}

/// Why bytes could not be turned into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotText(pub String);

/// Decodes one input's bytes.
pub fn decode(bytes: &[u8]) -> Result<Decoded, NotText> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        let name = format!("{} (BOM)", encoding.name());
        return Ok(finish(&text, name, had_errors));
    }
    if let Some(kind) = binary_kind(bytes) {
        return Err(not_text(kind));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(finish(text, "UTF-8".to_string(), false)),
        Err(_) if !has_utf8_multibyte(bytes) => {
            let (text, _, had_errors) = WINDOWS_1252.decode(bytes);
            Ok(finish(&text, WINDOWS_1252.name().to_string(), had_errors))
        }
        Err(_) => {
            let (text, _, had_errors) = UTF_8.decode(bytes);
            Ok(finish(&text, "UTF-8".to_string(), had_errors))
        }
    }
}

fn finish(text: &str, encoding: String, had_errors: bool) -> Decoded {
    let warning = had_errors.then(|| {
        format!(
            "invalid {encoding} byte sequences were replaced by U+FFFD; check the file's encoding"
        )
    });
    Decoded {
        text: normalise_line_ends(text),
        encoding,
        warning,
    }
}

/// Replaces CRLF and lone CR by LF.
pub fn normalise_line_ends(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether the bytes contain at least one well-formed multi-byte UTF-8
/// sequence; Windows-1252 text almost never does.
fn has_utf8_multibyte(bytes: &[u8]) -> bool {
    bytes.windows(2).any(|w| {
        let lead = w[0];
        (0xC2..=0xF4).contains(&lead)
            && (0x80..=0xBF).contains(&w[1])
            && std::str::from_utf8(&bytes_from(bytes, w)).is_ok()
    })
}

/// The complete sequence starting at the window `w` (2 to 4 bytes).
fn bytes_from(bytes: &[u8], w: &[u8]) -> Vec<u8> {
    let offset = w.as_ptr() as usize - bytes.as_ptr() as usize;
    let len = match w[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    };
    bytes[offset..bytes.len().min(offset + len)].to_vec()
}

/// Why a binary input is skipped.
pub fn not_text(kind: &str) -> NotText {
    NotText(format!(
        "looks like a binary file ({kind}), not text; skipped"
    ))
}

/// Names the kind of binary data, if the bytes are not text: a known magic
/// number, a NUL byte, or mostly control bytes.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 8] = [
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive or Office document"),
        (b"\x1F\x8B", "gzip archive"),
        (b"\x7FELF", "executable"),
        (b"\xD0\xCF\x11\xE0", "old Office document"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Some("contains NUL bytes");
    }
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0C))
        .count();
    (head.len() >= 32 && control * 10 > head.len()).then_some("mostly control bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("Stadt Münster".as_bytes()).unwrap();
        assert_eq!(plain.text, "Stadt Münster");
        assert_eq!(plain.encoding, "UTF-8");
        let bom = decode(b"\xEF\xBB\xBFStadt M\xC3\xBCnster").unwrap();
        assert_eq!(bom.text, "Stadt Münster");
        assert_eq!(bom.encoding, "UTF-8 (BOM)");
    }

    #[test]
    fn windows_1252_is_detected() {
        let d = decode(b"Kreis G\xFCtersloh \x96 \x84Zusammenarbeit\x93\r\n").unwrap();
        assert_eq!(d.text, "Kreis Gütersloh – „Zusammenarbeit“\n");
        assert_eq!(d.encoding, "windows-1252");
        assert!(d.warning.is_none());
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Lecos GmbH\r\nLeipzig".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let d = decode(&bytes).unwrap();
        assert_eq!(d.text, "Lecos GmbH\nLeipzig");
        assert_eq!(d.encoding, "UTF-16LE (BOM)");
    }

    #[test]
    fn broken_utf8_is_replaced_with_warning() {
        let d = decode(b"Die Stadt M\xC3\xBCnster und \xFF der LWL").unwrap();
        assert_eq!(d.text, "Die Stadt Münster und \u{FFFD} der LWL");
        assert!(d.warning.is_some());
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode(b"\x89PNG\r\n\x1a\nrest").is_err());
        assert!(decode(b"abc\0def").is_err());
    }
}
