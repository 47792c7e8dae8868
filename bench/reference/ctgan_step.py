"""CTGAN's training step in PyTorch on given shapes, for gesalp's throughput benchmark.

Written for this benchmark after Xu et al. 2019 and the reference CTGAN's training loop: a
residual generator (Linear + BatchNorm1d + ReLU, concatenated with its input), a packed critic
(Linear + LeakyReLU 0.2 + Dropout 0.5), Gumbel-softmax (tau 0.2) on softmax spans and tanh on
scalars, WGAN-GP (lambda 10, one alpha per pack), the conditional cross-entropy, Adam (2e-4,
betas 0.5/0.9, weight decay 1e-6), one critic step per generator step. Rows are random data in
the layout's shape: the work per step does not depend on the values.

usage: ctgan_step.py SPANS_JSON DISCRETE_JSON BATCH EMBEDDING GEN_DIMS DIS_DIMS PAC THREADS STEPS MODE
SPANS_JSON: [[size, "tanh"|"softmax"], ...]; DISCRETE_JSON: indices of the spans the conditional
vector chooses from. MODE "reference": the critic step's fake rows keep their graph, so its
backward passes also run through the generator, as the reference's loop does; "detached": they
are generated without one, as gesalp's critic step does. Prints {"steps_per_s": ...} after 20
warm-up steps.
"""
import json
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

WARMUP = 20


class Residual(nn.Module):
    def __init__(self, width_in, width_out):
        super().__init__()
        self.fc = nn.Linear(width_in, width_out)
        self.bn = nn.BatchNorm1d(width_out)

    def forward(self, x):
        return torch.cat([F.relu(self.bn(self.fc(x))), x], dim=1)


def generator(width_in, dims, width_out):
    layers, width = [], width_in
    for d in dims:
        layers.append(Residual(width, d))
        width += d
    layers.append(nn.Linear(width, width_out))
    return nn.Sequential(*layers)


class Critic(nn.Module):
    def __init__(self, width_in, dims, pac):
        super().__init__()
        self.pac = pac
        layers, width = [], width_in * pac
        for d in dims:
            layers += [nn.Linear(width, d), nn.LeakyReLU(0.2), nn.Dropout(0.5)]
            width = d
        layers.append(nn.Linear(width, 1))
        self.net = nn.Sequential(*layers)

    def forward(self, x):
        return self.net(x.reshape(-1, x.shape[1] * self.pac))


def activate(raw, spans):
    parts, at = [], 0
    for size, kind in spans:
        piece = raw[:, at:at + size]
        parts.append(torch.tanh(piece) if kind == 'tanh' else F.gumbel_softmax(piece, tau=0.2))
        at += size
    return torch.cat(parts, dim=1)


def main():
    spans = json.loads(sys.argv[1])
    discrete = json.loads(sys.argv[2])
    batch, embedding = int(sys.argv[3]), int(sys.argv[4])
    gen_dims = [int(d) for d in sys.argv[5].split(',')]
    dis_dims = [int(d) for d in sys.argv[6].split(',')]
    pac, threads, steps = int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9])
    detached = sys.argv[10] == 'detached'
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    starts, at = [], 0
    for size, _ in spans:
        starts.append(at)
        at += size
    data_width = at
    cond_spans = [(starts[i], spans[i][0]) for i in discrete]
    cond_width = sum(size for _, size in cond_spans)
    cond_offsets, c = [], 0
    for _, size in cond_spans:
        cond_offsets.append(c)
        c += size

    def random_rows(n):
        rows = torch.zeros(n, data_width)
        for (size, kind), start in zip(spans, starts):
            if kind == 'tanh':
                rows[:, start] = torch.rand(n) * 1.98 - 0.99
            else:
                rows[torch.arange(n), start + torch.randint(size, (n,))] = 1
        return rows

    def conditions(n):
        cond = torch.zeros(n, cond_width)
        mask = torch.zeros(n, len(cond_spans))
        column = torch.randint(len(cond_spans), (n,))
        category = torch.zeros(n, dtype=torch.long)
        for j, (_, size) in enumerate(cond_spans):
            chosen = column == j
            category[chosen] = torch.randint(size, (int(chosen.sum()),))
            cond[chosen, cond_offsets[j] + category[chosen]] = 1
            mask[chosen, j] = 1
        return cond, mask, category, column

    def cond_loss(raw, column, category):
        loss = torch.zeros(raw.shape[0])
        for j, (start, size) in enumerate(cond_spans):
            chosen = column == j
            if chosen.any():
                loss[chosen] = F.cross_entropy(raw[chosen, start:start + size], category[chosen], reduction='none')
        return loss.sum() / raw.shape[0]

    gen = generator(embedding + cond_width, gen_dims, data_width)
    critic = Critic(data_width + cond_width, dis_dims, pac)
    adam = dict(lr=2e-4, betas=(0.5, 0.9), weight_decay=1e-6)
    opt_g, opt_d = torch.optim.Adam(gen.parameters(), **adam), torch.optim.Adam(critic.parameters(), **adam)
    real_pool = random_rows(4096)

    def step():
        c1, _, _, _ = conditions(batch)
        with torch.set_grad_enabled(not detached):
            fake = activate(gen(torch.cat([torch.randn(batch, embedding), c1], dim=1)), spans)
        real = real_pool[torch.randint(real_pool.shape[0], (batch,))]
        c2 = c1[torch.randperm(batch)]
        fake_cat, real_cat = torch.cat([fake, c1], dim=1), torch.cat([real, c2], dim=1)
        y_fake, y_real = critic(fake_cat), critic(real_cat)
        alpha = torch.rand(batch // pac, 1, 1).repeat(1, pac, real_cat.shape[1]).view(-1, real_cat.shape[1])
        mixed = (alpha * real_cat + (1 - alpha) * fake_cat).requires_grad_(True)
        grads = torch.autograd.grad(critic(mixed).sum(), mixed, create_graph=True)[0]
        penalty = ((grads.view(-1, pac * real_cat.shape[1]).norm(2, dim=1) - 1) ** 2).mean() * 10
        loss_d = -(y_real.mean() - y_fake.mean())
        opt_d.zero_grad(set_to_none=False)
        penalty.backward(retain_graph=True)
        loss_d.backward()
        opt_d.step()
        c1, _, category, column = conditions(batch)
        raw = gen(torch.cat([torch.randn(batch, embedding), c1], dim=1))
        y_fake = critic(torch.cat([activate(raw, spans), c1], dim=1))
        loss_g = -y_fake.mean() + cond_loss(raw, column, category)
        opt_g.zero_grad(set_to_none=False)
        loss_g.backward()
        opt_g.step()

    for _ in range(WARMUP):
        step()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - started
    print(json.dumps({'steps_per_s': round(steps / seconds, 2), 'steps': steps, 'seconds': round(seconds, 2)}))


if __name__ == '__main__':
    main()
