# syntax=docker/dockerfile:1
# kubeready as a container: `docker run --rm -v "$PWD:/repo:ro" ghcr.io/kubeready/kubeready:0.2.0 audit /repo`
# (the release workflow pushes it with the version and `latest` tags)
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY crates ./crates
COPY src ./src
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked && cp target/release/kubeready /kubeready

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /kubeready /usr/local/bin/kubeready
USER nonroot
WORKDIR /repo
ENTRYPOINT ["/usr/local/bin/kubeready"]
CMD ["audit", "/repo"]
