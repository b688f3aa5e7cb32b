#!/usr/bin/python3
"""Golden data for NfmGen's AugMix and NoisyMix, from a transcription of the reference code.

This is not the reference code. It transcribes, statement by statement, the parts that NfmGen reimplements:

    google-research/augmix (Hendrycks et al., ICLR 2020; commit 9b9824c7c19bf7e72df2d085d97b99b3bfb00ba4, Apache 2.0)
      augmentations.py   int_parameter, float_parameter, sample_level and the thirteen operations
      cifar.py           aug (the mixture of `width` chains) and train's JSD consistency loss
    erichson/NoisyMix (Erichson et al., 2022; commit f76352ee321d3fd2c1648217ee4822a52109cb90)
      src/noisy_mixup.py _noise and do_noisy_mixup with jsd=1 (the three views)

One change, marked where it is made: the random draws (np.random.uniform, np.random.choice, np.random.dirichlet,
np.random.beta, torch.randperm and the noise tensors) are arguments, so that the C# side can be given the same numbers.
Each operation runs on Debian's Pillow (python3-pil 9.4), whose C code is what the C# side must match pixel for pixel.

Needs apt-get install -y python3-pil python3-torch; run with /usr/bin/python3. The tests never need Python: they read
the file that this command wrote.

    augmix_reference.py golden OUT.npz
"""
import math
import sys

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageEnhance, ImageOps


# --- augmentations.py, with the sampled level passed in -------------------------------------------------------------

def int_parameter(level, maxval):
    return int(level * maxval / 10)


def float_parameter(level, maxval):
    return float(level) * maxval / 10.


def sample_level(n, u):
    # Changed: np.random.uniform(low=0.1, high=n) with its uniform draw u in [0, 1) given (numpy: low + (high-low)*u).
    return 0.1 + (n - 0.1) * u


def parameters(op, severity, u, image_size):
    """What each operation's sample_level and scaling make of the uniform draw u (before the sign's coin)."""
    level = sample_level(severity, u)
    return {
        'posterize': 4 - int_parameter(level, 4),
        'rotate': int_parameter(level, 30),
        'solarize': 256 - int_parameter(level, 256),
        'shear': float_parameter(level, 0.3),
        'translate': int_parameter(level, image_size / 3),
        'enhance': float_parameter(level, 1.8) + 0.1,
    }[op]


# The operations with their parameter given (already scaled and signed), each as augmentations.py applies it.
def autocontrast(img, _):
    return ImageOps.autocontrast(img)


def equalize(img, _):
    return ImageOps.equalize(img)


def posterize(img, bits):
    return ImageOps.posterize(img, bits)


def rotate(img, degrees):
    return img.rotate(degrees, resample=Image.BILINEAR)


def solarize(img, threshold):
    return ImageOps.solarize(img, threshold)


def shear_x(img, level):
    return img.transform(img.size, Image.AFFINE, (1, level, 0, 0, 1, 0), resample=Image.BILINEAR)


def shear_y(img, level):
    return img.transform(img.size, Image.AFFINE, (1, 0, 0, level, 1, 0), resample=Image.BILINEAR)


def translate_x(img, level):
    return img.transform(img.size, Image.AFFINE, (1, 0, level, 0, 1, 0), resample=Image.BILINEAR)


def translate_y(img, level):
    return img.transform(img.size, Image.AFFINE, (1, 0, 0, 0, 1, level), resample=Image.BILINEAR)


def color(img, factor):
    return ImageEnhance.Color(img).enhance(factor)


def contrast(img, factor):
    return ImageEnhance.Contrast(img).enhance(factor)


def brightness(img, factor):
    return ImageEnhance.Brightness(img).enhance(factor)


def sharpness(img, factor):
    return ImageEnhance.Sharpness(img).enhance(factor)


# augmentations_all's order; augmentations is its first nine.
OPERATIONS = [autocontrast, equalize, posterize, rotate, solarize, shear_x, shear_y, translate_x, translate_y,
              color, contrast, brightness, sharpness]

# Parameters that each operation meets at severities 1 to 10 (both signs where augmentations.py flips a coin).
SETTINGS = {
    'autocontrast': [0],
    'equalize': [0],
    'posterize': [0, 1, 2, 3, 4],
    'rotate': [-30, -17, -8, -3, -1, 0, 1, 2, 5, 8, 13, 29],
    'solarize': [0, 1, 26, 103, 128, 180, 230, 256],
    'shear_x': [-0.3, -0.21, -0.09, -0.003, 0.0, 0.003, 0.029999999999999999, 0.0873, 0.189, 0.3],
    'shear_y': [-0.3, -0.21, -0.09, -0.003, 0.003, 0.0873, 0.189, 0.3],
    'translate_x': [-10, -7, -3, -1, 0, 1, 2, 5, 9],
    'translate_y': [-10, -7, -3, -1, 0, 1, 2, 5, 9],
    'color': [0.1, 0.154, 0.73, 1.0, 1.27, 1.9],
    'contrast': [0.1, 0.154, 0.73, 1.0, 1.27, 1.9],
    'brightness': [0.1, 0.154, 0.73, 1.0, 1.27, 1.9],
    'sharpness': [0.1, 0.154, 0.73, 1.0, 1.27, 1.9],
}


def images(rng):
    """Test images, HWC uint8: noise, a smooth low-contrast gradient (autocontrast, equalize), a Fashion-MNIST-like
    grey image, and an image of few levels."""
    noise = rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:32, 0:32]
    gradient = np.stack([60 + xx * 2, 80 + yy, 100 + (xx + yy) // 2], axis=-1).astype(np.uint8)
    grey = np.clip(rng.normal(90, 60, (28, 28)), 0, 255).astype(np.uint8)
    grey[:4] = 0
    levels = (rng.integers(0, 4, (32, 32, 3)) * 60 + 20).astype(np.uint8)
    return [noise, gradient, grey, levels]


def pil(array):
    return Image.fromarray(array, 'L' if array.ndim == 2 else 'RGB')


# --- cifar.py's aug, with its draws given -----------------------------------------------------------------------------

def preprocess(img, mean, std):
    # transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])
    x = torch.from_numpy(np.asarray(img, dtype=np.uint8).copy())
    x = (x.unsqueeze(-1) if x.dim() == 2 else x).permute(2, 0, 1).contiguous().float().div(255)
    m = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
    s = torch.tensor(std, dtype=torch.float32).view(-1, 1, 1)
    return x.sub(m).div(s)


def aug(image, chains, ws, m, mean, std):
    """Changed: ws (np.random.dirichlet), m (np.random.beta) and each chain's operations with their parameters
    (np.random.randint, np.random.choice and each operation's own draws) are given."""
    ws = np.float32(ws)
    m = np.float32(m)
    mix = torch.zeros_like(preprocess(image, mean, std))
    for i, chain in enumerate(chains):
        image_aug = image.copy()
        for op, parameter in chain:
            image_aug = OPERATIONS[op](image_aug, parameter)
        mix += ws[i] * preprocess(image_aug, mean, std)
    mixed = (1 - m) * preprocess(image, mean, std) + m * mix
    return mixed


# --- cifar.py's train: the JSD consistency loss -----------------------------------------------------------------------

def jsd_loss(logits_all, targets, weight):
    logits_clean, logits_aug1, logits_aug2 = torch.split(logits_all, targets.size(0))
    loss = F.cross_entropy(logits_clean, targets)
    p_clean, p_aug1, p_aug2 = F.softmax(logits_clean, dim=1), F.softmax(logits_aug1, dim=1), F.softmax(logits_aug2, dim=1)
    p_mixture = torch.clamp((p_clean + p_aug1 + p_aug2) / 3., 1e-7, 1).log()
    consistency = (F.kl_div(p_mixture, p_clean, reduction='batchmean') + F.kl_div(p_mixture, p_aug1, reduction='batchmean')
                   + F.kl_div(p_mixture, p_aug2, reduction='batchmean')) / 3.
    return loss, loss + weight * consistency


# --- NoisyMix's src/noisy_mixup.py, jsd=1 ----------------------------------------------------------------------------

def noise(x, add_noise_level, mult_noise_level, sparse_level, draws):
    """Changed: the Beta(2, 5) factors and the noise tensors are given (draws: add_beta, normal, add_sparse,
    mult_beta, uniform, mult_sparse); the CUDA device is the CPU."""
    add_noise = 0.0
    mult_noise = 1.0
    if add_noise_level > 0.0:
        add_noise = add_noise_level * draws['add_beta'] * draws['normal'].clone()
        sparse = draws['add_sparse']
        add_noise[sparse < sparse_level] = 0
    if mult_noise_level > 0.0:
        mult_noise = mult_noise_level * draws['mult_beta'] * (2 * draws['uniform'] - 1) + 1
        sparse = draws['mult_sparse']
        mult_noise[sparse < sparse_level] = 1.0
    return mult_noise * x + add_noise


def do_noisy_mixup_jsd(x, y, lam, index, add_noise_level, mult_noise_level, sparse_level, view_draws):
    """Changed: lam (np.random.beta) and index (torch.randperm(q)) are given, with each view's noise draws."""
    kk = 0
    q = int(x.shape[0] / 3)
    for i in range(1, 4):
        x[kk:kk + q] = lam * x[kk:kk + q] + (1 - lam) * x[kk:kk + q][index]
        x[kk:kk + q] = noise(x[kk:kk + q], add_noise_level * i, mult_noise_level, sparse_level, view_draws[i - 1])
        kk += q
    return x, y, y[index], lam


def golden(path):
    rng = np.random.default_rng(20200101)
    out = {}
    pictures = images(rng)
    for p, array in enumerate(pictures):
        out[f'image_{p}'] = array
        for op_index, op in enumerate(OPERATIONS):
            for s, setting in enumerate(SETTINGS[op.__name__]):
                out[f'op_{p}_{op.__name__}_{s}'] = np.asarray(op(pil(array), setting), dtype=np.uint8)
    for name, values in SETTINGS.items():
        out[f'setting_{name}'] = np.asarray(values, dtype=np.float64)

    # The scaling of a level: u draws at severities 1, 3 and 10, for 32- and 224-pixel images.
    us = np.concatenate([[0.0, 0.5, 0.999999], rng.random(61)])
    for severity in (1, 3, 10):
        for size in (28, 32, 224):
            for op in ('posterize', 'rotate', 'solarize', 'shear', 'translate', 'enhance'):
                out[f'level_{op}_{severity}_{size}'] = np.asarray([parameters(op, severity, u, size) for u in us], dtype=np.float64)
    out['level_u'] = us

    # Mixtures of chains, with the dataset normalisations of CIFAR-style [0.5] and of Fashion-MNIST-style grey images.
    for case in range(6):
        array = pictures[case % len(pictures)]
        grey = array.ndim == 2
        mean, std = ([0.2860], [0.3530]) if grey else ([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616])
        width = 1 + case % 4
        ws = rng.dirichlet([1] * width)
        m = rng.beta(1, 1)
        ops, parameters_ = [], []
        chains = []
        for _ in range(width):
            depth = int(rng.integers(1, 4))
            chain = []
            for _ in range(depth):
                op = int(rng.integers(0, 13))
                name = OPERATIONS[op].__name__
                settings = SETTINGS[name]
                parameter = settings[int(rng.integers(0, len(settings)))]
                chain.append((op, parameter))
            chains.append(chain)
        for chain in chains:
            ops.append([op for op, _ in chain] + [-1] * (3 - len(chain)))
            parameters_.append([parameter for _, parameter in chain] + [0.0] * (3 - len(chain)))
        out[f'mix_{case}_image'] = np.asarray(case % len(pictures))
        out[f'mix_{case}_ws'] = np.asarray(ws, dtype=np.float64)
        out[f'mix_{case}_m'] = np.asarray(m, dtype=np.float64)
        out[f'mix_{case}_ops'] = np.asarray(ops, dtype=np.int64)
        out[f'mix_{case}_parameters'] = np.asarray(parameters_, dtype=np.float64)
        out[f'mix_{case}_mean'] = np.asarray(mean, dtype=np.float64)
        out[f'mix_{case}_std'] = np.asarray(std, dtype=np.float64)
        out[f'mix_{case}_mixed'] = aug(pil(array), chains, ws, m, mean, std).numpy()

    # The JSD loss on logits of the three views, confident and not.
    torch.manual_seed(7)
    for case, (batch, classes, scale) in enumerate([(4, 10, 1.0), (6, 3, 8.0), (5, 100, 3.0)]):
        logits = (torch.randn(3 * batch, classes, dtype=torch.float64) * scale)
        targets = torch.randint(0, classes, (batch,))
        ce, total = jsd_loss(logits, targets, 12.0)
        out[f'jsd_{case}_logits'] = logits.numpy()
        out[f'jsd_{case}_targets'] = targets.numpy()
        out[f'jsd_{case}_ce'] = np.asarray(ce.item())
        out[f'jsd_{case}_loss'] = np.asarray(total.item())

    # NoisyMix's mixing of three views of 4 samples, features [12, 2, 3], without noise: its noise is checked by its
    # statistics on the C# side, whose generators draw other numbers than these would.
    q = 4
    x = torch.randn(3 * q, 2, 3, dtype=torch.float64)
    y = torch.arange(q)
    lam, index = 0.375, torch.tensor([2, 0, 3, 1])
    out['noisymix_x'] = x.numpy().copy()
    out['noisymix_lambda'] = np.asarray(lam)
    out['noisymix_index'] = index.numpy()
    mixed_only, _, _, _ = do_noisy_mixup_jsd(x.clone(), y, lam, index, 0.0, 0.0, 0.65, [None] * 3)
    out['noisymix_mixed_only'] = mixed_only.numpy()
    np.savez(path, **out)


if __name__ == '__main__':
    if len(sys.argv) != 3 or sys.argv[1] != 'golden':
        sys.exit(__doc__)
    golden(sys.argv[2])
