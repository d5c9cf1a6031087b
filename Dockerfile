# syncmedic: release build in one stage, a minimal non-root runtime in the
# next (distroless "cc": glibc, libgcc, CA certificates and nothing else;
# no shell, no package manager).
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
# The core crate: a dependency of the binary and of its build script.
COPY crates ./crates
# Declared targets must exist for cargo to read the manifest.
COPY benches ./benches
COPY tests ./tests
# Built into the binary: the knowledge base, the documented defaults,
# the schema and the stats chart's font.
COPY intents ./intents
COPY responses ./responses
COPY config ./config
COPY migrations ./migrations
COPY assets ./assets
RUN cargo build --release --locked --bin syncmedic
# The runtime has no shell to make folders with: the database's is made
# here and copied over with its owner.
RUN mkdir -p /out/data

FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/target/release/syncmedic /usr/local/bin/syncmedic
# Each folder by name: `COPY a b ./` would flatten them into one.
COPY --chown=nonroot:nonroot intents ./intents
COPY --chown=nonroot:nonroot responses ./responses
COPY --chown=nonroot:nonroot config ./config
COPY --from=build --chown=nonroot:nonroot /out/data ./data
USER nonroot
# The database goes to /app/data (mount a volume there to keep it).
VOLUME ["/app/data"]
# /healthz and /metrics; HEALTHCHECK asks /healthz from inside the
# container, in exec form: there is no shell to run a command line.
ENV SYNCMEDIC__HEALTH__BIND=0.0.0.0:9090
EXPOSE 9090
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/syncmedic", "healthcheck"]
# `docker stop` sends SIGTERM: replies in flight finish, the outbox is
# flushed and the database closed within 10 s, docker's default grace.
# Fails the build if the shipped knowledge base does not validate.
RUN ["/usr/local/bin/syncmedic", "check"]
ENTRYPOINT ["/usr/local/bin/syncmedic"]
CMD ["serve", "--config", "/app/config/default.toml"]
