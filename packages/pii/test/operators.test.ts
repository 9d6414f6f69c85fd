import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anonymise, createDetector, keyedHash, keyedHashAsync, maskValue } from '../src/index.ts';

const KEY = 'an-example-key-of-32-bytes-long!';

describe('operators (R10)', () => {
  const detector = createDetector();
  const text = 'card 4111 1111 1111 1111, mail ana@example.org, SSN 536-22-8714';
  const findings = detector.scan(text);

  it('R10: mask keeps a safe suffix and the separators', () => {
    expect(anonymise(text, findings, { kind: 'mask' })).toBe(
      'card **** **** **** 1111, mail ***@example.org, SSN ***-**-****',
    );
    expect(maskValue('+44 7700 900123', 'PHONE_NUMBER')).toBe('+** **** ****23');
    expect(maskValue('12', 'CREDIT_CARD', '#', 4)).toBe('##');
  });
  it('R10: redact replaces with the type name or a given text', () => {
    expect(anonymise(text, findings, { kind: 'redact' })).toBe(
      'card [CREDIT_CARD], mail [EMAIL_ADDRESS], SSN [US_SSN]',
    );
    expect(
      anonymise(text, findings, (f) => (f.type === 'US_SSN' ? { kind: 'redact', replacement: '█' } : null)),
    ).toBe('card 4111 1111 1111 1111, mail ana@example.org, SSN █');
  });
  it('R10: tokenise uses the caller-supplied token', () => {
    let n = 0;
    const out = anonymise(text, findings, { kind: 'tokenise', token: (f) => `{{vault:${f.type}:${++n}}}` });
    // Applied right to left, so the last finding gets the first token.
    expect(out).toBe('card {{vault:CREDIT_CARD:3}}, mail {{vault:EMAIL_ADDRESS:2}}, SSN {{vault:US_SSN:1}}');
  });
  it('R10: keyed hash is HMAC-SHA-256, identical in the sync and WebCrypto forms', async () => {
    expect(keyedHash('what do ya want for nothing?', 'Jefe'.repeat(4))).toBe(
      createHmac('sha256', 'Jefe'.repeat(4)).update('what do ya want for nothing?').digest('hex'),
    );
    const sync = keyedHash('536-22-8714', KEY);
    expect(await keyedHashAsync('536-22-8714', KEY)).toBe(sync);
    expect(keyedHash('536-22-8714', KEY)).toBe(sync);
    expect(keyedHash('536-22-8715', KEY)).not.toBe(sync);
    expect(
      anonymise('SSN 536-22-8714', detector.scan('SSN 536-22-8714'), {
        kind: 'keyedHash',
        key: KEY,
        length: 16,
        prefix: 'h:',
      }),
    ).toBe(`SSN h:${sync.slice(0, 16)}`);
  });
  it('R10: keyed hash refuses short keys', () => {
    expect(() => keyedHash('x', 'short')).toThrow(/16 bytes/);
  });
  it('R10: overlapping or out-of-range findings are skipped, never corrupting the text', () => {
    const bogus = [
      { type: 'X', start: 0, end: 4, score: 1, detector: 't', explanation: '' },
      { type: 'X', start: 2, end: 6, score: 1, detector: 't', explanation: '' },
    ];
    expect(anonymise('abcdefgh', bogus, { kind: 'redact', replacement: '#' })).toBe('ab#gh');
  });
});
