/**
 * A map from non-negative integers to non-negative integers in two typed arrays (open addressing, linear probing),
 * for the hot look-ups of the lead walk (injection.ts): a Map's get at every step of the walk cost a quarter of its
 * own time; a multiply, a shift and an array read or two do the same here. Filled once, at module load.
 */
export class IntTable {
  private keys: Int32Array;
  private values: Int32Array;
  private shift: number;
  private size = 0;

  constructor(capacity = 1024) {
    let bits = 4;
    while (1 << bits < capacity * 2) bits++;
    this.keys = new Int32Array(1 << bits).fill(-1);
    this.values = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  /** The value at `key`, or -1. */
  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let at = Math.imul(key, 0x9e3779b1) >>> this.shift; ; at = (at + 1) & mask) {
      const k = this.keys[at]!;
      if (k === key) return this.values[at]!;
      if (k === -1) return -1;
    }
  }

  set(key: number, value: number): void {
    if ((this.size + 1) * 2 > this.keys.length) this.grow();
    const mask = this.keys.length - 1;
    let at = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.keys[at] !== -1 && this.keys[at] !== key) at = (at + 1) & mask;
    if (this.keys[at] === -1) this.size++;
    this.keys[at] = key;
    this.values[at] = value;
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(keys.length * 2);
    this.shift--;
    this.size = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i]!, values[i]!);
  }
}
