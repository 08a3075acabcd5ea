// The random numbers of a verifiable draw: SHA-256 in counter mode, so anyone can recompute them from the
// published seed and inputs hash with any SHA-256 implementation (docs/inspections.md "The method").
// Block i of a stream is SHA-256 of the UTF-8 bytes of the JSON array
//   ["xueji-draw/1", <label>, <inputsHash>, <seed text>, i]
// (JSON.stringify, no whitespace); the stream is the concatenation of the blocks, read as big-endian
// unsigned 32-bit integers. A uniform integer below n takes 32-bit values until one is below the largest
// multiple of n that fits in 2^32 (rejection, so no value is favoured) and returns it modulo n.
// The seeded mulberry32 of shared/seed/random.ts is not used here: it has 2^32 states and takes only an
// integer seed, while a published draw should take any seed text and be re-implementable from its spec.
import { sha256 } from '@noble/hashes/sha2';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';

export const DRAW_METHOD = 'xueji-draw/1';

const TWO_32 = 0x1_0000_0000;

export type DrawStream = {
  /** the next unsigned 32-bit integer of the stream */
  uint32(): number;
  /** a uniform integer in [0, n), 1 ≤ n ≤ 2^32; consumes one or more 32-bit values (at least one) */
  below(n: number): number;
};

export function drawStream(label: string, inputsHash: string, seedText: string): DrawStream {
  let counter = 0;
  let view: DataView = new DataView(new ArrayBuffer(0));
  let pos = 0;
  const uint32 = (): number => {
    if (pos + 4 > view.byteLength) {
      const block = sha256(utf8ToBytes(JSON.stringify([DRAW_METHOD, label, inputsHash, seedText, counter])));
      view = new DataView(block.buffer, block.byteOffset, block.byteLength);
      counter++;
      pos = 0;
    }
    const v = view.getUint32(pos); // big-endian
    pos += 4;
    return v;
  };
  const below = (n: number): number => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`below(${n}): n must be 1…2^32`);
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = uint32();
      if (x < limit) return x % n;
    }
  };
  return { uint32, below };
}

/** SHA-256 of a text, lower-case hex. */
export function sha256Hex(text: string): string {
  return bytesToHex(sha256(utf8ToBytes(text)));
}
