import { describe, expect, it } from 'vitest';
import { CustomPatternError, createDetector } from '../src/index.ts';
import { found, typesIn } from './helpers.ts';

describe('findings', () => {
  it('R1: offsets are UTF-16 indices into the original text, end exclusive', () => {
    const text = '😀😀 mail ana@example.org now';
    const [f] = createDetector().scan(text);
    expect(f).toMatchObject({ type: 'EMAIL_ADDRESS', start: 10, end: 25, detector: 'email' });
    expect(text.slice(f!.start, f!.end)).toBe('ana@example.org');
    expect(f!.explanation).toMatch(/top-level domain/);
  });
  it('R25: scanning is deterministic and never throws on odd input', () => {
    const d = createDetector();
    const text = 'SSN 536-22-8714, card 4111111111111111, Maria Garcia';
    expect(d.scan(text)).toEqual(d.scan(text));
    expect(d.scan('')).toEqual([]);
    expect(d.scan('\u0000\uD800 lone surrogate')).toEqual([]);
  });
});

describe('context words', () => {
  it('R3: context is matched as whole words, never substrings ("lic" inside "public")', () => {
    expect(typesIn('public record 12345678 in Texas')).not.toContain('US_DRIVER_LICENSE');
    expect(typesIn('Texas lic 12345678')).toContain('US_DRIVER_LICENSE');
  });
  it('R3: context phrases tolerate key separators (user_id, user-id, userid)', () => {
    for (const key of ['user_id', 'user-id', 'userid', 'User ID'])
      expect(typesIn(`${key}: 7723019457`)).toContain('PLATFORM_USER_ID');
  });
  it('R3: context stays on the value line, except for a value alone on its line', () => {
    expect(found('SSN:\n536228714')).toContainEqual(['US_SSN', '536228714']);
    expect(typesIn('SSN: see below\nref 536228714')).not.toContain('US_SSN');
  });
  it('R11: weak-checksum numbers need context to be reported at all', () => {
    expect(typesIn('943 476 5919')).not.toContain('UK_NHS');
    expect(typesIn('NHS no. 943 476 5919')).toContain('UK_NHS');
  });
});

describe('scores and overlaps', () => {
  it('R4: an SSN shape without context is reported but below the blocking band; with context it blocks', () => {
    const [plain] = createDetector().scan('536-22-8714');
    const [ctx] = createDetector().scan('SSN 536-22-8714');
    expect(plain!.score).toBeGreaterThanOrEqual(0.5);
    expect(plain!.score).toBeLessThan(0.75);
    expect(ctx!.score).toBeGreaterThanOrEqual(0.75);
  });
  it('R5: overlapping candidates resolve to the more specific, higher-scoring type', () => {
    expect(found('card 4111-1111-1111-1111')).toEqual([['CREDIT_CARD', '4111-1111-1111-1111']]);
    expect(found('IMEI 490154203237518')).toEqual([['DEVICE_ID', '490154203237518']]);
    expect(found('uid 4155552671')).toEqual([['PLATFORM_USER_ID', '4155552671']]);
  });
  it('R5: findings never overlap and come sorted by start', () => {
    const fs = createDetector().scan(
      'Maria Garcia maria@example.org 4111 1111 1111 1111 SSN 536-22-8714 ip 203.0.113.9',
    );
    for (let i = 1; i < fs.length; i++) expect(fs[i]!.start).toBeGreaterThanOrEqual(fs[i - 1]!.end);
  });
});

describe('obfuscation (R6)', () => {
  const card = 'CREDIT_CARD';
  it.each([
    ['spaces', '4111 1111 1111 1111'],
    ['dots', '4111.1111.1111.1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['slashes', '4111/1111/1111/1111'],
    ['single digits', '4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1'],
    ['line break', '4111 1111\n1111 1111'],
    ['full-width digits', '４１１１ １１１１ １１１１ １１１１'],
    ['Arabic-Indic digits', '٤١١١ ١١١١ ١١١١ ١١١١'],
    ['zero-width spaces', '4111\u200b1111\u200b1111\u200b1111'],
    ['soft hyphens', '4111\u00ad1111\u00ad1111\u00ad1111'],
    ['mathematical digits', '𝟒𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏 𝟏𝟏𝟏𝟏'],
  ])('R6: card number written with %s', (_how, value) => {
    const text = `card: ${value} thanks`;
    expect(found(text)).toContainEqual([card, value]);
  });
  it('R6: card number split by inline markup; the span ends at the last digit', () => {
    expect(found('card 4111<b>1111</b>1111<span>1111</span>')).toContainEqual([
      card,
      '4111<b>1111</b>1111<span>1111',
    ]);
  });
  it('R6: look-alike letters are folded (Cyrillic а in an e-mail, Greek Ο in a NINO)', () => {
    expect(found('mail jаne@exаmple.com')).toEqual([['EMAIL_ADDRESS', 'jаne@exаmple.com']]);
    expect(typesIn('NINO ΑB123456C')).toContain('UK_NINO');
  });
  it('R6: values inside JSON, key-value blocks and tables', () => {
    expect(found('{"ssn":"536-22-8714","email":"a.b@example.com"}')).toEqual([
      ['US_SSN', '536-22-8714'],
      ['EMAIL_ADDRESS', 'a.b@example.com'],
    ]);
    expect(found('| IBAN | GB82WEST12345698765432 |')).toContainEqual([
      'IBAN_CODE',
      'GB82WEST12345698765432',
    ]);
    expect(found('<td>NHS</td><td>943 476 5919</td>')).toContainEqual(['UK_NHS', '943 476 5919']);
  });
  it('R6: phone and SSN across a line break', () => {
    expect(found('call +44 7700\n900123 tonight')).toContainEqual(['PHONE_NUMBER', '+44 7700\n900123']);
    expect(found('SSN 536-22-\n8714')).toContainEqual(['US_SSN', '536-22-\n8714']);
  });
});

describe('configuration (R9)', () => {
  it('R9: types can be enabled or disabled', () => {
    const text = 'mail ana@example.org card 4111111111111111';
    expect(found(text, { enabledTypes: ['CREDIT_CARD'] })).toEqual([['CREDIT_CARD', '4111111111111111']]);
    expect(found(text, { disabledTypes: ['CREDIT_CARD'] })).toEqual([['EMAIL_ADDRESS', 'ana@example.org']]);
  });
  it('R9: thresholds apply globally and per type', () => {
    expect(found('536-22-8714', { minScore: 0.75 })).toEqual([]);
    expect(found('536-22-8714', { minScoreByType: { US_SSN: 0.9 } })).toEqual([]);
    expect(found('SSN 536-22-8714', { minScore: 0.75 })).toEqual([['US_SSN', '536-22-8714']]);
  });
  it('R9: custom recognizers run on the linear-time engine, with optional required context', () => {
    const config = {
      customRecognizers: [
        {
          name: 'employee',
          type: 'EMPLOYEE_ID',
          pattern: 'EMP-[0-9]{6}',
          contextWords: ['employee'],
          requireContext: true,
        },
      ],
    };
    expect(found('employee EMP-123456 left', config)).toEqual([['EMPLOYEE_ID', 'EMP-123456']]);
    expect(found('code EMP-123456', config)).toEqual([]);
    const [f] = createDetector(config).scan('employee EMP-123456');
    expect(f!.detector).toBe('custom:employee');
  });
  it('R9: custom patterns that need backtracking, match empty, or do not compile are rejected', () => {
    expect(() =>
      createDetector({ customRecognizers: [{ name: 'bad', type: 'X', pattern: '(a)\\1' }] }),
    ).toThrow(CustomPatternError);
    expect(() =>
      createDetector({ customRecognizers: [{ name: 'empty', type: 'X', pattern: 'a*' }] }),
    ).toThrow(/empty string/);
    expect(() =>
      createDetector({ customRecognizers: [{ name: 'broken', type: 'X', pattern: '([a-z' }] }),
    ).toThrow(CustomPatternError);
  });
  it('R21: the platform user ID pattern and context words are configurable', () => {
    const config = { platformUserId: { pattern: 'U[0-9A-Z]{8}', contextWords: ['member'] } };
    expect(found('member U12AB34CD flagged', config)).toEqual([['PLATFORM_USER_ID', 'U12AB34CD']]);
    expect(found('uid 7723019457', config)).toEqual([]);
  });
});
