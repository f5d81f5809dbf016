//! Diagnostics: every problem the generator reports names the spec file, line, column and
//! the JSON pointer of the node that caused it.

use std::fmt;

/// A position in the spec file (1-based line and column).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Severity {
    /// Generation cannot proceed.
    Error,
    /// Suspicious but legal; generation proceeds.
    Warning,
}

/// One problem found in a spec.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The spec file as the caller named it.
    pub file: String,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// JSON pointer of the offending node (`#/paths/~1rooms/get`).
    pub pointer: String,
    /// One line saying what is wrong.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}\n  --> {}", self.message, self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, " at {}", self.pointer)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The problems of one failed run, all of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// How every warning about a mistake of the document itself begins. The message goes on with
/// what the document got wrong, then `; assumed` and what the generator read it as instead;
/// generation continues with that reading (`--deny-warnings` makes it fatal, like any
/// warning). One prefix, so a run's mistakes can be found with `grep`.
pub const MISTAKE: &str = "the document is wrong: ";

/// Escapes one JSON pointer token (`/` → `~1`, `~` → `~0`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// The reverse of [`escape_token`]: `rooms~1{id}` → `rooms/{id}`.
pub fn unescape_pointer(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends a token to a pointer.
pub fn push_pointer(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

/// Renders diagnostics like a compiler (via `annotate-snippets`, the renderer rustc uses):
/// the message, `file:line:column`, the spec line with the offending key or value
/// underlined, the JSON pointer, and the hint. `source` is the spec text the positions refer
/// to; without it (or without a position) only the header, pointer and hint are shown.
pub fn render(diagnostics: &[Diagnostic], source: Option<&str>, color: bool) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    // Every line of the source, found once: a document with hundreds of warnings would
    // otherwise be scanned from its start for each.
    let lines: Vec<&str> = match source {
        Some(text) if diagnostics.iter().any(|d| d.position.is_some()) => text.lines().collect(),
        _ => Vec::new(),
    };
    let mut out = String::new();
    for d in diagnostics {
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let located = d.position.and_then(|p| Some((p, *lines.get(p.line.checked_sub(1)?)?)));
        let location = match d.position {
            Some(p) => format!("{}:{}:{}", d.file, p.line, p.column),
            None => d.file.clone(),
        };
        // A syntax error has no node to point at; "at #" would say nothing.
        let pointer = if d.pointer == "#" { String::new() } else { format!("at {}", d.pointer) };
        let title = level.primary_title(d.message.as_str());
        let mut group: Group<'_> = match located {
            Some((p, line)) => {
                let span = token_span(line, p.column);
                title.element(
                    Snippet::source(line)
                        .line_start(p.line)
                        .path(d.file.as_str())
                        .annotation(AnnotationKind::Primary.span(span).label(pointer.as_str())),
                )
            }
            None => title.element(Level::NOTE.message(format!("{location} {pointer}").trim_end().to_string())),
        };
        if let Some(hint) = &d.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        let report: [Group<'_>; 1] = [group];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out.truncate(out.trim_end().len());
    out
}

/// The byte range of the key or value that starts at 1-based character `column` of `line`:
/// up to a `:` that ends a key, or to the end of the scalar.
fn token_span(line: &str, column: usize) -> std::ops::Range<usize> {
    let start = line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(i, _)| i);
    let rest = line.get(start..).unwrap_or("");
    let rest = rest.strip_prefix("- ").unwrap_or(rest);
    let skipped = line.len() - start - rest.len();
    let end = match rest.find(": ").or_else(|| rest.strip_suffix(':').map(str::len)) {
        Some(colon) => colon,
        None => rest.trim_end().len(),
    };
    let from = start + skipped;
    if end == 0 { start..(start + 1).min(line.len().max(start)) } else { from..from + end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underlines_the_key_or_the_value() {
        let line = "      responses: nope";
        assert_eq!(&line[token_span(line, 7)], "responses");
        let line = "        - name: session";
        assert_eq!(&line[token_span(line, 11)], "name");
        let line = "  /rooms/{room_id}:";
        assert_eq!(&line[token_span(line, 3)], "/rooms/{room_id}");
        let line = "            $ref: '#/components/schemas/Missing'";
        assert_eq!(&line[token_span(line, 19)], "'#/components/schemas/Missing'");
    }
}
