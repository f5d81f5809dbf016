//! Rustdoc from spec text: spec descriptions are CommonMark written for a web page, so a few
//! things that rustdoc treats specially are neutralised on the way in.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes, one a line, from paragraphs (skipping empty ones, separating
/// the rest with a blank line).
pub fn doc_attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs {
        let text = sanitize(p.as_ref());
        if text.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| l.trim_end().to_string()));
    }
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// Spec prose, or `fallback` when there is none or it is blank: the generated crate denies
/// `missing_docs`, so every item it documents from the spec must say something. (Lowering
/// already reads blank prose as none; emit does not rely on it.)
pub fn prose_or(text: Option<&String>, fallback: impl FnOnce() -> String) -> String {
    match text {
        Some(t) if !t.trim().is_empty() => t.clone(),
        _ => fallback(),
    }
}

/// `#[doc = "..."]` attributes for the generator's own prose, which may hold intra-doc
/// links and is not sanitized.
pub fn own_doc(text: &str) -> TokenStream {
    let attrs = text.lines().map(|l| {
        let l = if l.trim().is_empty() { String::new() } else { format!(" {}", l.trim_end()) };
        quote!(#[doc = #l])
    });
    quote!(#(#attrs)*)
}

/// Inner `#![doc = "..."]` attributes for a module or crate.
pub fn inner_doc_attrs<I, S>(paragraphs: I) -> TokenStream
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut lines: Vec<String> = Vec::new();
    for p in paragraphs {
        let text = p.as_ref();
        if text.trim().is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(text.lines().map(|l| l.trim_end().to_string()));
    }
    let attrs = lines.iter().map(|l| {
        let l = if l.is_empty() { String::new() } else { format!(" {l}") };
        quote!(#![doc = #l])
    });
    quote!(#(#attrs)*)
}

/// Makes spec prose safe for rustdoc:
/// - fenced code blocks become `text` blocks, so rustdoc does not compile them as doctests;
/// - indented lines lose their indentation, for the same reason;
/// - square brackets outside code spans are escaped, so `filter[a]` is not an intra-doc link;
/// - bare URLs are wrapped in `<...>` so they render as links without a lint warning.
pub fn sanitize(text: &str) -> String {
    let mut out = String::new();
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            if in_fence {
                out.push_str("```\n");
            } else {
                out.push_str("```text\n");
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        out.push_str(&escape_line(trimmed_indent(line)));
        out.push('\n');
    }
    if in_fence {
        out.push_str("```\n");
    }
    out
}

/// Keeps list indentation (up to three spaces) and drops the rest.
fn trimmed_indent(line: &str) -> &str {
    let indent = line.len() - line.trim_start().len();
    if indent >= 4 { line.trim_start() } else { line }
}

fn escape_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        if c == '`' {
            in_code = !in_code;
            out.push(c);
            rest = rest.get(1..).unwrap_or_default();
            continue;
        }
        if !in_code {
            if let Some(url_len) = bare_url_len(rest) {
                let preceded_by_bracket = out.ends_with('<') || out.ends_with('(') || out.ends_with("](");
                let (url, tail) = rest.split_at(url_len);
                if preceded_by_bracket {
                    out.push_str(url);
                } else {
                    out.push('<');
                    out.push_str(url);
                    out.push('>');
                }
                rest = tail;
                continue;
            }
            // A Markdown link with its URL (`[text](https://…)`) stays a link; any other
            // bracket is escaped, so rustdoc does not read it as an intra-doc link.
            if c == '['
                && let Some(link_len) = inline_link_len(rest)
            {
                let (link, tail) = rest.split_at(link_len);
                out.push_str(link);
                rest = tail;
                continue;
            }
            if c == '[' || c == ']' {
                out.push('\\');
            }
            // `<N>`, `Vec<u8>`: rustdoc reads an unclosed HTML tag (and warns); spec prose
            // means the characters.
            if c == '<' && !rest.starts_with("<http://") && !rest.starts_with("<https://") {
                out.push('\\');
            }
        }
        out.push(c);
        rest = rest.get(c.len_utf8()..).unwrap_or_default();
    }
    out
}

/// The length of a Markdown inline link with an http(s) URL (`[text](https://…)`) at the
/// beginning of `s`, if one is there.
fn inline_link_len(s: &str) -> Option<usize> {
    let close = s.find(']')?;
    let text = s.get(1..close)?;
    if text.contains('[') {
        return None;
    }
    let after = s.get(close + 1..)?;
    let target = after.strip_prefix('(')?;
    if !(target.starts_with("http://") || target.starts_with("https://")) {
        return None;
    }
    let end = target.find(')')?;
    if target.get(..end)?.contains(char::is_whitespace) {
        return None;
    }
    Some(close + 2 + end + 1)
}

/// The length of a URL starting at the beginning of `s`, if one does.
fn bare_url_len(s: &str) -> Option<usize> {
    if !(s.starts_with("http://") || s.starts_with("https://")) {
        return None;
    }
    let end = s.find(|c: char| c.is_whitespace() || matches!(c, '>' | ')' | '"' | '\'' | '`')).unwrap_or(s.len());
    // Trailing punctuation belongs to the sentence, not the URL.
    let url = s.get(..end).unwrap_or(s).trim_end_matches(['.', ',', ';', ':', '!', '?']);
    Some(url.len())
}

#[cfg(test)]
mod tests {
    use super::{prose_or, sanitize};

    #[test]
    fn links_with_urls_stay_links_and_html_like_text_is_escaped() {
        assert_eq!(
            sanitize("See [the docs](https://example.com/a_(b)."),
            "See [the docs](https://example.com/a_(b).\n"
        );
        assert_eq!(sanitize("Count <N> of Vec<u8>"), "Count \\<N> of Vec\\<u8>\n");
        assert_eq!(sanitize("[ref] and [x](#local)"), "\\[ref\\] and \\[x\\](#local)\n");
        assert_eq!(sanitize("at <https://example.com>"), "at <https://example.com>\n");
    }

    #[test]
    fn blank_prose_gets_the_fallback() {
        let fallback = || "The `x` property.".to_string();
        for blank in ["", "  ", "\n\t"] {
            assert_eq!(prose_or(Some(&blank.to_string()), fallback), "The `x` property.", "{blank:?}");
        }
        assert_eq!(prose_or(None, fallback), "The `x` property.");
        assert_eq!(prose_or(Some(&"Said.".to_string()), fallback), "Said.");
    }

    #[test]
    fn neutralises_rustdoc_specials() {
        assert_eq!(sanitize("Use filter[a][b]."), "Use filter\\[a\\]\\[b\\].\n");
        assert_eq!(sanitize("Keep `x[0]` as is"), "Keep `x[0]` as is\n");
        assert_eq!(sanitize("See https://example.com."), "See <https://example.com>.\n");
        assert_eq!(sanitize("```\nlet x = 1;\n```"), "```text\nlet x = 1;\n```\n");
        assert_eq!(sanitize("    indented"), "indented\n");
        assert_eq!(sanitize("<https://a.b>"), "<https://a.b>\n");
    }
}
