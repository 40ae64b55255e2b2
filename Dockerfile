# The platform image: one image for every role, chosen by the command.
#   web          aocbench web -H 0.0.0.0 -p 3000         (the site; prebuilt here)
#   coordinator  aocbench daemon                          (with `queue:`: plans, stores, needs no Docker)
#   worker       aocbench worker [--class NAME]           (runs the days: needs the host's Docker socket)
# Layout: code in /app; the instance in /srv/aocbench (the working directory):
# aocbench.yaml ($AOCBENCH_CONFIG), inputs/, and data/ (a volume), so the
# config's defaults (dataDir: data, inputsDir: inputs) land in the volume.
# Participant containers get no host path (code and tools arrive through the
# agent and named volumes), so data/ need not be shared with the Docker host.
# See compose.yaml and docs/deploy.md. Legacy-builder compatible (no RUN --mount).

# What every role needs at run time: git (and ssh) for the repositories, a
# static busybox for participant images without a shell.
FROM node:20-bookworm-slim AS base
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates openssh-client busybox-static \
 && rm -rf /var/lib/apt/lists/*
ENV NEXT_TELEMETRY_DISABLED=1

# All dependencies. Only package*.json and the agent's sources come first, so
# a change to the code reuses this layer. The compiler builds better-sqlite3
# when no prebuilt binary can be fetched, and the postinstall builds the
# static agent (runner/agent/aocbench-agent); neither reaches the final image.
FROM base AS deps
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc g++ libc6-dev make python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY runner/agent ./runner/agent
RUN npm ci --no-audit --no-fund \
 && test -x runner/agent/aocbench-agent

# Production dependencies: pruned, not installed again (no second native build).
FROM deps AS prod-deps
RUN npm prune --omit=dev --no-audit --no-fund

# The site's production build.
FROM deps AS build
COPY . .
# Its build cache (.next/cache) is not needed to serve.
RUN npx next build && rm -rf .next/cache

FROM base
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY . .
COPY --from=deps /app/runner/agent/aocbench-agent ./runner/agent/
# Next.js writes its cache under .next at run time.
COPY --from=build --chown=node:node /app/.next ./.next
# Newer than its sources whatever their checkout time, so it is never rebuilt (there is no compiler here).
# The CLI's bundle (bin/cli-bundle.js) made now, while node_modules is writable: every start uses it.
RUN touch runner/agent/aocbench-agent \
 && node bin/aocbench.js --help > /dev/null && test -f node_modules/.cache/aocbench-cli/current.json \
 && mkdir -p /srv/aocbench/data /srv/aocbench/inputs \
 && chown node:node /srv/aocbench/data
WORKDIR /srv/aocbench
ENV AOCBENCH_CONFIG=/srv/aocbench/aocbench.yaml PORT=3000
# web and coordinator run as node; the worker needs the Docker socket and runs
# as root (`user: root` in compose.yaml): that socket is root on the host anyway.
USER node
EXPOSE 3000
ENTRYPOINT ["node", "/app/bin/aocbench.js"]
CMD ["--help"]
