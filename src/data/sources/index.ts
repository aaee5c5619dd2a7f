/**
 * The data-source registry: `data_source.type` -> reader. One explicit `Map`, no name guessing; an unknown type lists
 * the known ones.
 */
import {usageError} from '../../errors';
import {Fields, reqString} from '../fields';
import type {Dataset} from '../types';
import {aircraftSource} from './aircraft';
import {cub200Source} from './cub200';
import {fashionMnistSource} from './fashion-mnist';
import {imageFolderSource} from './image-folder';
import {imageListSource} from './image-list';
import {inaturalistSource} from './inaturalist';
import {mnistSource} from './mnist';
import {places205Source} from './places205';
import {syntheticSource} from './synthetic';

/** Builds a dataset from a validated `data_source` object for the loader's split. */
export type SourceFactory = (f: Fields, loaderSplit: 'train' | 'val') => Dataset;

/** Every data source by its config name. */
export const SOURCES: ReadonlyMap<string, SourceFactory> = new Map<string, SourceFactory>([
  ['ImageList', imageListSource],
  ['ImageNet', imageListSource],
  ['CUB200', cub200Source],
  ['Aircraft', aircraftSource],
  ['INaturalist', inaturalistSource],
  ['Places205', places205Source],
  ['ImageFolder', imageFolderSource],
  ['MNIST', mnistSource],
  ['FashionMNIST', fashionMnistSource],
  ['Synthetic', syntheticSource],
]);

/** Reads the dataset a `data_source` object describes. */
export function openSource(f: Fields, loaderSplit: 'train' | 'val'): Dataset {
  const type = reqString(f, 'type');
  const factory = SOURCES.get(type);
  if (!factory) throw usageError(`${f.at}.type ${JSON.stringify(type)} is not a known data source; known: ${[...SOURCES.keys()].join(', ')}`);
  return factory(f, loaderSplit);
}
