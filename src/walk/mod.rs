//! The walk: list the audited tree once, honouring ignore files, and
//! classify every file by kind. Also the one place that reads file
//! contents (size cap, binary and encoding checks), so later stages never
//! touch the filesystem.

pub mod ci_system;
pub mod classify;

pub use classify::{classify, CiSystem, FileKind};

use ignore::{WalkBuilder, WalkState};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Files larger than this are not parsed (configurable).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Clone, Debug)]
pub struct WalkOptions {
    pub max_file_size: u64,
    /// Extra gitignore-style patterns (from the config's `ignore:`).
    pub ignore_patterns: Vec<String>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            ignore_patterns: Vec::new(),
        }
    }
}

/// One regular file of the tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoFile {
    /// Relative to the root, `/`-separated.
    pub path: String,
    pub kind: FileKind,
    /// Size in bytes, for files of a kind kubeready reads; `0` for
    /// [`FileKind::Other`] files, which the walk does not `stat` (reading
    /// one is still capped at the size limit).
    pub size: u64,
}

/// Something the walk could not list or will not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WalkProblemKind {
    /// A symlink whose target lies outside the audited root.
    SymlinkOutOfRoot,
    /// A symlink that loops or points nowhere.
    SymlinkBroken,
    /// A file over the size cap.
    TooLarge { size: u64, limit: u64 },
    /// A directory or file the walk could not read.
    Unreadable { reason: String },
    /// A file name that is not valid UTF-8 (shown lossily).
    NonUtf8Name,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkProblem {
    pub path: String,
    pub kind: WalkProblemKind,
}

/// Why a file's text could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadProblem {
    NotInTree,
    TooLarge { size: u64, limit: u64 },
    Binary,
    InvalidUtf8 { line: u32 },
    Io(String),
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadProblem::NotInTree => write!(f, "not part of the audited tree"),
            ReadProblem::TooLarge { size, limit } => {
                write!(
                    f,
                    "file is {size} bytes, over the {limit}-byte limit; not parsed"
                )
            }
            ReadProblem::Binary => write!(f, "file is binary (contains NUL bytes); not parsed"),
            ReadProblem::InvalidUtf8 { line } => {
                write!(
                    f,
                    "file is not valid UTF-8 (first invalid byte on line {line}); not parsed"
                )
            }
            ReadProblem::Io(e) => write!(f, "cannot read file: {e}"),
        }
    }
}

/// What the walk listed: files, folders and problems, sorted, so
/// everything built from it is deterministic. Pure data: later stages
/// (rules, checklist) query it without being able to read files.
#[derive(Clone, Debug, Default)]
pub struct Listing {
    files: Vec<RepoFile>,
    dirs: Vec<String>,
    pub problems: Vec<WalkProblem>,
}

/// The listed tree plus the means to read it; only the parse stage holds
/// one. Derefs to its [`Listing`].
#[derive(Debug)]
pub struct Tree {
    root: PathBuf,
    listing: Listing,
    max_file_size: u64,
    /// Contents that stand in for (or add to) files on disk: the tree as
    /// `kubeready fix` would leave it, audited without writing anything.
    overlay: std::collections::HashMap<String, String>,
}

impl std::ops::Deref for Tree {
    type Target = Listing;
    fn deref(&self) -> &Listing {
        &self.listing
    }
}

impl Tree {
    /// Walks `root`. A root that is a file audits just that file.
    pub fn walk(root: &Path, options: &WalkOptions) -> Tree {
        let mut tree = Tree {
            root: root.to_path_buf(),
            listing: Listing {
                files: Vec::new(),
                dirs: vec![String::new()],
                problems: Vec::new(),
            },
            max_file_size: options.max_file_size,
            overlay: Default::default(),
        };
        if root.is_file() {
            let name = root
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            tree.root = root.parent().map(Path::to_path_buf).unwrap_or_default();
            if tree.root.as_os_str().is_empty() {
                tree.root = PathBuf::from(".");
            }
            let size = root.metadata().map(|m| m.len()).unwrap_or(0);
            tree.listing.files.push(RepoFile {
                kind: classify(&name),
                path: name,
                size,
            });
            return tree;
        }
        let canonical_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
        let overrides = build_overrides(root, &options.ignore_patterns);
        let mut builder = WalkBuilder::new(root);
        builder
            .hidden(false)
            .git_ignore(true)
            .git_exclude(true)
            .git_global(false)
            .ignore(true)
            .require_git(false)
            .follow_links(false)
            .threads(
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
                    .min(8),
            )
            .filter_entry(|e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                !(is_dir
                    && e.depth() > 0
                    && classify::SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            });
        if let Some(ov) = overrides {
            builder.overrides(ov);
        }
        let collected: Mutex<(Vec<RepoFile>, Vec<String>, Vec<WalkProblem>)> =
            Mutex::new(Default::default());
        builder.build_parallel().run(|| {
            // Each walker thread lists into its own buffers, handed over
            // once when the thread is done (not a lock per entry).
            let mut local = Flush {
                entry: Entry::default(),
                into: &collected,
            };
            let canonical_root = &canonical_root;
            Box::new(move |entry| {
                visit(root, canonical_root, entry, &mut local.entry);
                WalkState::Continue
            })
        });
        let (mut files, mut dirs, mut problems) = collected.into_inner().unwrap_or_default();
        // Each walker thread handed over its entries sorted (see `Flush`):
        // the stable sort finds those runs and merges them, where sorting
        // from scratch here would be serial work. Entries with the same
        // path are the same entry (dropped next).
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files.dedup_by(|a, b| a.path == b.path);
        dirs.sort();
        dirs.dedup();
        problems.sort_by(|a, b| a.path.cmp(&b.path));
        problems.dedup();
        // Size cap: only files kubeready would parse get a problem.
        for f in &files {
            if f.size > options.max_file_size && f.kind != FileKind::Other {
                problems.push(WalkProblem {
                    path: f.path.clone(),
                    kind: WalkProblemKind::TooLarge {
                        size: f.size,
                        limit: options.max_file_size,
                    },
                });
            }
        }
        if dirs.first().map(String::as_str) != Some("") {
            dirs.insert(0, String::new());
        }
        tree.listing = Listing {
            files,
            dirs,
            problems,
        };
        tree
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What the overlay holds for `path` (a plain audit has none: no
    /// lookup).
    fn overlay_text(&self, path: &str) -> Option<&String> {
        if self.overlay.is_empty() {
            None
        } else {
            self.overlay.get(path)
        }
    }

    /// The tree with these root-relative files (`/`-separated) holding
    /// these contents instead of what is on disk, new ones listed and
    /// classified like walked files. Nothing is written.
    pub fn with_overlay(mut self, files: &[(String, String)]) -> Tree {
        for (path, text) in files {
            let size = text.len() as u64;
            match self
                .listing
                .files
                .binary_search_by(|f| f.path.as_str().cmp(path))
            {
                Ok(i) => {
                    if let Some(f) = self.listing.files.get_mut(i) {
                        f.size = size;
                    }
                }
                Err(i) => {
                    let name = path.rsplit('/').next().unwrap_or(path);
                    let file = RepoFile {
                        path: path.clone(),
                        kind: classify(name),
                        size,
                    };
                    self.listing.files.insert(i, file);
                    let mut dir = path.as_str();
                    while let Some(cut) = dir.rfind('/') {
                        dir = &dir[..cut];
                        if let Err(at) = self.listing.dirs.binary_search_by(|d| d.as_str().cmp(dir))
                        {
                            self.listing.dirs.insert(at, dir.to_string());
                        }
                    }
                }
            }
            self.overlay.insert(path.clone(), text.clone());
        }
        self
    }

    /// Gives up the means to read, keeping the listing.
    pub fn into_listing(self) -> Listing {
        self.listing
    }

    /// Reads a listed file as text: size-capped, BOM stripped, line endings
    /// normalised to `\n` (so line numbers stay right for CRLF and CR files).
    pub fn read_text(&self, path: &str) -> Result<String, ReadProblem> {
        let file = self.file(path).ok_or(ReadProblem::NotInTree)?;
        if let Some(text) = self.overlay_text(path) {
            return decode_text(text.clone().into_bytes());
        }
        if file.size > self.max_file_size {
            return Err(ReadProblem::TooLarge {
                size: file.size,
                limit: self.max_file_size,
            });
        }
        let full = self.root.join(path);
        let f = std::fs::File::open(&full).map_err(|e| ReadProblem::Io(e.kind().to_string()))?;
        let mut bytes = Vec::with_capacity(file.size as usize);
        f.take(self.max_file_size + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| ReadProblem::Io(e.kind().to_string()))?;
        if bytes.len() as u64 > self.max_file_size {
            return Err(ReadProblem::TooLarge {
                size: bytes.len() as u64,
                limit: self.max_file_size,
            });
        }
        decode_text(bytes)
    }

    /// Reads at most `limit` bytes of a listed file, lossily (for sniffing
    /// entry points such as `package main`).
    pub fn read_prefix(&self, path: &str, limit: usize) -> Option<String> {
        self.with_prefix(path, limit, str::to_string)
    }

    /// `f` over at most `limit` bytes of a listed file, decoded lossily;
    /// `None` when the file is not listed, cannot be read or is binary.
    /// The bytes go into a buffer the thread keeps for its next read, so
    /// scanning many small files allocates nothing per file.
    pub fn with_prefix<R>(&self, path: &str, limit: usize, f: impl FnOnce(&str) -> R) -> Option<R> {
        self.file(path)?;
        if let Some(text) = self.overlay_text(path) {
            let mut end = text.len().min(limit);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            return Some(f(&text[..end]));
        }
        let file = std::fs::File::open(self.root.join(path)).ok()?;
        // Taken out of the thread's slot (not borrowed), so a nested read
        // gets a fresh buffer instead of a conflict.
        let mut buf = READ_BUFFER.take();
        let result = read_up_to(file, limit, &mut buf).ok().and_then(|len| {
            let bytes = buf.get(..len)?;
            if bytes.contains(&0) {
                return None;
            }
            Some(f(&String::from_utf8_lossy(bytes)))
        });
        // A rare big file does not keep its memory for the thread's life.
        if buf.len() <= KEPT_BUFFER {
            READ_BUFFER.set(buf);
        }
        result
    }
}

thread_local! {
    /// The buffer [`Tree::with_prefix`] reads into, kept between reads.
    static READ_BUFFER: std::cell::Cell<Vec<u8>> = const { std::cell::Cell::new(Vec::new()) };
}

/// The largest read buffer a thread keeps.
const KEPT_BUFFER: usize = 256 * 1024;

/// Reads at most `limit` bytes of `file` into `buf` (grown, never shrunk,
/// its bytes initialised once), returning how many were read: a small
/// file takes one `read` and one more that finds the end.
fn read_up_to(mut file: std::fs::File, limit: usize, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut len = 0;
    while len < limit {
        if len == buf.len() {
            let grown = (buf.len() * 2).max(16 * 1024).min(limit);
            buf.resize(grown, 0);
        }
        let end = buf.len().min(limit);
        let Some(spare) = buf.get_mut(len..end) else {
            break;
        };
        match file.read(spare) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(len)
}

impl Listing {
    /// Every listed regular file, sorted by path.
    pub fn files(&self) -> &[RepoFile] {
        &self.files
    }

    pub fn files_of(&self, kind: FileKind) -> impl Iterator<Item = &RepoFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    pub fn file(&self, path: &str) -> Option<&RepoFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.files.get(i))
    }

    pub fn has_file(&self, path: &str) -> bool {
        self.file(path).is_some()
    }

    /// Whether `path` is a listed directory (`""` is the root).
    pub fn has_dir(&self, path: &str) -> bool {
        self.dirs.binary_search_by(|d| d.as_str().cmp(path)).is_ok()
    }

    /// The listed folder `path`, as the listing holds it (`""` is the root).
    pub fn dir(&self, path: &str) -> Option<&str> {
        self.dirs
            .binary_search_by(|d| d.as_str().cmp(path))
            .ok()
            .and_then(|i| self.dirs.get(i))
            .map(String::as_str)
    }

    /// The folders, then the files, directly in `dir` (`""` for the root),
    /// each with whether it is a folder. What is below a child folder is
    /// skipped, not read: the cost is the number of children.
    pub fn children<'a>(&'a self, dir: &str) -> impl Iterator<Item = (&'a str, bool)> + 'a {
        let dirs = direct_children(&self.dirs, String::as_str, dir).map(|d| (d, true));
        let files = direct_children(&self.files, |f: &RepoFile| f.path.as_str(), dir);
        dirs.chain(files.map(|f| (f, false)))
    }

    /// Files directly or indirectly under `dir` (`""` for all): one range of
    /// the sorted list, `dir/` up to `dir0` (`0` follows `/`).
    pub fn files_under(&self, dir: &str) -> std::slice::Iter<'_, RepoFile> {
        if dir.is_empty() {
            return self.files.iter();
        }
        let first = format!("{dir}/");
        let end = format!("{dir}0");
        let start = self
            .files
            .partition_point(|f| f.path.as_str() < first.as_str());
        let len = self.files.get(start..).map_or(0, |rest| {
            rest.partition_point(|f| f.path.as_str() < end.as_str())
        });
        self.files
            .get(start..start + len)
            .unwrap_or_default()
            .iter()
    }
}

/// The paths of a sorted list that are directly in `dir`: each run of
/// deeper paths (`dir/child/...`) is skipped with one binary search.
fn direct_children<'a, T>(
    items: &'a [T],
    path: fn(&T) -> &str,
    dir: &str,
) -> impl Iterator<Item = &'a str> + 'a {
    let prefix = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    let mut i = items.partition_point(|t| path(t) < prefix.as_str());
    std::iter::from_fn(move || loop {
        let p = path(items.get(i)?);
        let rest = p.strip_prefix(prefix.as_str())?;
        match rest.find('/') {
            None if rest.is_empty() => i += 1,
            None => {
                i += 1;
                return Some(p);
            }
            Some(j) => {
                // Every path under `dir/child/` sorts before `dir/child0`
                // (`0` follows `/`).
                let end = format!("{prefix}{}0", &rest[..j]);
                i += items[i..].partition_point(|t| path(t) < end.as_str());
            }
        }
    })
}

/// Decodes bytes into text the parsers can rely on.
pub fn decode_text(mut bytes: Vec<u8>) -> Result<String, ReadProblem> {
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    let sniff = &bytes[..bytes.len().min(8192)];
    if sniff.contains(&0) {
        return Err(ReadProblem::Binary);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let upto = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..upto].iter().filter(|b| **b == b'\n').count() as u32 + 1;
            return Err(ReadProblem::InvalidUtf8 { line });
        }
    };
    if text.contains('\r') {
        Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Ok(text)
    }
}

#[derive(Default)]
struct Entry {
    files: Vec<RepoFile>,
    dirs: Vec<String>,
    problems: Vec<WalkProblem>,
}

/// A walker thread's listing, added to the shared one when the thread
/// drops its visitor (at the end of the walk).
struct Flush<'a> {
    entry: Entry,
    into: &'a Mutex<(Vec<RepoFile>, Vec<String>, Vec<WalkProblem>)>,
}

impl Drop for Flush<'_> {
    fn drop(&mut self) {
        // Sorted here, on the walker's own thread, so the threads sort
        // side by side and the walk only merges their runs.
        self.entry
            .files
            .sort_unstable_by(|a, b| a.path.cmp(&b.path));
        self.entry.dirs.sort_unstable();
        if let Ok(mut c) = self.into.lock() {
            c.0.append(&mut self.entry.files);
            c.1.append(&mut self.entry.dirs);
            c.2.append(&mut self.entry.problems);
        }
    }
}

/// `path` relative to `root`, `/`-separated; `Err` (with a lossy form)
/// when a component is not UTF-8.
fn relative(root: &Path, path: &Path) -> Result<String, String> {
    relative_as_text(root, path).map_or_else(|| relative_by_components(root, path), Ok)
}

/// The common case as plain text (every walked entry goes through here,
/// and splitting paths into components was a visible part of the walk):
/// both paths UTF-8, `/` the separator, `path` under `root` with nothing
/// to clean up. `None` when any of that does not hold.
fn relative_as_text(root: &Path, path: &Path) -> Option<String> {
    if std::path::MAIN_SEPARATOR != '/' {
        return None;
    }
    let rest = path.to_str()?.strip_prefix(root.to_str()?)?;
    let rest = match rest.strip_prefix('/') {
        Some(r) => r,
        None if root.to_str()?.ends_with('/') => rest,
        None => return None,
    };
    is_clean_relative(rest).then(|| rest.to_string())
}

/// Whether every `/`-separated component of `rest` is a plain name (not
/// empty, `.` or `..`), checked byte by byte: every walked path comes
/// through here.
fn is_clean_relative(rest: &str) -> bool {
    let mut component = 0usize;
    let mut dots = 0usize;
    for &b in rest.as_bytes() {
        if b == b'/' {
            if component == 0 || component == dots && dots <= 2 {
                return false;
            }
            component = 0;
            dots = 0;
        } else {
            component += 1;
            dots += usize::from(b == b'.');
        }
    }
    component > 0 && !(component == dots && dots <= 2)
}

fn relative_by_components(root: &Path, path: &Path) -> Result<String, String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    let mut lossy = false;
    for comp in rel.components() {
        let s = match comp.as_os_str().to_str() {
            Some(s) => s.to_string(),
            None => {
                lossy = true;
                comp.as_os_str().to_string_lossy().into_owned()
            }
        };
        if s == "." {
            continue;
        }
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&s);
    }
    if lossy {
        Err(out)
    } else {
        Ok(out)
    }
}

fn visit(
    root: &Path,
    canonical_root: &Path,
    entry: Result<ignore::DirEntry, ignore::Error>,
    out: &mut Entry,
) {
    let entry = match entry {
        Ok(e) => e,
        Err(err) => {
            let path = error_path(&err)
                .map(|p| relative(root, p).unwrap_or_else(|l| l))
                .unwrap_or_default();
            let reason = io_reason(&err);
            out.problems.push(WalkProblem {
                path,
                kind: WalkProblemKind::Unreadable { reason },
            });
            return;
        }
    };
    if entry.depth() == 0 {
        return;
    }
    let rel = match relative(root, entry.path()) {
        Ok(r) => r,
        Err(lossy) => {
            out.problems.push(WalkProblem {
                path: lossy,
                kind: WalkProblemKind::NonUtf8Name,
            });
            return;
        }
    };
    let Some(ft) = entry.file_type() else { return };
    if ft.is_symlink() {
        // Never follow links; report the dangerous ones named like files we read.
        if classify(&rel) == FileKind::Other {
            return;
        }
        match std::fs::canonicalize(entry.path()) {
            Ok(target) if target.starts_with(canonical_root) => {}
            Ok(_) => out.problems.push(WalkProblem {
                path: rel,
                kind: WalkProblemKind::SymlinkOutOfRoot,
            }),
            Err(_) => out.problems.push(WalkProblem {
                path: rel,
                kind: WalkProblemKind::SymlinkBroken,
            }),
        }
        return;
    }
    if ft.is_dir() {
        out.dirs.push(rel);
        return;
    }
    if ft.is_file() {
        // Only files kubeready reads need their size (one `stat` each);
        // the rest of a big tree is listed from the directory entries alone.
        let kind = classify(&rel);
        let size = if kind == FileKind::Other {
            0
        } else {
            entry.metadata().map(|m| m.len()).unwrap_or(0)
        };
        out.files.push(RepoFile {
            path: rel,
            kind,
            size,
        });
    }
}

fn error_path(err: &ignore::Error) -> Option<&Path> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn io_reason(err: &ignore::Error) -> String {
    match err {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => io_reason(err),
        ignore::Error::Io(e) => e.kind().to_string(),
        ignore::Error::Loop { .. } => "symlink loop".to_string(),
        other => other.to_string(),
    }
}

fn build_overrides(root: &Path, patterns: &[String]) -> Option<ignore::overrides::Override> {
    if patterns.is_empty() {
        return None;
    }
    let mut b = ignore::overrides::OverrideBuilder::new(root);
    for p in patterns {
        // Overrides are whitelists; a leading `!` turns them into ignores.
        let _ = b.add(&format!("!{p}"));
    }
    b.build().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[test]
    fn an_overlay_adds_and_replaces_files_without_writing() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("Dockerfile"), "FROM a:1\n").unwrap_or_default();
        let tree = Tree::walk(dir.path(), &WalkOptions::default()).with_overlay(&[
            ("Dockerfile".into(), "FROM b:2\r\n".into()),
            ("svc/api/compose.yaml".into(), "services: {}\n".into()),
        ]);
        assert_eq!(tree.read_text("Dockerfile"), Ok("FROM b:2\n".into()));
        assert_eq!(tree.file("Dockerfile").map(|f| f.size), Some(10));
        assert_eq!(
            tree.read_text("svc/api/compose.yaml"),
            Ok("services: {}\n".into())
        );
        assert_eq!(
            tree.read_prefix("svc/api/compose.yaml", 4).as_deref(),
            Some("serv")
        );
        assert!(tree.has_dir("svc") && tree.has_dir("svc/api"));
        assert_eq!(
            tree.file("svc/api/compose.yaml").map(|f| f.kind),
            Some(classify("compose.yaml"))
        );
        let paths: Vec<&str> = tree.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Dockerfile", "svc/api/compose.yaml"]);
        assert!(!dir.path().join("svc").exists());
        assert_eq!(
            fs::read_to_string(dir.path().join("Dockerfile")).unwrap_or_default(),
            "FROM a:1\n"
        );
    }

    #[test]
    fn clean_relative_paths() {
        for (rest, clean) in [
            ("a", true),
            ("a/b.txt", true),
            ("...", true),
            ("a/.../b", true),
            (".a/b.", true),
            ("", false),
            (".", false),
            ("..", false),
            ("a/./b", false),
            ("a/../b", false),
            ("a//b", false),
            ("/a", false),
            ("a/", false),
            ("a/..", false),
        ] {
            let by_split = !rest.is_empty()
                && rest
                    .split('/')
                    .all(|c| !c.is_empty() && c != "." && c != "..");
            assert_eq!(by_split, clean, "{rest:?}");
            assert_eq!(is_clean_relative(rest), clean, "{rest:?}");
        }
    }

    #[test]
    fn relative_text_fast_path_agrees_with_components() {
        let cases = [
            ("/tmp/r", "/tmp/r/a/b.txt"),
            ("/tmp/r/", "/tmp/r/a"),
            (".", "./a/b"),
            ("..", "../x/y"),
            ("/tmp/r", "/tmp/r/./a"),
            ("/tmp/r", "/tmp/r//a"),
            ("/tmp/r", "/tmp/rx/a"),
            ("a", "a/b/c"),
        ];
        for (root, path) in cases {
            let (root, path) = (Path::new(root), Path::new(path));
            let slow = relative_by_components(root, path);
            if let Some(fast) = relative_as_text(root, path) {
                assert_eq!(Ok(fast), slow, "{root:?} {path:?}");
            }
            assert_eq!(relative(root, path), slow, "{root:?} {path:?}");
        }
        assert_eq!(
            relative_as_text(Path::new("/tmp/r"), Path::new("/tmp/r/a/b")).as_deref(),
            Some("a/b")
        );
        assert_eq!(
            relative_as_text(Path::new("/tmp/r"), Path::new("/tmp/rx/a")),
            None
        );
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let p = root.join(rel);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    #[test]
    fn honours_gitignore_without_git_and_skips_vendored_trees() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, ".gitignore", "build/\n*.log\n");
        write(r, "Dockerfile", "FROM alpine\n");
        write(r, "build/Dockerfile", "FROM alpine\n");
        write(r, "a.log", "x");
        write(r, "node_modules/x/Dockerfile", "FROM alpine\n");
        write(r, "vendor/y/go.mod", "module y\n");
        let tree = Tree::walk(r, &WalkOptions::default());
        let paths: Vec<_> = tree.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec![".gitignore", "Dockerfile"]);
        assert!(tree.has_dir(""));
    }

    #[test]
    fn config_ignore_patterns_apply() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "legacy/Dockerfile", "FROM alpine\n");
        write(r, "api/Dockerfile", "FROM alpine\n");
        let opts = WalkOptions {
            ignore_patterns: vec!["legacy/".into()],
            ..Default::default()
        };
        let tree = Tree::walk(r, &opts);
        let paths: Vec<_> = tree.files().iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, vec!["api/Dockerfile"]);
    }

    #[test]
    fn reads_bom_and_crlf() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(
            r.join("Dockerfile"),
            b"\xEF\xBB\xBFFROM a\r\nRUN b\rCMD c\n",
        )
        .unwrap();
        let tree = Tree::walk(r, &WalkOptions::default());
        assert_eq!(
            tree.read_text("Dockerfile").unwrap(),
            "FROM a\nRUN b\nCMD c\n"
        );
    }

    #[test]
    fn binary_invalid_utf8_and_too_large() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        fs::write(r.join("Dockerfile"), b"FROM \0\x01\x02").unwrap();
        fs::write(r.join("compose.yaml"), b"a: 1\nb: \xff\n").unwrap();
        fs::write(r.join("Containerfile"), vec![b'#'; 2048]).unwrap();
        let tree = Tree::walk(
            r,
            &WalkOptions {
                max_file_size: 1024,
                ..Default::default()
            },
        );
        assert_eq!(tree.read_text("Dockerfile"), Err(ReadProblem::Binary));
        assert_eq!(
            tree.read_text("compose.yaml"),
            Err(ReadProblem::InvalidUtf8 { line: 2 })
        );
        assert!(matches!(
            tree.read_text("Containerfile"),
            Err(ReadProblem::TooLarge { .. })
        ));
        assert!(tree.problems.iter().any(|p| p.path == "Containerfile"));
        assert_eq!(tree.read_text("nope"), Err(ReadProblem::NotInTree));
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_out_of_root_and_loops_are_reported_not_followed() {
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("secret"), "TOP SECRET").unwrap();
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        std::os::unix::fs::symlink(outside.path().join("secret"), r.join("Dockerfile")).unwrap();
        std::os::unix::fs::symlink(r.join("loop2"), r.join("compose.yaml")).unwrap();
        std::os::unix::fs::symlink(r.join("compose.yaml"), r.join("loop2")).unwrap();
        std::os::unix::fs::symlink(outside.path(), r.join("outdir")).unwrap();
        let tree = Tree::walk(r, &WalkOptions::default());
        assert!(tree.files().is_empty(), "{:?}", tree.files());
        let kinds: Vec<_> = tree
            .problems
            .iter()
            .map(|p| (p.path.as_str(), &p.kind))
            .collect();
        assert!(kinds.contains(&("Dockerfile", &WalkProblemKind::SymlinkOutOfRoot)));
        assert!(kinds.contains(&("compose.yaml", &WalkProblemKind::SymlinkBroken)));
        assert_eq!(tree.read_text("Dockerfile"), Err(ReadProblem::NotInTree));
    }

    #[test]
    fn only_files_kubeready_reads_are_sized_and_reads_stay_capped() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "Dockerfile", "FROM alpine\n");
        write(r, "notes.txt", &"x".repeat(2048));
        let tree = Tree::walk(
            r,
            &WalkOptions {
                max_file_size: 1024,
                ..Default::default()
            },
        );
        assert_eq!(tree.file("Dockerfile").map(|f| f.size), Some(12));
        let other = tree.file("notes.txt").unwrap();
        assert_eq!((other.kind, other.size), (FileKind::Other, 0));
        // Not sized, but reading it is still capped, and no problem is listed.
        assert!(matches!(
            tree.read_text("notes.txt"),
            Err(ReadProblem::TooLarge { size: 1025, .. })
        ));
        assert!(tree.problems.is_empty(), "{:?}", tree.problems);
    }

    #[test]
    fn children_of_a_dir() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "api/a", "");
        write(r, "api/b/c", "");
        write(r, "api/b/d/e", "");
        write(r, "api/b-2", "");
        write(r, "api/c", "");
        write(r, "api2/d", "");
        write(r, "top", "");
        let tree = Tree::walk(r, &WalkOptions::default());
        let children: Vec<_> = tree.children("api").collect();
        assert_eq!(
            children,
            vec![
                ("api/b", true),
                ("api/a", false),
                ("api/b-2", false),
                ("api/c", false)
            ]
        );
        let root: Vec<_> = tree.children("").collect();
        assert_eq!(root, vec![("api", true), ("api2", true), ("top", false)]);
        assert_eq!(
            tree.children("api/b/d").collect::<Vec<_>>(),
            vec![("api/b/d/e", false)]
        );
        assert_eq!(tree.children("nowhere").count(), 0);
        assert_eq!(tree.dir("api/b"), Some("api/b"));
        assert_eq!(tree.dir("api/a"), None);
    }

    #[test]
    fn files_under_a_dir() {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path();
        write(r, "api/a", "");
        write(r, "api/b/c", "");
        write(r, "api2/d", "");
        let tree = Tree::walk(r, &WalkOptions::default());
        let under: Vec<_> = tree.files_under("api").map(|f| f.path.as_str()).collect();
        assert_eq!(under, vec!["api/a", "api/b/c"]);
        assert_eq!(tree.files_under("").count(), 3);
    }
}
