/**
 * The project's one seeded random source (xoshiro128** seeded through splitmix32).
 *
 * Nothing in `src/` may call `Math.random`: mixing parameters, data shuffles and weight initialisation all draw
 * from an `Rng`, so a run is reproducible from `--seed`, and its state can be saved in a checkpoint and restored.
 * Beta draws use two Gamma draws (Marsaglia & Tsang, "A simple method for generating gamma variables", 2000):
 * `X ~ Gamma(a), Y ~ Gamma(b)  =>  X / (X + Y) ~ Beta(a, b)`.
 */
export type RngState = [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  private s: Uint32Array = new Uint32Array(4);

  /** @param seed any integer (only the low 32 bits are used) */
  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    const next = splitmix32(Math.trunc(seed));
    for (let i = 0; i < 4; i++) this.s[i] = next();
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }

  static fromState(state: RngState): Rng {
    const rng = new Rng(0);
    rng.setState(state);
    return rng;
  }

  getState(): RngState {
    return [this.s[0], this.s[1], this.s[2], this.s[3]];
  }

  setState(state: RngState): void {
    if (!Array.isArray(state) || state.length !== 4 || state.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new RangeError(`Rng state must be 4 unsigned 32-bit integers, got ${JSON.stringify(state)}`);
    }
    for (let i = 0; i < 4; i++) this.s[i] = state[i];
  }

  /** Next raw 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number {
    return low + (high - low) * this.uniform();
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return Math.floor(this.uniform() * n);
  }

  /** Integer uniform in [low, high) (numpy's randint convention). */
  intRange(low: number, high: number): number {
    return low + this.int(high - low);
  }

  /** Standard normal N(0, 1) by Box-Muller (no cached second value, so the state alone describes the stream). */
  normal(): number {
    let u = this.uniform();
    while (u <= 0) u = this.uniform();
    const v = this.uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Gamma(shape, 1) by Marsaglia & Tsang; shape < 1 uses Gamma(shape + 1) · U^(1/shape). */
  gamma(shape: number): number {
    if (!(shape > 0) || !Number.isFinite(shape)) throw new RangeError(`Gamma shape must be > 0, got ${shape}`);
    if (shape < 1) {
      const g = this.gamma(shape + 1);
      let u = this.uniform();
      while (u <= 0) u = this.uniform();
      return g * Math.pow(u, 1 / shape);
    }
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }

  /**
   * Beta(a, b) = X / (X + Y), X ~ Gamma(a), Y ~ Gamma(b).
   * For tiny a, b both Gamma draws can underflow to 0; then the limit distribution (Bernoulli with p = a / (a + b)) is used.
   */
  beta(a: number, b: number): number {
    if (!(a > 0) || !(b > 0)) throw new RangeError(`Beta parameters must be > 0, got (${a}, ${b})`);
    const x = this.gamma(a);
    const y = this.gamma(b);
    if (x + y === 0 || !Number.isFinite(x + y)) return this.uniform() < a / (a + b) ? 1 : 0;
    return x / (x + y);
  }

  /** Random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T extends {length: number; [i: number]: any}>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** Index drawn with the given (unnormalised, non-negative) weights; uniform when `weights` is undefined. */
  choice(n: number, weights?: readonly number[]): number {
    if (!weights) return this.int(n);
    if (weights.length !== n) throw new RangeError(`choice: ${weights.length} weights for ${n} items`);
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw new RangeError(`choice: weights must sum to > 0, got ${JSON.stringify(weights)}`);
    let r = this.uniform() * total;
    for (let i = 0; i < n; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return n - 1;
  }

  /** An independent stream derived from this one (advances this stream by one draw). */
  fork(): Rng {
    return new Rng(this.nextUint32() ^ 0x5bd1e995);
  }
}
