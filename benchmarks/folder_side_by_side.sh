#!/bin/sh
# The image folder pipeline, NfmGen's loader and torchvision's ImageFolder + DataLoader, alternately on the same files
# (docs/performance.md, "Image folders"). Each run: one warm-up epoch, then one timed epoch; the load average before each.
#   dotnet build -c Release benchmarks/NfmGen.Benchmarks.csproj
#   /usr/bin/python3 tools/make_benchmark_images.py /tmp/nfm-bench/imgs 4 100
#   sh benchmarks/folder_side_by_side.sh /tmp/nfm-bench/imgs [rounds] [workers]
set -e
dir=$1; rounds=${2:-3}; workers=${3:-2}
here=$(dirname "$0")
for round in $(seq "$rounds"); do
    echo "round $round, load before nfmgen: $(cut -d' ' -f1-3 /proc/loadavg)"
    dotnet "$here/bin/Release/net10.0/NfmGen.Benchmarks.dll" folder "$dir" 1 "$workers" 32 | grep epoch
    echo "round $round, load before torchvision: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/python3 "$here/pytorch/folder_pipeline.py" "$dir" 1 "$workers" 32
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
