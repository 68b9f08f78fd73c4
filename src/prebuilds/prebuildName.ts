// Names of new prebuilt workspaces (spec §1.1): "prebuild-" and 15 lowercase base32 characters.
// Upstream draws the 9 bytes from crypto/rand; here they come from a seeded stream so that a run is
// reproducible, with the same alphabet, length and entropy.
import type { RandomStream } from "../kernel/rng.ts";

export const PREBUILD_NAME_PREFIX = "prebuild-";
/** 9 bytes = 72 bits, short enough for cloud resource names, rarely colliding. */
export const PREBUILD_NAME_RANDOM_BYTES = 9;

const BASE32_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/** RFC 4648 base32 of `bytes`, without padding. */
export function base32NoPadding(bytes: Uint8Array): string {
  let out = "";
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += BASE32_ALPHABET[(buffer >>> bits) & 0x1f];
    }
  }
  if (bits > 0) out += BASE32_ALPHABET[(buffer << (5 - bits)) & 0x1f];
  return out;
}

/** A fresh prebuild name such as `prebuild-mfrggzdfmztwq2lk`. */
export function generatePrebuildName(stream: RandomStream): string {
  const bytes = new Uint8Array(PREBUILD_NAME_RANDOM_BYTES);
  // deviation: a seeded stream, not crypto/rand (README Fidelity: deterministic order and draws)
  for (let i = 0; i < bytes.length; i++) bytes[i] = stream.int(256);
  return PREBUILD_NAME_PREFIX + base32NoPadding(bytes).toLowerCase();
}
