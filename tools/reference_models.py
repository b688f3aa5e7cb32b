#!/usr/bin/python3
"""Reference PyTorch definitions of the NfmGen model zoo, for checking that weights move between the two.

The definitions follow the architectures the NFM paper trained (Lim et al., ICLR 2022): the pre-activation ResNet-18
of its CIFAR code (no batch norm after the last stage), the Wide-ResNet with biased convolutions and a final `bn1`, and
torchvision's ResNet-50. They are written here from those descriptions so that the expected state-dict names and
shapes in tests/NfmGen.Tests/Zoo/StateDicts/ can be regenerated; the C# tests read those lists and never need Python.

Needs Debian's PyTorch (apt-get install -y python3-torch python3-torchvision); run with /usr/bin/python3.

    reference_models.py state-dicts OUTDIR            write OUTDIR/<model>.txt: '# parameters: N', then 'name [shape]' lines
    reference_models.py export MODEL WEIGHTS IO       seeded reference model -> WEIGHTS (.pt/.bin or .safetensors),
                                                      and {'input', 'output'} of one eval-mode forward pass -> IO (.pt)
    reference_models.py check MODEL WEIGHTS IO        load WEIGHTS strictly into the reference model, run IO's input,
                                                      compare with IO's output
"""

import json
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


class PreActBlock(nn.Module):
    """BN-ReLU-conv twice; the projection shortcut (when the shape changes) takes the activated input."""

    def __init__(self, in_planes, planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        activated = F.relu(self.bn1(x))
        identity = self.shortcut(activated) if len(self.shortcut) > 0 else x
        out = self.conv2(F.relu(self.bn2(self.conv1(activated))))
        return out + identity


class PreActResNet18(nn.Module):
    def __init__(self, num_classes=10, in_channels=3, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.layer1 = self._stage(width, width, 1)
        self.layer2 = self._stage(width, 2 * width, 2)
        self.layer3 = self._stage(2 * width, 4 * width, 2)
        self.layer4 = self._stage(4 * width, 8 * width, 2)
        self.linear = nn.Linear(8 * width, num_classes)

    @staticmethod
    def _stage(in_planes, planes, stride):
        return nn.Sequential(PreActBlock(in_planes, planes, stride), PreActBlock(planes, planes, 1))

    def forward(self, x):
        x = self.layer4(self.layer3(self.layer2(self.layer1(self.conv1(x)))))
        return self.linear(F.adaptive_avg_pool2d(x, 1).flatten(1))


class WideBasic(nn.Module):
    """BN-ReLU-conv-dropout, BN-ReLU-conv (stride on the second conv); the shortcut takes the block's raw input."""

    def __init__(self, in_planes, planes, dropout, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, 1, 1, bias=True)
        self.dropout = nn.Dropout(dropout)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, stride, 1, bias=True)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=True))
        else:
            self.shortcut = nn.Sequential()

    def forward(self, x):
        out = self.dropout(self.conv1(F.relu(self.bn1(x))))
        out = self.conv2(F.relu(self.bn2(out)))
        return out + self.shortcut(x)


class WideResNet(nn.Module):
    def __init__(self, depth=28, widen_factor=10, dropout=0.3, num_classes=10, in_channels=3):
        super().__init__()
        blocks = (depth - 4) // 6
        widths = [16, 16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.conv1 = nn.Conv2d(in_channels, widths[0], 3, 1, 1, bias=True)
        self.layer1 = self._stage(widths[0], widths[1], blocks, dropout, 1)
        self.layer2 = self._stage(widths[1], widths[2], blocks, dropout, 2)
        self.layer3 = self._stage(widths[2], widths[3], blocks, dropout, 2)
        self.bn1 = nn.BatchNorm2d(widths[3], momentum=0.9)
        self.linear = nn.Linear(widths[3], num_classes)

    @staticmethod
    def _stage(in_planes, planes, blocks, dropout, stride):
        return nn.Sequential(*[WideBasic(in_planes if i == 0 else planes, planes, dropout, stride if i == 0 else 1)
                               for i in range(blocks)])

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(F.relu(self.bn1(x)), 1).flatten(1))


# Zoo name -> (reference model, input shape of the cross-check).
MODELS = {
    "preactresnet18": (lambda: PreActResNet18(num_classes=10), (2, 3, 32, 32)),
    "preactresnet18-cifar100": (lambda: PreActResNet18(num_classes=100), (2, 3, 32, 32)),
    "preact-wide-resnet18": (lambda: PreActResNet18(num_classes=100, width=128), (2, 3, 32, 32)),
    "wide-resnet28-10": (lambda: WideResNet(num_classes=10), (2, 3, 32, 32)),
    "resnet50": (lambda: torchvision.models.resnet50(num_classes=1000), (1, 3, 64, 64)),
}

# Small versions for the test suite's files written by PyTorch (tests/NfmGen.Tests/Interop/PyTorchFiles/).
SMALL = {
    "preactresnet18-width2": (lambda: PreActResNet18(num_classes=10, width=2), (2, 3, 32, 32)),
    "wide-resnet10-1": (lambda: WideResNet(depth=10, widen_factor=1, num_classes=10), (2, 3, 32, 32)),
}


def write_state_dicts(folder):
    for name, (create, _) in MODELS.items():
        model = create()
        parameters = sum(p.numel() for p in model.parameters())
        with open(f"{folder}/{name}.txt", "w") as out:
            out.write(f"# {name}: state_dict() of the reference PyTorch definition (tools/reference_models.py)\n")
            out.write(f"# parameters: {parameters}\n")
            for key, tensor in model.state_dict().items():
                out.write(f"{key} [{','.join(str(d) for d in tensor.shape)}]\n")
        print(f"{name}: {parameters:,} parameters, {len(model.state_dict())} entries")


# safetensors by hand (the format is an 8-byte little-endian header length, a JSON index, then raw bytes), because
# Debian has no python3-safetensors; this also checks that our files follow the format, not just PyBridge's reading.
DTYPES = {"F32": torch.float32, "F64": torch.float64, "F16": torch.float16, "BF16": torch.bfloat16,
          "I64": torch.int64, "I32": torch.int32, "I16": torch.int16, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}


def load_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    index = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = {}
    for key, entry in index.items():
        if key == "__metadata__":
            continue
        start, stop = entry["data_offsets"]
        raw = bytearray(body[start:stop])
        tensors[key] = torch.frombuffer(raw, dtype=DTYPES[entry["dtype"]]).reshape(entry["shape"]).clone()
    return tensors


def save_safetensors(tensors, path):
    names = {v: k for k, v in DTYPES.items()}
    index, chunks, offset = {}, [], 0
    for key, tensor in tensors.items():
        raw = tensor.contiguous().numpy().tobytes()  # our models hold float32 and int64 only: numpy has both
        index[key] = {"dtype": names[tensor.dtype], "shape": list(tensor.shape), "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    header = json.dumps(index).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(header)) + header + b"".join(chunks))


def load_weights(path):
    return load_safetensors(path) if path.endswith(".safetensors") else torch.load(path, map_location="cpu")


def export(name, weights, io):
    create, shape = {**MODELS, **SMALL}[name]
    torch.manual_seed(0)
    model = create()
    # A few training-mode passes give the batch norms running statistics that differ from their initial values.
    model.train()
    with torch.no_grad():
        for _ in range(3):
            model(torch.randn(*shape))
    model.eval()
    state = model.state_dict()
    if weights.endswith(".safetensors"):
        save_safetensors(state, weights)
    else:
        torch.save(state, weights)
    x = torch.randn(*shape)
    with torch.no_grad():
        torch.save({"input": x, "output": model(x)}, io)
    print(f"{name}: wrote {weights} ({len(state)} entries) and {io}")


def check(name, weights, io):
    create, _ = {**MODELS, **SMALL}[name]
    model = create()
    result = model.load_state_dict(load_weights(weights), strict=True)
    model.eval()
    expected = torch.load(io, map_location="cpu")
    with torch.no_grad():
        output = model(expected["input"])
    difference = (output - expected["output"]).abs().max().item()
    ok = torch.allclose(output, expected["output"], rtol=1e-4, atol=1e-5)
    print(f"{name}: {weights} loaded strictly ({result}); max |difference| {difference:.3g}: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


def main(args):
    if len(args) == 2 and args[0] == "state-dicts":
        write_state_dicts(args[1])
        return 0
    if len(args) == 4 and args[0] == "export":
        export(*args[1:])
        return 0
    if len(args) == 4 and args[0] == "check":
        return check(*args[1:])
    print(__doc__, file=sys.stderr)
    print(f"models: {', '.join(MODELS)}, and small ones for test files: {', '.join(SMALL)}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
