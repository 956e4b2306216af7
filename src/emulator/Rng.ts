const base62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
const hexDigits = "0123456789abcdef"

/**
 * A seeded mulberry32 generator. Its whole state is one number, so a timeline can keep the
 * state between `listen` calls and stay reproducible for a given seed.
 */
export class Rng {
  private constructor(private current: number) {}

  static seeded(seed: number): Rng {
    return new Rng(Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) >>> 0)
  }

  static resume(state: number): Rng {
    return new Rng(state)
  }

  get state(): number {
    return this.current
  }

  next(): number {
    this.current = (this.current + 0x6d2b79f5) >>> 0
    let t = this.current
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  chance(probability: number): boolean {
    return this.next() < probability
  }

  pick<A>(items: ReadonlyArray<A>): A {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined) throw new Error("Rng.pick on an empty list")
    return item
  }

  /** A Spotify-style id: 22 base62 characters. */
  id(): string {
    return this.chars(base62, 22)
  }

  hex(length: number): string {
    return this.chars(hexDigits, length)
  }

  upper(length: number): string {
    return this.chars(base62.slice(0, 36), length)
  }

  private chars(alphabet: string, length: number): string {
    let out = ""
    for (let i = 0; i < length; i++) out += alphabet.charAt(Math.floor(this.next() * alphabet.length))
    return out
  }
}
