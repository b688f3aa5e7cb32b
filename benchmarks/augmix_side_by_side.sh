#!/bin/sh
# AugMix's images/s per image on one thread: NfmGen's (dotnet, Release) and torchvision 0.14's transforms.AugMix
# (Debian's python3-torchvision), alternated three times so that both meet the same machine load.
# Usage: benchmarks/augmix_side_by_side.sh [alternations=3]     (from the repository's root)
set -e
alternations=${1:-3}
export DNNL_MAX_CPU_ISA=${DNNL_MAX_CPU_ISA:-SSE41}
dotnet build -c Release benchmarks > /dev/null
for i in $(seq "$alternations"); do
    echo "--- alternation $i"
    dotnet benchmarks/bin/Release/net10.0/NfmGen.Benchmarks.dll augmix 3 | grep 'augmix images/s'
    /usr/bin/python3 benchmarks/pytorch/augmix_throughput.py 3 | grep 'augmix images/s'
done
