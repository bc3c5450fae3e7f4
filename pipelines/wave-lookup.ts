import { findWave as findWaveRow } from '../src/load';
import type { Services } from './services';

/** The wave of that name, or undefined. */
export async function findWave(services: Services, name: string): Promise<{ id: number; name: string } | undefined> {
  return findWaveRow(services.target, name);
}
