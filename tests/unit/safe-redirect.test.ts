import { describe, expect, it } from 'vitest'
import { safeRedirect } from '#app/auth/session.server.ts'

describe('safeRedirect', () => {
  it('keeps same-site paths', () => {
    expect(safeRedirect('/needs-lists/3?tab=history')).toBe('/needs-lists/3?tab=history')
  })
  it('refuses other sites and odd values', () => {
    for (const bad of [
      '//evil.example',
      '/\\evil.example',
      'https://evil.example',
      '',
      null,
      undefined,
    ]) {
      expect(safeRedirect(bad, '/home')).toBe('/home')
    }
  })
})
