type Eld = (typeof import('eld/extrasmall'))['eld'];
let detector: Promise<Eld> | undefined;

/**
 * The language detector (eld, extra-small database: 60 languages), imported on first use, not at
 * Worker start-up: the n-gram database (~1.3 MB of JavaScript) is only evaluated in isolates that
 * detect a language — the language task, and the English-only check of the local tier's English
 * models (tasks/english-only.ts).
 */
export function eldDetector(): Promise<Eld> {
  detector ??= import('eld/extrasmall').then((module) => module.eld);
  return detector;
}
