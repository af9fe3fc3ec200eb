# Build stage: the locked lockfile, release profile.
FROM rust:1.88-bookworm AS build
WORKDIR /src
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY rules ./rules
RUN cargo build --release --locked

# Runtime stage: a small Debian with the binary and the shipped rules, as a non-root user.
FROM debian:bookworm-slim
RUN useradd --system --uid 10001 --no-create-home ghirbal
COPY --from=build /src/target/release/ghirbal /usr/local/bin/ghirbal
COPY rules /usr/share/ghirbal/rules
USER ghirbal
ENTRYPOINT ["ghirbal"]
