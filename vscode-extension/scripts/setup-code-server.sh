#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3) from npm into a cache folder
# and does its postinstall by hand, offline: no prebuilt-binary downloads.
# Idempotent: a finished install is reused (a few seconds); each step also
# skips itself when its output is already there, so an interrupted run resumes.
#
#   scripts/setup-code-server.sh            # prints the code-server entry point
#   DEVSYNC_E2E_CACHE=/some/dir scripts/setup-code-server.sh
#
# Needs Node 20 and the Debian packages build-essential pkg-config libkrb5-dev
# libx11-dev libxkbfile-dev libsecret-1-dev ripgrep (and chromium for the tests).
set -euo pipefail

VERSION=4.100.3
here="$(cd "$(dirname "$0")/.." && pwd)"
# Outside the checkout by default, so fresh clones (CI) reuse one install.
cache="${DEVSYNC_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devsync-e2e}/code-server-$VERSION"
root="$cache/node_modules/code-server"
vscode="$root/lib/vscode"
marker="$cache/.setup-complete"
entry="$root/out/node/entry.js"

log() { echo "setup-code-server: $*" >&2; }

# Run a noisy step with its output in $cache/setup.log, shown when it fails.
step() {
  if ! "$@" >>"$cache/setup.log" 2>&1; then
    log "failed: $* (last lines of $cache/setup.log follow)"
    tail -n 40 "$cache/setup.log" >&2
    exit 1
  fi
}

if [[ -f "$marker" && -f "$entry" ]]; then
  echo "$entry"
  exit 0
fi

node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [[ "$node_major" != 20 ]]; then
  log "code-server $VERSION needs Node 20, found $(node -v)"
  exit 1
fi
for tool in rg make g++ pkg-config; do
  command -v "$tool" >/dev/null || { log "missing $tool (apt-get install build-essential pkg-config ripgrep ...)"; exit 1; }
done

gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
export npm_config_nodedir=/usr  # Debian's Node headers: node-gyp must not download them
export JOBS="${JOBS:-$(nproc)}"
quiet=(--no-audit --no-fund --loglevel=error)

# Build one native module in place with node-gyp, unless its .node file exists.
build_native() {
  local dir="$1" product="$2"
  if [[ -f "$dir/$product" ]]; then return; fi
  log "building $(basename "$dir")"
  step bash -c 'cd "$1" && node "$2" rebuild --nodedir=/usr' _ "$dir" "$gyp"
}

mkdir -p "$cache"
: >"$cache/setup.log"
if [[ ! -f "$entry" ]]; then
  log "npm install code-server@$VERSION (scripts off)"
  [[ -f "$cache/package.json" ]] || echo '{"name":"devsync-e2e-cache","private":true}' >"$cache/package.json"
  step npm install --prefix "$cache" --ignore-scripts "${quiet[@]}" "code-server@$VERSION"
fi

# argon2 (password hashing; loaded at start even with --auth none).
if [[ ! -f "$cache/node_modules/argon2/lib/binding/napi-v3/argon2.node" ]]; then
  log "building argon2"
  # node-pre-gyp drives this build; from source, never its release download.
  step env npm_config_build_from_source=true npm rebuild --prefix "$cache" argon2
fi

# VS Code's own production dependencies, without their download scripts.
if [[ ! -d "$vscode/node_modules/node-pty" ]]; then
  log "installing lib/vscode dependencies"
  step npm install --prefix "$vscode" --omit=dev --ignore-scripts "${quiet[@]}"
fi
mkdir -p "$vscode/node_modules/@vscode/ripgrep/bin"
ln -sfn "$(command -v rg)" "$vscode/node_modules/@vscode/ripgrep/bin/rg"
build_native "$vscode/node_modules/@vscode/spdlog" build/Release/spdlog.node
build_native "$vscode/node_modules/node-pty" build/Release/pty.node
build_native "$vscode/node_modules/native-watchdog" build/Release/watchdog.node
build_native "$vscode/node_modules/kerberos" build/Release/kerberos.node
# @parcel/watcher ships a prebuilt linux-x64-glibc package through npm itself.
ln -sfn node_modules "$vscode/node_modules.asar"
(cd "$vscode/bin/remote-cli" && ln -sfn code-linux.sh code-server)
(cd "$vscode/bin/helpers" && ln -sfn browser-linux.sh browser.sh)

if [[ ! -d "$vscode/extensions/node_modules/typescript" ]]; then
  log "installing built-in extensions' dependencies"
  step npm install --prefix "$vscode/extensions" --omit=dev --ignore-scripts "${quiet[@]}"
fi

node "$entry" --version >/dev/null
touch "$marker"
log "ready: $(node "$entry" --version | head -1)"
echo "$entry"
