import type { CatalogModel } from '../../providers/pricing';

export const languageModels: CatalogModel[] = [
  {
    id: 'minnow/eld-xs-60',
    task: 'language',
    provider: 'local',
    description:
      'Efficient Language Detector (eld 2.1.0, extra-small n-gram database) inside the Worker: 60 languages, ISO 639-1 codes. ' +
      'Indonesian is reported as Malay (ms); Swahili and Esperanto are not covered. Text with no language → "und"',
    price: { unit: 'input_token', usd_per_million: 0, source: 'free' },
  },
];
