// Global setup of the browser project: unpack the packaged Chromium once before the test files
// start, instead of in each file that launches a browser (they would race and repeat the work).
import { chromiumLaunchOptions } from './browser';

export default async function setup(): Promise<void> {
  await chromiumLaunchOptions();
}
