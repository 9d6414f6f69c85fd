/**
 * @enclave/pii — detects end-user personal data in text. Pure TypeScript, no I/O: runs in Node,
 * browsers and Web Workers. See SPEC.md for the rules and docs/pii/entities.md for the catalogue.
 */
export { createDetector } from './detector.ts';
export { type NormalisedText, normalise } from './normalize.ts';
export {
  anonymise,
  applyOperator,
  DEFAULT_SAFE_SUFFIX,
  keyedHash,
  keyedHashAsync,
  maskValue,
  type Operator,
} from './operators.ts';
export { CustomPatternError } from './recognizers/custom.ts';
export type {
  CustomRecognizerConfig,
  Detector,
  DetectorConfig,
  EntityType,
  Finding,
  FindingType,
  PlatformUserIdConfig,
} from './types.ts';
export { ENTITY_TYPES, SCORE_BANDS } from './types.ts';
