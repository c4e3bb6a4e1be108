# Written by `kubeready fix` for the .NET service `{{NAME}}`. Review before use.
FROM mcr.microsoft.com/dotnet/sdk:8.0.404 AS build
WORKDIR /src
# Restore first, so that a source change does not restore again.
COPY {{PROJECT_FILE}} ./
RUN dotnet restore {{PROJECT_FILE}}
COPY . .
RUN dotnet publish {{PROJECT_FILE}} -c Release -o /out --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:8.0.11
WORKDIR /app
COPY --from=build /out ./
USER 10001
{{EXPOSE}}
ENTRYPOINT ["dotnet", "/app/{{ASSEMBLY}}.dll"]
