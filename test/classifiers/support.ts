import { call, json } from '../support/api';

/** A small hand-written training set: three support queues, six tickets each. */
export const SUPPORT_EXAMPLES = [
  ['I was charged twice for my subscription this month', 'billing'],
  ['Why is there an extra fee on my invoice?', 'billing'],
  ['My credit card payment keeps getting declined', 'billing'],
  ['Please send me a VAT invoice for last quarter', 'billing'],
  ['The price on my bill is higher than the plan I chose', 'billing'],
  ['How do I update the card you charge every month', 'billing'],
  ['Where is my parcel? It was due on Tuesday', 'shipping'],
  ['The tracking number has not updated in a week', 'shipping'],
  ['Do you deliver to Canada and how long does it take', 'shipping'],
  ['The courier says my address could not be found', 'shipping'],
  ['My package shows delivered but it never arrived', 'shipping'],
  ['Can I get the order delivered on Saturday', 'shipping'],
  ['I cannot log in, it says my password is wrong', 'account'],
  ['The password reset email never arrives', 'account'],
  ['My account is locked after too many attempts', 'account'],
  ['I lost my phone and cannot get the two factor code', 'account'],
  ['How do I change the email address I sign in with', 'account'],
  ['Someone else logged into my account from abroad', 'account'],
].map(([text, label]) => ({ text: text!, label: label! }));

export const createClassifier = (auth: Record<string, string>, body: unknown) => call('/v1/classifiers', { headers: auth, body });
export const classifyWith = (auth: Record<string, string>, classifier: string, text: string | string[]) => call('/v1/classify', { headers: auth, body: { text, classifier } });

/** A trained classifier of the tenant's (fails the test unless it is created ready). */
export async function trainedClassifier(auth: Record<string, string>, examples = SUPPORT_EXAMPLES): Promise<any> {
  const response = await createClassifier(auth, { name: 'support', examples });
  const body = await json(response);
  if (response.status !== 201) throw new Error(`creating the classifier failed: ${response.status} ${JSON.stringify(body)}`);
  return body;
}

/**
 * A large set that is queued (more than the inline limit): two queues with word-distinct tickets
 * (`n` each), numbered so no text repeats.
 */
export function largeSet(n: number) {
  const billing = ['invoice', 'charged', 'payment', 'refund of fee', 'card declined'];
  const shipping = ['parcel', 'courier', 'tracking', 'delivery', 'package'];
  return Array.from({ length: n }, (_, i) => [
    { text: `Question ${i} about my ${billing[i % billing.length]} this month`, label: 'billing' },
    { text: `Question ${i} about the ${shipping[i % shipping.length]} of my order`, label: 'shipping' },
  ]).flat();
}
