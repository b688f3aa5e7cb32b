#!/usr/bin/env bash
# The CSV reader beside pandas on the same file, interleaved: ROUNDS alternations of NfmGen's tableread and pandas'
# table_read.py, each reporting the range and median of its calls. Needs Debian's python3-pandas.
#   benchmarks/tables_side_by_side.sh CSV LABEL [ROUNDS] [CALLS]
set -euo pipefail
csv=$1 label=$2 rounds=${3:-3} calls=${4:-20}
here=$(cd "$(dirname "$0")" && pwd)
dotnet build -c Release "$here" > /dev/null
for round in $(seq 1 "$rounds"); do
  echo "round $round"
  dotnet "$here/bin/Release/net10.0/NfmGen.Benchmarks.dll" tableread "$csv" "$label" "$calls" | grep -v '^torch threads'
  /usr/bin/python3 "$here/pytorch/table_read.py" "$csv" "$label" "$calls"
done
