# Written by `kubeready fix` for the Node.js service `{{NAME}}`. Review before use.
FROM node:22.12.0-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so that a source change does not reinstall them.
{{DEPS_COPY}}
{{DEPS_RUN_ALL}}
COPY . .
RUN npm run build \
    && npm prune --omit=dev

FROM node:22.12.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app ./
USER 10001
{{EXPOSE}}
CMD {{CMD}}
