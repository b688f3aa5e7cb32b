#!/usr/bin/python3
"""Golden data for NfmGen's tables, made with the reference code itself (run once; the tests read the files).

    tabular_reference.py models RTDL_CHECKOUT OUTDIR
        Imports rtdl's own modules.py from a checkout of yandex-research/rtdl (tested at 4ca77be5), builds
        MLP.make_baseline and ResNet.make_baseline as the zoo's tabular-mlp and tabular-resnet configure them, fills them
        with tools/reference_models.py's deterministic weights under the zoo's state-dict names (RENAMES below; rtdl's
        nn.Sequential of blocks is one mixable member per block in the zoo), and writes OUTDIR/<zoo model>.json in
        reference_models.py's golden format: eval-mode logits on the deterministic input, each entry's shape and checksums.

    tabular_reference.py encoding OUTDIR
        Encodes OUTDIR/mixed-train.csv and OUTDIR/mixed-test.csv with scikit-learn and pandas as CsvDataset's schema
        describes (StandardScaler fitted on the training rows' present values; SimpleImputer median / most_frequent, or
        mean and the one-hot means; OneHotEncoder over the training categories, sorted) and writes
        OUTDIR/mixed-<impute>-<split>.csv: the expected inputs, and the labels as class indices (numeric order).

Needs Debian's python3-torch, python3-sklearn and python3-pandas; run with /usr/bin/python3.
"""

import json
import os
import sys

import warnings

import numpy as np

# The imputers hand the scalers plain arrays; their values are what is meant, the feature-name warning is not.
warnings.filterwarnings("ignore", message="X does not have valid feature names")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

# ---- the zoo's tabular models from rtdl's code -----------------------------------------------------------------

WIDTH, INPUTS, CLASSES, BATCH = 16, 7, 5, 4


def rtdl_models(checkout):
    sys.path.insert(0, checkout)
    import rtdl  # the checkout's own package: rtdl/modules.py
    mlp = rtdl.MLP.make_baseline(d_in=INPUTS, d_layers=[WIDTH] * 3, dropout=0.1, d_out=CLASSES)
    resnet = rtdl.ResNet.make_baseline(d_in=INPUTS, n_blocks=3, d_main=WIDTH, d_hidden=2 * WIDTH,
                                       dropout_first=0.2, dropout_second=0.0, d_out=CLASSES)
    return {"tabular-mlp": mlp, "tabular-resnet": resnet}


def renamed(zoo_model, key):
    """rtdl's state-dict name -> the zoo's: blocks.i -> block{i+1} (MLP: its linear is that Sequential's 0), head as a Sequential."""
    parts = key.split(".")
    if parts[0] == "blocks":
        block = f"block{int(parts[1]) + 1}"
        rest = parts[2:]
        if zoo_model == "tabular-mlp":
            rest = ["0"] + rest[1:]  # Block.linear -> Sequential(Linear, ReLU, Dropout)[0]
        return ".".join([block] + rest)
    if zoo_model == "tabular-resnet" and parts[0] == "head":
        return ".".join(["head", {"normalization": "0", "linear": "2"}[parts[1]]] + parts[2:])
    return key


def write_models(checkout, folder):
    import torch
    from reference_models import deterministic_input, deterministic_value
    for name, model in rtdl_models(checkout).items():
        state = model.state_dict()
        ours = {renamed(name, key): tensor for key, tensor in state.items()}
        with torch.no_grad():
            for key, tensor in state.items():
                tensor.copy_(deterministic_value(renamed(name, key), tensor, ours))
        model.eval()
        with torch.no_grad():
            logits = model(deterministic_input((BATCH, INPUTS)))
        golden = {
            "model": name,
            "zooModel": name,
            "source": "tools/tabular_reference.py models: rtdl's own MLP/ResNet.make_baseline (yandex-research/rtdl 4ca77be5), deterministic weights under the zoo's names, eval mode",
            "classes": CLASSES,
            "width": WIDTH,
            "inputShape": [BATCH, INPUTS],
            "logits": [[float(f"{v:.9g}") for v in row] for row in logits.tolist()],
            "stateDict": [{"name": renamed(name, key), "shape": list(t.shape), "sum": t.double().sum().item(),
                           "absSum": t.double().abs().sum().item()} for key, t in model.state_dict().items()],
        }
        with open(f"{folder}/{name}.json", "w") as out:
            json.dump(golden, out, separators=(",", ":"))
            out.write("\n")
        print(f"{name}: logits {tuple(logits.shape)}, |logit| <= {logits.abs().max().item():.3g}")


# ---- encodings with scikit-learn and pandas ----------------------------------------------------------------------

LABEL, IGNORED, CATEGORICAL = "grade", ["id"], ["color", "size"]
MISSING = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?", "#N/A"]


def write_encoding(folder):
    import pandas as pd
    from sklearn.impute import SimpleImputer
    from sklearn.preprocessing import OneHotEncoder, StandardScaler
    read = lambda split: pd.read_csv(f"{folder}/mixed-{split}.csv", dtype=str, keep_default_na=False, na_values=MISSING)
    train, test = read("train"), read("test")
    inputs = [c for c in train.columns if c != LABEL and c not in IGNORED]
    classes = sorted(set(train[LABEL]), key=float)
    for impute in ["median", "mean"]:
        blocks = {split: [] for split in ("train", "test")}
        for column in inputs:
            if column in CATEGORICAL:
                categories = sorted(set(train[column].dropna()))
                encoder = OneHotEncoder(categories=[categories]).fit(train[[column]].dropna())
                if impute == "median":
                    fill = SimpleImputer(strategy="most_frequent").fit(train[[column]])
                    encode = lambda frame: encoder.transform(fill.transform(frame[[column]])).toarray()
                else:  # the mean of the one-hot columns: the training frequencies
                    frequencies = pd.get_dummies(train[column].dropna())[categories].mean().to_numpy()
                    def encode(frame, column=column, encoder=encoder, frequencies=frequencies):
                        out = np.tile(frequencies, (len(frame), 1))
                        present = frame[column].notna().to_numpy()
                        out[present] = encoder.transform(frame.loc[present, [column]]).toarray()
                        return out
            else:
                scaler = StandardScaler().fit(train[[column]].astype(float))  # NaN disregarded in fit
                fill = SimpleImputer(strategy=impute).fit(train[[column]].astype(float))
                encode = lambda frame, scaler=scaler, fill=fill, column=column: scaler.transform(fill.transform(frame[[column]].astype(float)))
            for split, frame in (("train", train), ("test", test)):
                blocks[split].append(encode(frame))
        for split, frame in (("train", train), ("test", test)):
            encoded = np.hstack(blocks[split])
            labels = np.array([classes.index(v) for v in frame[LABEL]])
            np.savetxt(f"{folder}/mixed-{impute}-{split}.csv", np.column_stack([labels, encoded]), delimiter=",", fmt="%.17g",
                       header="label," + ",".join(f"x{i}" for i in range(encoded.shape[1])), comments="")
            print(f"mixed-{impute}-{split}: {encoded.shape}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "models":
        write_models(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "encoding":
        write_encoding(sys.argv[2])
    else:
        sys.exit(__doc__)
