import { tokensWithAt, typesOfTokens } from '../../providers/local/wink';

/**
 * Personal data the local tier finds, with a confidence per kind: e-mail addresses from
 * wink-nlp's tokenizer; numbers by shape AND a checksum where one exists (Luhn for cards,
 * mod-97 for IBANs), which keeps order numbers and dates from passing as card numbers.
 */
export type PiiCategory = 'pii.email' | 'pii.phone' | 'pii.credit_card' | 'pii.ssn' | 'pii.iban';

export const PII_CONFIDENCE: Readonly<Record<PiiCategory, number>> = {
  'pii.email': 0.99,
  'pii.credit_card': 0.95,
  'pii.iban': 0.95,
  'pii.ssn': 0.9,
  'pii.phone': 0.85,
};

/** 13–19 digits, optionally grouped by spaces or dashes, starting like a card brand's IIN (2–6). */
const CARD = /(?<![\d-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d-])/g;
/** US SSN, AAA-GG-SSSS, without the never-issued area/group/serial values. */
const SSN = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
/** Country code, check digits, then 11–30 letters/digits, optionally in groups of four. */
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
/** International (+CC …, 8–15 digits) or North American ((415) 555-0132, 415-555-0132, 415.555.0132). */
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w-])/g;

const digitsOf = (text: string) => text.replace(/\D/g, '');

/**
 * wink's tokenizer (which finds the e-mail addresses) reads at most this many work units of a text
 * (providers/local/bounds.ts): all of an ordinary 8,000-character message (~2,150–2,280 for one dense
 * with prices, times and addresses), the start of one made of nothing but tokens wink splits the
 * slow way. The number patterns read every text whole; they are linear.
 */
export const LOCAL_PII_UNITS = 2_330;
/**
 * wink reads only the raw tokens of that window that hold an `@` (wink.ts's tokensWithAt: the same
 * e-mail addresses, a fraction of the work). The work units of those tokens one request's texts are
 * read for in all (tasks/local-window.ts): what keeps the model's work on the largest legal request
 * within the CPU bound (docs/security.md#bounded-work); ordinary text holds few of them.
 */
export const LOCAL_PII_REQUEST_UNITS = 6_000;

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  const rearranged = `${iban.slice(4)}${iban.slice(0, 4)}`;
  let remainder = 0;
  for (const char of rearranged) {
    const value = /\d/.test(char) ? char : String(char.charCodeAt(0) - 55);
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/**
 * The kinds of personal data in a text (each kind once); e-mail addresses among the raw tokens with
 * an `@` in its window, as many as fit `atUnits` (all, unless a request's texts share its budget).
 */
export function findPii(text: string, atUnits = Infinity): PiiCategory[] {
  const found = new Set<PiiCategory>();
  if (typesOfTokens(tokensWithAt(text, LOCAL_PII_UNITS, atUnits).tokens).includes('email')) found.add('pii.email');

  const cards = [...text.matchAll(CARD)].map((match) => match[0]).filter((candidate) => {
    const digits = digitsOf(candidate);
    return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
  });
  if (cards.length > 0) found.add('pii.credit_card');
  if (SSN.test(text)) found.add('pii.ssn');
  SSN.lastIndex = 0;
  if ([...text.matchAll(IBAN)].some((match) => ibanValid(match[0]))) found.add('pii.iban');

  const phones = [...text.matchAll(PHONE)].map((match) => match[0]).filter((candidate) => {
    const digits = digitsOf(candidate);
    // A card number already reported is not also a phone number.
    return digits.length >= 8 && digits.length <= 15 && !cards.some((card) => digitsOf(card) === digits);
  });
  if (phones.length > 0) found.add('pii.phone');
  return [...found];
}
