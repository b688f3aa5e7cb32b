#!/usr/bin/python3
"""Golden data for NfmGen's Puzzle Mix, from a transcription of the reference code.

This is not the reference code. It transcribes, statement by statement, the parts of snu-mllab/PuzzleMix `mixup.py`
(commit 7eba27e86fb053950f48c3935bdac8c1274e7c89) that turn a batch into Puzzle Mix's graph-cut costs and that turn a
mask into the mixed batch:

    cost_matrix, neigh_penalty      as written (device='cpu')
    mixup_graph                     split in two at the graph cut: `graph_costs` is everything before the
                                    `graphcut_multi` calls (unary terms, neigh_penalty, the unary corrections, pw);
                                    `mix_with_mask` is everything after (adversarial noise, transport, final mix)
    graphcut_multi                  everything before the gco call: the int32 unary_cost, pw_x, pw_y and the float32
                                    pairwise_cost that `gco.cut_grid_graph(..., algorithm='swap')` receives
    mask_transport, transport_image as written, with the hard-coded 3 channels generalised to C (marked)

gco (pygco) is not installable here, so the mask that gco would return is an input: a seeded random label grid,
turned into a mask as `graphcut_multi` does (1 - label / (n_labels - 1)). Needs Debian's PyTorch (torch 1.13) and
NumPy 1.x (value-based casting, as in the reference's days); run with /usr/bin/python3. The tests never need Python.

    puzzlemix_reference.py golden OUTDIR    write OUTDIR/<case>.npz for the cases below

Inputs are made from integers so that both sides get the same bits (tests/NfmGen.Tests/Mixing/PuzzleMix/
GoldenPuzzleMix.cs makes them with the same torch operations): for a tensor of shape `shape` and a salt, with i the
flat index, k = ((i * 2654435761 + salt) mod 2^32) div 2^24, an integer in [0, 255]; pixels are k / 255 (float32),
normalised as (x - mean) / std; the saliency is k^3 / 2^24; the adversarial noise (k - 128) / 2048.
"""

import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

device = 'cpu'


# ---- transcribed from mixup.py --------------------------------------------------------------------------------------

def cost_matrix(width, device='cuda'):
    '''transport cost'''
    C = np.zeros([width**2, width**2], dtype=np.float32)

    for m_i in range(width**2):
        i1 = m_i // width
        j1 = m_i % width
        for m_j in range(width**2):
            i2 = m_j // width
            j2 = m_j % width
            C[m_i, m_j] = abs(i1 - i2)**2 + abs(j1 - j2)**2

    C = C / (width - 1)**2
    C = torch.tensor(C)
    if device == 'cuda':
        C = C.cuda()

    return C


cost_matrix_dict = {
    '2': cost_matrix(2, device).unsqueeze(0),
    '4': cost_matrix(4, device).unsqueeze(0),
    '8': cost_matrix(8, device).unsqueeze(0),
    '16': cost_matrix(16, device).unsqueeze(0)
}


def graphcut_multi_costs(unary1, unary2, pw_x, pw_y, alpha, beta, eta, n_labels=2, eps=1e-8):
    '''graphcut_multi up to (not including) the gco call: returns what gco.cut_grid_graph receives'''
    block_num = unary1.shape[0]

    large_val = 1000 * block_num**2

    if n_labels == 2:
        prior = np.array([-np.log(alpha + eps), -np.log(1 - alpha + eps)])
    elif n_labels == 3:
        prior = np.array([
            -np.log(alpha**2 + eps), -np.log(2 * alpha * (1 - alpha) + eps),
            -np.log((1 - alpha)**2 + eps)
        ])
    elif n_labels == 4:
        prior = np.array([
            -np.log(alpha**3 + eps), -np.log(3 * alpha**2 * (1 - alpha) + eps),
            -np.log(3 * alpha * (1 - alpha)**2 + eps), -np.log((1 - alpha)**3 + eps)
        ])

    prior = eta * prior / block_num**2
    unary_cost = (large_val * np.stack([(1 - lam) * unary1 + lam * unary2 + prior[i]
                                        for i, lam in enumerate(np.linspace(0, 1, n_labels))],
                                       axis=-1)).astype(np.int32)
    pairwise_cost = np.zeros(shape=[n_labels, n_labels], dtype=np.float32)

    for i in range(n_labels):
        for j in range(n_labels):
            pairwise_cost[i, j] = (i - j)**2 / (n_labels - 1)**2

    pw_x = (large_val * (pw_x + beta)).astype(np.int32)
    pw_y = (large_val * (pw_y + beta)).astype(np.int32)
    # Here the reference calls gco.cut_grid_graph(unary_cost, pairwise_cost, pw_x, pw_y, algorithm='swap').
    return unary_cost, pairwise_cost, pw_x, pw_y


def neigh_penalty(input1, input2, k):
    '''data local smoothness term'''
    pw_x = input1[:, :, :-1, :] - input2[:, :, 1:, :]
    pw_y = input1[:, :, :, :-1] - input2[:, :, :, 1:]

    pw_x = pw_x[:, :, k - 1::k, :]
    pw_y = pw_y[:, :, :, k - 1::k]

    pw_x = F.avg_pool2d(pw_x.abs().mean(1), kernel_size=(1, k))
    pw_y = F.avg_pool2d(pw_y.abs().mean(1), kernel_size=(k, 1))

    return pw_x, pw_y


def graph_costs(input1, grad1, indices, block_num, alpha, beta, gamma, eta, neigh_size, n_labels, mean, std):
    '''mixup_graph from its start to the graphcut_multi calls, with the arrays they receive returned'''
    input2 = input1[indices].clone()

    batch_size, _, _, width = input1.shape
    block_size = width // block_num
    neigh_size = min(neigh_size, block_size)

    # normalize
    beta = beta / block_num / 16

    # unary term
    grad1_pool = F.avg_pool2d(grad1, block_size)
    unary1_torch = grad1_pool / grad1_pool.reshape(batch_size, -1).sum(1).reshape(batch_size, 1, 1)
    unary2_torch = unary1_torch[indices]

    # calculate pairwise terms
    input1_pool = F.avg_pool2d(input1 * std + mean, neigh_size)
    input2_pool = input1_pool[indices]

    pw_x = torch.zeros([batch_size, 2, 2, block_num - 1, block_num], device=device)
    pw_y = torch.zeros([batch_size, 2, 2, block_num, block_num - 1], device=device)

    k = block_size // neigh_size

    pw_x[:, 0, 0], pw_y[:, 0, 0] = neigh_penalty(input2_pool, input2_pool, k)
    pw_x[:, 0, 1], pw_y[:, 0, 1] = neigh_penalty(input2_pool, input1_pool, k)
    pw_x[:, 1, 0], pw_y[:, 1, 0] = neigh_penalty(input1_pool, input2_pool, k)
    pw_x[:, 1, 1], pw_y[:, 1, 1] = neigh_penalty(input1_pool, input1_pool, k)

    pw_x = beta * gamma * pw_x
    pw_y = beta * gamma * pw_y

    # re-define unary and pairwise terms to draw graph
    unary1 = unary1_torch.clone()
    unary2 = unary2_torch.clone()

    unary2[:, :-1, :] += (pw_x[:, 1, 0] + pw_x[:, 1, 1]) / 2.
    unary1[:, :-1, :] += (pw_x[:, 0, 1] + pw_x[:, 0, 0]) / 2.
    unary2[:, 1:, :] += (pw_x[:, 0, 1] + pw_x[:, 1, 1]) / 2.
    unary1[:, 1:, :] += (pw_x[:, 1, 0] + pw_x[:, 0, 0]) / 2.

    unary2[:, :, :-1] += (pw_y[:, 1, 0] + pw_y[:, 1, 1]) / 2.
    unary1[:, :, :-1] += (pw_y[:, 0, 1] + pw_y[:, 0, 0]) / 2.
    unary2[:, :, 1:] += (pw_y[:, 0, 1] + pw_y[:, 1, 1]) / 2.
    unary1[:, :, 1:] += (pw_y[:, 1, 0] + pw_y[:, 0, 0]) / 2.

    pw_x = (pw_x[:, 1, 0] + pw_x[:, 0, 1] - pw_x[:, 1, 1] - pw_x[:, 0, 0]) / 2
    pw_y = (pw_y[:, 1, 0] + pw_y[:, 0, 1] - pw_y[:, 1, 1] - pw_y[:, 0, 0]) / 2

    unary1 = unary1.detach().cpu().numpy()
    unary2 = unary2.detach().cpu().numpy()
    pw_x = pw_x.detach().cpu().numpy()
    pw_y = pw_y.detach().cpu().numpy()

    # solve graphcut: the arguments of each graphcut_multi call, and what it hands gco
    costs = [graphcut_multi_costs(unary2[i], unary1[i], pw_x[i], pw_y[i], alpha, beta, eta, n_labels)
             for i in range(batch_size)]
    return unary1, unary2, pw_x, pw_y, costs


def mix_with_mask(input1, grad1, indices, mask, block_num, t_size, t_eps, transport, mean, std,
                  noise=None, adv_mask1=0, adv_mask2=0):
    '''mixup_graph from "optimal mask" to its end, with the mask given (the graph cut's labels as a mask)'''
    input2 = input1[indices].clone()
    batch_size, _, _, width = input1.shape
    block_size = width // block_num
    t_size = min(t_size, block_size)
    grad1_pool = F.avg_pool2d(grad1, block_size)
    unary1_torch = grad1_pool / grad1_pool.reshape(batch_size, -1).sum(1).reshape(batch_size, 1, 1)
    unary2_torch = unary1_torch[indices]

    # optimal mask
    mask = torch.tensor(mask, dtype=torch.float32, device=device)
    mask = mask.unsqueeze(1)

    # add adversarial noise
    if adv_mask1 == 1.:
        input1 = input1 * std + mean + noise
        input1 = torch.clamp(input1, 0, 1)
        input1 = (input1 - mean) / std

    if adv_mask2 == 1.:
        input2 = input2 * std + mean + noise[indices]
        input2 = torch.clamp(input2, 0, 1)
        input2 = (input2 - mean) / std

    plan1 = plan2 = None
    # tranport
    if transport:
        if t_size == -1:
            t_block_num = block_num
            t_size = block_size
        elif t_size < block_size:
            # block_size % t_size should be 0
            t_block_num = width // t_size
            mask = F.interpolate(mask, size=t_block_num)
            grad1_pool = F.avg_pool2d(grad1, t_size)
            unary1_torch = grad1_pool / grad1_pool.reshape(batch_size, -1).sum(1).reshape(
                batch_size, 1, 1)
            unary2_torch = unary1_torch[indices]
        else:
            t_block_num = block_num

        # input1
        plan1 = plan = mask_transport(mask, unary1_torch, eps=t_eps)
        input1 = transport_image(input1, plan, batch_size, t_block_num, t_size)

        # input2
        plan2 = plan = mask_transport(1 - mask, unary2_torch, eps=t_eps)
        input2 = transport_image(input2, plan, batch_size, t_block_num, t_size)

    # final mask and mixed ratio
    mask = F.interpolate(mask, size=width)
    ratio = mask.reshape(batch_size, -1).mean(-1)

    return mask * input1 + (1 - mask) * input2, ratio, plan1, plan2, input1, input2


def mask_transport(mask, grad_pool, eps=0.01):
    '''optimal transport plan'''
    batch_size = mask.shape[0]
    block_num = mask.shape[-1]

    n_iter = int(block_num)
    C = cost_matrix_dict[str(block_num)]

    z = (mask > 0).float()
    cost = eps * C - grad_pool.reshape(-1, block_num**2, 1) * z.reshape(-1, 1, block_num**2)

    # row and col
    for _ in range(n_iter):
        row_best = cost.min(-1)[1]
        plan = torch.zeros_like(cost).scatter_(-1, row_best.unsqueeze(-1), 1)

        # column resolve
        cost_fight = plan * cost
        col_best = cost_fight.min(-2)[1]
        plan_win = torch.zeros_like(cost).scatter_(-2, col_best.unsqueeze(-2), 1) * plan
        plan_lose = (1 - plan_win) * plan

        cost += plan_lose

    return plan_win


def transport_image(img, plan, batch_size, block_num, block_size):
    '''apply transport plan to images'''
    channels = img.shape[1]  # generalised: the reference writes 3 for channels below
    input_patch = img.reshape([batch_size, channels, block_num, block_size,
                               block_num * block_size]).transpose(-2, -1)
    input_patch = input_patch.reshape([batch_size, channels, block_num, block_num, block_size,
                                       block_size]).transpose(-2, -1)
    input_patch = input_patch.reshape([batch_size, channels, block_num**2, block_size,
                                       block_size]).permute(0, 1, 3, 4, 2).unsqueeze(-1)

    input_transport = plan.transpose(
        -2, -1).unsqueeze(1).unsqueeze(1).unsqueeze(1).matmul(input_patch).squeeze(-1).permute(
            0, 1, 4, 2, 3)
    input_transport = input_transport.reshape(
        [batch_size, channels, block_num, block_num, block_size, block_size])
    input_transport = input_transport.transpose(-2, -1).reshape(
        [batch_size, channels, block_num, block_num * block_size, block_size])
    input_transport = input_transport.transpose(-2, -1).reshape(
        [batch_size, channels, block_num * block_size, block_num * block_size])

    return input_transport


# ---- the golden cases (not reference code) --------------------------------------------------------------------------

def integers(shape, salt):
    '''k in [0, 255] from each element's flat index and a salt, in int64 (the formula in the module docstring)'''
    count = int(np.prod(shape))
    index = torch.arange(count, dtype=torch.int64)
    value = torch.remainder(index * 2654435761 + salt, 2**32)
    return torch.div(value, 2**24, rounding_mode='floor').reshape(shape)


CIFAR_MEAN, CIFAR_STD = [0.4914, 0.4822, 0.4465], [0.2023, 0.1994, 0.2010]
GREY_MEAN, GREY_STD = [0.2860], [0.3530]

# name, channels, block_num, n_labels, lambda, t_size, adversarial noise (own and partner), permutation seed
CASES = [
    ('b2_c3', 3, 2, 3, 0.37, 4, False, 11),
    ('b4_c3', 3, 4, 3, 0.81, 4, False, 12),
    ('b8_c3_n4', 3, 8, 4, 0.5, 4, False, 13),
    ('b16_c3', 3, 16, 3, 0.12, 4, False, 14),
    ('b4_c1_n2_adv', 1, 4, 2, 0.63, -1, True, 15),
]
BATCH, SIDE = 4, 32
ETA, BETA, GAMMA, NEIGH, T_EPS = 0.2, 1.2, 0.5, 4, 0.8


def golden_case(name, channels, block_num, n_labels, lam, t_size, adversarial, seed):
    mean_list, std_list = (CIFAR_MEAN, CIFAR_STD) if channels == 3 else (GREY_MEAN, GREY_STD)
    mean = torch.tensor(mean_list, dtype=torch.float32).reshape(1, channels, 1, 1)
    std = torch.tensor(std_list, dtype=torch.float32).reshape(1, channels, 1, 1)
    pixels = integers([BATCH, channels, SIDE, SIDE], salt=seed).float() / 255
    inputs = (pixels - mean) / std
    k = integers([BATCH, SIDE, SIDE], salt=seed + 1000)
    saliency = (k * k * k).float() / 2**24
    noise = (integers([BATCH, channels, SIDE, SIDE], salt=seed + 2000).float() - 128) / 2048
    generator = torch.Generator().manual_seed(seed)
    indices = torch.randperm(BATCH, generator=generator)
    labels = torch.randint(0, n_labels, [BATCH, block_num, block_num], generator=generator).numpy().astype(np.int32)

    unary_own, unary_partner, pw_x_float, pw_y_float, costs = graph_costs(
        inputs, saliency, indices, block_num, lam, BETA, GAMMA, ETA, NEIGH, n_labels, mean, std)
    # graphcut_multi's mask from gco's labels: labels = 1.0 - gco_labels / (n_labels - 1), reshaped to the grid
    mask = [1.0 - labels[i].reshape(-1) / (n_labels - 1) for i in range(BATCH)]
    mask = [m.reshape(block_num, block_num) for m in mask]
    mixed, ratio, plan1, plan2, transported1, transported2 = mix_with_mask(
        inputs, saliency, indices, mask, block_num, t_size, T_EPS, True, mean, std,
        noise=noise, adv_mask1=1 if adversarial else 0, adv_mask2=1 if adversarial else 0)

    return dict(
        channels=np.int32(channels), block_num=np.int32(block_num), n_labels=np.int32(n_labels),
        lam=np.float64(lam), t_size=np.int32(t_size), adversarial=np.int32(adversarial),
        eta=np.float64(ETA), beta=np.float64(BETA), gamma=np.float64(GAMMA), neigh_size=np.int32(NEIGH),
        t_eps=np.float64(T_EPS), salt=np.int32(seed), mean=np.array(mean_list, dtype=np.float32),
        std=np.array(std_list, dtype=np.float32), indices=indices.numpy().astype(np.int64), labels=labels,
        unary_own=unary_own, unary_partner=unary_partner, pw_x_float=pw_x_float, pw_y_float=pw_y_float,
        unary_cost=np.stack([c[0] for c in costs]), pairwise_cost=costs[0][1],
        pw_x=np.stack([c[2] for c in costs]), pw_y=np.stack([c[3] for c in costs]),
        plan1=plan1.numpy(), plan2=plan2.numpy(), transported1=transported1.numpy(),
        transported2=transported2.numpy(), mixed=mixed.numpy(), ratio=ratio.numpy())


def main(argv):
    if len(argv) != 3 or argv[1] != 'golden':
        print(__doc__)
        return 2
    out = Path(argv[2])
    out.mkdir(parents=True, exist_ok=True)
    assert np.__version__.startswith('1.'), 'NumPy 1.x needed: the reference relies on its value-based casting'
    for case in CASES:
        arrays = golden_case(*case)
        temporary = out / (case[0] + '.tmp.npz')
        np.savez_compressed(temporary, **arrays)
        temporary.replace(out / (case[0] + '.npz'))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
