/**
 * `MixSchedule`: which method and α each iteration uses, from the model config, as OpenMixup's
 * `MixUpClassification.forward_mix`:
 * - `mix_mode` (a name or a list) and `alpha` (a number or a list of the same length; one number is used for every
 *   mode) pair up; each iteration picks one index uniformly, or with the weights `mix_prob` (same length, >= 0,
 *   summing to 1);
 * - `mix_repeat` (integer >= 1) repeats the pick in the same iteration on the same images, the engine summing the losses each divided by the
 *   number of repeats; a method that does not mix (catalog kind `none`: `vanilla`), once picked, leaves the candidates
 *   of that iteration;
 * - `mix_args[name]` is read once, here, by the method's `parseArgs`: the catalog's `args` (`src/config/methods.ts`)
 *   give the defaults and bounds; errors name `model.mix_args.<method>.<field>`.
 * A learned mixer (automix, samix: its own classifier, `model.type: "AutoMixup"`) is a usage error here, and a mode
 * that is registered but not implemented a not-implemented error, both when the run is built.
 */
import {notImplemented, usageError} from '../errors';
import type {Rng} from '../rng';
import {mixesNothing} from '../config/methods';
import type {ModelConfig} from '../config/schema';
import {learnedAsMixModeError} from './learned';
import type {MixRegistry} from './registry';
import type {Batch, MixMethod, MixOutput, ModelHooks} from './types';

/** The mixing part of a validated `MixUpClassification` model config. */
export type ModelMixConfig = Pick<ModelConfig, 'mix_mode' | 'alpha' | 'mix_prob' | 'mix_repeat' | 'mix_args'>;

/** One candidate of the schedule: a method with its α and validated arguments. */
export interface ScheduledMix {
  name: string;
  method: MixMethod;
  alpha: number;
  args: Record<string, unknown>;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Picks the method and α of each iteration from the model config (see the module comment). */
export class MixSchedule {
  /** the candidates, in `mix_mode` order */
  readonly entries: readonly ScheduledMix[];
  /** picks per iteration (`mix_repeat`) */
  readonly repeat: number;
  private readonly weights?: number[];

  /**
   * @param model the model config (`mix_mode`, `alpha`, `mix_prob`, `mix_repeat`, `mix_args`)
   * @param registry the method registry (`registry` of `src/mixups/index.ts`)
   * @throws MixupError (usage) naming the field or a learned mixer, or (notImplemented) for a mode that is not implemented
   */
  constructor(model: ModelMixConfig, registry: MixRegistry) {
    // the shapes, lengths and bounds of these fields are the schema's and validate's (`loadConfig`); only the
    // registry's own questions (is the method there, implemented, not learned) are asked here
    const modes = asList(model.mix_mode);
    const alphas = asList(model.alpha);
    const mixArgs = model.mix_args;
    for (const key of Object.keys(mixArgs)) {
      if (!registry.has(key)) throw usageError(`model.mix_args.${key}: unknown method "${key}"; known methods: ${registry.names().join(', ')}`);
    }
    this.entries = modes.map((name, i) => {
      const method = registry.get(name);
      if (method.learned) throw learnedAsMixModeError(name);
      if (!method.implemented) {
        throw notImplemented(`model.mix_mode: "${name}" is registered but not implemented; usable as mix_mode: ${registry.names().filter((n) => registry.get(n).implemented && !registry.get(n).learned).join(', ')}`);
      }
      const given = mixArgs[name] ?? {};
      const args = method.parseArgs ? method.parseArgs(given) : given;
      return {name, method, alpha: alphas.length === 1 ? alphas[0] : alphas[i], args};
    });
    if (model.mix_prob !== null) this.weights = [...model.mix_prob];
    this.repeat = model.mix_repeat;
  }

  /** Model hooks any candidate needs (the engine must provide them or refuse to start). */
  get needs(): Array<keyof ModelHooks> {
    return [...new Set(this.entries.flatMap((e) => e.method.needs ?? []))];
  }

  /** The candidates of one iteration: `repeat` picks (uniform or by `mix_prob`); a kind-`none` method leaves after its pick. */
  pick(rng: Rng): ScheduledMix[] {
    let candidates = this.entries.map((_, i) => i);
    const picks: ScheduledMix[] = [];
    for (let r = 0; r < this.repeat; r++) {
      const weights = this.weights ? candidates.map((i) => this.weights![i]) : undefined;
      const usable = !weights || weights.some((w) => w > 0);
      const index = candidates[rng.choice(candidates.length, usable ? weights : undefined)];
      const entry = this.entries[index];
      picks.push(entry);
      if (mixesNothing(entry.name) && candidates.length > 1) candidates = candidates.filter((i) => i !== index);
    }
    return picks;
  }

  /** Picks and mixes one batch: one output per repeat (each on the same input images). */
  async mix(batch: Batch, rng: Rng, hooks?: ModelHooks): Promise<MixOutput[]> {
    const outputs: MixOutput[] = [];
    for (const e of this.pick(rng)) outputs.push(await e.method.mix(batch, {rng, alpha: e.alpha, args: e.args, hooks}));
    return outputs;
  }
}
