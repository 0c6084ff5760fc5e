# rollcall agent image: multi-stage on Debian 12.
# Every RUN step calls scripts/docker-steps.sh, which CI also runs outside Docker
# (.ci/run: deps, build, check — what `scripts/docker-steps.sh ci` does), so the two cannot drift apart silently.
#   docker build -t rollcall:0.1.0 .
#   docker run -d --name rollcall -e ROLLCALL_GOSSIP_KEY=... -e ROLLCALL_ADMIN_TOKEN=... \
#     -e ROLLCALL_GOSSIP_SEEDS=host1:7950,host2:7950 -p 7950:7950/udp -p 7950:7950 -p 7951:7951 rollcall:0.1.0

# ---- build stage: full toolchain, Release build, staged install into /out ----
FROM debian:12 AS build
WORKDIR /src
# Dependencies first: this layer stays cached while only sources change.
COPY scripts/bootstrap scripts/docker-steps.sh scripts/
RUN scripts/docker-steps.sh deps
COPY . .
RUN scripts/docker-steps.sh build /out && scripts/docker-steps.sh check /out

# ---- runtime stage: only the runtime libraries, a non-root user, the staged install ----
FROM debian:12-slim AS runtime
LABEL org.opencontainers.image.title="rollcall" \
      org.opencontainers.image.description="Gossip-based cluster membership agent (SWIM + Lifeguard)" \
      org.opencontainers.image.licenses="see repository"
COPY --from=build /src/scripts/docker-steps.sh /tmp/docker-steps.sh
RUN /tmp/docker-steps.sh runtime-deps
COPY --from=build /out/ /
RUN /tmp/docker-steps.sh user && rm /tmp/docker-steps.sh

# Containers are configured by environment (ROLLCALL_<SECTION>_<KEY> overrides agent.toml).
# HTTP listens on all interfaces so a published port and Kubernetes probes reach it; writes
# still need the admin token (ROLLCALL_ADMIN_TOKEN). Gossip key: ROLLCALL_GOSSIP_KEY.
# Host identity (to flag two servers on one host): never the image's own /etc/machine-id, which
# every container shares or lacks. Mount the host's: -v /etc/machine-id:/run/rollcall-host/id:ro
# (Kubernetes: an init container writes the node name there, see configs/k8s/).
ENV ROLLCALL_HTTP_BIND=0.0.0.0:7951 \
    ROLLCALL_AGENT_DATA_DIR=/var/lib/rollcall \
    ROLLCALL_SERVER_HOST_ID_FILE=/run/rollcall-host/id

# 7950: gossip (UDP probes + TCP anti-entropy); 7951: HTTP API, page, /metrics, /health, /ready.
EXPOSE 7950/udp 7950/tcp 7951/tcp
VOLUME ["/var/lib/rollcall"]
USER 10001:10001
WORKDIR /var/lib/rollcall

# /health reports this agent only (never other servers' problems). Docker marks the container
# unhealthy but does not restart it; do not wire an auto-restart to it (see docs/deploy.md).
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["/usr/bin/rollcall", "health", "--http-addr", "127.0.0.1:7951"]

# SIGTERM = graceful leave, then exit 0 (allow ~30 s: `docker stop -t 30`).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/rollcall"]
CMD ["agent", "--config", "/etc/rollcall/agent.toml"]
