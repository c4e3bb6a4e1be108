# Written by `kubeready fix` for the Python service `{{NAME}}`. Review before use.
FROM python:3.12.8-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# Dependencies first, so that a source change does not reinstall them.
{{DEPS_COPY}}
{{DEPS_RUN}}
COPY . .
{{INSTALL_SELF}}
USER 10001
{{EXPOSE}}
CMD {{CMD}}
