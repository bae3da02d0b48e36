/** How many names a message lists before "and N more": a warning about a full batch stays short. */
export const NAMED_IN_MESSAGE = 10;

/** `a, b, c` — or the first `max` and "and N more" — for messages that name what they are about. */
export function namedList(names: string[], max = NAMED_IN_MESSAGE): string {
  const listed = names.slice(0, max).join(', ');
  return names.length > max ? `${listed} and ${names.length - max} more` : listed;
}
