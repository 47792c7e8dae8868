/**
 * The page's sections, in order (issue 15): a new section (a new metric's plots) is one entry here.
 * Sections with nothing to show for a report (generate's on an evaluate report) leave themselves out.
 */
import { associationsSection } from './associations.js';
import { columnsSection } from './columns.js';
import { differentialPrivacySection } from './differential-privacy.js';
import { attemptsSection, parametersSection } from './generation.js';
import { learnedSection } from './learned.js';
import { metricsSection } from './metrics.js';
import { privacySection } from './privacy.js';
import { provenanceSection } from './provenance.js';
import type { Section } from './section.js';
import { trainingSection } from './training.js';
import { verdictSection } from './verdict.js';

export const SECTIONS: readonly Section[] = [
  verdictSection,
  metricsSection,
  columnsSection,
  associationsSection,
  privacySection,
  differentialPrivacySection,
  learnedSection,
  parametersSection,
  trainingSection,
  attemptsSection,
  provenanceSection,
];
