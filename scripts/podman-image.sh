#!/usr/bin/env bash
# Builds the Dockerfile with podman on a machine with no Docker engine and no registry access,
# then runs the README's `docker run` line against the image. Needs root and Debian's package
# mirror; takes about ten minutes. Not part of .ci/run.
#
# Base images cannot be pulled here, so they are stood in for:
#   debian:bookworm-slim  <- debootstrap --variant=minbase bookworm
#   rust:1.88-bookworm    <- the same, plus gcc, this machine's Rust toolchain and its crates.io
#                            cache, with CARGO_NET_OFFLINE=true (cargo in a container cannot reach
#                            crates.io here)
# What this does not prove: that the official images behave the same as these stand-ins.
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
work="${WORK:-/tmp/ghirbal-podman}"
mkdir -p "$work"
cd "$work"

if ! command -v podman >/dev/null || ! command -v debootstrap >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq podman buildah runc debootstrap >/dev/null
fi
# crun fails here; runc works with lower ulimits. A private config: nothing under /etc changes.
cat >containers.conf <<'EOF'
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf"

if ! podman image exists docker.io/library/debian:bookworm-slim; then
  [ -d rootfs ] || debootstrap --variant=minbase bookworm rootfs >debootstrap.log
  tar -C rootfs -c . | podman import - docker.io/library/debian:bookworm-slim
fi
if ! podman image exists docker.io/library/rust:1.88-bookworm; then
  # The Debian image may be there from an earlier run whose work folder is gone.
  [ -d rootfs ] || debootstrap --variant=minbase bookworm rootfs >debootstrap.log
  rm -rf rustfs
  cp -a rootfs rustfs
  chroot rustfs apt-get install -y -qq gcc libc6-dev ca-certificates >/dev/null
  toolchain="$(rustup show active-toolchain | cut -d' ' -f1)"
  mkdir -p rustfs/usr/local/rustup/toolchains rustfs/usr/local/cargo/bin
  cp -a "$(rustup toolchain list -v | grep "^$toolchain" | awk '{print $NF}')" rustfs/usr/local/rustup/toolchains/
  printf 'version = "12"\ndefault_toolchain = "%s"\nprofile = "default"\n' "$toolchain" >rustfs/usr/local/rustup/settings.toml
  cp -a "$(command -v rustup)" rustfs/usr/local/cargo/bin/
  ln -sf rustup rustfs/usr/local/cargo/bin/cargo
  ln -sf rustup rustfs/usr/local/cargo/bin/rustc
  # The crates of Cargo.lock, from this machine's cache.
  (cd "$project" && cargo fetch --locked)
  cp -a "${CARGO_HOME:-$HOME/.cargo}/registry" rustfs/usr/local/cargo/
  tar -C rustfs -c . | podman import \
    --change "ENV PATH=/usr/local/cargo/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change "ENV RUSTUP_HOME=/usr/local/rustup" --change "ENV CARGO_HOME=/usr/local/cargo" \
    --change "ENV CARGO_NET_OFFLINE=true" - docker.io/library/rust:1.88-bookworm
fi

podman build --pull=never -t localhost/ghirbal "$project"
podman image inspect localhost/ghirbal --format 'user={{.Config.User}} entrypoint={{.Config.Entrypoint}} size={{.Size}}'

# The README's line, as a user types it, in a folder of captures.
run="$work/run"
rm -rf "$run"
mkdir -p "$run/captures" "$run/out" "$run/myrules"
for f in "$project"/samples/*.txt; do
  case "$f" in *.expected.txt) ;; *) cp "$f" "$run/captures/" ;; esac
done
cp "$project/rules/khabrayn.toml" "$run/myrules/"
chmod -R a+rX "$run"
chmod a+w "$run/out"
cd "$run"
line="$(grep -m1 '^docker run ' "$project/README.md" | sed 's/^docker run /podman run /; s/ ghirbal clean / localhost\/ghirbal clean /')"
echo "+ $line"
eval "$line"
wc -l out/manifest.jsonl
ls out
