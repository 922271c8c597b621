#!/usr/bin/env bash
# Bootstrap: restore the pinned Cake tool, then hand every argument to build.cake.
#   ./build.sh --target=Bundle     build the offline package bundle (default recipe)
#   ./build.sh --target=Test       run the tests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
