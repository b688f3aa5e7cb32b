#!/usr/bin/python3
"""pandas' side of benchmarks/tables_side_by_side.sh: a CSV file to standardised float32 inputs and integer labels.

    table_read.py CSV LABEL [calls]

Per call: pandas.read_csv, then the numeric columns standardised with their mean and (population) standard deviation
and the label column's values as integer codes, all as NumPy arrays: what CsvDataset.Open computes, less the
stratified split. Prints the rows/s of read_csv alone and of the whole, range and median over the calls after a warm-up.
"""
import sys
import time

import numpy as np
import pandas as pd


def encode(path, label):
    frame = pd.read_csv(path)
    read = time.perf_counter()
    numbers = frame.drop(columns=[label]).to_numpy(dtype=np.float64)
    std = numbers.std(axis=0)
    inputs = ((numbers - numbers.mean(axis=0)) / np.where(std > 0, std, 1)).astype(np.float32)
    labels = frame[label].astype("category").cat.codes.to_numpy(dtype=np.int64)
    assert len(labels) == len(inputs)
    return len(inputs), read


def main(path, label, calls=20):
    encode(path, label)
    whole, reading = [], []
    for _ in range(calls):
        start = time.perf_counter()
        rows, read = encode(path, label)
        end = time.perf_counter()
        whole.append(rows / (end - start))
        reading.append(rows / (read - start))
    for name, rates in (("pandas read_csv", reading), ("pandas read_csv+standardise+codes", whole)):
        rates.sort()
        print(f"{name} {path.rsplit('/', 1)[-1]}: {rows} rows, {rates[0]:.0f}..{rates[-1]:.0f} rows/s, median {rates[len(rates) // 2]:.0f} over {calls} calls")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 20)
