#!/usr/bin/python3
"""Golden data for NfmGen's AutoAttack, from a transcription of the reference code.

This is not the reference code. It transcribes, statement by statement, the parts of fra31/auto-attack (Croce and
Hein, ICML 2020; commit a39220048b3c9f2cca9a4d3a54604793c68eca7e, MIT licence) that the L-inf and L2 `fast` cascade
runs:

    autoattack/autopgd_base.py   APGDAttack: check_oscillation, normalize, dlr_loss, attack_single_run (Linf, L2),
                                 perturb (best_loss=False); APGDAttack_targeted: dlr_loss_targeted, perturb
    autoattack/other_utils.py    L2_norm
    autoattack/autoattack.py     run_standard_evaluation's loop over attacks (clean pass, then each attack on the
                                 points still classified correctly), with the settings set_version('standard')
                                 gives APGD-CE and APGD-T for L-inf and L2: 100 iterations, 1 restart, rho 0.75,
                                 9 target classes

Left out: the L1 norm, EOT, the TensorFlow path, use_largereps, logging and the checks module's warnings (the zero-
gradient check only prints). Two changes, marked where they are made: the random starting points that
attack_single_run draws with torch.rand / torch.randn come from `draw`, which records them, so that the C# side can
be given the same numbers (torch 1.13 and libtorch 2.10 do not draw the same numbers from one seed); and perturb casts
the points to the case's dtype instead of float32, so that float64 cases can check the C# side to 1e-12, where float32
sums in another order (torch 1.13's kernels are not libtorch 2.10's) move an L2 attack's images by about 1e-4.

Needs Debian's PyTorch (apt-get install -y python3-torch); run with /usr/bin/python3. The tests never need Python:
they read the files that this command wrote.

    autoattack_reference.py golden OUTDIR    write OUTDIR/<case>.npz for the cases below

Each case holds the model (a two-layer perceptron on 3x4x4 images, 10 classes: w1, b1, w2, b2), the pixels x
and labels y, the draws in the order they were made (draw_0, draw_1, ...), and what the cascade gave: `flags_clean`,
`flags_apgd-ce`, `flags_apgd-t` (robust after each stage) and `x_adv` (the adversarial images it returns), all in the
case's dtype (float32 or float64).
"""

import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


DRAWS = []
GENERATOR = torch.Generator().manual_seed(0)
DTYPE = torch.float32


def draw(kind, shape):
    """Changed: the random starting point of attack_single_run, recorded for the golden file."""
    values = (torch.rand(shape, generator=GENERATOR) if kind == 'rand' else torch.randn(shape, generator=GENERATOR)).to(DTYPE)
    DRAWS.append(values.clone())
    return values


# ---- transcribed from autoattack/other_utils.py ----------------------------------------------------------------------

def L2_norm(x, keepdim=False):
    z = (x ** 2).view(x.shape[0], -1).sum(-1).sqrt()
    if keepdim:
        z = z.view(-1, *[1]*(len(x.shape) - 1))
    return z


# ---- transcribed from autoattack/autopgd_base.py ---------------------------------------------------------------------

class APGDAttack():
    def __init__(self, predict, n_iter=100, norm='Linf', n_restarts=1, eps=None, seed=0, loss='ce', eot_iter=1,
                 rho=.75, topk=None, verbose=False, device=None, use_largereps=False, is_tf_model=False, logger=None):
        self.model = predict
        self.n_iter = n_iter
        self.eps = eps
        self.norm = norm
        self.n_restarts = n_restarts
        self.seed = seed
        self.loss = loss
        self.eot_iter = eot_iter
        self.thr_decr = rho
        self.topk = topk
        self.verbose = verbose
        self.device = device
        self.use_rs = True
        self.use_largereps = use_largereps
        self.n_iter_orig = n_iter + 0
        self.eps_orig = eps + 0.
        self.is_tf_model = is_tf_model
        self.y_target = None
        self.logger = logger

        assert self.norm in ['Linf', 'L2']
        assert not self.eps is None

        ### set parameters for checkpoints
        self.n_iter_2 = max(int(0.22 * self.n_iter), 1)
        self.n_iter_min = max(int(0.06 * self.n_iter), 1)
        self.size_decr = max(int(0.03 * self.n_iter), 1)

    def init_hyperparam(self, x):
        if self.device is None:
            self.device = x.device
        self.orig_dim = list(x.shape[1:])
        self.ndims = len(self.orig_dim)

    def check_oscillation(self, x, j, k, y5, k3=0.75):
        t = torch.zeros(x.shape[1]).to(self.device)
        for counter5 in range(k):
            t += (x[j - counter5] > x[j - counter5 - 1]).float()

        return (t <= k * k3 * torch.ones_like(t)).float()

    def normalize(self, x):
        if self.norm == 'Linf':
            t = x.abs().view(x.shape[0], -1).max(1)[0]

        elif self.norm == 'L2':
            t = (x ** 2).view(x.shape[0], -1).sum(-1).sqrt()

        return x / (t.view(-1, *([1] * self.ndims)) + 1e-12)

    def dlr_loss(self, x, y):
        x_sorted, ind_sorted = x.sort(dim=1)
        ind = (ind_sorted[:, -1] == y).float()
        u = torch.arange(x.shape[0])

        return -(x[u, y] - x_sorted[:, -2] * ind - x_sorted[:, -1] * (
            1. - ind)) / (x_sorted[:, -1] - x_sorted[:, -3] + 1e-12)

    def attack_single_run(self, x, y, x_init=None):
        if len(x.shape) < self.ndims:
            x = x.unsqueeze(0)
            y = y.unsqueeze(0)

        if self.norm == 'Linf':
            t = 2 * draw('rand', x.shape).to(self.device).detach() - 1  # changed: draw for torch.rand
            x_adv = x + self.eps * torch.ones_like(x
                ).detach() * self.normalize(t)
        elif self.norm == 'L2':
            t = draw('randn', x.shape).to(self.device).detach()  # changed: draw for torch.randn
            x_adv = x + self.eps * torch.ones_like(x
                ).detach() * self.normalize(t)

        x_adv = x_adv.clamp(0., 1.)
        x_best = x_adv.clone()
        x_best_adv = x_adv.clone()
        loss_steps = torch.zeros([self.n_iter, x.shape[0]]
            ).to(self.device)
        loss_best_steps = torch.zeros([self.n_iter + 1, x.shape[0]]
            ).to(self.device)
        acc_steps = torch.zeros_like(loss_best_steps)

        if self.loss == 'ce':
            criterion_indiv = nn.CrossEntropyLoss(reduction='none')
        elif self.loss == 'dlr':
            criterion_indiv = self.dlr_loss
        elif self.loss == 'dlr-targeted':
            criterion_indiv = self.dlr_loss_targeted
        else:
            raise ValueError('unknowkn loss')

        x_adv.requires_grad_()
        grad = torch.zeros_like(x)
        for _ in range(self.eot_iter):
            with torch.enable_grad():
                logits = self.model(x_adv)
                loss_indiv = criterion_indiv(logits, y)
                loss = loss_indiv.sum()

            grad += torch.autograd.grad(loss, [x_adv])[0].detach()

        grad /= float(self.eot_iter)
        grad_best = grad.clone()

        acc = logits.detach().max(1)[1] == y
        acc_steps[0] = acc + 0
        loss_best = loss_indiv.detach().clone()

        alpha = 2. if self.norm in ['Linf', 'L2'] else 1. if self.norm in ['L1'] else 2e-2
        step_size = alpha * self.eps * torch.ones([x.shape[0], *(
            [1] * self.ndims)]).to(self.device).detach()
        x_adv_old = x_adv.clone()
        counter = 0
        k = self.n_iter_2 + 0
        n_fts = math.prod(self.orig_dim)
        counter3 = 0

        loss_best_last_check = loss_best.clone()
        reduced_last_check = torch.ones_like(loss_best)
        n_reduced = 0

        u = torch.arange(x.shape[0], device=self.device)
        for i in range(self.n_iter):
            ### gradient step
            with torch.no_grad():
                x_adv = x_adv.detach()
                grad2 = x_adv - x_adv_old
                x_adv_old = x_adv.clone()

                a = 0.75 if i > 0 else 1.0

                if self.norm == 'Linf':
                    x_adv_1 = x_adv + step_size * torch.sign(grad)
                    x_adv_1 = torch.clamp(torch.min(torch.max(x_adv_1,
                        x - self.eps), x + self.eps), 0.0, 1.0)
                    x_adv_1 = torch.clamp(torch.min(torch.max(
                        x_adv + (x_adv_1 - x_adv) * a + grad2 * (1 - a),
                        x - self.eps), x + self.eps), 0.0, 1.0)

                elif self.norm == 'L2':
                    x_adv_1 = x_adv + step_size * self.normalize(grad)
                    x_adv_1 = torch.clamp(x + self.normalize(x_adv_1 - x
                        ) * torch.min(self.eps * torch.ones_like(x).detach(),
                        L2_norm(x_adv_1 - x, keepdim=True)), 0.0, 1.0)
                    x_adv_1 = x_adv + (x_adv_1 - x_adv) * a + grad2 * (1 - a)
                    x_adv_1 = torch.clamp(x + self.normalize(x_adv_1 - x
                        ) * torch.min(self.eps * torch.ones_like(x).detach(),
                        L2_norm(x_adv_1 - x, keepdim=True)), 0.0, 1.0)

                x_adv = x_adv_1 + 0.

            ### get gradient
            x_adv.requires_grad_()
            grad = torch.zeros_like(x)
            for _ in range(self.eot_iter):
                with torch.enable_grad():
                    logits = self.model(x_adv)
                    loss_indiv = criterion_indiv(logits, y)
                    loss = loss_indiv.sum()

                grad += torch.autograd.grad(loss, [x_adv])[0].detach()

            grad /= float(self.eot_iter)

            pred = logits.detach().max(1)[1] == y
            acc = torch.min(acc, pred)
            acc_steps[i + 1] = acc + 0
            ind_pred = (pred == 0).nonzero().squeeze()
            x_best_adv[ind_pred] = x_adv[ind_pred] + 0.

            ### check step size
            with torch.no_grad():
                y1 = loss_indiv.detach().clone()
                loss_steps[i] = y1 + 0
                ind = (y1 > loss_best).nonzero().squeeze()
                x_best[ind] = x_adv[ind].clone()
                grad_best[ind] = grad[ind].clone()
                loss_best[ind] = y1[ind] + 0
                loss_best_steps[i + 1] = loss_best + 0

                counter3 += 1

                if counter3 == k:
                    if self.norm in ['Linf', 'L2']:
                        fl_oscillation = self.check_oscillation(loss_steps, i, k,
                            loss_best, k3=self.thr_decr)
                        fl_reduce_no_impr = (1. - reduced_last_check) * (
                            loss_best_last_check >= loss_best).float()
                        fl_oscillation = torch.max(fl_oscillation,
                            fl_reduce_no_impr)
                        reduced_last_check = fl_oscillation.clone()
                        loss_best_last_check = loss_best.clone()

                        if fl_oscillation.sum() > 0:
                            ind_fl_osc = (fl_oscillation > 0).nonzero().squeeze()
                            step_size[ind_fl_osc] /= 2.0
                            n_reduced = fl_oscillation.sum()

                            x_adv[ind_fl_osc] = x_best[ind_fl_osc].clone()
                            grad[ind_fl_osc] = grad_best[ind_fl_osc].clone()

                        k = max(k - self.size_decr, self.n_iter_min)

                    counter3 = 0

        return (x_best, acc, loss_best, x_best_adv)

    def perturb(self, x, y=None, best_loss=False, x_init=None):
        assert self.loss in ['ce', 'dlr']
        if not y is None and len(y.shape) == 0:
            x.unsqueeze_(0)
            y.unsqueeze_(0)
        self.init_hyperparam(x)

        x = x.detach().clone().to(DTYPE).to(self.device)  # changed: the case's dtype for .float()
        y_pred = self.model(x).max(1)[1]
        if y is None:
            y = y_pred.detach().clone().long().to(self.device)
        else:
            y = y.detach().clone().long().to(self.device)

        adv = x.clone()
        acc = y_pred == y

        torch.random.manual_seed(self.seed)

        for counter in range(self.n_restarts):
            ind_to_fool = acc.nonzero().squeeze()
            if len(ind_to_fool.shape) == 0:
                ind_to_fool = ind_to_fool.unsqueeze(0)
            if ind_to_fool.numel() != 0:
                x_to_fool = x[ind_to_fool].clone()
                y_to_fool = y[ind_to_fool].clone()

                res_curr = self.attack_single_run(x_to_fool, y_to_fool)
                best_curr, acc_curr, loss_curr, adv_curr = res_curr
                ind_curr = (acc_curr == 0).nonzero().squeeze()

                acc[ind_to_fool[ind_curr]] = 0
                adv[ind_to_fool[ind_curr]] = adv_curr[ind_curr].clone()

        return adv


class APGDAttack_targeted(APGDAttack):
    def __init__(self, predict, n_iter=100, norm='Linf', n_restarts=1, eps=None, seed=0, eot_iter=1, rho=.75,
                 topk=None, n_target_classes=9, verbose=False, device=None, use_largereps=False, is_tf_model=False,
                 logger=None):
        super(APGDAttack_targeted, self).__init__(predict, n_iter=n_iter, norm=norm,
            n_restarts=n_restarts, eps=eps, seed=seed, loss='dlr-targeted',
            eot_iter=eot_iter, rho=rho, topk=topk, verbose=verbose, device=device,
            use_largereps=use_largereps, is_tf_model=is_tf_model, logger=logger)

        self.y_target = None
        self.n_target_classes = n_target_classes

    def dlr_loss_targeted(self, x, y):
        x_sorted, ind_sorted = x.sort(dim=1)
        u = torch.arange(x.shape[0])

        return -(x[u, y] - x[u, self.y_target]) / (x_sorted[:, -1] - .5 * (
            x_sorted[:, -3] + x_sorted[:, -4]) + 1e-12)

    def perturb(self, x, y=None, x_init=None):
        assert self.loss in ['dlr-targeted']
        if not y is None and len(y.shape) == 0:
            x.unsqueeze_(0)
            y.unsqueeze_(0)
        self.init_hyperparam(x)

        x = x.detach().clone().to(DTYPE).to(self.device)  # changed: the case's dtype for .float()
        y_pred = self.model(x).max(1)[1]
        if y is None:
            y = y_pred.detach().clone().long().to(self.device)
        else:
            y = y.detach().clone().long().to(self.device)

        adv = x.clone()
        acc = y_pred == y

        torch.random.manual_seed(self.seed)

        for target_class in range(2, self.n_target_classes + 2):
            for counter in range(self.n_restarts):
                ind_to_fool = acc.nonzero().squeeze()
                if len(ind_to_fool.shape) == 0:
                    ind_to_fool = ind_to_fool.unsqueeze(0)
                if ind_to_fool.numel() != 0:
                    x_to_fool = x[ind_to_fool].clone()
                    y_to_fool = y[ind_to_fool].clone()

                    output = self.model(x_to_fool)
                    self.y_target = output.sort(dim=1)[1][:, -target_class]

                    res_curr = self.attack_single_run(x_to_fool, y_to_fool)
                    best_curr, acc_curr, loss_curr, adv_curr = res_curr
                    ind_curr = (acc_curr == 0).nonzero().squeeze()

                    acc[ind_to_fool[ind_curr]] = 0
                    adv[ind_to_fool[ind_curr]] = adv_curr[ind_curr].clone()

        return adv


# ---- transcribed from autoattack/autoattack.py: run_standard_evaluation, one batch -----------------------------------

def run_standard_evaluation(model, attacks_to_run, apgd, apgd_targeted, x_orig, y_orig):
    flags = {}
    with torch.no_grad():
        output = model(x_orig).max(dim=1)[1]
        robust_flags = y_orig.eq(output)
        flags['clean'] = robust_flags.clone()
        x_adv = x_orig.clone().detach()
        for attack in attacks_to_run:
            num_robust = torch.sum(robust_flags).item()
            if num_robust == 0:
                break
            robust_lin_idcs = torch.nonzero(robust_flags, as_tuple=False)
            if num_robust > 1:
                robust_lin_idcs.squeeze_()
            batch_datapoint_idcs = robust_lin_idcs
            if len(batch_datapoint_idcs.shape) > 1:
                batch_datapoint_idcs.squeeze_(-1)
            x = x_orig[batch_datapoint_idcs, :].clone()
            y = y_orig[batch_datapoint_idcs].clone()
            if len(x.shape) == 3:
                x.unsqueeze_(dim=0)

            if attack == 'apgd-ce':
                apgd.loss = 'ce'
                adv_curr = apgd.perturb(x, y)
            elif attack == 'apgd-t':
                adv_curr = apgd_targeted.perturb(x, y)

            output = model(adv_curr).max(dim=1)[1]
            false_batch = ~y.eq(output)
            non_robust_lin_idcs = batch_datapoint_idcs[false_batch]
            robust_flags[non_robust_lin_idcs] = False
            x_adv[non_robust_lin_idcs] = adv_curr[false_batch].detach()
            flags[attack] = robust_flags.clone()
    return flags, x_adv


# ---- the golden cases ------------------------------------------------------------------------------------------------

CASES = {
    # name: (norm, eps, samples, seed of the model and data, dtype)
    'linf_fast': ('Linf', 6. / 255., 24, 1, torch.float32),
    'l2_fast': ('L2', 0.35, 24, 2, torch.float32),
    'linf_fast_f64': ('Linf', 6. / 255., 24, 1, torch.float64),
    'l2_fast_f64': ('L2', 0.35, 24, 2, torch.float64),
}


def model_of(seed):
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Flatten(), nn.Linear(48, 32), nn.ReLU(), nn.Linear(32, 10)).to(DTYPE)
    # The class scores spread out, so that a small budget fools some points and not others.
    with torch.no_grad():
        net[3].weight.mul_(4.)
    return net.eval()


def golden(outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    global DTYPE
    for name, (norm, eps, samples, seed, dtype) in CASES.items():
        DTYPE = dtype
        torch.set_default_dtype(torch.float32)
        DRAWS.clear()
        GENERATOR.manual_seed(seed)
        net = model_of(seed)
        x = torch.rand([samples, 3, 4, 4], generator=torch.Generator().manual_seed(100 + seed), dtype=torch.float32).to(dtype)
        with torch.no_grad():
            y = net(x).max(1)[1]
        # The attacks' own tensors (torch.zeros, torch.ones) in the case's dtype, as the reference's are in float32.
        torch.set_default_dtype(dtype)
        # A quarter of the points start misclassified: the cascade must leave them out.
        y[::4] = (y[::4] + 1) % 10
        DRAWS.clear()
        apgd = APGDAttack(net, n_restarts=1, n_iter=100, eps=eps, norm=norm, eot_iter=1, rho=.75, seed=0)
        apgd_targeted = APGDAttack_targeted(net, n_restarts=1, n_iter=100, eps=eps, norm=norm, eot_iter=1, rho=.75,
                                            seed=0, n_target_classes=9)
        flags, x_adv = run_standard_evaluation(net, ['apgd-ce', 'apgd-t'], apgd, apgd_targeted, x, y)
        arrays = {
            'norm': np.array(0 if norm == 'Linf' else 2, dtype=np.int64),
            'eps': np.array(eps, dtype=np.float64),
            'w1': net[1].weight.detach().numpy(), 'b1': net[1].bias.detach().numpy(),
            'w2': net[3].weight.detach().numpy(), 'b2': net[3].bias.detach().numpy(),
            'x': x.numpy(), 'y': y.numpy().astype(np.int64), 'x_adv': x_adv.numpy(),
            'draws': np.array(len(DRAWS), dtype=np.int64),
        }
        for stage, value in flags.items():
            arrays['flags_' + stage] = value.numpy().astype(np.int64)
        for index, values in enumerate(DRAWS):
            arrays[f'draw_{index}'] = values.numpy()
        np.savez(outdir / f'{name}.npz', **arrays)
        print(f'{name}: clean {flags["clean"].float().mean():.3f}, after APGD-CE {flags["apgd-ce"].float().mean():.3f}, '
              f'after APGD-T {flags.get("apgd-t", flags["apgd-ce"]).float().mean():.3f}, {len(DRAWS)} draws')


if __name__ == '__main__':
    if len(sys.argv) == 3 and sys.argv[1] == 'golden':
        golden(Path(sys.argv[2]))
    else:
        sys.exit(__doc__)
