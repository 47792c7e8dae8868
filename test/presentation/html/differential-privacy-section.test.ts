import { describe, expect, it } from '@jest/globals';
import { differentialPrivacySection } from '../../../src/presentation/html/sections/differential-privacy.js';
import type { PrivacyRecord } from '../../../src/pipeline/privacy-record.js';
import type { ReportPage } from '../../../src/presentation/html/sections/section.js';

const privacy: PrivacyRecord = {
  unit: 'one row of the input file, added or removed',
  training_rows: 29000,
  input_rows: 32000,
  training_rows_from: 'released count',
  target_epsilon: 4.5,
  spent_epsilon: 4.31,
  delta: 9e-6,
  noise_multiplier: 0.87,
  sample_rate: 0.0098,
  steps: 51000,
  max_grad_norm: 1,
  zcdp: null,
  attempt_epsilon: 4.81,
  max_epsilon: 5,
  preprocessing: {
    epsilon: 0.5,
    delta: 1e-6,
    fraction: 0.1,
    estimated: [
      { column: 'workclass', how: 'stability-based histogram: 7 categories released', epsilon: 0.5, delta: 1e-6 },
    ],
    public: ['age'],
    placeholder: '(other)',
  },
  attempts: [{ attempt: 1, charged_epsilon: 4.5, target_epsilon: 4.5, spent_epsilon: 4.31, delta: 9e-6 }],
  total_epsilon: 4.81,
  total_delta: 1e-5,
  total_epsilon_limit: 5,
  early_stop: 'off: checkpoints would evaluate on training rows outside the accountant',
  loss_curve: 'left out',
};

describe('the HTML report: differential privacy section', () => {
  it('states the total, the training figures and what preprocessing released', async () => {
    const page = { generation: { privacy } } as unknown as ReportPage;
    const html = (await differentialPrivacySection.render(page))!;
    expect(html).toMatch(/Total epsilon <b>4\.81<\/b>/);
    for (const text of ['0.87', '51,000', 'workclass', 'stability-based histogram', '(other)', '<code>age</code>'])
      expect(html).toContain(text);
    expect(html).toMatch(/Early stop: off/);
  });

  it('leaves itself out of a run without a privacy budget', async () => {
    expect(
      await differentialPrivacySection.render({ generation: { privacy: null } } as unknown as ReportPage),
    ).toBeNull();
  });
});
