/** The built-in entity types, with their exact names (SPEC R1). */
export const ENTITY_TYPES = [
  'EMAIL_ADDRESS',
  'PHONE_NUMBER',
  'IP_ADDRESS',
  'MAC_ADDRESS',
  'CREDIT_CARD',
  'IBAN_CODE',
  'US_SSN',
  'US_DRIVER_LICENSE',
  'US_PASSPORT',
  'PASSPORT_MRZ',
  'UK_NINO',
  'UK_DRIVING_LICENCE',
  'UK_NHS',
  'AU_TFN',
  'AU_MEDICARE',
  'SA_NATIONAL_ID',
  'DATE_OF_BIRTH',
  'PERSON',
  'STREET_ADDRESS',
  'DEVICE_ID',
  'PLATFORM_USER_ID',
  'GEO_COORDINATES',
  'CRYPTO_WALLET',
  'SECRET',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** Custom recognizers may name their own types; built-ins always use EntityType. */
export type FindingType = EntityType | (string & {});

/** One detected item of personal data. Offsets are UTF-16 code units into the original text, end exclusive. */
export interface Finding {
  type: FindingType;
  start: number;
  end: number;
  /** 0..1; see SPEC R4 for the bands. */
  score: number;
  /** Name of the recognizer that produced it, e.g. "credit_card" or "custom:employee_id". */
  detector: string;
  /** Human-readable reason: what matched, what validated, which context word was seen. */
  explanation: string;
}

/** Score bands (SPEC R4): findings at or above BLOCKING are confident enough to block or vault. */
export const SCORE_BANDS = { reportable: 0.5, blocking: 0.75 } as const;

export interface CustomRecognizerConfig {
  /** Unique name; reported as detector "custom:<name>". */
  name: string;
  type: FindingType;
  /** RE2 syntax; compiled with a linear-time engine (untrusted input, SPEC R9). */
  pattern: string;
  caseInsensitive?: boolean;
  /** Score without context. Default 0.6. */
  score?: number;
  /** Whole words or phrases that raise the score when near the match. */
  contextWords?: string[];
  /** Score with context. Default min(1, score + 0.3). */
  contextScore?: number;
  /** When true the finding is dropped unless a context word is present. */
  requireContext?: boolean;
}

export interface PlatformUserIdConfig {
  /** RE2 pattern for the ID itself (default: 6–20 digits). */
  pattern?: string;
  /** Words that make a nearby match a user ID (default: uid, user id, account id, ...). */
  contextWords?: string[];
}

export interface DetectorConfig {
  /** Only these types are reported (default: all built-in types and every custom type). */
  enabledTypes?: readonly FindingType[];
  /** These types are never reported. Applied after enabledTypes. */
  disabledTypes?: readonly FindingType[];
  /** Findings below this score are dropped. Default SCORE_BANDS.reportable (0.5). */
  minScore?: number;
  /** Per-type override of minScore. */
  minScoreByType?: Partial<Record<FindingType, number>>;
  customRecognizers?: CustomRecognizerConfig[];
  platformUserId?: PlatformUserIdConfig;
}

export interface Detector {
  scan(text: string): Finding[];
}
