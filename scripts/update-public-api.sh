#!/usr/bin/env bash
# Rewrites each shipping project's PublicAPI.Unshipped.txt from its code: a public symbol missing from the files is
# added (RS0016), one that no longer exists is removed (RS0017). Run it after adding or changing public API on purpose,
# then review the diff of src/*/PublicAPI.Unshipped.txt: every line is a promise to users.
# Usage: scripts/update-public-api.sh [project.csproj ...]   (default: every project under src/)
set -euo pipefail
cd "$(dirname "$0")/.."

projects=("$@")
if [ ${#projects[@]} -eq 0 ]; then
  projects=(src/*/*.csproj)
fi

for project in "${projects[@]}"; do
  dir=$(dirname "$project")
  for file in PublicAPI.Shipped.txt PublicAPI.Unshipped.txt; do
    [ -f "$dir/$file" ] || printf '#nullable enable\n' > "$dir/$file"
  done
  echo "update-public-api: $project"
  # dotnet format applies the analyzers' own code fixes; one pass can leave a symbol whose containing type it added in
  # the same pass, so it runs until the files stop changing (at most 3 times).
  for _ in 1 2 3; do
    before=$(cat "$dir"/PublicAPI.*.txt | md5sum)
    dotnet format analyzers "$project" --diagnostics RS0016 RS0017 --severity info
    after=$(cat "$dir"/PublicAPI.*.txt | md5sum)
    [ "$before" != "$after" ] || break
  done
done
