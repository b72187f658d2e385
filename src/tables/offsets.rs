//! Byte offsets of a body to Unicode character offsets.
//!
//! The model's spans are byte offsets (cheap to slice in Rust); the tables
//! promise character offsets (Python `str` indices). For each document the
//! needed byte offsets are sorted once and the characters between
//! neighbours counted once, so a document costs one pass over its body plus
//! a sort of its offsets, never a scan per span. An all-ASCII body needs no
//! table at all.

use anyhow::{Result, bail};

/// Maps the byte offsets of one document's body to character offsets.
///
/// Reused from document to document so that its buffers are allocated once.
#[derive(Debug, Default)]
pub(crate) struct CharOffsets {
    /// Whether the current body is ASCII, where bytes and characters coincide.
    ascii: bool,
    /// Length of the current body in bytes.
    body_len: usize,
    /// The byte offsets that can be looked up, sorted and distinct.
    bytes: Vec<usize>,
    /// `chars[i]` is the character offset of `bytes[i]`.
    chars: Vec<usize>,
}

impl CharOffsets {
    /// Prepares lookups of `offsets` (byte offsets on character boundaries of
    /// `body`) for a new document.
    pub(crate) fn rebuild(
        &mut self,
        body: &str,
        offsets: impl IntoIterator<Item = usize>,
    ) -> Result<()> {
        self.body_len = body.len();
        self.bytes.clear();
        self.chars.clear();
        self.ascii = body.is_ascii();
        if self.ascii {
            return Ok(());
        }
        self.bytes.extend(offsets);
        self.bytes.sort_unstable();
        self.bytes.dedup();
        let (mut prev_byte, mut prev_char) = (0usize, 0usize);
        for &byte in &self.bytes {
            let Some(between) = body.get(prev_byte..byte) else {
                bail!(
                    "byte offset {byte} is not a character boundary inside the body \
                     ({} bytes)",
                    body.len()
                );
            };
            prev_char += between.chars().count();
            prev_byte = byte;
            self.chars.push(prev_char);
        }
        Ok(())
    }

    /// The character offset of a byte offset given to [`CharOffsets::rebuild`].
    pub(crate) fn char_at(&self, byte: usize) -> Result<usize> {
        if self.ascii {
            if byte <= self.body_len {
                return Ok(byte);
            }
        } else if let Ok(i) = self.bytes.binary_search(&byte)
            && let Some(&c) = self.chars.get(i)
        {
            return Ok(c);
        }
        bail!(
            "internal error: byte offset {byte} was not prepared for conversion; \
             this is a bug in ikz, please report it"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_multibyte_offsets() -> Result<()> {
        let body = "„Münster“ ok";
        let mut map = CharOffsets::default();
        let wanted = [
            0,
            "„".len(),
            "„Münster".len(),
            "„Münster“".len(),
            body.len(),
        ];
        map.rebuild(body, wanted)?;
        let got: Vec<usize> = wanted
            .iter()
            .map(|&b| map.char_at(b))
            .collect::<Result<_>>()?;
        assert_eq!(got, vec![0, 1, 8, 9, 12]);
        Ok(())
    }

    #[test]
    fn ascii_is_identity_and_bad_offsets_fail() -> Result<()> {
        let mut map = CharOffsets::default();
        map.rebuild("abc", [1])?;
        assert_eq!(map.char_at(2)?, 2);
        assert!(map.char_at(4).is_err());
        assert!(map.rebuild("ü", [1]).is_err());
        Ok(())
    }
}
