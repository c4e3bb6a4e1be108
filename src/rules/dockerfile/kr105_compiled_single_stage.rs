use super::support::{declare_rule, dockerfiles, services_of, Cmd};
use crate::finding::Severity;
use crate::image_ref::ImageRef;
use crate::parse::dockerfile::Keyword;
use crate::parse::manifest::Language;
use crate::rules::{Context, RuleDoc, Sink};

static DOC: RuleDoc = RuleDoc {
    code: "KR105",
    name: "compiled-single-stage",
    severity: Severity::Warning,
    enabled_by_default: true,
    hardening: false,
    summary: "A compiled-language image is built without a multi-stage build",
    what: "Reports a single-stage Dockerfile that compiles code: it builds a Go, Rust, Java/Kotlin or .NET service, or its base is a compiler image (`golang`, `rust`, `maven`, `gradle`, `dotnet/sdk`, `gcc`) and a RUN compiles (`go build`, `cargo build`, `mvn package`, `gradle build`, `dotnet publish`, `make`, `gcc`).",
    why: "The compiler, the sources and the build caches ship in the runtime image: it is ten times larger than needed and carries a toolchain full of CVEs. A second stage `FROM` a slim runtime (or distroless, or scratch) with `COPY --from=build` ships only the binary.",
    bad: "FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n",
    good: "FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN CGO_ENABLED=0 go build -o /app .\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\nCMD [\"/app\"]\n",
};

declare_rule!();

fn compiler_base(image: &str) -> bool {
    let r = ImageRef::parse(image);
    let last = r.short_name();
    matches!(
        last,
        "golang" | "rust" | "maven" | "gradle" | "gcc" | "sdk" | "openjdk" | "eclipse-temurin"
    ) && !(last == "eclipse-temurin" && r.tag.as_deref().is_some_and(|t| t.contains("jre")))
}

fn compiles(c: &Cmd) -> bool {
    let first = c.positional(&[]).first().copied().unwrap_or("");
    match c.name() {
        "go" => first == "build" || first == "install",
        "cargo" => first == "build" || first == "install",
        "mvn" | "mvnw" => c
            .args()
            .iter()
            .any(|a| matches!(a.as_str(), "package" | "install" | "verify")),
        "gradle" | "gradlew" => c.args().iter().any(|a| {
            matches!(
                a.as_str(),
                "build" | "assemble" | "bootJar" | "installDist" | "shadowJar"
            )
        }),
        "dotnet" => matches!(first, "publish" | "build"),
        "make" | "gcc" | "g++" | "cc" | "clang" | "cmake" => true,
        _ => false,
    }
}

fn check(cx: &Context<'_>, out: &mut Sink<'_>) {
    for df in dockerfiles(cx) {
        if df.stages.len() != 1 {
            continue;
        }
        let Some(st) = df.stages.first() else {
            continue;
        };
        let compiled_service = services_of(cx, df.path()).iter().any(|s| {
            matches!(
                s.language,
                Language::Go | Language::Rust | Language::Java | Language::Dotnet
            )
        });
        let runs_compiler = df
            .stage_insts(0)
            .iter()
            .filter(|i| *i.keyword() == Keyword::Run)
            .any(|i| df.shell(i).is_some_and(|sh| sh.any(compiles)));
        let compiles_here = runs_compiler && (compiled_service || compiler_base(&st.base));
        if compiles_here {
            out.emit(
                df.loc(st.line),
                "compiled code is built and shipped in one stage; build in a first stage and copy the artefact into a slim runtime stage",
                format!("FROM {}", st.base_raw),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::support::test::lines;

    #[test]
    fn flags_single_stage_compile() {
        assert_eq!(
            lines(
                "KR105",
                "FROM golang:1.22\nCOPY . .\nRUN go build -o /app .\nCMD [\"/app\"]\n"
            ),
            vec![1]
        );
        assert_eq!(
            lines(
                "KR105",
                "FROM maven:3-eclipse-temurin-21\nRUN mvn -B package\n"
            ),
            vec![1]
        );
    }

    #[test]
    fn clean_on_multi_stage_or_interpreted() {
        assert!(lines("KR105", "FROM golang:1.22 AS b\nRUN go build -o /app .\nFROM scratch\nCOPY --from=b /app /app\n").is_empty());
        assert!(lines("KR105", "FROM node:20\nRUN npm ci\n").is_empty());
    }
}
