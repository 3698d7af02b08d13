// Card number, expiry and CVC checks done while the payer types. The provider checks again at
// tokenisation; these only spare the payer a round trip and give clear messages early.

export type Brand =
  | 'visa'
  | 'mastercard'
  | 'amex'
  | 'dinacard'
  | 'discover'
  | 'diners'
  | 'jcb'
  | 'unionpay'
  | 'maestro'
  | 'unknown';

interface BrandRule {
  brand: Exclude<Brand, 'unknown'>;
  /** Does a prefix of the digits belong to the brand? */
  matches: (digits: string) => boolean;
  lengths: number[];
  cvc: number;
  /** Group sizes for display. */
  groups: number[];
}

const inRange = (digits: string, size: number, low: number, high: number): boolean => {
  if (digits.length < size) return false;
  const n = Number(digits.slice(0, size));
  return n >= low && n <= high;
};

const FOURS = [4, 4, 4, 4, 3];

// Order matters: the more specific prefixes come first (DinaCard 9891 before anything broader).
const RULES: BrandRule[] = [
  { brand: 'dinacard', matches: (d) => d.startsWith('9891') || inRange(d, 6, 655670, 655697), lengths: [16], cvc: 3, groups: FOURS },
  { brand: 'amex', matches: (d) => /^3[47]/.test(d), lengths: [15], cvc: 4, groups: [4, 6, 5] },
  { brand: 'diners', matches: (d) => /^3(0[0-5]|09|[68])/.test(d), lengths: [14, 16, 19], cvc: 3, groups: [4, 6, 4, 5] },
  { brand: 'jcb', matches: (d) => inRange(d, 4, 3528, 3589), lengths: [16, 17, 18, 19], cvc: 3, groups: FOURS },
  { brand: 'visa', matches: (d) => d.startsWith('4'), lengths: [13, 16, 19], cvc: 3, groups: FOURS },
  { brand: 'mastercard', matches: (d) => inRange(d, 2, 51, 55) || inRange(d, 4, 2221, 2720), lengths: [16], cvc: 3, groups: FOURS },
  { brand: 'discover', matches: (d) => /^(6011|64[4-9]|65)/.test(d), lengths: [16, 17, 18, 19], cvc: 3, groups: FOURS },
  { brand: 'unionpay', matches: (d) => d.startsWith('62'), lengths: [16, 17, 18, 19], cvc: 3, groups: FOURS },
  { brand: 'maestro', matches: (d) => /^(5[06-9]|6)/.test(d), lengths: [12, 13, 14, 15, 16, 17, 18, 19], cvc: 3, groups: FOURS },
];

const UNKNOWN = { lengths: [12, 13, 14, 15, 16, 17, 18, 19], cvc: 3, groups: FOURS };

/** Display names of the brands, the same in every language. */
export const BRAND_NAMES: Record<Brand, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  dinacard: 'DinaCard',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  unknown: '',
};

/** Keeps only the digits of what the payer typed or pasted. */
export function digitsOnly(value: string): string {
  return value.replace(/\D/g, '');
}

function ruleFor(digits: string): BrandRule | undefined {
  return RULES.find((r) => r.matches(digits));
}

/** The card brand recognised from the number's first digits. */
export function detectBrand(number: string): Brand {
  return ruleFor(digitsOnly(number))?.brand ?? 'unknown';
}

/** The longest number the brand allows (19 when unknown). */
export function maxLength(brand: Brand): number {
  const rule = RULES.find((r) => r.brand === brand) ?? UNKNOWN;
  return Math.max(...rule.lengths);
}

/** The CVC length of the brand: 4 for American Express, 3 otherwise. */
export function cvcLength(brand: Brand): number {
  return (RULES.find((r) => r.brand === brand) ?? UNKNOWN).cvc;
}

/** The Luhn (mod 10) checksum test. */
export function luhnValid(number: string): boolean {
  const digits = digitsOnly(number);
  if (digits.length === 0) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Groups the digits for display: "4242 4242 4242 4242", Amex "3782 822463 10005". */
export function formatCardNumber(value: string): string {
  const brand = detectBrand(value);
  const rule = RULES.find((r) => r.brand === brand) ?? UNKNOWN;
  const digits = digitsOnly(value).slice(0, maxLength(brand));
  const parts: string[] = [];
  let at = 0;
  for (const size of rule.groups) {
    if (at >= digits.length) break;
    parts.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) parts.push(digits.slice(at));
  return parts.join(' ');
}

export type NumberProblem = 'required' | 'incomplete' | 'invalid';

/** Checks a card number; `final` means the payer has left the field or is submitting. */
export function checkNumber(value: string, final: boolean): NumberProblem | null {
  const digits = digitsOnly(value);
  const brand = detectBrand(digits);
  const lengths = (RULES.find((r) => r.brand === brand) ?? UNKNOWN).lengths;
  if (digits.length === 0) return final ? 'required' : null;
  const complete = lengths.includes(digits.length);
  // While typing, a number is judged once it reaches the length most cards of the brand have
  // (16, or 15 for American Express, 14 for Diners Club): earlier would flag half-typed numbers.
  const usual = lengths.includes(16) ? 16 : Math.min(...lengths);
  if (!final && digits.length < usual) return null;
  if (!complete) return 'incomplete';
  return luhnValid(digits) ? null : 'invalid';
}

/** Formats the expiry as MM/YY while typing: "1" stays, "13" → "01/3", "0126" → "01/26". */
export function formatExpiry(value: string): string {
  // Autofill may bring a four-digit year: "01/2029" or "1-2029".
  const full = /^\s*(\d{1,2})\s*[/-]\s*(\d{4})\s*$/.exec(value);
  if (full) return full[1].padStart(2, '0') + '/' + full[2].slice(2);
  let digits = digitsOnly(value);
  // A first digit above 1 can only be a one-digit month.
  if (digits.length >= 1 && digits[0] > '1') digits = '0' + digits;
  if (digits.length >= 2 && digits[0] === '1' && digits[1] > '2') digits = '0' + digits;
  digits = digits.slice(0, 4);
  if (digits.length <= 2) return digits.length === 2 && value.includes('/') ? digits + '/' : digits;
  return digits.slice(0, 2) + '/' + digits.slice(2);
}

/** Month (1–12) and four-digit year of an MM/YY expiry, or null when malformed. */
export function parseExpiry(value: string): { month: number; year: number } | null {
  const m = /^\s*(\d{1,2})\s*\/\s*(\d{2}|\d{4})\s*$/.exec(value);
  if (!m) return null;
  const month = Number(m[1]);
  const year = m[2].length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  if (month < 1 || month > 12) return null;
  return { month, year };
}

export type ExpiryProblem = 'required' | 'invalid' | 'past' | 'too_far';

/** Checks an MM/YY expiry against today; a card is valid through the last day of its month. */
export function checkExpiry(value: string, final: boolean, now: Date = new Date()): ExpiryProblem | null {
  const digits = digitsOnly(value);
  if (digits.length === 0) return final ? 'required' : null;
  if (!final && digits.length < 4) return null;
  const parsed = parseExpiry(value);
  if (!parsed) return 'invalid';
  const thisMonth = now.getFullYear() * 12 + now.getMonth();
  const cardMonth = parsed.year * 12 + (parsed.month - 1);
  if (cardMonth < thisMonth) return 'past';
  if (cardMonth > thisMonth + 12 * 20) return 'too_far';
  return null;
}

export type CvcProblem = 'required' | 'invalid';

/** Checks the CVC length for the brand (4 digits for American Express, 3 otherwise). */
export function checkCvc(value: string, brand: Brand, final: boolean): CvcProblem | null {
  if (value.length === 0) return final ? 'required' : null;
  if (!/^\d*$/.test(value)) return 'invalid';
  const want = cvcLength(brand);
  if (value.length > want) return 'invalid';
  if (value.length < want) return final ? 'invalid' : null;
  return null;
}

export type NameProblem = 'required';

/** The cardholder name must not be empty. */
export function checkName(value: string, final: boolean): NameProblem | null {
  return final && value.trim().length === 0 ? 'required' : null;
}
