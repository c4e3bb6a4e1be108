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
//! ignored `node_modules/`, default 20000).
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
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        services: 200,
        out: PathBuf::new(),
        seed: 1,
        node_modules: 20_000,
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
            "-h" | "--help" => {
                return Err(
                    "usage: gen-monorepo --out DIR [--services N] [--seed S] [--node-modules N]"
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
