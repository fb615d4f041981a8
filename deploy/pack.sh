#!/usr/bin/env bash
# The plugin author's kit, as packages in a local folder feed: PluggableEcho.Abstractions (the
# contract, with its symbols) and PluggableEcho.Templates (dotnet new pluggable-echo-plugin),
# both with the contract's version.
#   deploy/pack.sh [FEED]     FEED: where the packages go, default artifacts/packages
# What the builds write goes under BUILD (default artifacts/build), not beside the projects.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
feed=$(realpath -m "${1:-$repo/artifacts/packages}")
build=$(realpath -m "${BUILD:-$repo/artifacts/build}")

version=$(dotnet msbuild "$repo/abstractions/PluggableEcho.Abstractions.csproj" -getProperty:Version)
for project in abstractions/PluggableEcho.Abstractions.csproj abstractions/template/PluggableEcho.Templates.csproj; do
  dotnet pack "$repo/$project" -c Release -p:Version="$version" -o "$feed" --artifacts-path "$build" -nologo -v quiet
done
echo "$feed/PluggableEcho.Abstractions.$version.nupkg"
echo "$feed/PluggableEcho.Templates.$version.nupkg"
