# Written by `kubeready fix` for the Elixir service `{{NAME}}`. Review before use.
FROM elixir:1.17.3-otp-27-slim AS build
ENV MIX_ENV=prod
WORKDIR /src
RUN mix local.hex --force && mix local.rebar --force
# Dependencies first, so that a source change does not fetch them again.
{{DEPS_COPY}}
RUN mix deps.get --only prod && mix deps.compile
COPY . .
RUN mix release --path /out

FROM elixir:1.17.3-otp-27-slim
WORKDIR /app
COPY --from=build /out ./
USER 10001
{{EXPOSE}}
CMD ["/app/bin/{{NAME}}", "start"]
