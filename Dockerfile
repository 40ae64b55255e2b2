# The platform's own image: the runner CLI/daemon (and, later, the web app).
# It drives the host's Docker through the socket. Participant containers get
# no host path (code and tools arrive through the agent and named volumes),
# so the data dir is this container's own business:
#   docker run -v /var/run/docker.sock:/var/run/docker.sock \
#              -v /srv/aocbench:/srv/aocbench -w /srv/aocbench aocbench bench
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates openssh-client busybox-static gcc libc6-dev make g++ python3 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY runner/agent ./runner/agent
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENTRYPOINT ["node", "/app/bin/aocbench.js"]
CMD ["--help"]
