//! Generates a large synthetic monorepo for benchmarks, deterministically
//! (a seeded PRNG, no clock, no environment): the same arguments always
//! write the same bytes.
//!
//! ```text
//! cargo run --release --example gen-monorepo -- --services 1000 --out /tmp/mono1000
//! ```
//!
//! Options: `--services N` (default 200), `--out DIR` (required; must not
//! exist or be empty, or be a tree this tool generated before, which is
//! then replaced), `--seed S` (default 1), `--node-modules N` (files in the
//! ignored `node_modules/`, default 20000), `--shape S` (default `mixed`).
//!
//! Shapes (each one is the classic tree plus an input of size N = the
//! number of services, so that a superlinear rule or parser shows):
//! `classic` (the tree earlier benchmarks used, byte for byte), `steps`
//! (one workflow job with N build steps), `matrix` (a build matrix of N),
//! `compose` (one more Compose file with N services, `extends`, profiles,
//! conditions), `gitlab` (a GitLab pipeline with N jobs, `extends` chains
//! of 8 templates and a chain of 8 included files), `k8s-docs` (one
//! Kubernetes file with 3N documents), `helm` (N/10 charts of 20
//! templates), `deep-src` (24 more source files in 6 folders per service),
//! `stages` (every Dockerfile with 12 stages), `workflows` (N small
//! workflows), `go-main` (Go programs whose `package main` is in
//! `service.go` behind 31 library files), `no-context` (N Dockerfiles
//! that no Compose file or CI job builds, with glob `COPY` sources, some
//! matching nothing), and `mixed` (all of them).
//!
//! What it writes, per service under `services/<name>/`: a language
//! manifest (Go, Node, Python, Java or Rust), a handful of filler sources,
//! usually a Dockerfile (a mix of good and bad practices) and a
//! `.dockerignore`; at the root: a Compose file with every containerized
//! service, four GitHub workflows, a `.gitlab-ci.yml`, a Deployment and a
//! Service per service under `k8s/`, a Makefile, a `.gitignore`, and a
//! gitignored `node_modules/` with many small files.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Marks a generated tree, so `--out` may replace it.
const MARKER: &str = ".gen-monorepo";

/// SplitMix64: tiny, fast, good enough for synthetic data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Go,
    Node,
    Python,
    Java,
    Rust,
}

struct Service {
    name: String,
    lang: Lang,
    port: u16,
    dockerfile: bool,
    /// Has a Dockerfile that follows good practice.
    good: bool,
    deps: Vec<usize>,
}

struct Args {
    services: usize,
    out: PathBuf,
    seed: u64,
    node_modules: usize,
    shape: Shape,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Classic,
    Mixed,
    Steps,
    Matrix,
    Compose,
    Gitlab,
    K8sDocs,
    Helm,
    DeepSrc,
    Stages,
    Workflows,
    GoMain,
    NoContext,
}

/// Every shape but `classic` and `mixed`, with its name.
const SHAPES: [(&str, Shape); 11] = [
    ("steps", Shape::Steps),
    ("matrix", Shape::Matrix),
    ("compose", Shape::Compose),
    ("gitlab", Shape::Gitlab),
    ("k8s-docs", Shape::K8sDocs),
    ("helm", Shape::Helm),
    ("deep-src", Shape::DeepSrc),
    ("stages", Shape::Stages),
    ("workflows", Shape::Workflows),
    ("go-main", Shape::GoMain),
    ("no-context", Shape::NoContext),
];

fn parse_shape(name: &str) -> Result<Shape, String> {
    match name {
        "classic" => Ok(Shape::Classic),
        "mixed" => Ok(Shape::Mixed),
        _ => SHAPES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, s)| *s)
            .ok_or(format!(
                "--shape: unknown shape {name:?} (classic, mixed, {})",
                SHAPES.map(|(n, _)| n).join(", ")
            )),
    }
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        services: 200,
        out: PathBuf::new(),
        seed: 1,
        node_modules: 20_000,
        shape: Shape::Mixed,
    };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--services" => {
                args.services = value("--services")?
                    .parse()
                    .map_err(|e| format!("--services: {e}"))?
            }
            "--out" => args.out = PathBuf::from(value("--out")?),
            "--seed" => {
                args.seed = value("--seed")?
                    .parse()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            "--node-modules" => {
                args.node_modules = value("--node-modules")?
                    .parse()
                    .map_err(|e| format!("--node-modules: {e}"))?
            }
            "--shape" => args.shape = parse_shape(&value("--shape")?)?,
            "-h" | "--help" => {
                return Err(
                    "usage: gen-monorepo --out DIR [--services N] [--seed S] [--node-modules N] [--shape classic|mixed|steps|matrix|compose|gitlab|k8s-docs|helm|deep-src|stages|workflows|go-main|no-context]"
                        .into(),
                )
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if args.out.as_os_str().is_empty() {
        return Err("--out DIR is required".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("gen-monorepo: {e}");
            return ExitCode::from(2);
        }
    };
    match generate(&args) {
        Ok(files) => {
            println!(
                "gen-monorepo: wrote {files} files for {} services to {}",
                args.services,
                args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen-monorepo: {e}");
            ExitCode::FAILURE
        }
    }
}

struct Writer {
    root: PathBuf,
    files: usize,
}

impl Writer {
    fn write(&mut self, rel: &str, content: &str) -> io::Result<()> {
        let p = self.root.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(p, content)?;
        self.files += 1;
        Ok(())
    }
}

fn prepare(out: &Path) -> Result<(), String> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(|e| format!("{}: {e}", out.display()))?
            .next()
            .is_none();
        if !empty {
            if !out.join(MARKER).exists() {
                return Err(format!(
                    "{} exists, is not empty and was not made by gen-monorepo; refusing to touch it",
                    out.display()
                ));
            }
            fs::remove_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
        }
    }
    fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))
}

const WORDS: [&str; 24] = [
    "auth", "billing", "catalog", "cart", "search", "user", "order", "payment", "ship", "notify",
    "report", "media", "geo", "price", "stock", "review", "promo", "ledger", "audit", "gateway",
    "session", "feed", "rank", "export",
];

fn services(rng: &mut Rng, n: usize) -> Vec<Service> {
    (0..n)
        .map(|i| {
            let lang = match rng.below(10) {
                0..=2 => Lang::Go,
                3..=5 => Lang::Node,
                6..=7 => Lang::Python,
                8 => Lang::Java,
                _ => Lang::Rust,
            };
            let dockerfile = rng.chance(90);
            let good = rng.chance(50);
            let deps = (0..rng.below(3))
                .filter(|_| i > 0)
                .map(|_| rng.below(i))
                .collect();
            Service {
                name: format!("{}-{:04}", WORDS[i % WORDS.len()], i),
                lang,
                port: 8000 + (i % 1000) as u16,
                dockerfile,
                good,
                deps,
            }
        })
        .collect()
}

fn generate(args: &Args) -> Result<usize, String> {
    prepare(&args.out)?;
    let mut w = Writer {
        root: args.out.clone(),
        files: 0,
    };
    let mut rng = Rng(args.seed);
    let svcs = services(&mut rng, args.services);
    write_all(&mut w, &mut rng, &svcs, args.node_modules).map_err(|e| e.to_string())?;
    write_shapes(&mut w, &svcs, args.shape).map_err(|e| e.to_string())?;
    Ok(w.files)
}

fn write_all(
    w: &mut Writer,
    rng: &mut Rng,
    svcs: &[Service],
    node_modules: usize,
) -> io::Result<()> {
    w.write(MARKER, "generated by `cargo run --example gen-monorepo`\n")?;
    w.write(
        ".gitignore",
        "node_modules/\ndist/\ntarget/\n*.log\n.env\n__pycache__/\n",
    )?;
    w.write(
        "README.md",
        &format!(
            "# Synthetic monorepo\n\n{} services, generated for benchmarks.\n",
            svcs.len()
        ),
    )?;
    w.write(
        "package.json",
        "{\n  \"name\": \"mono\",\n  \"private\": true,\n  \"workspaces\": [\"services/*\"],\n  \"devDependencies\": {\"prettier\": \"3.3.3\"}\n}\n",
    )?;
    for s in svcs {
        write_service(w, rng, s)?;
    }
    write_compose(w, svcs)?;
    write_k8s(w, svcs)?;
    write_ci(w, svcs)?;
    write_makefile(w, svcs)?;
    write_node_modules(w, rng, node_modules)?;
    Ok(())
}

fn write_service(w: &mut Writer, rng: &mut Rng, s: &Service) -> io::Result<()> {
    let dir = format!("services/{}", s.name);
    let fillers = 3 + rng.below(8);
    match s.lang {
        Lang::Go => {
            w.write(
                &format!("{dir}/go.mod"),
                &format!(
                    "module example.com/mono/{}\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/rs/zerolog v1.33.0\n)\n",
                    s.name
                ),
            )?;
            w.write(
                &format!("{dir}/go.sum"),
                "github.com/go-chi/chi/v5 v5.0.12 h1:x=\n",
            )?;
            w.write(
                &format!("{dir}/cmd/server/main.go"),
                &format!(
                    "package main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {{\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {{\n\t\tport = \"{}\"\n\t}}\n\thttp.ListenAndServe(\":\"+port, nil)\n}}\n",
                    s.port
                ),
            )?;
            for i in 0..fillers {
                w.write(
                    &format!("{dir}/internal/pkg{i}/handler.go"),
                    &filler_go(rng, i),
                )?;
            }
        }
        Lang::Node => {
            w.write(
                &format!("{dir}/package.json"),
                &format!(
                    "{{\n  \"name\": \"@mono/{}\",\n  \"version\": \"1.{}.0\",\n  \"main\": \"src/index.js\",\n  \"scripts\": {{\"start\": \"node src/index.js\", \"test\": \"jest\"}},\n  \"dependencies\": {{\"express\": \"4.19.2\", \"pino\": \"9.2.0\"}},\n  \"devDependencies\": {{\"jest\": \"29.7.0\"}}\n}}\n",
                    s.name,
                    rng.below(20)
                ),
            )?;
            w.write(
                &format!("{dir}/package-lock.json"),
                "{\"lockfileVersion\": 3}\n",
            )?;
            w.write(
                &format!("{dir}/src/index.js"),
                &format!(
                    "const express = require('express');\nconst app = express();\napp.get('/healthz', (_req, res) => res.send('ok'));\napp.listen(process.env.PORT || {});\n",
                    s.port
                ),
            )?;
            for i in 0..fillers {
                w.write(&format!("{dir}/src/lib/mod{i}.js"), &filler_js(rng, i))?;
            }
        }
        Lang::Python => {
            if rng.chance(50) {
                w.write(
                    &format!("{dir}/requirements.txt"),
                    "fastapi==0.111.0\nuvicorn==0.30.1\npydantic==2.7.4\n",
                )?;
            } else {
                w.write(
                    &format!("{dir}/pyproject.toml"),
                    &format!(
                        "[project]\nname = \"{}\"\nversion = \"0.1.0\"\ndependencies = [\"fastapi\", \"uvicorn\"]\n",
                        s.name
                    ),
                )?;
            }
            w.write(
                &format!("{dir}/app/main.py"),
                "from fastapi import FastAPI\n\napp = FastAPI()\n\n\n@app.get('/healthz')\ndef health():\n    return 'ok'\n",
            )?;
            w.write(&format!("{dir}/app/__init__.py"), "")?;
            for i in 0..fillers {
                w.write(&format!("{dir}/app/mod{i}.py"), &filler_py(rng, i))?;
            }
        }
        Lang::Java => {
            w.write(
                &format!("{dir}/pom.xml"),
                &format!(
                    "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>com.example.mono</groupId>\n  <artifactId>{}</artifactId>\n  <version>1.0.0</version>\n  <parent>\n    <groupId>org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent</artifactId>\n    <version>3.3.0</version>\n  </parent>\n</project>\n",
                    s.name
                ),
            )?;
            w.write(
                &format!("{dir}/src/main/java/com/example/App.java"),
                "package com.example;\n\npublic class App {\n    public static void main(String[] args) {\n        System.out.println(\"up\");\n    }\n}\n",
            )?;
            for i in 0..fillers {
                w.write(
                    &format!("{dir}/src/main/java/com/example/Service{i}.java"),
                    &format!(
                        "package com.example;\n\npublic class Service{i} {{\n    int v = {};\n}}\n",
                        rng.below(1000)
                    ),
                )?;
            }
        }
        Lang::Rust => {
            w.write(
                &format!("{dir}/Cargo.toml"),
                &format!(
                    "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\naxum = \"0.7\"\ntokio = {{ version = \"1\", features = [\"full\"] }}\n",
                    s.name
                ),
            )?;
            w.write(
                &format!("{dir}/src/main.rs"),
                "fn main() {\n    println!(\"up\");\n}\n",
            )?;
            for i in 0..fillers {
                w.write(
                    &format!("{dir}/src/mod{i}.rs"),
                    &format!(
                        "pub fn f{i}(x: u32) -> u32 {{\n    x.wrapping_mul({})\n}}\n",
                        rng.below(1000)
                    ),
                )?;
            }
        }
    }
    w.write(
        &format!("{dir}/README.md"),
        &format!("# {}\n\nOwned by team {}.\n", s.name, rng.pick(&WORDS)),
    )?;
    if s.dockerfile {
        w.write(&format!("{dir}/Dockerfile"), &dockerfile(rng, s))?;
        if s.good || rng.chance(30) {
            w.write(
                &format!("{dir}/.dockerignore"),
                ".git\nnode_modules\n*.log\n.env\ntarget\n__pycache__\n",
            )?;
        }
    }
    Ok(())
}

fn dockerfile(rng: &mut Rng, s: &Service) -> String {
    let p = s.port;
    match (s.lang, s.good) {
        (Lang::Go, true) => format!(
            "# syntax=docker/dockerfile:1\nFROM golang:1.22.4-alpine3.20 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN --mount=type=cache,target=/go/pkg/mod go mod download\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /out/server ./cmd/server\n\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=build /out/server /server\nEXPOSE {p}\nUSER nonroot:nonroot\nENTRYPOINT [\"/server\"]\n"
        ),
        (Lang::Go, false) => format!(
            "FROM golang:latest\nADD . /go/src/app\nWORKDIR /go/src/app\nRUN apt-get update && apt-get install -y curl git\nRUN go build -o server ./cmd/server\nEXPOSE {p}\nCMD ./server\n"
        ),
        (Lang::Node, true) => format!(
            "FROM node:20.14-alpine AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nRUN npm ci --omit=dev\n\nFROM node:20.14-alpine\nWORKDIR /app\nENV NODE_ENV=production\nCOPY --from=deps /app/node_modules ./node_modules\nCOPY src ./src\nUSER node\nEXPOSE {p}\nHEALTHCHECK CMD wget -qO- http://localhost:{p}/healthz || exit 1\nCMD [\"node\", \"src/index.js\"]\n"
        ),
        (Lang::Node, false) => format!(
            "FROM node\nWORKDIR /app\nCOPY . .\nRUN npm install\nENV API_KEY=changeme{}\nEXPOSE {p}\nCMD npm start\n",
            rng.below(100)
        ),
        (Lang::Python, true) => format!(
            "FROM python:3.12.4-slim-bookworm\nWORKDIR /app\nCOPY requirements.txt* pyproject.toml* ./\nRUN pip install --no-cache-dir -r requirements.txt || pip install --no-cache-dir .\nCOPY app ./app\nRUN useradd --create-home app\nUSER app\nEXPOSE {p}\nCMD [\"uvicorn\", \"app.main:app\", \"--host\", \"0.0.0.0\", \"--port\", \"{p}\"]\n"
        ),
        (Lang::Python, false) => format!(
            "FROM python:3\nRUN apt-get update\nRUN apt-get install -y build-essential\nCOPY . /app\nWORKDIR /app\nRUN pip install fastapi uvicorn\nEXPOSE {p}\nCMD uvicorn app.main:app --host 0.0.0.0 --port {p}\n"
        ),
        (Lang::Java, true) => format!(
            "FROM maven:3.9.7-eclipse-temurin-21 AS build\nWORKDIR /src\nCOPY pom.xml .\nRUN mvn -q dependency:go-offline\nCOPY src ./src\nRUN mvn -q package -DskipTests\n\nFROM eclipse-temurin:21.0.3_9-jre-alpine\nCOPY --from=build /src/target/*.jar /app.jar\nUSER 10001\nEXPOSE {p}\nENTRYPOINT [\"java\", \"-jar\", \"/app.jar\"]\n"
        ),
        (Lang::Java, false) => format!(
            "FROM openjdk:latest\nCOPY . /src\nRUN cd /src && ./mvnw package\nEXPOSE {p}\nCMD java -jar /src/target/app.jar\n"
        ),
        (Lang::Rust, true) => format!(
            "FROM rust:1.79-slim-bookworm AS build\nWORKDIR /src\nCOPY . .\nRUN cargo build --release --locked\n\nFROM debian:bookworm-slim\nCOPY --from=build /src/target/release/{} /usr/local/bin/app\nUSER 65532\nEXPOSE {p}\nENTRYPOINT [\"/usr/local/bin/app\"]\n",
            s.name
        ),
        (Lang::Rust, false) => format!(
            "FROM rust\nCOPY . .\nRUN cargo build --release\nEXPOSE {p}\nCMD cargo run --release\n"
        ),
    }
}

fn filler_go(rng: &mut Rng, i: usize) -> String {
    let mut s = format!("package pkg{i}\n\nimport \"net/http\"\n\n");
    for f in 0..2 + rng.below(6) {
        let _ = write!(
            s,
            "// Handler{f} serves route {f}.\nfunc Handler{f}(w http.ResponseWriter, r *http.Request) {{\n\tw.WriteHeader({})\n}}\n\n",
            200 + rng.below(5)
        );
    }
    s
}

fn filler_js(rng: &mut Rng, i: usize) -> String {
    let mut s = format!("'use strict';\n// module {i}\n");
    for f in 0..2 + rng.below(6) {
        let _ = writeln!(
            s,
            "exports.f{f} = (x) => x * {} + {};",
            rng.below(97),
            rng.below(13)
        );
    }
    s
}

fn filler_py(rng: &mut Rng, i: usize) -> String {
    let mut s = format!("\"\"\"Module {i}.\"\"\"\n\n");
    for f in 0..2 + rng.below(6) {
        let _ = write!(
            s,
            "def f{f}(x):\n    return x * {} + {}\n\n\n",
            rng.below(97),
            rng.below(13)
        );
    }
    s
}

fn write_compose(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut s = String::from(
        "name: mono\n\nx-common: &common\n  restart: unless-stopped\n  logging:\n    driver: json-file\n    options:\n      max-size: 10m\n\nservices:\n",
    );
    for svc in svcs.iter().filter(|s| s.dockerfile) {
        let _ = write!(
            s,
            "  {name}:\n    <<: *common\n    build:\n      context: ./services/{name}\n    image: registry.example.com/mono/{name}:${{TAG:-latest}}\n    ports:\n      - \"{port}:{port}\"\n    environment:\n      PORT: \"{port}\"\n      LOG_LEVEL: ${{LOG_LEVEL:-info}}\n",
            name = svc.name,
            port = svc.port,
        );
        let deps: Vec<&Service> = svc
            .deps
            .iter()
            .filter_map(|d| svcs.get(*d))
            .filter(|d| d.dockerfile)
            .collect();
        if !deps.is_empty() {
            s.push_str("    depends_on:\n");
            for d in deps {
                let _ = writeln!(s, "      - {}", d.name);
            }
        }
        if svc.good {
            let _ = write!(
                s,
                "    healthcheck:\n      test: [\"CMD\", \"wget\", \"-qO-\", \"http://localhost:{}/healthz\"]\n      interval: 10s\n",
                svc.port
            );
        }
    }
    s.push_str(
        "  postgres:\n    image: postgres:16.3\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n    volumes:\n      - pgdata:/var/lib/postgresql/data\n  redis:\n    image: redis:7.2\n\nvolumes:\n  pgdata: {}\n",
    );
    w.write("compose.yaml", &s)?;
    w.write(
        "compose.override.yaml",
        "services:\n  postgres:\n    ports:\n      - \"5432:5432\"\n",
    )
}

fn write_k8s(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for s in svcs.iter().filter(|s| s.dockerfile) {
        let probes = if s.good {
            format!(
                "          readinessProbe:\n            httpGet: {{path: /healthz, port: {p}}}\n          livenessProbe:\n            httpGet: {{path: /healthz, port: {p}}}\n          resources:\n            requests: {{cpu: 50m, memory: 64Mi}}\n            limits: {{memory: 256Mi}}\n",
                p = s.port
            )
        } else {
            String::new()
        };
        let tag = if s.good { "1.0.0" } else { "latest" };
        w.write(
            &format!("k8s/{}.yaml", s.name),
            &format!(
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}\n  labels:\n    app: {n}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: {n}\n  template:\n    metadata:\n      labels:\n        app: {n}\n    spec:\n      containers:\n        - name: {n}\n          image: registry.example.com/mono/{n}:{tag}\n          ports:\n            - containerPort: {p}\n          env:\n            - name: PORT\n              value: \"{p}\"\n{probes}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {n}\nspec:\n  selector:\n    app: {n}\n  ports:\n    - port: 80\n      targetPort: {p}\n",
                n = s.name,
                p = s.port,
            ),
        )?;
    }
    w.write("k8s/kustomization.yaml", &{
        let mut k = String::from(
            "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n",
        );
        for s in svcs.iter().filter(|s| s.dockerfile) {
            let _ = writeln!(k, "  - {}.yaml", s.name);
        }
        k
    })
}

fn write_ci(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let containerized: Vec<&Service> = svcs.iter().filter(|s| s.dockerfile).collect();
    w.write(
        ".github/workflows/ci.yml",
        "name: CI\non:\n  push:\n    branches: [main]\n  pull_request:\njobs:\n  test-go:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-go@v5\n        with:\n          go-version: '1.22'\n      - run: go test ./...\n  test-node:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n      - run: npm ci && npm test --workspaces\n  test-python:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: pip install -r requirements-dev.txt && pytest\n",
    )?;
    let mut images = String::from(
        "name: images\non:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n      packages: write\n    strategy:\n      matrix:\n        service:\n",
    );
    for s in &containerized {
        let _ = writeln!(images, "          - {}", s.name);
    }
    images.push_str(
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/login-action@v3\n        with:\n          registry: registry.example.com\n          username: ${{ secrets.REGISTRY_USER }}\n          password: ${{ secrets.REGISTRY_PASSWORD }}\n      - uses: docker/build-push-action@v6\n        with:\n          context: services/${{ matrix.service }}\n          push: true\n          tags: registry.example.com/mono/${{ matrix.service }}:${{ github.sha }}\n",
    );
    w.write(".github/workflows/images.yml", &images)?;
    let mut legacy = String::from(
        "name: legacy-images\non: workflow_dispatch\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: |\n",
    );
    for s in containerized.iter().take(50) {
        let _ = writeln!(
            legacy,
            "          docker build -t registry.example.com/mono/{n}:$GITHUB_SHA services/{n}\n          docker push registry.example.com/mono/{n}:$GITHUB_SHA",
            n = s.name
        );
    }
    w.write(".github/workflows/legacy-images.yml", &legacy)?;
    w.write(
        ".github/workflows/deploy.yml",
        "name: deploy\non:\n  workflow_run:\n    workflows: [images]\n    types: [completed]\njobs:\n  staging:\n    runs-on: ubuntu-latest\n    environment: staging\n    steps:\n      - uses: actions/checkout@v4\n      - uses: azure/setup-kubectl@v4\n      - run: kubectl apply -k k8s/\n      - run: kubectl rollout status deployment --timeout=5m\n",
    )?;
    let mut gl = String::from(
        "stages: [test, build, deploy]\n\nvariables:\n  DOCKER_DRIVER: overlay2\n\n.build: &build\n  stage: build\n  image: docker:27\n  services: [docker:27-dind]\n  before_script:\n    - docker login -u \"$CI_REGISTRY_USER\" -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY\n\ntest:\n  stage: test\n  image: golang:1.22\n  script:\n    - go test ./...\n\n",
    );
    for s in containerized.iter().take(30) {
        let _ = write!(
            gl,
            "build-{n}:\n  <<: *build\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/{n}:$CI_COMMIT_SHA services/{n}\n    - docker push $CI_REGISTRY_IMAGE/{n}:$CI_COMMIT_SHA\n  rules:\n    - changes: [services/{n}/**/*]\n\n",
            n = s.name
        );
    }
    gl.push_str(
        "deploy-staging:\n  stage: deploy\n  image: bitnami/kubectl:1.30\n  environment: staging\n  script:\n    - kubectl apply -k k8s/\n  only: [main]\n",
    );
    w.write(".gitlab-ci.yml", &gl)
}

fn write_makefile(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut m = String::from(".PHONY: up down images\n\nup:\n\tdocker compose up -d\n\ndown:\n\tdocker compose down\n\nimages:\n");
    for s in svcs.iter().filter(|s| s.dockerfile).take(20) {
        let _ = writeln!(
            m,
            "\tdocker build -t registry.example.com/mono/{n} services/{n}",
            n = s.name
        );
    }
    w.write("Makefile", &m)
}

fn write_node_modules(w: &mut Writer, rng: &mut Rng, files: usize) -> io::Result<()> {
    const PKGS: [&str; 12] = [
        "lodash",
        "express",
        "react",
        "chalk",
        "debug",
        "ms",
        "semver",
        "uuid",
        "yargs",
        "axios",
        "commander",
        "glob",
    ];
    let per_pkg = 20;
    for i in 0..files {
        let pkg = format!("{}-{}", PKGS[(i / per_pkg) % PKGS.len()], i / per_pkg);
        let rel = match i % per_pkg {
            0 => format!("node_modules/{pkg}/package.json"),
            1 => format!("node_modules/{pkg}/Dockerfile"),
            2 => format!("node_modules/{pkg}/docker-compose.yml"),
            n => format!("node_modules/{pkg}/lib/file{n}.js"),
        };
        let content = match i % per_pkg {
            0 => format!(
                "{{\"name\": \"{pkg}\", \"version\": \"1.0.{}\"}}\n",
                rng.below(50)
            ),
            1 => "FROM node:latest\nCOPY . .\n".to_string(),
            2 => "services:\n  test:\n    image: node\n".to_string(),
            _ => format!("module.exports = {};\n", rng.below(1_000_000)),
        };
        w.write(&rel, &content)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Shapes: inputs of size N on top of the classic tree. They use no
// randomness, so the classic part stays byte-identical.

fn write_shapes(w: &mut Writer, svcs: &[Service], shape: Shape) -> io::Result<()> {
    for (_, s) in SHAPES {
        if shape != s && shape != Shape::Mixed {
            continue;
        }
        match s {
            Shape::Steps => shape_steps(w, svcs)?,
            Shape::Matrix => shape_matrix(w, svcs)?,
            Shape::Compose => shape_compose(w, svcs)?,
            Shape::Gitlab => shape_gitlab(w, svcs)?,
            Shape::K8sDocs => shape_k8s_docs(w, svcs)?,
            Shape::Helm => shape_helm(w, svcs)?,
            Shape::DeepSrc => shape_deep_src(w, svcs)?,
            Shape::Stages => shape_stages(w, svcs)?,
            Shape::Workflows => shape_workflows(w, svcs)?,
            Shape::GoMain => shape_go_main(w, svcs)?,
            Shape::NoContext => shape_no_context(w, svcs)?,
            Shape::Classic | Shape::Mixed => {}
        }
    }
    Ok(())
}

/// One job with a build step per service: shell builds and pushes (some
/// only as `latest`), `docker/build-push-action`, `docker tag`.
fn shape_steps(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut y = String::from(
        "name: monolith\non:\n  push:\n    branches: [main]\njobs:\n  build-all:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/login-action@v3\n        with:\n          registry: registry.example.com\n          username: ${{ secrets.REGISTRY_USER }}\n          password: ${{ secrets.REGISTRY_PASSWORD }}\n",
    );
    for (i, s) in svcs.iter().enumerate() {
        let n = &s.name;
        match i % 4 {
            0 => {
                let _ = write!(
                    y,
                    "      - name: build {n}\n        run: |\n          docker build -t registry.example.com/mono/{n}:latest services/{n}\n          docker push registry.example.com/mono/{n}:latest\n"
                );
            }
            1 => {
                let _ = write!(
                    y,
                    "      - name: build {n}\n        run: |\n          docker build -t registry.example.com/mono/{n}:$GITHUB_SHA services/{n}\n          docker tag registry.example.com/mono/{n}:$GITHUB_SHA registry.example.com/mono/{n}:latest\n          docker push --all-tags registry.example.com/mono/{n}\n"
                );
            }
            2 => {
                let _ = write!(
                    y,
                    "      - name: build {n}\n        uses: docker/build-push-action@v6\n        with:\n          context: services/{n}\n          push: true\n          tags: registry.example.com/mono/{n}:${{{{ github.sha }}}}\n"
                );
            }
            _ => {
                let _ = write!(
                    y,
                    "      - name: build {n}\n        run: docker build -t registry.example.com/mono/{n} services/{n} && docker push registry.example.com/mono/{n}\n"
                );
            }
        }
    }
    w.write(".github/workflows/monolith.yml", &y)
}

/// A build matrix of N entries (`include:` with several keys each).
fn shape_matrix(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut y = String::from(
        "name: matrix-images\non:\n  push:\n    tags: ['v*']\njobs:\n  image:\n    runs-on: ${{ matrix.os }}\n    strategy:\n      fail-fast: false\n      matrix:\n        os: [ubuntu-latest]\n        include:\n",
    );
    for s in svcs {
        let _ = write!(
            y,
            "          - service: {n}\n            os: ubuntu-latest\n            dockerfile: services/{n}/Dockerfile\n            port: {p}\n",
            n = s.name,
            p = s.port
        );
    }
    y.push_str(
        "    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          context: services/${{ matrix.service }}\n          file: ${{ matrix.dockerfile }}\n          push: ${{ github.event_name != 'pull_request' }}\n          tags: registry.example.com/mono/${{ matrix.service }}:${{ github.ref_name }}\n",
    );
    w.write(".github/workflows/matrix-images.yml", &y)
}

/// A second Compose file with N services: `extends`, profiles, networks,
/// health conditions, secrets.
fn shape_compose(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut y = String::from(
        "name: mono-prod\n\nx-base: &base\n  restart: always\n  networks: [backend]\n  deploy:\n    resources:\n      limits:\n        memory: 256M\n\nservices:\n  base:\n    image: registry.example.com/mono/base:1.0.0\n    profiles: [never]\n",
    );
    for (i, s) in svcs.iter().enumerate() {
        let n = &s.name;
        let _ = write!(
            y,
            "  {n}:\n    <<: *base\n    extends:\n      service: base\n    image: registry.example.com/mono/{n}:${{TAG:?tag}}\n    profiles: [p{g}]\n    environment:\n      - PORT={p}\n      - UPSTREAM=${{UPSTREAM_{i}:-http://localhost}}\n    secrets: [db-password]\n    healthcheck:\n      test: [\"CMD-SHELL\", \"wget -qO- http://localhost:{p}/healthz || exit 1\"]\n",
            g = i % 10,
            p = s.port
        );
        if i > 0 {
            let d = &svcs[(i * 7) % i].name;
            let _ = write!(
                y,
                "    depends_on:\n      {d}:\n        condition: service_healthy\n"
            );
        }
    }
    y.push_str("\nnetworks:\n  backend: {}\n\nsecrets:\n  db-password:\n    file: ./secrets/db-password.txt\n");
    w.write("deploy/compose.prod.yaml", &y)
}

/// A GitLab pipeline with N jobs; templates `extends` one another in a
/// chain of 8, and the root file includes a chain of 8 files.
fn shape_gitlab(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let depth = 8;
    let mut root = String::from(
        "stages: [test, build, deploy]\n\nvariables:\n  DOCKER_DRIVER: overlay2\n\ninclude:\n  - local: ci/gitlab/inc-0.yml\n\n",
    );
    for t in 0..depth {
        let tpl = if t == 0 {
            String::from(".t0:\n  stage: build\n  image: docker:27\n  services: [docker:27-dind]\n  variables:\n    V0: \"0\"\n  before_script:\n    - docker login -u \"$CI_REGISTRY_USER\" -p \"$CI_REGISTRY_PASSWORD\" $CI_REGISTRY\n\n")
        } else {
            format!(
                ".t{t}:\n  extends: .t{}\n  variables:\n    V{t}: \"{t}\"\n\n",
                t - 1
            )
        };
        let next = if t + 1 < depth {
            format!("include:\n  - local: ci/gitlab/inc-{}.yml\n\n", t + 1)
        } else {
            String::new()
        };
        w.write(&format!("ci/gitlab/inc-{t}.yml"), &format!("{next}{tpl}"))?;
    }
    for (i, s) in svcs.iter().enumerate() {
        let _ = write!(
            root,
            "build-{n}:\n  extends: .t{t}\n  script:\n    - docker build -t $CI_REGISTRY_IMAGE/{n}:$CI_COMMIT_SHA services/{n}\n    - docker push $CI_REGISTRY_IMAGE/{n}:$CI_COMMIT_SHA\n  rules:\n    - changes: [services/{n}/**/*]\n\n",
            n = s.name,
            t = i % depth
        );
    }
    root.push_str(
        "deploy:\n  stage: deploy\n  image: bitnami/kubectl:1.30\n  environment: production\n  script:\n    - kubectl apply -f k8s/all-in-one.yaml\n",
    );
    w.write(".gitlab-ci.yml", &root)
}

/// One Kubernetes file with a Deployment, a Service and a ConfigMap per
/// service.
fn shape_k8s_docs(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    let mut y = String::new();
    for s in svcs {
        let _ = write!(
            y,
            "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}-aio\n  labels:\n    app: {n}-aio\nspec:\n  selector:\n    matchLabels:\n      app: {n}-aio\n  template:\n    metadata:\n      labels:\n        app: {n}-aio\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/mono/{n}:1.0.0\n          envFrom:\n            - configMapRef:\n                name: {n}-config\n          ports:\n            - containerPort: {p}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {n}-aio\nspec:\n  selector:\n    app: {n}-aio\n  ports:\n    - port: 80\n      targetPort: {p}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {n}-config\ndata:\n  PORT: \"{p}\"\n",
            n = s.name,
            p = s.port
        );
    }
    w.write("k8s/all-in-one.yaml", &y)
}

/// N/10 Helm charts (at least one) of 20 templates each.
fn shape_helm(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for (c, s) in svcs.iter().step_by(10).enumerate() {
        let dir = format!("charts/chart-{c:03}");
        w.write(
            &format!("{dir}/Chart.yaml"),
            &format!(
                "apiVersion: v2\nname: chart-{c:03}\nversion: 0.1.{c}\nappVersion: \"1.0.0\"\n"
            ),
        )?;
        w.write(
            &format!("{dir}/values.yaml"),
            &format!("image:\n  repository: registry.example.com/mono/{}\n  tag: \"\"\nreplicaCount: 2\nport: {}\n", s.name, s.port),
        )?;
        w.write(
            &format!("{dir}/templates/_helpers.tpl"),
            "{{- define \"chart.name\" -}}{{ .Chart.Name }}{{- end }}\n",
        )?;
        for t in 0..20 {
            let body = match t % 3 {
                0 => format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{{{ include \"chart.name\" . }}}}-{t}\nspec:\n  replicas: {{{{ .Values.replicaCount }}}}\n  selector:\n    matchLabels:\n      app: {{{{ include \"chart.name\" . }}}}-{t}\n  template:\n    metadata:\n      labels:\n        app: {{{{ include \"chart.name\" . }}}}-{t}\n    spec:\n      containers:\n        - name: app\n          image: \"{{{{ .Values.image.repository }}}}:{{{{ .Values.image.tag | default .Chart.AppVersion }}}}\"\n          ports:\n            - containerPort: {{{{ .Values.port }}}}\n"),
                1 => format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {{{{ include \"chart.name\" . }}}}-{t}\nspec:\n  selector:\n    app: {{{{ include \"chart.name\" . }}}}-{t}\n  ports:\n    - port: 80\n      targetPort: {{{{ .Values.port }}}}\n"),
                _ => format!("{{{{- if .Values.config }}}}\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{{{ include \"chart.name\" . }}}}-{t}\ndata:\n  {{{{- range $k, $v := .Values.config }}}}\n  {{{{ $k }}}}: {{{{ $v | quote }}}}\n  {{{{- end }}}}\n{{{{- end }}}}\n"),
            };
            w.write(&format!("{dir}/templates/t{t:02}.yaml"), &body)?;
        }
    }
    Ok(())
}

/// 24 more source files per service in six folders, in the service's
/// language; the Go ones open with a long comment before the package
/// clause.
fn shape_deep_src(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    const DIRS: [&str; 6] = [
        "api/v1",
        "api/v2",
        "internal/store",
        "internal/auth",
        "pkg/util",
        "pkg/metrics",
    ];
    let license = "// Copyright 2026 Example Corp.\n//\n// Licensed under the Apache License, Version 2.0 (the \"License\");\n// you may not use this file except in compliance with the License.\n\n";
    for s in svcs {
        let dir = format!("services/{}", s.name);
        for (d, sub) in DIRS.iter().enumerate() {
            for f in 0..4 {
                let leaf = sub.rsplit('/').next().unwrap_or(sub);
                let (path, body) = match s.lang {
                    Lang::Go => (
                        format!("{dir}/{sub}/file{f}.go"),
                        format!("{license}package {leaf}\n\nimport \"fmt\"\n\nfunc F{f}() string {{\n\treturn fmt.Sprint({d}, {f})\n}}\n"),
                    ),
                    Lang::Node => (
                        format!("{dir}/src/{sub}/file{f}.js"),
                        format!("'use strict';\nconst path = require('path');\nexports.f{f} = () => path.join('{sub}', '{d}');\n"),
                    ),
                    Lang::Python => (
                        format!("{dir}/app/{}/file{f}.py", sub.replace('/', "_")),
                        format!("\"\"\"{sub} {f}.\"\"\"\nimport os\n\n\ndef f{f}():\n    return os.environ.get('X{d}', '{f}')\n"),
                    ),
                    Lang::Java => (
                        format!("{dir}/src/main/java/com/example/{}/File{f}.java", sub.replace('/', "")),
                        format!("package com.example.{};\n\npublic class File{f} {{\n    int v = {d};\n}}\n", sub.replace('/', "")),
                    ),
                    Lang::Rust => (
                        format!("{dir}/src/{}/file{f}.rs", sub.replace('/', "_")),
                        format!("pub fn f{f}() -> u32 {{\n    {d}\n}}\n"),
                    ),
                };
                w.write(&path, &body)?;
            }
        }
    }
    Ok(())
}

/// Go services whose `package main` is not in a `main.go`: the
/// `cmd/server/main.go` becomes a library package, the program moves to
/// `service.go` at the module root, and 30 library files in 10 folders
/// come before it in the manifest scan's order (it reads each one's
/// package clause until it finds `package main`).
fn shape_go_main(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for s in svcs.iter().filter(|s| s.lang == Lang::Go) {
        let dir = format!("services/{}", s.name);
        w.write(
            &format!("{dir}/cmd/server/main.go"),
            "// Package server wires the handlers; the program is service.go.\npackage server\n\nimport \"net/http\"\n\n// Mux is the service's router.\nfunc Mux() *http.ServeMux {\n\treturn http.NewServeMux()\n}\n",
        )?;
        for d in 0..10 {
            for f in 0..3 {
                w.write(
                    &format!("{dir}/internal/lib{d}/part{f}.go"),
                    &format!("/*\nPackage lib{d} is part of the service.\n*/\npackage lib{d}\n\n// V{f} is a value.\nconst V{f} = {f}\n"),
                )?;
            }
        }
        w.write(
            &format!("{dir}/service.go"),
            &format!("// Command service serves the API.\npackage main\n\nimport (\n\t\"net/http\"\n\t\"os\"\n)\n\nfunc main() {{\n\tport := os.Getenv(\"PORT\")\n\tif port == \"\" {{\n\t\tport = \"{}\"\n\t}}\n\thttp.ListenAndServe(\":\"+port, nil)\n}}\n", s.port),
        )?;
    }
    Ok(())
}

/// Every Dockerfile replaced by one with 12 stages (`COPY --from` the
/// previous stage, `ARG`s, `RUN`s).
fn shape_stages(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for s in svcs.iter().filter(|s| s.dockerfile) {
        let mut d = String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
        for st in 0..12 {
            if st == 0 {
                d.push_str("FROM ${BASE} AS s0\nWORKDIR /src\nCOPY . .\nRUN apk add --no-cache make && make build\n");
            } else {
                let _ = write!(
                    d,
                    "\nFROM alpine:3.20 AS s{st}\nARG STEP{st}={st}\nWORKDIR /w{st}\nCOPY --from=s{prev} /w{prev}* /src* ./\nRUN echo step $STEP{st} > /w{st}/step.txt\n",
                    prev = st - 1
                );
            }
        }
        let _ = write!(
            d,
            "\nFROM gcr.io/distroless/static-debian12:nonroot\nCOPY --from=s11 /w11 /app\nUSER nonroot\nEXPOSE {}\nENTRYPOINT [\"/app/server\"]\n",
            s.port
        );
        w.write(&format!("services/{}/Dockerfile", s.name), &d)?;
    }
    Ok(())
}

/// N small workflows, one per service: test on pull requests, build and
/// push on main.
fn shape_workflows(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for s in svcs {
        let n = &s.name;
        w.write(
            &format!(".github/workflows/svc-{n}.yml"),
            &format!(
                "name: {n}\non:\n  push:\n    branches: [main]\n    paths: ['services/{n}/**']\n  pull_request:\n    paths: ['services/{n}/**']\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make -C services/{n} test\n  image:\n    if: github.event_name == 'push'\n    needs: test\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: docker/build-push-action@v6\n        with:\n          context: services/{n}\n          push: true\n          tags: registry.example.com/mono/{n}:${{{{ github.sha }}}}\n"
            ),
        )?;
    }
    Ok(())
}

/// N Dockerfiles under `images/<name>/` that no Compose file, CI job or
/// manifest builds, so their build context is unknown: their `COPY`
/// sources are judged against the Dockerfile's folder and every parent.
/// The sources are globs, two of which match nothing, so every parent up
/// to the root (and `images/`, with N folders) is searched.
fn shape_no_context(w: &mut Writer, svcs: &[Service]) -> io::Result<()> {
    for s in svcs {
        let dir = format!("images/{}", s.name);
        w.write(
            &format!("{dir}/Dockerfile"),
            &format!("FROM node:20.14-alpine\nWORKDIR /app\nCOPY package*.json ./\nCOPY *.lock* ./\nCOPY src/*.js ./src/\nCOPY conf* ./conf/\nCOPY scripts/*.sh ./scripts/\nUSER node\nEXPOSE {}\nCMD [\"node\", \"src/index.js\"]\n", s.port),
        )?;
        w.write(
            &format!("{dir}/package.json"),
            &format!(
                "{{\"name\": \"{}-image\", \"version\": \"1.0.0\", \"private\": true}}\n",
                s.name
            ),
        )?;
        w.write(
            &format!("{dir}/src/index.js"),
            "require(\"http\").createServer().listen(process.env.PORT);\n",
        )?;
        w.write(&format!("{dir}/conf/app.conf"), "level = info\n")?;
    }
    Ok(())
}
