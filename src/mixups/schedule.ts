/**
 * `MixSchedule`: which method and α each iteration uses, from the model config, as OpenMixup's
 * `MixUpClassification.forward_mix`:
 * - `mix_mode` (a name or a list) and `alpha` (a number or a list of the same length; one number is used for every
 *   mode) pair up; each iteration picks one index uniformly, or with the weights `mix_prob` (same length, >= 0,
 *   summing to 1);
 * - `mix_repeat` (integer >= 1, default 1; `false`/`true` count as 0/1 like Python's `int()`, and values below 2 mean
 *   once) repeats the pick in the same iteration on the same images, the engine summing the losses each divided by the
 *   number of repeats; `vanilla`, once picked, leaves the candidates of that iteration;
 * - `mix_args[name]` is read once, here, by the method's `parseArgs`: the catalog's `args` (`src/config/methods.ts`)
 *   give the defaults and bounds; errors name `model.mix_args.<method>.<field>`.
 * A learned mixer (automix, samix: its own classifier, `model.type: "AutoMixup"`) is a usage error here, and a mode
 * that is registered but not implemented a not-implemented error, both when the run is built.
 */
import {notImplemented, usageError} from '../errors';
import type {Rng} from '../rng';
import {checkNumber} from '../config/args';
import {learnedAsMixModeError} from './learned';
import type {MixRegistry} from './registry';
import type {Batch, MixMethod, MixOutput, ModelHooks} from './types';

/** The mixing part of the model config (`model.*` of the reference configs). */
export interface ModelMixConfig {
  mix_mode: string | string[];
  alpha: number | number[];
  mix_prob?: number[] | null;
  mix_repeat?: number | boolean;
  mix_args?: Record<string, Record<string, unknown>>;
}

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
    const modes = asList(model.mix_mode);
    if (modes.length === 0) throw usageError('model.mix_mode must name at least one method, got []');
    modes.forEach((m, i) => {
      if (typeof m !== 'string') throw usageError(`model.mix_mode[${i}] must be a method name, got ${JSON.stringify(m)}`);
    });
    const alphas = asList(model.alpha);
    if (alphas.length !== 1 && alphas.length !== modes.length) {
      throw usageError(`model.alpha must be one number or a list as long as model.mix_mode (${modes.length}), got ${JSON.stringify(model.alpha)}`);
    }
    alphas.forEach((a, i) => checkNumber(a, Array.isArray(model.alpha) ? `model.alpha[${i}]` : 'model.alpha', {min: 0, exclusiveMin: true}));
    const mixArgs = model.mix_args ?? {};
    if (typeof mixArgs !== 'object' || Array.isArray(mixArgs)) throw usageError(`model.mix_args must be an object keyed by method name, got ${JSON.stringify(mixArgs)}`);
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
    if (model.mix_prob != null) {
      const p = model.mix_prob;
      if (!Array.isArray(p) || p.length !== modes.length) {
        throw usageError(`model.mix_prob must be null or a list of ${modes.length} probabilities (one per model.mix_mode), got ${JSON.stringify(p)}`);
      }
      p.forEach((v, i) => checkNumber(v, `model.mix_prob[${i}]`, {min: 0, max: 1}));
      const total = p.reduce((s, v) => s + v, 0);
      if (Math.abs(total - 1) > 1e-6) throw usageError(`model.mix_prob must sum to 1, got ${JSON.stringify(p)} (sum ${total})`);
      this.weights = [...p];
    }
    const repeat = model.mix_repeat ?? 1;
    const r = typeof repeat === 'boolean' ? Number(repeat) : checkNumber(repeat, 'model.mix_repeat', {min: 0, integer: true});
    this.repeat = Math.max(r, 1);
  }

  /** Model hooks any candidate needs (the engine must provide them or refuse to start). */
  get needs(): Array<keyof ModelHooks> {
    return [...new Set(this.entries.flatMap((e) => e.method.needs ?? []))];
  }

  /** The candidates of one iteration: `repeat` picks (uniform or by `mix_prob`); `vanilla` leaves after its pick. */
  pick(rng: Rng): ScheduledMix[] {
    let candidates = this.entries.map((_, i) => i);
    const picks: ScheduledMix[] = [];
    for (let r = 0; r < this.repeat; r++) {
      const weights = this.weights ? candidates.map((i) => this.weights![i]) : undefined;
      const usable = !weights || weights.some((w) => w > 0);
      const index = candidates[rng.choice(candidates.length, usable ? weights : undefined)];
      const entry = this.entries[index];
      picks.push(entry);
      if (entry.name === 'vanilla' && candidates.length > 1) candidates = candidates.filter((i) => i !== index);
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
