#!/usr/bin/env bash
# Saves what `pim-notify import graph` reads into a tenant folder (the layout of DESIGN §9),
# with every page: Graph answers in pages, and an export cut after the first page would make
# the roles on the others look as if they had Entra's defaults.
#
#   DIR/roleManagementPolicyAssignments.json   the directory-role policies with their rules
#   DIR/roleDefinitions.json                   role names, for --role-definitions
#
# Each file is a JSON list of the pages of one request, in order; every page but the last has
# the `@odata.nextLink` that was followed, so `import graph` can tell the list is complete.
# A file is written only when all its pages arrived (a temporary file, then a rename).
#
# Usage:   examples/graph/save-tenant.sh DIR
# Needs:   the Azure CLI, signed in (`az login`) as someone who may read PIM settings
#          (RoleManagementPolicy.Read.Directory, RoleManagement.Read.Directory), and jq.
# Then:    pim-notify import graph DIR/roleManagementPolicyAssignments.json \
#            --role-definitions DIR/roleDefinitions.json -o tenant.yaml
# Another cloud: GRAPH_URL=https://graph.microsoft.us examples/graph/save-tenant.sh DIR
set -euo pipefail

graph="${GRAPH_URL:-https://graph.microsoft.com}/v1.0"

# save_pages URL FILE: GETs URL, then each @odata.nextLink until there is none, and writes
# the pages as one JSON list to FILE.
save_pages() {
  local url=$1 file=$2 count=0
  work=$(mktemp -d "${TMPDIR:-/tmp}/save-tenant.XXXXXX")
  trap 'rm -rf "$work"' EXIT # also when a request fails half way
  while [ -n "$url" ]; do
    count=$((count + 1))
    az rest --method get --url "$url" --output json >"$work/$count.json"
    url=$(jq -r '."@odata.nextLink" // empty' "$work/$count.json")
  done
  local pages=()
  for ((i = 1; i <= count; i++)); do pages+=("$work/$i.json"); done
  jq -s '.' "${pages[@]}" >"$file.partial"
  mv -f "$file.partial" "$file"
  rm -rf "$work"
  echo "saved $file ($count page(s))" >&2
}

main() {
  if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
  fi
  local dir=$1
  mkdir -p "$dir"
  # $filter and $expand are Graph's, not the shell's: the URLs are in single quotes.
  save_pages "$graph"'/policies/roleManagementPolicyAssignments?$filter=scopeId%20eq%20%27%2F%27%20and%20scopeType%20eq%20%27DirectoryRole%27&$expand=policy($expand=rules)' \
    "$dir/roleManagementPolicyAssignments.json"
  save_pages "$graph"'/roleManagement/directory/roleDefinitions' "$dir/roleDefinitions.json"
}

main "$@"
