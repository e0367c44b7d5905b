# syntax=docker/dockerfile:1
# The PypiLocal api image: one stateless index node (distributed mode, or embedded with a mounted folder).
# Build from the repository root:  docker build -t pypilocal-api:latest .
# (The SDK can build the same image without Docker: dotnet publish src/PypiLocal.Api -t:PublishContainer.)

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
# Restore from the project files alone, so a code change reuses the restore layer.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/PypiLocal.Protocol/PypiLocal.Protocol.csproj src/PypiLocal.Protocol/
COPY src/PypiLocal.Core/PypiLocal.Core.csproj src/PypiLocal.Core/
COPY src/PypiLocal.Infrastructure/PypiLocal.Infrastructure.csproj src/PypiLocal.Infrastructure/
COPY src/PypiLocal.Api/PypiLocal.Api.csproj src/PypiLocal.Api/
COPY PypiLocal.ServiceDefaults/PypiLocal.ServiceDefaults.csproj PypiLocal.ServiceDefaults/
RUN dotnet restore src/PypiLocal.Api/PypiLocal.Api.csproj
COPY src/ src/
COPY PypiLocal.ServiceDefaults/ PypiLocal.ServiceDefaults/
RUN dotnet publish src/PypiLocal.Api/PypiLocal.Api.csproj -c Release -o /app --no-restore -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS final
WORKDIR /app
# Embedded mode serves /data/packages (mount a volume there); distributed mode ignores it when
# ConnectionStrings__storage is set. Health endpoints are on for the orchestrator's probes.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    Storage__Folders__0=/data/packages \
    HealthChecks__MapEndpoints=true
RUN mkdir -p /data/packages && chown -R "$APP_UID" /data
COPY --from=build /app .
# The non-root "app" user (uid 1654) of the .NET images.
USER $APP_UID
EXPOSE 8080
VOLUME ["/data/packages"]
# Exec form: dotnet is PID 1 and receives SIGTERM itself, so the host stops taking requests,
# finishes those in flight and exits within the orchestrator's grace period.
# No HEALTHCHECK: the image has no curl; Kubernetes probes /health and /alive (deploy/kubernetes).
ENTRYPOINT ["dotnet", "pypilocal.dll"]
