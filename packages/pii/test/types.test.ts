import { describe, expect, it } from 'vitest';
import { ENTITY_TYPES } from '../src/index.ts';
import { found, typesIn } from './helpers.ts';

// One positive and at least one hard negative per built-in type (SPEC R1, R11-R24).
const cases: Array<{ type: string; rule: string; positive: string; value: string; negatives: string[] }> = [
  {
    type: 'EMAIL_ADDRESS',
    rule: 'R1',
    positive: 'reply to jane.doe+tns@example.co.uk please',
    value: 'jane.doe+tns@example.co.uk',
    negatives: ['ping @jane in #support', 'git@github.com:org/repo.git', 'installed pkg@1.2.3'],
  },
  {
    type: 'PHONE_NUMBER',
    rule: 'R17',
    positive: 'call her on (415) 555-2671',
    value: '(415) 555-2671',
    negatives: ['order 4155552671 shipped', 'released on 2024-03-12', 'build 20240312'],
  },
  {
    type: 'IP_ADDRESS',
    rule: 'R1',
    positive: 'login from 203.0.113.45 at 3am',
    value: '203.0.113.45',
    negatives: ['upgrade to version 1.2.3.4', 'netmask 255.255.255.0', 'oid 1.3.6.1.4.1'],
  },
  {
    type: 'MAC_ADDRESS',
    rule: 'R1',
    positive: 'wifi mac 00:1A:2B:3C:4D:5E',
    value: '00:1A:2B:3C:4D:5E',
    negatives: ['time 12:30:45', 'null 00:00:00:00:00:00'],
  },
  {
    type: 'CREDIT_CARD',
    rule: 'R1',
    positive: 'card 4111 1111 1111 1111 exp 12/27',
    value: '4111 1111 1111 1111',
    negatives: ['card 4111 1111 1111 1112', 'ref 1234567812345678'],
  },
  {
    type: 'IBAN_CODE',
    rule: 'R1',
    positive: 'refund to GB82 WEST 1234 5698 7654 32',
    value: 'GB82 WEST 1234 5698 7654 32',
    negatives: ['refund to GB82 WEST 1234 5698 7654 33'],
  },
  {
    type: 'US_SSN',
    rule: 'R12',
    positive: 'SSN: 536-22-8714',
    value: '536-22-8714',
    negatives: ['SSN 666-12-3456', 'ticket 536228714', 'SSN 000-12-3456'],
  },
  {
    type: 'US_DRIVER_LICENSE',
    rule: 'R13',
    positive: "California driver's license D1234567",
    value: 'D1234567',
    negatives: ['the number D1234567', 'license key D1234567', 'public record 12345678'],
  },
  {
    type: 'US_PASSPORT',
    rule: 'R1',
    positive: 'US passport number 912803456',
    value: '912803456',
    negatives: ['order number 912803456'],
  },
  {
    type: 'UK_NINO',
    rule: 'R14',
    positive: 'NI number AB 12 34 56 C',
    value: 'AB 12 34 56 C',
    negatives: ['code GB123456A', 'part QQ123456C'],
  },
  {
    type: 'UK_DRIVING_LICENCE',
    rule: 'R15',
    positive: 'DVLA licence MORGA753116SM9IJ',
    value: 'MORGA753116SM9IJ',
    negatives: ['sku MORGA753916SM9IJ'],
  },
  {
    type: 'UK_NHS',
    rule: 'R11',
    positive: 'NHS number 943 476 5919',
    value: '943 476 5919',
    negatives: ['ref 943 476 5919', 'NHS number 943 476 5918'],
  },
  {
    type: 'AU_TFN',
    rule: 'R11',
    positive: 'my TFN is 123 456 782',
    value: '123 456 782',
    negatives: ['invoice 123 456 782', 'TFN 123 456 789'],
  },
  {
    type: 'AU_MEDICARE',
    rule: 'R11',
    positive: 'Medicare card 2123 45670 1',
    value: '2123 45670 1',
    negatives: ['ticket 2123 45670 1', 'Medicare 2123 45679 1'],
  },
  {
    type: 'SA_NATIONAL_ID',
    rule: 'R11',
    positive: 'Iqama 2000000006',
    value: '2000000006',
    negatives: ['order 2000000006', 'Iqama 2000000007'],
  },
  {
    type: 'DATE_OF_BIRTH',
    rule: 'R18',
    positive: 'DOB: 12 March 1985',
    value: '12 March 1985',
    negatives: ['meeting on 12 March 1985', 'DOB: 31/02/1985'],
  },
  {
    type: 'PERSON',
    rule: 'R23',
    positive: 'the reporter is Maria Garcia from Austin',
    value: 'Maria Garcia',
    negatives: ['I bought a Calvin Klein shirt', 'Thanks Team', 'New York Times', 'URGENT REVIEW NEEDED'],
  },
  {
    type: 'STREET_ADDRESS',
    rule: 'R24',
    positive: 'ship to 1600 Pennsylvania Avenue NW, Washington, DC 20500',
    value: '1600 Pennsylvania Avenue NW, Washington, DC 20500',
    negatives: ['top 10 drive tips', 'in 2 days'],
  },
  {
    type: 'DEVICE_ID',
    rule: 'R20',
    positive: 'IDFA 6D92078A-8246-4BA4-AE5B-76104861E7DC',
    value: '6D92078A-8246-4BA4-AE5B-76104861E7DC',
    negatives: ['request 6D92078A-8246-4BA4-AE5B-76104861E7DC failed'],
  },
  {
    type: 'PLATFORM_USER_ID',
    rule: 'R21',
    positive: 'uid 7723019457 was banned',
    value: '7723019457',
    negatives: ['order 7723019457 shipped'],
  },
  {
    type: 'GEO_COORDINATES',
    rule: 'R19',
    positive: 'last seen at 40.7128, -74.0060',
    value: '40.7128, -74.0060',
    negatives: ['prices 1.25, 3.50', 'ratio 12.5, 3.25'],
  },
  {
    type: 'CRYPTO_WALLET',
    rule: 'R1',
    positive: 'send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    value: '1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa',
    negatives: ['send to 1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb'],
  },
  {
    type: 'SECRET',
    rule: 'R22',
    positive: 'leaked ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 in chat',
    value: 'ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789',
    negatives: ['password: ********', 'the password is wrong'],
  },
];

describe('built-in entity types', () => {
  it('R1: exposes exactly the entity type names of the issue', () => {
    expect(ENTITY_TYPES).toHaveLength(24);
    expect(new Set([...cases.map((c) => c.type), 'PASSPORT_MRZ'])).toEqual(new Set(ENTITY_TYPES));
  });
  for (const c of cases) {
    it(`${c.rule}: ${c.type} detects "${c.value}"`, () => {
      expect(found(c.positive)).toContainEqual([c.type, c.value]);
    });
    for (const negative of c.negatives) {
      it(`${c.rule}: ${c.type} is not reported in "${negative}"`, () => {
        expect(typesIn(negative)).not.toContain(c.type);
      });
    }
  }
  it('R16: PASSPORT_MRZ spans both TD3 lines when every check digit holds', () => {
    const mrz = 'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10';
    expect(found(`scan:\n${mrz}\nthanks`)).toEqual([['PASSPORT_MRZ', mrz]]);
  });
  it('R16: PASSPORT_MRZ rejects lines whose check digits fail', () => {
    expect(
      typesIn('P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C46UTO7408132F1204169ZE184226B<<<<<17'),
    ).not.toContain('PASSPORT_MRZ');
  });
  it('R16: PASSPORT_MRZ finds a TD1 identity card', () => {
    const td1 =
      'I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<';
    expect(found(td1)).toEqual([['PASSPORT_MRZ', td1]]);
  });
});
