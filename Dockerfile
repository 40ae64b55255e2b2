# The platform's own image: the runner CLI/daemon (and, later, the web app).
# It drives the host's Docker through the socket. Mount the data dir at the
# same path as on the host, because bind mounts given to participant
# containers are resolved by the host's Docker daemon:
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
