import type { PolicyAction } from '@enclave/protocol';

// Words people read when the policy acts on what they wrote. Never the value.

const TYPE_NAMES: Record<string, string> = {
  EMAIL_ADDRESS: 'email address',
  PHONE_NUMBER: 'phone number',
  IP_ADDRESS: 'IP address',
  MAC_ADDRESS: 'MAC address',
  CREDIT_CARD: 'payment card number',
  IBAN_CODE: 'IBAN',
  US_SSN: 'US social security number',
  US_DRIVER_LICENSE: "US driver's licence number",
  US_PASSPORT: 'US passport number',
  PASSPORT_MRZ: 'passport machine-readable zone',
  UK_NINO: 'UK national insurance number',
  UK_DRIVING_LICENCE: 'UK driving licence number',
  UK_NHS: 'NHS number',
  AU_TFN: 'Australian tax file number',
  AU_MEDICARE: 'Australian Medicare number',
  SA_NATIONAL_ID: 'Saudi national ID',
  DATE_OF_BIRTH: 'date of birth',
  PERSON: "person's name",
  STREET_ADDRESS: 'street address',
  DEVICE_ID: 'device ID',
  PLATFORM_USER_ID: 'platform user ID',
  GEO_COORDINATES: 'location',
  CRYPTO_WALLET: 'crypto wallet address',
  SECRET: 'secret (key, token or password)',
};

const OUTCOMES: Record<PolicyAction, string> = {
  allow: 'is allowed',
  warn: 'needs you to confirm, with a reason, before it is sent',
  tokenise: 'will be replaced by a vault token (members see a mask)',
  quarantine: 'will be held for review before anyone sees it',
  block: 'will be blocked',
};

export function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type.toLowerCase().replaceAll('_', ' ');
}

/** "This US driver's licence number will be blocked in a confidential channel: <reason>." */
export function explainFinding(type: string, action: PolicyAction, label: string, reason?: string): string {
  const base = `This ${typeName(type)} ${OUTCOMES[action]} in a ${label} channel`;
  return reason ? `${base}: ${reason}.` : `${base}.`;
}

/** One sentence about the whole message. */
export function explainMessage(
  action: PolicyAction,
  label: string,
  decided: readonly { type: string; action: PolicyAction }[],
): string {
  if (decided.length === 0) return 'No personal data was found.';
  const decisive: string[] = [];
  for (const f of decided) {
    const name = typeName(f.type);
    if (f.action === action && !decisive.includes(name)) decisive.push(name);
  }
  const what =
    decisive.length === 1 ? decisive[0] : `${decisive.slice(0, -1).join(', ')} and ${decisive.at(-1)}`;
  switch (action) {
    case 'allow':
      return `The personal data found (${what}) is allowed in a ${label} channel.`;
    case 'warn':
      return `This message contains a ${what}: confirm with a reason to send it to a ${label} channel.`;
    case 'tokenise':
      return `The ${what} in this message will be stored in the vault; the ${label} channel sees a token.`;
    case 'quarantine':
      return `This message contains a ${what} and will be held for review before it reaches the ${label} channel.`;
    case 'block':
      return `This message cannot be sent to a ${label} channel: it contains a ${what}.`;
  }
}
