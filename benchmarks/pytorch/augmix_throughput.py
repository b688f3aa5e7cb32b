"""torchvision 0.14's transforms.AugMix per image on one thread, beside `dotnet run -c Release --project benchmarks -- augmix`.

As alike as the two allow: one mixed view per call, 32x32 RGB uint8 images (random pixels), severity 3, mixture width 3,
chain depth 1-3 at random, Dirichlet/Beta(1) weights, all_ops=False (the same nine operations as the reference's
default list). The differences: torchvision draws each magnitude from the lowest `severity` of 10 bins of an operation's
range (the reference draws a level uniformly from [0.1, severity)); it resamples shear, translate and rotate with
nearest interpolation by default (the reference: PIL's bilinear); it runs on tensors, not PIL images, and returns the
mixture as uint8 pixels, where the reference (and NfmGen) return normalised floats. Prints images/s per round and the median.
Usage: python3 augmix_throughput.py [rounds=5] [per_round=512]    (Debian: apt-get install -y python3-torchvision)
"""
import statistics
import sys
import time

import torch
from torchvision import transforms

torch.set_num_threads(1)
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
per_round = int(sys.argv[2]) if len(sys.argv) > 2 else 512
generator = torch.Generator().manual_seed(5)
images = torch.randint(0, 256, (256, 3, 32, 32), dtype=torch.uint8, generator=generator)
augmix = transforms.AugMix(severity=3, mixture_width=3, chain_depth=-1, alpha=1.0, all_ops=False)
torch.manual_seed(1)
for i in range(64):  # warm-up
    augmix(images[i % len(images)])
rates = []
for _ in range(rounds):
    start = time.perf_counter()
    for i in range(per_round):
        augmix(images[i % len(images)])
    rates.append(per_round / (time.perf_counter() - start))
print('torchvision AugMix images/s per round: ' + ', '.join(f'{rate:.0f}' for rate in rates))
print(f'torchvision augmix images/s: {statistics.median(rates):.0f} (median), {min(rates):.0f} to {max(rates):.0f}')
