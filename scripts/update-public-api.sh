#!/usr/bin/env bash
# Rewrites each shipping project's PublicAPI.Unshipped.txt from its code: the file is emptied, then every public symbol
# that PublicAPI.Shipped.txt does not list is written back (the RS0016 code fix, applied by dotnet format), so a symbol
# added or changed appears and one removed or renamed disappears. PublicAPI.Shipped.txt is never touched: removing a
# shipped symbol stays a build error (RS0017) until it is marked *REMOVED* by hand. Run it after changing public API on
# purpose (or after merging branches that did), then review the diff: every line is a promise to users.
# Usage: scripts/update-public-api.sh [project.csproj ...]   (default: every project under src/)
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  projects=(src/*/*.csproj)
fi

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  [ -f "$dir/PublicAPI.Shipped.txt" ] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  printf '#nullable enable\n' > "$dir/PublicAPI.Unshipped.txt"
  echo "update-public-api: $project"
  # dotnet format applies the analyzer's own code fix: one pass writes every symbol, types and members alike.
  dotnet format analyzers "$project" --diagnostics RS0016 --severity info
done
