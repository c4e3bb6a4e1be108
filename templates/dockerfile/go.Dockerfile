# Written by `kubeready fix` for the Go service `{{NAME}}`. Review before use.
FROM golang:1.23.4-bookworm AS build
WORKDIR /src
# Modules first, so that a source change does not download them again.
{{DEPS_COPY}}
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/{{NAME}} {{PACKAGE}}

FROM alpine:3.21.0
COPY --from=build /out/{{NAME}} /usr/local/bin/{{NAME}}
USER 10001
{{EXPOSE}}
ENTRYPOINT ["/usr/local/bin/{{NAME}}"]
