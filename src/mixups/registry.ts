/**
 * One explicit registry from config name (`model.mix_mode`) to mixing method.
 * Registering a name twice throws and names the earlier registration; an unknown name throws listing the known ones.
 * Nothing else in the code base branches on a method's name string.
 */
import {METHOD_NAMES} from '../config/methods';
import {usageError} from '../errors';
import type {MixMethod} from './types';

/** Name → method map; see the module comment. */
export class MixRegistry {
  private readonly methods = new Map<string, {method: MixMethod; source: string}>();

  register(method: MixMethod, source = 'unknown'): void {
    if (!METHOD_NAMES.includes(method.name)) {
      throw new Error(`mix method "${method.name}" (${source}) is not in the method catalog src/config/methods.ts`);
    }
    const existing = this.methods.get(method.name);
    if (existing) throw new Error(`mix method "${method.name}" is already registered (by ${existing.source}); cannot register it again from ${source}`);
    this.methods.set(method.name, {method, source});
  }

  has(name: string): boolean {
    return this.methods.has(name);
  }

  /** @throws MixupError (usage) naming the unknown method and listing the known ones */
  get(name: string): MixMethod {
    const entry = this.methods.get(name);
    if (!entry) {
      throw usageError(`unknown mix_mode "${name}"; known methods: ${[...this.methods.keys()].join(', ')}`, {
        suggestions: ['Run `mixup methods` to list the methods and which are implemented.'],
      });
    }
    return entry.method;
  }

  names(): string[] {
    return [...this.methods.keys()];
  }
}
