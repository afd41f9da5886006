//! Bytes → text: byte-order marks, the encoding declaration, and strict decoding.

use std::borrow::Cow;

use super::tree::{Error, ErrorKind, ParseOptions};

/// Decodes a document's bytes to UTF-8 text.
///
/// UTF-8 (with or without BOM) is borrowed when possible. Invalid UTF-8 is an error at the
/// byte offset of the first bad sequence; nothing is ever replaced silently.
pub fn decode<'a>(bytes: &'a [u8], options: &ParseOptions) -> Result<Cow<'a, str>, Error> {
    if bytes.len() > options.max_input_bytes {
        return Err(Error::new(
            ErrorKind::Limit,
            options.max_input_bytes,
            format!(
                "input is larger than the limit of {} bytes",
                options.max_input_bytes
            ),
        ));
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(Cow::Borrowed(s)),
        Err(e) => Err(Error::new(
            ErrorKind::Encoding,
            e.valid_up_to() + (bytes.len() - body.len()),
            "the file is not valid UTF-8",
        )),
    }
}
