# syntax=docker/dockerfile:1
# Backchannel's container image (docs/container.md).
#
# Stage "build" compiles with the dev dependencies in a Node 24 image, then
# prunes them and lays out two trees: the Node runtime (the node binary, the
# shared libraries it loads, /etc/passwd, /tmp) and the app (dist,
# production node_modules, package.json). The final image is FROM scratch
# with only those: no shell, no npm, no package manager, no dev dependencies.
# The node binary is the base image's own, so BASE_IMAGE picks the Node
# release of the image too.

# A Node 24 image with a shell, npm, ldd and glibc (Debian or Ubuntu based).
ARG BASE_IMAGE=node:24-bookworm-slim

FROM ${BASE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
# Exact versions from the lock file, no install scripts. The optional secret
# "npmca" is a CA bundle for a TLS-intercepting proxy in front of the
# registry (docker build --secret id=npmca,src=/etc/ssl/certs/ca-certificates.crt).
RUN --mount=type=secret,id=npmca,required=false \
    --mount=type=cache,target=/root/.npm,sharing=locked \
    if [ -s /run/secrets/npmca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npmca; fi \
    && npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
    && npm prune --omit=dev --ignore-scripts --offline --no-audit --no-fund

# The Node runtime: node, the libraries ldd lists for it (the dynamic loader
# included), a passwd/group naming uid 10001, an nsswitch.conf that resolves
# names from /etc/hosts before DNS (glibc's default without one is DNS first),
# and a world-writable /tmp.
RUN set -eu; \
    out=/out/runtime; \
    node="$(readlink -f "$(command -v node)")"; \
    mkdir -p "$out/usr/local/bin" "$out/etc" "$out/tmp"; \
    cp "$node" "$out/usr/local/bin/node"; \
    for lib in $(ldd "$node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'); do \
      mkdir -p "$out$(dirname "$lib")"; \
      cp -L "$lib" "$out$lib"; \
    done; \
    printf 'root:x:0:0:root:/root:/sbin/nologin\nbackchannel:x:10001:10001:backchannel:/nonexistent:/sbin/nologin\n' > "$out/etc/passwd"; \
    printf 'root:x:0:\nbackchannel:x:10001:\n' > "$out/etc/group"; \
    printf 'passwd: files\ngroup: files\nhosts: files dns\n' > "$out/etc/nsswitch.conf"; \
    chmod 1777 "$out/tmp"

# The app, owned by root and read-only to the user. Type declarations, source
# maps (their sources are not shipped) and READMEs are left out; licences stay.
RUN set -eu; \
    out=/out/app; \
    mkdir -p "$out"; \
    cp -R dist node_modules package.json "$out/"; \
    find "$out" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
      -o \( -iname '*.md' ! -iname 'licen[cs]e*' \) \) -delete; \
    chmod -R a+rX,go-w "$out"

FROM scratch
# Three layers, least often changed first: the runtime, the dependencies, the app.
COPY --from=build /out/runtime /
COPY --from=build /out/app/node_modules /app/node_modules
COPY --from=build /out/app/package.json /app/package.json
COPY --from=build /out/app/dist /app/dist
ENV PATH=/usr/local/bin \
    NODE_ENV=production
WORKDIR /app
# The same uid as the Helm chart's securityContext.
USER 10001:10001
# The HTTP API's default PORT. HOST defaults to 127.0.0.1 (a sidecar in the
# same pod); binding any other address requires API_TOKEN or API_TOKEN_FILE.
EXPOSE 8080
STOPSIGNAL SIGTERM
# Exec form: node is PID 1 and receives SIGTERM, which runs the drain.
ENTRYPOINT ["/usr/local/bin/node", "/app/dist/cli/main.js"]
CMD ["serve"]
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["/usr/local/bin/node", "/app/dist/cli/main.js", "healthcheck", "--timeout-ms", "2000"]

# Last, so a new version or revision does not rebuild the layers above.
ARG VERSION=0.1.0
ARG REVISION=""
ARG SOURCE_URL=""
LABEL org.opencontainers.image.title="backchannel" \
      org.opencontainers.image.description="A sidecar that bridges Phoenix Channels to HTTP: push with the reply, SSE with resume, webhooks, metrics." \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.source="${SOURCE_URL}"
