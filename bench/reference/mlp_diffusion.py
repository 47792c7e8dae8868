"""
PyTorch reference for the training-throughput benchmark: TabDDPM's MLPDiffusion (Kotelnikov et
al. 2023, github.com/yandex-research/tab-ddpm, tab_ddpm/modules.py) trained with the mixed loss
of its GaussianMultinomialDiffusion (Gaussian MSE on the noise + multinomial KL per categorical
span, computed in log space as the reference does), AdamW, and the weight average, on random
rows of the given shape. Written for this benchmark from the paper and the reference's
structure; only throughput is measured, so the data are random.

usage: python3 mlp_diffusion.py D_NUM SPAN_SIZES(comma list) BATCH WIDTH LAYERS TIMESTEPS THREADS STEPS LOSS
LOSS: "mixed" (the reference's loss, as above) or "mse" (MSE of the whole output against noise:
the network's forward and backward, AdamW and the average, with almost no loss cost; the
harder bar for gesalp, whose step always includes the mixed loss).
prints one JSON line: {"steps": N, "seconds": S, "steps_per_s": R}
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def timestep_embedding(timesteps, dim, max_period=10000):
    half = dim // 2
    freqs = torch.exp(-math.log(max_period) * torch.arange(half, dtype=torch.float32) / half)
    args = timesteps[:, None].float() * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class MLPDiffusion(nn.Module):
    def __init__(self, d_in, width, layers, dim_t=128):
        super().__init__()
        self.proj = nn.Linear(d_in, dim_t)
        self.time_embed = nn.Sequential(nn.Linear(dim_t, dim_t), nn.SiLU(), nn.Linear(dim_t, dim_t))
        blocks = []
        last = dim_t
        for _ in range(layers):
            blocks += [nn.Linear(last, width), nn.ReLU(), nn.Dropout(0.0)]
            last = width
        self.mlp = nn.Sequential(*blocks, nn.Linear(last, d_in))
        self.dim_t = dim_t

    def forward(self, x, t):
        emb = self.time_embed(timestep_embedding(t, self.dim_t))
        return self.mlp(self.proj(x) + emb)


def cosine_alphas(steps, s=0.008):
    x = torch.linspace(0, steps, steps + 1, dtype=torch.float64)
    ac = torch.cos(((x / steps) + s) / (1 + s) * math.pi * 0.5) ** 2
    ac = ac / ac[0]
    betas = torch.clamp(1 - (ac[1:] / ac[:-1]), 0, 0.999)
    alphas = 1 - betas
    return alphas.float(), torch.cumprod(alphas, 0).float()


def main():
    d_num = int(sys.argv[1])
    spans = [int(s) for s in sys.argv[2].split(",") if s]
    batch, width, layers, steps_t, threads, steps = (int(a) for a in sys.argv[3:9])
    mixed = sys.argv[9] == "mixed"
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    d_cat = sum(spans)
    model = MLPDiffusion(d_num + d_cat, width, layers)
    ema = [p.detach().clone() for p in model.parameters()]
    opt = torch.optim.AdamW(model.parameters(), lr=0.002, weight_decay=1e-4)
    alphas, alpha_bar = cosine_alphas(steps_t)
    log_alpha, log_1m_alpha = torch.log(alphas), torch.log(1 - alphas + 1e-30)
    log_ab = torch.log(alpha_bar)
    log_1m_ab = torch.log(1 - alpha_bar + 1e-30)
    log_ab_prev = torch.cat([torch.zeros(1), log_ab[:-1]])
    log_1m_ab_prev = torch.log(1 - torch.exp(log_ab_prev) + 1e-30)
    rows = 4096
    x_num_all = torch.randn(rows, d_num)
    x_cat_all = [torch.randint(0, k, (rows,)) for k in spans]

    def update_average():
        with torch.no_grad():
            for e, p in zip(ema, model.parameters()):
                e.mul_(0.999).add_(p.detach(), alpha=0.001)

    def step():
        idx = torch.randint(0, rows, (batch,))
        t = torch.randint(0, steps_t, (batch,))
        if not mixed:
            x = torch.randn(batch, d_num + d_cat)
            loss = F.mse_loss(model(x, t), x)
            opt.zero_grad()
            loss.backward()
            opt.step()
            update_average()
            return
        noise = torch.randn(batch, d_num)
        ab = alpha_bar[t][:, None]
        x_t = ab.sqrt() * x_num_all[idx] + (1 - ab).sqrt() * noise
        cats, log_x0s = [], []
        for k, col in zip(spans, x_cat_all):
            log_x0 = torch.log(F.one_hot(col[idx], k).float().clamp(min=1e-30))
            # q(x_t | x_0) in log space, then a Gumbel sample, as the reference's q_sample.
            log_q = torch.logaddexp(log_x0 + log_ab[t][:, None], log_1m_ab[t][:, None] - math.log(k))
            gumbel = -torch.log(-torch.log(torch.rand_like(log_q).clamp(1e-30, 1)))
            cats.append(F.one_hot((gumbel + log_q).argmax(1), k).float())
            log_x0s.append(log_x0)
        out = model(torch.cat([x_t] + cats, 1), t)
        loss = F.mse_loss(out[:, :d_num], noise)
        at = d_num
        for k, x_cat, log_x0 in zip(spans, cats, log_x0s):
            log_xt = torch.log(x_cat.clamp(min=1e-30))
            logits = F.log_softmax(out[:, at : at + k], 1)
            at += k

            def posterior(log_start):
                # q(x_{t-1} | x_t, x_0) in log space: normalise (x_0 mixture at t-1) * (one step from x_{t-1} to x_t).
                prev = torch.logaddexp(log_start + log_ab_prev[t][:, None], log_1m_ab_prev[t][:, None] - math.log(k))
                step_ = torch.logaddexp(log_xt + log_alpha[t][:, None], log_1m_alpha[t][:, None] - math.log(k))
                un = prev + step_
                return un - torch.logsumexp(un, 1, keepdim=True)

            log_true = posterior(log_x0)
            log_model = posterior(logits)
            kl = (log_true.exp() * (log_true - log_model)).sum(1)
            loss = loss + kl.mean() * steps_t / len(spans)
        opt.zero_grad()
        loss.backward()
        opt.step()
        update_average()

    for _ in range(20):
        step()
    started = time.perf_counter()
    for _ in range(steps):
        step()
    seconds = time.perf_counter() - started
    print(json.dumps({"steps": steps, "seconds": round(seconds, 3), "steps_per_s": round(steps / seconds, 1)}))


if __name__ == "__main__":
    main()
