//! `--format json`: the SPEC's JSON contract, from the report types.

use super::AuditReport;
use serde::Serialize;
use std::io::Write;

/// Writes the report as pretty JSON (serde_json's pretty layout, two
/// spaces), streamed: a big audit's report is several megabytes, and
/// building it as one string first costs a copy at every doubling of the
/// buffer, and a page fault for every 4 KiB of it.
///
/// Two cores share the work: the second half of the findings and the
/// fields after them are written into a buffer on another thread while
/// this one streams the first half (7.5 MB of JSON at 1,000 services took
/// 8 ms on one core).
pub fn write(report: &AuditReport, out: &mut dyn Write) -> std::io::Result<()> {
    // serde_json writes a few bytes at a time: into a buffer it can inline,
    // not through `dyn Write` calls.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    let (first, second) = report.findings.split_at(report.findings.len() / 2);
    std::thread::scope(|scope| {
        let tail = crate::par::spawn_or_run(scope, || -> std::io::Result<Chunks> {
            let mut buf = Chunks::default();
            elements(&mut buf, second, first.is_empty())?;
            buf.write_all(if report.findings.is_empty() {
                b"]"
            } else {
                b"\n  ]"
            })?;
            field(&mut buf, "next_steps", &report.next_steps, false)?;
            field(&mut buf, "finding_counts", &report.finding_counts, false)?;
            field(&mut buf, "suppressed", &report.suppressed, false)?;
            field(&mut buf, "graph", &report.graph, false)?;
            buf.write_all(b"\n}\n")?;
            Ok(buf)
        });
        out.write_all(b"{")?;
        field(&mut out, "schema_version", &report.schema_version, true)?;
        field(&mut out, "root", &report.root, false)?;
        field(&mut out, "repository", &report.repository, false)?;
        field(&mut out, "summary", &report.summary, false)?;
        field(&mut out, "steps", &report.steps, false)?;
        field(&mut out, "sections", &report.sections, false)?;
        field(&mut out, "services", &report.services, false)?;
        let components = &report.image_only_components;
        field(&mut out, "image_only_components", components, false)?;
        field(&mut out, "images", &report.images, false)?;
        out.write_all(b",\n  \"findings\": [")?;
        elements(&mut out, first, true)?;
        for chunk in tail.get()?.into_chunks() {
            out.write_all(&chunk)?;
        }
        out.flush()
    })
}

/// A buffer of fixed-size chunks: growing one `Vec` to megabytes copied
/// it at every doubling and touched twice the pages.
#[derive(Default)]
struct Chunks {
    done: Vec<Vec<u8>>,
    current: Vec<u8>,
}

const CHUNK: usize = 1 << 18;

impl Chunks {
    fn into_chunks(mut self) -> impl Iterator<Item = Vec<u8>> {
        self.done.push(self.current);
        self.done.into_iter()
    }
}

impl Chunks {
    /// Appends `buf`, in a new chunk when the current one is full (a
    /// `buf` never straddles two chunks). Inlined: serde_json writes a few
    /// bytes at a time.
    #[inline]
    fn push(&mut self, buf: &[u8]) {
        if self.current.capacity() - self.current.len() < buf.len() {
            self.next_chunk();
        }
        self.current.extend_from_slice(buf);
    }

    #[cold]
    #[inline(never)]
    fn next_chunk(&mut self) {
        let full = std::mem::replace(&mut self.current, Vec::with_capacity(CHUNK));
        if !full.is_empty() {
            self.done.push(full);
        }
    }
}

impl Write for Chunks {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.push(buf);
        Ok(buf.len())
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.push(buf);
        Ok(())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `"name": value` as a field of the top-level object.
fn field<W: Write, T: Serialize + ?Sized>(
    out: &mut W,
    name: &str,
    value: &T,
    first: bool,
) -> std::io::Result<()> {
    out.write_all(if first { b"\n  \"" } else { b",\n  \"" })?;
    out.write_all(name.as_bytes())?;
    out.write_all(b"\": ")?;
    value
        .serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out,
            Pretty::at(1),
        ))
        .map_err(std::io::Error::from)
}

/// Elements of a top-level field's array, as serde_json's pretty
/// formatter lays them out; `first` when they begin the array.
fn elements<W: Write, T: Serialize>(
    out: &mut W,
    items: &[T],
    mut first: bool,
) -> std::io::Result<()> {
    for item in items {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        first = false;
        item.serialize(&mut serde_json::Serializer::with_formatter(
            &mut *out,
            Pretty::at(2),
        ))
        .map_err(std::io::Error::from)?;
    }
    Ok(())
}

/// serde_json's `PrettyFormatter` (two-space indent) starting at a given
/// depth, writing each indent with one call.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }
}

fn indent<W: ?Sized + Write>(out: &mut W, depth: usize) -> std::io::Result<()> {
    const SPACES: &[u8] = &[b' '; 64];
    let mut n = depth * 2;
    while n > 0 {
        let k = n.min(SPACES.len());
        out.write_all(&SPACES[..k])?;
        n -= k;
    }
    Ok(())
}

impl Pretty {
    /// An array's or object's opening bracket: one level deeper, nothing in
    /// it yet.
    fn open<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(bracket)
    }

    /// Before an array's value or an object's key: on a line of its own,
    /// after a comma unless it is the first.
    fn next_entry<W: ?Sized + Write>(&self, out: &mut W, first: bool) -> std::io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
    }

    /// Its closing bracket, on a line of its own when it holds anything.
    fn close<W: ?Sized + Write>(&mut self, out: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(bracket)
    }
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_entry(out, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.open(out, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        self.close(out, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.next_entry(out, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, out: &mut W) -> std::io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _out: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_pretty_json_ending_in_a_newline() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), "FROM alpine:3.20\n").unwrap();
        let audit = crate::audit::Audit::run(dir.path(), &Default::default());
        let mut out = Vec::new();
        write(&audit.report, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("}\n"), "{text}");
        assert!(text.starts_with("{\n  \""), "{text}");
        let parsed: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            parsed["findings"],
            serde_json::to_value(&audit.report.findings).unwrap()
        );
    }

    #[test]
    fn chunks_keep_every_byte_in_order() {
        let mut c = Chunks::default();
        let mut expected = Vec::new();
        for i in 0..100_000u32 {
            let piece = format!("{i},");
            c.write_all(piece.as_bytes()).unwrap();
            expected.extend_from_slice(piece.as_bytes());
        }
        c.write_all(&vec![b'x'; 3 * CHUNK]).unwrap();
        expected.extend(std::iter::repeat_n(b'x', 3 * CHUNK));
        let chunks: Vec<Vec<u8>> = c.into_chunks().collect();
        assert!(chunks.len() > 2);
        assert_eq!(chunks.concat(), expected);
    }

    /// The fields written one by one are serde's pretty JSON of the whole
    /// report, byte for byte, with no findings, one, and several; a field
    /// added to the report and not written here fails it.
    #[test]
    fn same_bytes_as_serde_pretty() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("api")).unwrap();
        std::fs::write(root.join("api/go.mod"), "module api\n").unwrap();
        std::fs::write(root.join("api/main.go"), "package main\n").unwrap();
        for dockerfile in [
            "FROM golang\nRUN cd /x && apt-get install curl\nCMD x\n",
            "FROM golang:1.22\nCMD [\"x\"]\n",
            "FROM scratch\n",
        ] {
            std::fs::write(root.join("api/Dockerfile"), dockerfile).unwrap();
            let mut report = crate::audit::Audit::run(root, &Default::default()).report;
            for n in [report.findings.len(), 1, 0] {
                report.findings.truncate(n);
                let mut out = Vec::new();
                write(&report, &mut out).unwrap();
                let mut expected = serde_json::to_vec_pretty(&report).unwrap();
                expected.push(b'\n');
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    String::from_utf8(expected).unwrap()
                );
            }
        }
    }
}
