# syntax=docker/dockerfile:1
# The PypiLocal api image: one stateless index node (distributed mode, or embedded with a mounted folder), compiled
# to native code ahead of time (Native AOT: the first page about twice as soon and about a third less memory than a
# ReadyToRun build; bench/README.md, "Native AOT, shipped").
# Build from the repository root:  docker build -t pypilocal-api:latest .
# (The SDK can build the same image without Docker: dotnet publish src/PypiLocal.Api -t:PublishContainer.)

ARG DOTNET_VERSION=10.0

# The SDK image with the native toolchain (clang, the linker, zlib) that Native AOT compiles with.
FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION}-noble-aot AS build
WORKDIR /src
# Restore from the project files alone, so a code change reuses the restore layer.
COPY global.json Directory.Build.props Directory.Packages.props .globalconfig ./
COPY src/PypiLocal.Protocol/PypiLocal.Protocol.csproj src/PypiLocal.Protocol/
COPY src/PypiLocal.Core/PypiLocal.Core.csproj src/PypiLocal.Core/
COPY src/PypiLocal.Infrastructure/PypiLocal.Infrastructure.csproj src/PypiLocal.Infrastructure/
COPY src/PypiLocal.Api/PypiLocal.Api.csproj src/PypiLocal.Api/
COPY PypiLocal.ServiceDefaults/PypiLocal.ServiceDefaults.csproj PypiLocal.ServiceDefaults/
RUN dotnet restore src/PypiLocal.Api/PypiLocal.Api.csproj --use-current-runtime
COPY src/ src/
COPY PypiLocal.ServiceDefaults/ PypiLocal.ServiceDefaults/
# The executable and the native libraries it loads (libsodium); debug symbols (.dbg, .pdb) stay in the build stage.
RUN dotnet publish src/PypiLocal.Api/PypiLocal.Api.csproj -c Release --use-current-runtime -o /app --no-restore \
    && rm /app/*.dbg /app/*.pdb

# No .NET runtime needed: only what a native executable links against (glibc, OpenSSL), and the non-root app user.
FROM mcr.microsoft.com/dotnet/runtime-deps:${DOTNET_VERSION} AS final
# pypiserver's image conventions, so that a compose file or `docker run` written for pypiserver/pypiserver switches
# by changing the image name: /data is the working directory (`run -P .htpasswd packages` resolves there, and
# HOME=/data makes run's default ~/packages the same folder), /data/packages is the served folder, port 8080, and the
# entrypoint takes `run` and its options. Without arguments it runs `serve /data/packages`, our main command
# (no fallback to PyPI); the distributed mode ignores the folder when ConnectionStrings__storage is set.
# The facts about the files (hashes, upload times, yanks) go to /data/state, never into the package folder,
# which may be mounted read-only. Health endpoints are on for the orchestrator's probes.
WORKDIR /data
ENV ASPNETCORE_HTTP_PORTS=8080 \
    HOME=/data \
    Storage__StateDirectory=/data/state \
    HealthChecks__MapEndpoints=true
RUN mkdir -p /data/packages /data/state && chown -R "$APP_UID" /data
COPY --from=build /app /app
# The non-root "app" user (uid 1654) of the .NET images, runtime-deps included.
USER $APP_UID
EXPOSE 8080
VOLUME ["/data/packages", "/data/state"]
# Exec form and no init process: the server is PID 1 and handles SIGTERM itself (a PID 1 receives only the signals
# it handles), so the host stops taking requests, finishes those in flight and exits within the grace period.
# tests/PypiLocal.EndToEndTests/Hosting/ContainerCommandTests.cs runs this command line as PID 1.
# No HEALTHCHECK: the image has no curl; Kubernetes probes /health and /alive (deploy/kubernetes).
ENTRYPOINT ["/app/pypilocal"]
CMD ["serve", "/data/packages"]
