import { luhnValid } from '../tasks/moderate/pii';

/**
 * Redacts personal data in text that leaves the conversation itself: notification payloads (which
 * go to webhooks) and anything logged. Same shapes as moderation's PII checks: e-mails, card
 * numbers (Luhn-checked), US SSNs, IBAN-like strings, phone numbers.
 */
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const CARD = /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g;
const SSN = /(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g;
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?(?:\(\d{1,4}\)[ .-]?)?\d{1,4}(?:[ .-]?\d{2,4}){1,4}|\(\d{3}\) ?\d{3}[ .-]\d{4}|\d{3}[.-]\d{3}[.-]\d{4})(?![\w-])/g;

export function redactPii(text: string): string {
  return redactPaymentData(text)
    .replace(EMAIL, '[email]')
    .replace(PHONE, (match) => (match.replace(/\D/g, '').length >= 8 ? '[phone]' : match));
}

/**
 * Card numbers, SSNs and IBANs: no support answer needs them, and keeping them is a liability
 * (PCI DSS forbids storing card numbers in clear). Removed from a customer's message before it is
 * moderated, sent to any model or stored; e-mails and phone numbers stay — support needs them.
 */
export function redactPaymentData(text: string): string {
  return text
    .replace(CARD, (match) => (luhnValid(match.replace(/\D/g, '')) ? '[card]' : match))
    .replace(SSN, '[ssn]')
    .replace(IBAN, '[iban]');
}
