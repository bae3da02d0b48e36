import { estimateTokens } from '../../providers/pricing';
import { asTextList } from '../text-input';
import type { TaskDefinition } from '../types';
import { entitiesModels } from './models';
import { huggingFaceEntities, localEntities } from './providers';
import type { EntitiesOptions, EntitiesRequest, EntitiesResult } from './schema';
import { typeFilter } from './types';

export const entitiesTask: TaskDefinition<EntitiesRequest, string, EntitiesResult, EntitiesOptions> = {
  name: 'entities',
  cacheTtlSeconds: 7 * 24 * 60 * 60,
  items: (input) => asTextList(input.text),
  // Not NFC-normalised: offsets point into the text exactly as sent, so "é" and "e + ◌́" differ.
  canonicalItem: (text) => text,
  options: (input) => typeFilter(input.types),
  units: estimateTokens,
  providers: [huggingFaceEntities, localEntities],
  models: entitiesModels,
};
