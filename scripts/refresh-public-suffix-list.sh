#!/usr/bin/env bash
# Copies the Public Suffix List shipped by Debian's publicsuffix package into CorsKit, where it is embedded as a resource
# (src/CorsKit/Origins/PublicSuffixList/public_suffix_list.dat). Run it after upgrading the package, then update the
# version line of src/CorsKit/Origins/PublicSuffixList/README.md, run the tests and commit.
#
#   sudo apt-get install --only-upgrade publicsuffix   # or: apt-get install publicsuffix
#   scripts/refresh-public-suffix-list.sh
set -euo pipefail

source_file=${PUBLIC_SUFFIX_LIST:-/usr/share/publicsuffix/public_suffix_list.dat}
target_dir="$(cd "$(dirname "$0")/.." && pwd)/src/CorsKit/Origins/PublicSuffixList"

if [[ ! -r "$source_file" ]]; then
    echo "error: $source_file not found; install Debian's publicsuffix package (apt-get install publicsuffix) or set PUBLIC_SUFFIX_LIST" >&2
    exit 1
fi

if ! grep -q '===BEGIN ICANN DOMAINS===' "$source_file" || ! grep -q '===BEGIN PRIVATE DOMAINS===' "$source_file"; then
    echo "error: $source_file does not look like the Public Suffix List (no ICANN and PRIVATE sections)" >&2
    exit 1
fi

cp "$source_file" "$target_dir/public_suffix_list.dat"
version=$(dpkg-query -W -f='${Version}' publicsuffix 2>/dev/null || echo unknown)
echo "copied $source_file ($(wc -l < "$source_file") lines, Debian publicsuffix $version) to $target_dir/public_suffix_list.dat"
echo "now set the version in $target_dir/README.md to $version"
