//! Write: formatted files → a directory on disk.
//!
//! Generation and formatting finish in memory before this stage runs, so a spec that fails
//! to generate never reaches the disk. Here, every changed file is first written beside its
//! target under a temporary name; only when all of them are written are they renamed into
//! place, so an I/O failure part-way leaves the old files as they were. A file is the
//! generator's only if its first line is the generator header or the previous run listed it
//! in [`MANIFEST`] (for files that cannot carry a header, such as licences): files the user
//! adds (say `examples/`) are never overwritten or removed.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::format::{FormattedFile, has_header};

/// The file, in the output directory, listing every file the generator wrote there.
pub const MANIFEST: &str = ".codegen-manifest";

/// The manifest's text for a set of files.
fn manifest_text(files: &[FormattedFile]) -> String {
    let mut paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    paths.sort_unstable();
    let mut out = String::from("# Files written by `cargo xtask codegen`, which replaces and removes only these.\n");
    for p in paths {
        out.push_str(p);
        out.push('\n');
    }
    out
}

/// What [`sync`] did, or in check mode would do.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SyncReport {
    /// Files created or changed (relative paths).
    pub changed: Vec<String>,
    /// Generated files the spec no longer produces, removed.
    pub removed: Vec<String>,
    /// Files already up to date.
    pub unchanged: usize,
}

impl SyncReport {
    /// Whether the directory already matched.
    pub fn is_clean(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Whether to change the directory or only report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Write changed files and remove stale generated ones.
    Write,
    /// Change nothing; report what is stale.
    Check,
}

/// An I/O failure with the path it happened on.
#[derive(Debug)]
pub struct WriteError {
    /// The file or directory.
    pub path: PathBuf,
    /// What failed.
    pub source: io::Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

fn at(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError { path: path.to_path_buf(), source }
}

/// Brings `dir` in line with `files`.
pub fn sync(dir: &Path, files: &[FormattedFile], mode: Mode) -> Result<SyncReport, WriteError> {
    let previous = fs::read_to_string(dir.join(MANIFEST)).unwrap_or_default();
    let listed: BTreeSet<&str> = previous.lines().filter(|l| !l.starts_with('#')).collect();
    let owned = |rel: &str, text: &[u8]| listed.contains(rel) || has_header(&String::from_utf8_lossy(text));
    let manifest = FormattedFile { path: MANIFEST.to_string(), text: manifest_text(files) };
    let files: Vec<&FormattedFile> = files.iter().chain(std::iter::once(&manifest)).collect();
    let mut report = SyncReport::default();
    let mut pending: Vec<(PathBuf, PathBuf)> = Vec::new();
    let wanted: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();

    for f in &files {
        let target = dir.join(&f.path);
        match fs::read(&target) {
            Ok(existing) if existing == f.text.as_bytes() => {
                report.unchanged += 1;
                continue;
            }
            Ok(existing) if f.path != MANIFEST && !owned(&f.path, &existing) && mode == Mode::Write => {
                discard(&pending);
                return Err(WriteError {
                    path: target,
                    source: io::Error::other(
                        "exists and was not written by the generator (no header, not in the manifest); move it away first",
                    ),
                });
            }
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(at(&target)(e)),
        }
        report.changed.push(f.path.clone());
        if mode == Mode::Write {
            let parent = target.parent().unwrap_or(dir);
            fs::create_dir_all(parent).map_err(at(parent))?;
            let tmp =
                parent.join(format!(".{}.codegen-tmp", target.file_name().and_then(|n| n.to_str()).unwrap_or("file")));
            if let Err(e) = fs::write(&tmp, &f.text) {
                discard(&pending);
                let _ = fs::remove_file(&tmp);
                return Err(at(&tmp)(e));
            }
            pending.push((tmp, target));
        }
    }

    // Generated files (by header) that the spec no longer produces.
    let mut existing = Vec::new();
    list_files(dir, dir, &mut existing).map_err(at(dir))?;
    for rel in existing {
        if wanted.contains(rel.as_str()) {
            continue;
        }
        let path = dir.join(&rel);
        if fs::read(&path).is_ok_and(|b| owned(&rel, &b)) {
            report.removed.push(rel);
        }
    }

    if mode == Mode::Write {
        for (tmp, target) in &pending {
            fs::rename(tmp, target).map_err(at(target))?;
        }
        for rel in &report.removed {
            let path = dir.join(rel);
            fs::remove_file(&path).map_err(at(&path))?;
        }
    }
    report.removed.sort();
    Ok(report)
}

fn discard(pending: &[(PathBuf, PathBuf)]) {
    for (tmp, _) in pending {
        let _ = fs::remove_file(tmp);
    }
}

/// Files under `dir` (relative, `/`-separated), skipping `target/` and hidden entries.
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(e),
    };
    let mut entries: Vec<_> = entries.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || (dir == root && name == "target") {
            continue;
        }
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            list_files(root, &path, out)?;
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}
