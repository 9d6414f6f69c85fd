/** Checksums and structural checks shared by recognizers. Inputs are ASCII digit strings unless noted. */

export function digitsOnly(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) out += s[i];
  }
  return out;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** True when every digit is the same, or the digits are a plain ascending/descending run. */
export function isTrivialSequence(digits: string): boolean {
  if (/^(\d)\1*$/.test(digits)) return true;
  let asc = true;
  let desc = true;
  for (let i = 1; i < digits.length; i++) {
    const step = digits.charCodeAt(i) - digits.charCodeAt(i - 1);
    if (step !== 1 && step !== -9) asc = false;
    if (step !== -1 && step !== 9) desc = false;
  }
  return asc || desc;
}

/** ISO 13616 mod-97 check on an IBAN with separators already removed. */
export function ibanMod97Valid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (let i = 0; i < rearranged.length; i++) {
    const c = rearranged.charCodeAt(i);
    let value: number;
    if (c >= 48 && c <= 57) value = c - 48;
    else if (c >= 65 && c <= 90) value = c - 55;
    else return false;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** Weighted-sum check used by NHS numbers: weights 10..2, check = 11 - sum mod 11 (11 -> 0, 10 invalid). */
export function nhsValid(digits: string): boolean {
  if (digits.length !== 10) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

/** Australian Tax File Number: weighted sum divisible by 11 (8- and 9-digit forms). */
export function tfnValid(digits: string): boolean {
  const weights =
    digits.length === 9
      ? [1, 4, 3, 7, 5, 8, 6, 9, 10]
      : digits.length === 8
        ? [10, 7, 8, 4, 6, 3, 5, 1]
        : null;
  if (!weights) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] as number);
  return sum % 11 === 0;
}

/** Australian Medicare card: first digit 2-6, digit 9 = weighted sum of digits 1-8 mod 10. */
export function medicareValid(digits: string): boolean {
  if (digits.length !== 10 && digits.length !== 11) return false;
  const first = digits.charCodeAt(0) - 48;
  if (first < 2 || first > 6) return false;
  const weights = [1, 3, 7, 9, 1, 3, 7, 9];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (digits.charCodeAt(i) - 48) * (weights[i] as number);
  if (sum % 10 !== digits.charCodeAt(8) - 48) return false;
  // Issue number (10th digit) is 1..9 on real cards.
  return digits[9] !== '0';
}

/** Saudi national ID / Iqama: 10 digits, starts with 1 (citizen) or 2 (resident), Luhn-style check. */
export function saudiIdValid(digits: string): boolean {
  if (digits.length !== 10 || (digits[0] !== '1' && digits[0] !== '2')) return false;
  return luhnValid(digits);
}

/** ICAO 9303 check digit over [0-9A-Z<] with weights 7,3,1. */
export function mrzCheckDigit(field: string): number {
  const weights = [7, 3, 1];
  let sum = 0;
  for (let i = 0; i < field.length; i++) {
    const c = field.charCodeAt(i);
    let v = 0;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 55;
    sum += v * (weights[i % 3] as number);
  }
  return sum % 10;
}

export function mrzCheckOk(field: string, check: string): boolean {
  const expected = mrzCheckDigit(field);
  // A '<' check digit stands for 0 in optional fields.
  return check === '<' ? expected === 0 : check.charCodeAt(0) - 48 === expected;
}

export function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = [
    31,
    year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ];
  return day <= (days[month - 1] as number);
}
