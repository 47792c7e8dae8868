/** The machine a benchmark ran on, and the PyTorch it compares with where python3 imports torch. */
import { spawnSync } from 'node:child_process';
import { readlinkSync } from 'node:fs';
import { cpus } from 'node:os';

export interface TorchPython {
  readonly python: string;
  readonly version: string;
  readonly blas: string;
}

export const benchMachine = (): string => `${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}`;

/** The python3 that imports torch, if any (pyenv shims may hide Debian's). */
export function torchPython(): TorchPython | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return { python, version: probe.stdout.trim(), blas: blasLibrary() };
  }
  return null;
}

/** Which BLAS Debian's alternatives give torch (reference BLAS is ~4x slower than OpenBLAS here). */
function blasLibrary(): string {
  try {
    return readlinkSync('/etc/alternatives/libblas.so.3-x86_64-linux-gnu');
  } catch {
    return 'unknown';
  }
}

/** The results' line on the PyTorch compared with, or how to get one. */
export const torchNote = (torch: TorchPython | null, steps: number): string =>
  torch
    ? `PyTorch ${torch.version} (${torch.python}, BLAS ${torch.blas}), ${steps} steps after 20 warm-up steps.`
    : 'PyTorch: not importable here (apt install python3-torch libopenblas0-pthread to compare).';

/** gesalp's steps/s over the named PyTorch variant's at the same thread count (null for other rows, or without it). */
export function ratioToTorch(
  results: readonly { readonly engine: string; readonly threads: number; readonly steps_per_s: number }[],
  row: { readonly engine: string; readonly threads: number; readonly steps_per_s: number },
  torchEngine: string,
): number | null {
  const torchRun = results.find((r) => r.engine === torchEngine && r.threads === row.threads);
  return row.engine === 'gesalp fused' && torchRun ? Number((row.steps_per_s / torchRun.steps_per_s).toFixed(2)) : null;
}
