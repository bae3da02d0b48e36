export function positiveProbability(text: string): number;
export function directive(text: string, prefix: string): string | undefined;
