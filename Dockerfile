# syncmedic: release build in one stage, a slim non-root runtime in the next.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock build.rs ./
COPY src ./src
# Declared targets must exist for cargo to read the manifest.
COPY benches ./benches
COPY tests ./tests
# The knowledge base is embedded at build time as well as shipped beside the
# binary, so the image answers even if the folders are replaced by a volume.
COPY intents ./intents
COPY responses ./responses
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
USER syncmedic
# Fails the build if the shipped knowledge base does not validate.
RUN syncmedic check
ENTRYPOINT ["syncmedic"]
CMD ["chat"]
