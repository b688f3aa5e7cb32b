#!/usr/bin/python3
"""torchvision's ImageFolder + DataLoader on a folder, ImageNet's training transform, for the side-by-side in
docs/performance.md (benchmarks/folder_side_by_side.sh runs it alternately with NfmGen's loader).

    /usr/bin/python3 benchmarks/pytorch/folder_pipeline.py DIR [epochs] [workers] [batch]

Decode (PIL), RandomResizedCrop(224), RandomHorizontalFlip, ToTensor, Normalize (ImageNet), batch; shuffled.
One warm-up epoch (starts the persistent workers), then prints images/s of each timed epoch and the CPU time per image
of the main process and its workers together (read from /proc), which a busy machine does not inflate as it does the wall time.
"""
import os
import sys
import time

import torch
from torchvision import datasets, transforms


def main():
    root = sys.argv[1]
    epochs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    batch = int(sys.argv[4]) if len(sys.argv) > 4 else 32
    torch.manual_seed(0)
    transform = transforms.Compose([
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    ])
    data = datasets.ImageFolder(root, transform)
    loader = torch.utils.data.DataLoader(data, batch_size=batch, shuffle=True, num_workers=workers, persistent_workers=workers > 0)
    iterator = iter(loader)  # starts the persistent workers
    for epoch in range(epochs + 1):
        cpu = cpu_seconds(iterator)
        start = time.perf_counter()
        images = sum(inputs.shape[0] for inputs, _ in iterator)
        seconds = time.perf_counter() - start
        cpu = cpu_seconds(iterator) - cpu
        if epoch > 0:
            print(f"torchvision epoch {epoch}: {images} images in {seconds:.2f} s, {images / seconds:.1f} images/s, "
                  f"CPU {1000 * cpu / images:.2f} ms per image")
        iterator = iter(loader)


def cpu_seconds(iterator):
    """User + system seconds of this process and of the loader's worker processes."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = sum(os.times()[:2])
    for worker in getattr(iterator, "_workers", []):
        with open(f"/proc/{worker.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


if __name__ == "__main__":
    main()
