//! A minimal, deterministic XML writer for the CMIF file: elements on their own lines indented
//! by two spaces, attributes in the order given, text escaped.

pub(crate) struct Writer {
    out: String,
    depth: usize,
}

impl Writer {
    pub fn new() -> Self {
        Writer {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            depth: 0,
        }
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str("  ");
        }
    }

    fn tag(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.out.push('<');
        self.out.push_str(name);
        for (k, v) in attrs {
            self.out.push(' ');
            self.out.push_str(k);
            self.out.push_str("=\"");
            escape_into(&mut self.out, v, true);
            self.out.push('"');
        }
    }

    /// `<name attrs>` on its own line; children follow indented.
    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.indent();
        self.tag(name, attrs);
        self.out.push_str(">\n");
        self.depth += 1;
    }

    /// `</name>` on its own line.
    pub fn close(&mut self, name: &str) {
        self.depth -= 1;
        self.indent();
        self.out.push_str("</");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    /// `<name attrs>text</name>` (or `<name attrs/>` when the text is empty) on one line.
    pub fn leaf(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.indent();
        self.tag(name, attrs);
        if text.is_empty() {
            self.out.push_str("/>\n");
        } else {
            self.out.push('>');
            escape_into(&mut self.out, text, false);
            self.out.push_str("</");
            self.out.push_str(name);
            self.out.push_str(">\n");
        }
    }

    /// `<name attrs>text<child>child text</child></name>` on one line (mixed content).
    pub fn leaf_with_child(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
        child: (&str, &[(&str, &str)], &str),
    ) {
        self.indent();
        self.tag(name, attrs);
        self.out.push('>');
        escape_into(&mut self.out, text, false);
        self.tag(child.0, child.1);
        self.out.push('>');
        escape_into(&mut self.out, child.2, false);
        self.out.push_str("</");
        self.out.push_str(child.0);
        self.out.push_str("></");
        self.out.push_str(name);
        self.out.push_str(">\n");
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// Escapes markup characters; in attributes also quotes and whitespace that would be normalised.
fn escape_into(out: &mut String, s: &str, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\n' if attr => out.push_str("&#10;"),
            '\t' if attr => out.push_str("&#9;"),
            '\r' => out.push_str("&#13;"),
            _ => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_and_indents() {
        let mut w = super::Writer::new();
        w.open("a", &[("x", "1 & \"2\"")]);
        w.leaf("b", &[], "<c>");
        w.leaf("e", &[("when", "1947")], "");
        w.close("a");
        assert_eq!(
            w.finish(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a x=\"1 &amp; &quot;2&quot;\">\n  <b>&lt;c&gt;</b>\n  <e when=\"1947\"/>\n</a>\n"
        );
    }
}
