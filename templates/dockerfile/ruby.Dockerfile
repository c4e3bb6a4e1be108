# Written by `kubeready fix` for the Ruby service `{{NAME}}`. Review before use.
FROM ruby:3.3.6-slim-bookworm
WORKDIR /app
ENV BUNDLE_WITHOUT=development:test BUNDLE_DEPLOYMENT=1
# Gems first, so that a source change does not install them again.
{{DEPS_COPY}}
RUN bundle install
COPY . .
USER 10001
{{EXPOSE}}
CMD {{CMD}}
