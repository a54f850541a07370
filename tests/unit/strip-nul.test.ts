import { PassThrough } from 'node:stream'
import { text } from 'node:stream/consumers'
import { createElement } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { stripNulBytes } from '#app/utils/strip-nul.server.ts'

function render(stripped: boolean): Promise<string> {
  // Mixed-width text makes 3-byte characters straddle React's 2 KB buffers.
  const rows = Array.from({ length: 400 }, (_, i) =>
    createElement('p', { key: i }, `第${i}行：劳模工匠助企行 a${'b'.repeat(i % 3)}`),
  )
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(createElement('div', null, rows), {
      onAllReady() {
        const out = stripped ? stripNulBytes() : new PassThrough()
        text(out).then(resolve, reject)
        pipe(out)
      },
      onError: reject,
    })
  })
}

describe('stripNulBytes', () => {
  it('removes the NUL bytes React 18 leaves at buffer ends, and nothing else', async () => {
    const raw = await render(false)
    const clean = await render(true)
    // The defect is real in this React version; if an upgrade fixes it, this line tells.
    expect(raw.includes('\u0000')).toBe(true)
    expect(clean.includes('\u0000')).toBe(false)
    expect(clean).toBe(raw.replaceAll('\u0000', ''))
    expect(clean).toContain('第399行：劳模工匠助企行')
  })
})
