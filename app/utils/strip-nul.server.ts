import { Transform } from 'node:stream'

/**
 * React 18's Node renderer can emit NUL bytes: when a multi-byte character
 * does not fit at the end of its 2 KB buffer, it flushes the whole buffer,
 * unused tail included (fixed upstream in facebook/react#26228, not released
 * in 18.x). Chinese pages hit it constantly. Valid output never holds 0x00
 * (PostgreSQL text cannot contain it), so every NUL byte is dropped.
 */
export function stripNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (!chunk.includes(0)) {
        callback(null, chunk)
        return
      }
      const out = Buffer.allocUnsafe(chunk.length)
      let n = 0
      for (const byte of chunk) if (byte !== 0) out[n++] = byte
      callback(null, out.subarray(0, n))
    },
  })
}
