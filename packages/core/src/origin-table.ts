/**
 * The exact origins of a policy, as a read-only hash table built once: open addressing
 * (linear probing, load at most one half) over an `Int32Array` of indexes into a copy of the
 * list, with FNV-1a over the UTF-16 code units as the hash.
 *
 * Why not a `Set`: building a `Set` of 1,000,000 origins grows and rehashes it some twenty
 * times and costs more than half a second; this table is sized once from the list's length,
 * builds in about a third of that and retains less (two flat arrays). Lookups happen only on
 * a policy's decision-cache misses, where hashing the origin once is what a `Set` would do too.
 * The list comes from the configuration, never from requests, so a request cannot lengthen a
 * probe sequence.
 */
export class OriginTable {
  /** Distinct origins, in list order (allocated once: growing a million-entry array copies it). */
  private readonly keys: string[];
  private count = 0;
  /** Slot → index in `keys` + 1 (0: empty). */
  private readonly slots: Int32Array;
  private readonly mask: number;

  /** An empty table with room for `room` origins (it never grows: `add` more and it throws). */
  constructor(room: number) {
    let capacity = 8;
    while (capacity < room * 2) capacity *= 2;
    this.slots = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.keys = new Array<string>(room);
  }

  /** Number of distinct origins. */
  get size(): number {
    return this.count;
  }

  /** Whether `origin` is one of the table's origins (exact, case-sensitive comparison). */
  has(origin: string): boolean {
    const { slots, keys, mask } = this;
    for (let slot = hash(origin) & mask; ; slot = (slot + 1) & mask) {
      const index = slots[slot]!;
      if (index === 0) return false;
      if (keys[index - 1] === origin) return true;
    }
  }

  /** Add an origin (kept once if listed twice); only while building. */
  add(origin: string): void {
    const { slots, keys, mask } = this;
    let slot = hash(origin) & mask;
    for (let index = slots[slot]!; index !== 0; index = slots[slot]!) {
      if (keys[index - 1] === origin) return;
      slot = (slot + 1) & mask;
    }
    if (this.count >= keys.length) throw new RangeError('OriginTable is full');
    keys[this.count] = origin;
    slots[slot] = ++this.count;
  }
}

/** FNV-1a (32 bits) over the string's code units, high bits folded into the low ones. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h ^ (h >>> 15);
}
