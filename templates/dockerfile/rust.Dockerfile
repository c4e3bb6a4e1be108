# Written by `kubeready fix` for the Rust service `{{NAME}}`. Review before use.
FROM rust:1.83.0-slim-bookworm AS build
WORKDIR /src
COPY . .
# The registry and target caches survive source changes between builds.
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --bin {{NAME}} \
    && mkdir -p /out && cp target/release/{{NAME}} /out/{{NAME}}

FROM debian:12.8-slim
COPY --from=build /out/{{NAME}} /usr/local/bin/{{NAME}}
USER 10001
{{EXPOSE}}
ENTRYPOINT ["/usr/local/bin/{{NAME}}"]
