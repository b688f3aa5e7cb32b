"""Reference-style PyTorch timing of the same training steps as `dotnet run -c Release --project benchmarks -- steps W`.

PreActResNet-18 as in erichson/NFM (src/cifar_models/preresnet.py), a mixer written the way its _noise/mixup code is,
SGD(0.1, momentum 0.9, wd 5e-4), batch 128, random inputs. Cases are timed interleaved; prints medians in ms.
Usage: python3 step_timing.py [width=16|64|grey] [rounds=9] [threads=all cores]    (Debian: apt-get install -y python3-torch)
"""
import os, statistics, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class PreActBlock(nn.Module):
    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False))

    def forward(self, x):
        out = F.relu(self.bn1(x))
        shortcut = self.shortcut(out) if hasattr(self, 'shortcut') else x
        out = self.conv1(out)
        out = self.conv2(F.relu(self.bn2(out)))
        return out + shortcut


class PreActResNet18(nn.Module):
    def __init__(self, width=64, num_classes=10):
        super().__init__()
        self.in_planes = width
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.layer1 = self._make(width, 1)
        self.layer2 = self._make(2 * width, 2)
        self.layer3 = self._make(4 * width, 2)
        self.layer4 = self._make(8 * width, 2)
        self.linear = nn.Linear(8 * width, num_classes)

    def _make(self, planes, stride):
        layers = []
        for s in [stride, 1]:
            layers.append(PreActBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def stages(self):
        return [lambda x: self.layer1(self.conv1(x)), self.layer2, self.layer3,
                lambda x: self.linear(F.adaptive_avg_pool2d(self.layer4(x), 1).flatten(1))]

    def forward(self, x, k=0, mix=None):
        for i, stage in enumerate(self.stages()):
            if i == k and mix is not None:
                x = mix(x)
            x = stage(x)
        return x


class SmallConvNet(nn.Module):
    def __init__(self, width=32):
        super().__init__()
        block = lambda i, o: nn.Sequential(nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU(), nn.MaxPool2d(2))
        self.block1, self.block2 = block(1, width), block(width, 2 * width)
        self.hidden = nn.Sequential(nn.Linear(2 * width * 49, 128), nn.ReLU())
        self.classifier = nn.Linear(128, 10)

    def stages(self):
        return [self.block1, self.block2, lambda x: self.classifier(self.hidden(x.flatten(1)))]

    def forward(self, x, k=0, mix=None):
        for i, stage in enumerate(self.stages()):
            if i == k and mix is not None:
                x = mix(x)
            x = stage(x)
        return x


def make_mix(lam, perm, add, mult):
    def mix(h):
        h = lam * h + (1 - lam) * h[perm]
        if add > 0 or mult > 0:
            h = h * (1 + mult * (2 * torch.rand_like(h) - 1)) + add * torch.randn_like(h)
        return h
    return mix


SCHEMES = {  # name: (alpha, mix points, additive, multiplicative)
    'erm': (0, [0], 0, 0),
    'mixup': (1, [0], 0, 0),
    'manifold-mixup': (1, None, 0, 0),
    'nfm': (1, None, 0.4, 0.2),
}


def step(model, opt, x, y, scheme, points):
    alpha, ks, add, mult = SCHEMES[scheme]
    ks = ks or points
    if alpha > 0:
        k = ks[np.random.randint(len(ks))]
        lam = float(np.random.beta(alpha, alpha))
        perm = torch.randperm(x.size(0))
        add_s = add * np.random.beta(2, 5) if add else 0
        mult_s = mult * np.random.beta(2, 5) if mult else 0
        out = model(x, k, make_mix(lam, perm, add_s, mult_s))
        loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[perm])
        pred = out.argmax(1)
        correct = lam * pred.eq(y).sum() + (1 - lam) * pred.eq(y[perm]).sum()
    else:
        out = model(x)
        loss = F.cross_entropy(out, y)
        correct = out.argmax(1).eq(y).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item(), float(correct)


def main():
    which = sys.argv[1] if len(sys.argv) > 1 else '16'
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 9
    # Debian's build starts with one intra-op thread here; use every core, as TorchSharp does, for a fair comparison.
    torch.set_num_threads(int(sys.argv[3]) if len(sys.argv) > 3 else os.cpu_count())
    torch.manual_seed(0)
    np.random.seed(0)
    print(f'torch {torch.__version__}, threads intra {torch.get_num_threads()} inter {torch.get_num_interop_threads()}')
    cases = []
    for scheme in SCHEMES:
        if which == 'grey':
            model, x, points = SmallConvNet(), torch.randn(128, 1, 28, 28), [0, 1, 2]
        else:
            model, x, points = PreActResNet18(int(which)), torch.randn(128, 3, 32, 32), [0, 1, 2, 3]
        y = torch.randint(0, 10, (128,))
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
        model.train()
        cases.append((scheme, model, opt, x, y, points))
    warmup = 1 if which == '64' else 3
    times = {c[0]: [] for c in cases}
    for r in range(warmup + rounds):
        for scheme, model, opt, x, y, points in cases:
            t = time.perf_counter()
            step(model, opt, x, y, scheme, points)
            if r >= warmup:
                times[scheme].append((time.perf_counter() - t) * 1000)
    first = statistics.median(times['erm'])
    print(f'| case | median ms | min ms | max ms | n | / first |')
    for scheme, ts in times.items():
        print(f'| {scheme} | {statistics.median(ts):.1f} | {min(ts):.1f} | {max(ts):.1f} | {len(ts)} | {statistics.median(ts) / first:.3f} |')


if __name__ == '__main__':
    main()
