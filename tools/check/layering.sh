#!/usr/bin/env bash
# Fails when a layer includes one it must not know (README "Architecture"): core/ includes
# nothing from actors/, rest/ or config/; actors/ nothing from rest/; config/ nothing from
# actors/. ctest runs this.
set -euo pipefail
cd "$(dirname "$0")/../.."
status=0
check() {
  local layer=$1 forbidden=$2
  local found
  found=$(grep -rnE "#include \"($forbidden)/" "$layer" --include='*.cpp' --include='*.hpp' || true)
  if [ -n "$found" ]; then
    echo "$layer/ must not include $forbidden/:" >&2
    echo "$found" >&2
    status=1
  fi
}
check core 'actors|rest|config'
check actors 'rest'
check config 'actors'
[ $status = 0 ] && echo "layering: core, actors and config include only what they may"
exit $status
