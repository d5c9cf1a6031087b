# syncmedic: release build in one stage, a slim non-root runtime in the next.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
# Declared targets must exist for cargo to read the manifest.
COPY benches ./benches
COPY tests ./tests
# Built into the binary: the knowledge base, the documented defaults and
# the schema.
COPY intents ./intents
COPY responses ./responses
COPY config ./config
COPY migrations ./migrations
RUN cargo build --release --locked --bin syncmedic

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --create-home --home-dir /app --uid 10001 syncmedic
WORKDIR /app
COPY --from=build /src/target/release/syncmedic /usr/local/bin/syncmedic
# Each folder by name: `COPY a b ./` would flatten them into one.
COPY --chown=syncmedic intents ./intents
COPY --chown=syncmedic responses ./responses
COPY --chown=syncmedic config ./config
USER syncmedic
# The database goes to /app/data (mount a volume there to keep it).
VOLUME ["/app/data"]
# /healthz and /metrics; HEALTHCHECK asks /healthz from inside the container.
ENV SYNCMEDIC__HEALTH__BIND=0.0.0.0:9090
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["syncmedic", "healthcheck"]
# `docker stop` sends SIGTERM: replies in flight finish, the outbox is
# flushed and the database closed within 10 s, docker's default grace.
# Fails the build if the shipped knowledge base does not validate.
RUN syncmedic check
ENTRYPOINT ["syncmedic"]
CMD ["serve", "--config", "/app/config/default.toml"]
