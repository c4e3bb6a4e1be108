# Written by `kubeready fix` for the PHP service `{{NAME}}`. Review before use.
FROM composer:2.8.4 AS deps
WORKDIR /app
{{DEPS_COPY}}
RUN composer install --no-dev --no-scripts --no-interaction --prefer-dist

FROM php:8.3.14-cli-bookworm
WORKDIR /app
COPY --from=deps /app/vendor ./vendor
COPY . .
USER 10001
{{EXPOSE}}
CMD {{CMD}}
