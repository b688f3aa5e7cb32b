#!/usr/bin/env bash
# A user's project outside this repository uses NfmGen both ways README.md shows, and must run on this machine:
#   1. ProjectReferences to runtime/NfmGen.Runtime.csproj (the generator as an analyzer reference) and models/;
#   2. a PackageReference to NfmGen.Models alone (NfmGen.Runtime comes with it) from a local folder source (dotnet pack of runtime/, models/).
# Each way: build and run the console program in Program.cs, then publish it for linux-x64 and run that.
# The program declares an [NfmNetwork], runs forward, ForwardTo and ForwardFrom, and prints "OK". On a machine whose
# libstdc++ lacks GLIBCXX_3.4.32 (Debian 12, Ubuntu 22.04) it dies at the first tensor unless the libstdc++ fix
# reached the project's output (docs/architecture.md, "TorchSharp on Debian 12 / Ubuntu 22.04").
# Usage: tests/consumer/run.sh   (exit status 0 when both ways work; about a minute when the repository is built)
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
here="$repo/tests/consumer"
work=$(mktemp -d "${TMPDIR:-/tmp}/nfmgen-consumer.XXXXXX")
trap 'rm -rf "$work"' EXIT

fail() { echo "consumer test FAILED: $*" >&2; exit 1; }

# Builds, runs, publishes and runs again the project in $1; $2 names the way, for messages.
check() {
  local project=$1 way=$2 output
  dotnet build "$project" -nologo -v:q -clp:NoSummary || fail "$way: dotnet build failed"
  output=$(dotnet run --project "$project" --no-build 2>&1) || fail "$way: the built program failed:"$'\n'"$output"
  grep -q '^OK' <<<"$output" || fail "$way: the built program did not print OK:"$'\n'"$output"
  dotnet publish "$project" -nologo -v:q -clp:NoSummary -r linux-x64 --self-contained false -o "$project/publish" \
    || fail "$way: dotnet publish failed"
  output=$(cd "$project/publish" && dotnet Consumer.dll 2>&1) || fail "$way: the published program failed:"$'\n'"$output"
  grep -q '^OK' <<<"$output" || fail "$way: the published program did not print OK:"$'\n'"$output"
  echo "consumer test: $way: $output"
}

# The project file of the user's program; $1 is its ItemGroup.
write_project() {
  cat <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <AssemblyName>Consumer</AssemblyName>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
$1
  </ItemGroup>
</Project>
XML
}

# 1. ProjectReference.
mkdir -p "$work/by-project"
cp "$here/Program.cs" "$work/by-project/"
write_project "    <ProjectReference Include=\"$repo/runtime/NfmGen.Runtime.csproj\" />
    <ProjectReference Include=\"$repo/models/NfmGen.Models.csproj\" />
    <ProjectReference Include=\"$repo/generator/NfmGen.Generator.csproj\" OutputItemType=\"Analyzer\" ReferenceOutputAssembly=\"false\" />" \
  > "$work/by-project/Consumer.csproj"
check "$work/by-project" "ProjectReference to runtime/NfmGen.Runtime.csproj"

# 2. PackageReference from a local folder source. A version of its own, so that no cached NfmGen.Runtime is used; the
# package is unpacked into a packages folder of this test's own, which reads the other packages from the usual one.
version="0.0.0-consumer.$(date +%s)"
for project in runtime/NfmGen.Runtime.csproj models/NfmGen.Models.csproj; do
  dotnet pack "$repo/$project" -nologo -v:q -clp:NoSummary -c Release -p:PackageVersion="$version" -o "$work/feed" \
    || fail "dotnet pack of $project failed"
done
global_packages=$(dotnet nuget locals global-packages --list | sed 's/^global-packages: //')
mkdir -p "$work/by-package"
cp "$here/Program.cs" "$work/by-package/"
# NfmGen.Models alone: NfmGen.Runtime, its generator and its build targets (the libstdc++ fix) must come with it.
write_project "    <PackageReference Include=\"NfmGen.Models\" Version=\"$version\" />" > "$work/by-package/Consumer.csproj"
cat > "$work/by-package/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <config>
    <add key="globalPackagesFolder" value="$work/packages" />
  </config>
  <fallbackPackageFolders>
    <add key="usual" value="$global_packages" />
  </fallbackPackageFolders>
  <packageSources>
    <add key="local" value="$work/feed" />
  </packageSources>
</configuration>
XML
check "$work/by-package" "a PackageReference to NfmGen.Models $version (NfmGen.Runtime through it) from a local folder"
echo "consumer test: both ways passed"
