#!/usr/bin/python3
"""The NFM paper's networks, transcribed from its reference code, for checking the NfmGen zoo against them.

This is not the paper's code. It holds definitions transcribed from erichson/NFM (the code behind Lim et al.,
"Noisy Feature Mixup", ICLR 2022), keeping its module structure, state-dict names and forward passes statement by
statement, without the mixing code that those forward passes also carry (they are run here as the reference code
runs at test time, with mixup_alpha = 0):

    src/cifar_models/preresnet.py   PreActBlock, PreActResNet, PreActResNet18, PreActResNetWide18 (width=2)
    src/cifar_models/wide_resnet.py conv3x3, wide_basic, Wide_ResNet, WideResNet28
    src/imagenet_models/resnet.py   conv1x1, conv3x3, Bottleneck, ResNet, resnet50 (torchvision's ResNet-50 layout)

Two changes, both marked where they are made: every network takes `in_channels` (default 3) for its first
convolution, so that grey-image runs can be checked too; and PreActResNet's `width` may be fractional, as its own
`int(w * width)` allows, for the small models of the test files. The forward passes pool as the reference code does
(avg_pool2d(out, 4) and avg_pool2d(out, 8)), which is global pooling on 32x32 inputs; the zoo pools adaptively, the
same function on those inputs.

Needs Debian's PyTorch (apt-get install -y python3-torch); run with /usr/bin/python3. The tests never need Python:
they read the files that these commands wrote.

    reference_models.py state-dicts OUTDIR            write OUTDIR/<model>.txt: '# parameters: N', then 'name [shape]' lines
    reference_models.py golden OUTDIR                 write OUTDIR/<model>.json: the logits of each model with the
                                                      deterministic weights below on a deterministic input (eval mode),
                                                      and each state-dict entry's shape and checksums
    reference_models.py export MODEL WEIGHTS IO       seeded reference model -> WEIGHTS (.pt/.bin or .safetensors),
                                                      and {'input', 'output'} of one eval-mode forward pass -> IO (.pt)
    reference_models.py check MODEL WEIGHTS IO        load WEIGHTS strictly into the reference model, run IO's input,
                                                      compare with IO's output

Deterministic weights (the same formula is tests/NfmGen.Tests/Zoo/DeterministicWeights.cs): each state-dict entry
gets values from its own name and each element's flat index i, with P = 2^31 - 1 and s = FNV-1a-32(UTF-8 name) mod P:
    a = (i * 48271 + s) mod P;  b = a * a mod P;  c = (b * 16807 + i) mod P;  u = c / P  in [0, 1), in float64;
then, by entry: a tensor of 2 or more dimensions (convolution, linear) (2u - 1) * sqrt(3 / fan_in), with fan_in its
element count over its first dimension; a batch norm's weight and running_var 0.75 + 0.5u, its bias and running_mean
0.2 (2u - 1), its num_batches_tracked s mod 1000; any other bias 0.1 (2u - 1); cast to float32 at the end. The input is
2u - 1 for the name "input". Integer arithmetic and correctly rounded operations only, so both sides get the same bits.
"""

import json
import math
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- src/cifar_models/preresnet.py -------------------------------------------------------------------------------

class PreActBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super(PreActBlock, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=1, padding=1, bias=False)

        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != self.expansion * planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, self.expansion * planes, kernel_size=1, stride=stride, bias=False)
            )

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out)  # the identity branch (an empty Sequential) passes on the activated input
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        out += shortcut
        return out


class PreActResNet(nn.Module):
    def __init__(self, block, num_blocks, num_classes=10, width=1, in_channels=3):  # in_channels: ours
        super(PreActResNet, self).__init__()

        widths = [int(w * width) for w in [64, 128, 256, 512]]

        self.in_planes = widths[0]
        self.conv1 = nn.Conv2d(in_channels, self.in_planes, kernel_size=3, stride=1, padding=1, bias=False)
        self.layer1 = self._make_layer(block, widths[0], num_blocks[0], stride=1)
        self.layer2 = self._make_layer(block, widths[1], num_blocks[1], stride=2)
        self.layer3 = self._make_layer(block, widths[2], num_blocks[2], stride=2)
        self.layer4 = self._make_layer(block, widths[3], num_blocks[3], stride=2)
        self.linear = nn.Linear(widths[3] * block.expansion, num_classes)
        self.blocks = [self.layer1, self.layer2, self.layer3, self.layer4]

    def _make_layer(self, block, planes, num_blocks, stride):
        strides = [stride] + [1] * (num_blocks - 1)
        layers = []
        for stride in strides:
            layers.append(block(self.in_planes, planes, stride))
            self.in_planes = planes * block.expansion
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)

        for i, ResidualBlock in enumerate(self.blocks):
            out = ResidualBlock(out)

        out = F.avg_pool2d(out, 4)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def PreActResNet18(**kwargs):
    return PreActResNet(PreActBlock, [2, 2, 2, 2], **kwargs)


def PreActResNetWide18(**kwargs):
    return PreActResNet(PreActBlock, [2, 2, 2, 2], width=2, **kwargs)


# ---- src/cifar_models/wide_resnet.py -----------------------------------------------------------------------------

def conv3x3_biased(in_planes, out_planes, stride=1):  # wide_resnet.py's conv3x3 (resnet.py has another)
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride, padding=1, bias=True)


class wide_basic(nn.Module):
    def __init__(self, in_planes, planes, dropout_rate, stride=1):
        super(wide_basic, self).__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=3, padding=1, bias=True)
        self.dropout = nn.Dropout(p=dropout_rate)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=True)

        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(
                nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=True),
            )

    def forward(self, x):
        out = self.dropout(self.conv1(F.relu(self.bn1(x))))
        out = self.conv2(F.relu(self.bn2(out)))
        out += self.shortcut(x)  # unlike PreActBlock, the raw input

        return out


class Wide_ResNet(nn.Module):
    def __init__(self, depth, widen_factor, dropout_rate, num_classes, in_channels=3):  # in_channels: ours
        super(Wide_ResNet, self).__init__()
        self.in_planes = 16

        assert ((depth - 4) % 6 == 0), 'Wide-resnet depth should be 6n+4'
        n = (depth - 4) / 6
        k = widen_factor

        nStages = [16, 16 * k, 32 * k, 64 * k]

        self.conv1 = conv3x3_biased(in_channels, nStages[0])
        self.layer1 = self._wide_layer(wide_basic, nStages[1], n, dropout_rate, stride=1)
        self.layer2 = self._wide_layer(wide_basic, nStages[2], n, dropout_rate, stride=2)
        self.layer3 = self._wide_layer(wide_basic, nStages[3], n, dropout_rate, stride=2)
        self.bn1 = nn.BatchNorm2d(nStages[3], momentum=0.9)
        self.linear = nn.Linear(nStages[3], num_classes)
        self.blocks = [self.layer1, self.layer2, self.layer3]

    def _wide_layer(self, block, planes, num_blocks, dropout_rate, stride):
        strides = [stride] + [1] * (int(num_blocks) - 1)
        layers = []

        for stride in strides:
            layers.append(block(self.in_planes, planes, dropout_rate, stride))
            self.in_planes = planes

        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.conv1(x)

        for i, ResidualBlock in enumerate(self.blocks):
            out = ResidualBlock(out)

        out = F.relu(self.bn1(out))
        out = F.avg_pool2d(out, 8)
        out = out.view(out.size(0), -1)
        out = self.linear(out)
        return out


def WideResNet28(num_classes=10, **kwargs):
    return Wide_ResNet(depth=28, widen_factor=10, dropout_rate=0.3, num_classes=num_classes, **kwargs)


# ---- src/imagenet_models/resnet.py (torchvision's ResNet with the defaults resnet50 uses) ------------------------

def conv3x3(in_planes, out_planes, stride=1, groups=1, dilation=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=3, stride=stride,
                     padding=dilation, groups=groups, bias=False, dilation=dilation)


def conv1x1(in_planes, out_planes, stride=1):
    return nn.Conv2d(in_planes, out_planes, kernel_size=1, stride=stride, bias=False)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, inplanes, planes, stride=1, downsample=None, groups=1, base_width=64, dilation=1):
        super(Bottleneck, self).__init__()
        norm_layer = nn.BatchNorm2d
        width = int(planes * (base_width / 64.)) * groups
        self.conv1 = conv1x1(inplanes, width)
        self.bn1 = norm_layer(width)
        self.conv2 = conv3x3(width, width, stride, groups, dilation)
        self.bn2 = norm_layer(width)
        self.conv3 = conv1x1(width, planes * self.expansion)
        self.bn3 = norm_layer(planes * self.expansion)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
        self.stride = stride

    def forward(self, x):
        identity = x

        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)

        out = self.conv3(out)
        out = self.bn3(out)

        if self.downsample is not None:
            identity = self.downsample(x)

        out += identity

        return self.relu(out)


class ResNet(nn.Module):
    # Without the options resnet50 leaves at their defaults (zero_init_residual, groups, width_per_group, dilation,
    # norm_layer); the stages are nn.Sequential where the reference code's SequentialWithArgs, a Sequential that passes
    # extra forward arguments to its last block, computes the same without them.
    def __init__(self, block, layers, num_classes=1000, in_channels=3):  # in_channels: ours
        super(ResNet, self).__init__()
        norm_layer = nn.BatchNorm2d
        self._norm_layer = norm_layer

        self.inplanes = 64
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(in_channels, self.inplanes, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = norm_layer(self.inplanes)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(block, 64, layers[0])
        self.layer2 = self._make_layer(block, 128, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 256, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 512, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(512 * block.expansion, num_classes)

        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
            elif isinstance(m, (nn.BatchNorm2d, nn.GroupNorm)):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def _make_layer(self, block, planes, blocks, stride=1):
        norm_layer = self._norm_layer
        downsample = None
        previous_dilation = self.dilation
        if stride != 1 or self.inplanes != planes * block.expansion:
            downsample = nn.Sequential(
                conv1x1(self.inplanes, planes * block.expansion, stride),
                norm_layer(planes * block.expansion),
            )

        layers = []
        layers.append(block(self.inplanes, planes, stride, downsample, self.groups, self.base_width, previous_dilation))
        self.inplanes = planes * block.expansion
        for _ in range(1, blocks):
            layers.append(block(self.inplanes, planes, groups=self.groups, base_width=self.base_width,
                                dilation=self.dilation))

        return nn.Sequential(*layers)

    def forward(self, x):
        x = self.conv1(x)
        x = self.bn1(x)
        x = self.relu(x)
        x = self.maxpool(x)

        x = self.layer1(x)
        x = self.layer2(x)
        x = self.layer3(x)
        x = self.layer4(x)

        x = self.avgpool(x)
        x = torch.flatten(x, 1)
        x = self.fc(x)
        return x


def resnet50(**kwargs):
    return ResNet(Bottleneck, [3, 4, 6, 3], **kwargs)


# ---- the zoo's models ---------------------------------------------------------------------------------------------

# Check name -> (reference model, zoo model, classes, input shape of the checks).
MODELS = {
    "preactresnet18": (lambda: PreActResNet18(num_classes=10), "preactresnet18", 10, (2, 3, 32, 32)),
    "preactresnet18-cifar100": (lambda: PreActResNet18(num_classes=100), "preactresnet18", 100, (2, 3, 32, 32)),
    "preact-wide-resnet18": (lambda: PreActResNetWide18(num_classes=100), "preact-wide-resnet18", 100, (2, 3, 32, 32)),
    "wide-resnet28-10": (lambda: WideResNet28(num_classes=10), "wide-resnet28-10", 10, (2, 3, 32, 32)),
    "resnet50": (lambda: resnet50(num_classes=1000), "resnet50", 1000, (1, 3, 64, 64)),
}

# Small versions for the test suite's files written by PyTorch (tests/NfmGen.Tests/Interop/PyTorchFiles/).
SMALL = {
    # width 2/64: the zoo's PreActResNet18(width: 2), stages of 2, 4, 8 and 16 channels.
    "preactresnet18-width2": (lambda: PreActResNet18(num_classes=10, width=2 / 64), "preactresnet18", 10, (2, 3, 32, 32)),
    "wide-resnet10-1": (lambda: Wide_ResNet(depth=10, widen_factor=1, dropout_rate=0.3, num_classes=10), "wide-resnet28-10", 10,
                        (2, 3, 32, 32)),
}


def write_state_dicts(folder):
    for name, (create, _, _, _) in MODELS.items():
        model = create()
        parameters = sum(p.numel() for p in model.parameters())
        with open(f"{folder}/{name}.txt", "w") as out:
            out.write(f"# {name}: state_dict() of the definition transcribed from erichson/NFM (tools/reference_models.py)\n")
            out.write(f"# parameters: {parameters}\n")
            for key, tensor in model.state_dict().items():
                out.write(f"{key} [{','.join(str(d) for d in tensor.shape)}]\n")
        print(f"{name}: {parameters:,} parameters, {len(model.state_dict())} entries")


# ---- deterministic weights and input (see the module's docstring) -------------------------------------------------

PRIME = 2147483647


def name_seed(name):
    h = 2166136261
    for byte in name.encode("utf-8"):
        h = ((h ^ byte) * 16777619) % 2 ** 32
    return h % PRIME


def uniform(name, count):
    """count float64 values in [0, 1) from the name and the flat index, in integer arithmetic (exact in int64)."""
    i = torch.arange(count, dtype=torch.int64)
    a = (i * 48271 + name_seed(name)) % PRIME
    b = (a * a) % PRIME
    c = (b * 16807 + i) % PRIME
    return c.double() / PRIME


def deterministic_value(name, tensor, state):
    if name.endswith(".num_batches_tracked"):
        return torch.full_like(tensor, name_seed(name) % 1000)
    u = uniform(name, tensor.numel()).reshape(tensor.shape)
    prefix = name.rsplit(".", 1)[0]
    batch_norm = prefix + ".running_mean" in state
    if name.endswith(".running_var") or (batch_norm and name.endswith(".weight")):
        value = 0.75 + 0.5 * u
    elif name.endswith(".running_mean") or (batch_norm and name.endswith(".bias")):
        value = 0.2 * (2 * u - 1)
    elif tensor.dim() >= 2:
        value = (2 * u - 1) * math.sqrt(3 / (tensor.numel() // tensor.shape[0]))
    else:
        value = 0.1 * (2 * u - 1)
    return value.to(tensor.dtype)


def fill_deterministic(model):
    state = model.state_dict()
    with torch.no_grad():
        for name, tensor in state.items():
            tensor.copy_(deterministic_value(name, tensor, state))


def deterministic_input(shape):
    count = math.prod(shape)
    return (2 * uniform("input", count) - 1).float().reshape(shape)


def write_golden(folder):
    for name, (create, zoo_model, classes, shape) in MODELS.items():
        model = create()
        fill_deterministic(model)
        model.eval()
        with torch.no_grad():
            logits = model(deterministic_input(shape))
        entries = [{"name": key, "shape": list(tensor.shape), "sum": tensor.double().sum().item(),
                    "absSum": tensor.double().abs().sum().item()} for key, tensor in model.state_dict().items()]
        golden = {
            "model": name,
            "zooModel": zoo_model,
            "source": "tools/reference_models.py golden: the definition transcribed from erichson/NFM, deterministic weights, eval mode",
            "classes": classes,
            "inputShape": list(shape),
            "logits": [[float(f"{v:.9g}") for v in row] for row in logits.tolist()],
            "stateDict": entries,
        }
        with open(f"{folder}/{name}.json", "w") as out:
            json.dump(golden, out, separators=(",", ":"))
            out.write("\n")
        print(f"{name}: logits {tuple(logits.shape)}, |logit| <= {logits.abs().max().item():.3g}, "
              f"spread across classes {logits.std(dim=1).mean().item():.3g}")


# ---- safetensors, export and check ------------------------------------------------------------------------------

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
    create, _, _, shape = {**MODELS, **SMALL}[name]
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
    create, _, _, _ = {**MODELS, **SMALL}[name]
    model = create()
    result = model.load_state_dict(load_weights(weights), strict=True)
    model.eval()
    expected = torch.load(io, map_location="cpu")
    with torch.no_grad():
        output = model(expected["input"])
    difference = (output - expected["output"]).abs().max().item()
    ok = difference < 1e-4
    print(f"{name}: {weights} loaded strictly ({result}); max |difference| {difference:.3g}: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


def main(args):
    if len(args) == 2 and args[0] == "state-dicts":
        write_state_dicts(args[1])
        return 0
    if len(args) == 2 and args[0] == "golden":
        write_golden(args[1])
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
