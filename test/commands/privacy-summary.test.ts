import { describe, expect, it } from '@jest/globals';
import { privacySummary } from '../../src/commands/privacy-summary.js';
import type { PrivacyRecord } from '../../src/pipeline/privacy-record.js';

const record = (total: number, limit: number): PrivacyRecord => ({
  unit: 'one row',
  training_rows: 100,
  training_rows_from: 'declared',
  input_rows: 125,
  target_epsilon: 1,
  spent_epsilon: 1,
  delta: 1e-6,
  noise_multiplier: 1,
  sample_rate: 0.01,
  steps: 100,
  max_grad_norm: 1,
  zcdp: null,
  attempt_epsilon: 1,
  max_epsilon: 1,
  preprocessing: { epsilon: 0, delta: 0, fraction: 0.1, estimated: [], public: [], placeholder: '(other)' },
  attempts: [{ attempt: 1, charged_epsilon: 1, target_epsilon: 1, spent_epsilon: 1, delta: 1e-6 }],
  total_epsilon: total,
  total_delta: 1e-6,
  total_epsilon_limit: limit,
  early_stop: 'off',
  loss_curve: 'left out',
});

describe('privacySummary', () => {
  it('shows --total-epsilon as the user stated it, not rounded to a larger limit', () => {
    expect(privacySummary(record(1, 2.9999))[0]).toMatch(/\(limit 2\.9999\)/);
  });

  it('shows a total just under its limit with the digits that keep it under', () => {
    const line = privacySummary(record(2.99989, 2.9999))[0];
    expect(line).toMatch(/total epsilon 2\.99989 \(limit 2\.9999\)/);
    expect(privacySummary(record(0.5, 3))[0]).toMatch(/total epsilon 0\.5 \(limit 3\)/);
  });
});
