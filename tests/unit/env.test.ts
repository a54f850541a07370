import { describe, expect, it } from 'vitest'
import { parseEnv } from '#app/env.server.ts'

describe('environment', () => {
  it('has local defaults: embedded database, port 3000, a development secret', () => {
    const env = parseEnv({})
    expect(env.DATABASE_URL).toBeUndefined()
    expect(env.REDIS_URL).toBeUndefined()
    expect(env.PORT).toBe(3000)
    expect(env.DATA_DIR).toBe('./data')
    expect(env.SESSION_SECRET.length).toBeGreaterThanOrEqual(32)
  })

  it('refuses to start in production without a real SESSION_SECRET', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(/SESSION_SECRET: production needs/)
    expect(() => parseEnv({ NODE_ENV: 'production', SESSION_SECRET: 'short' })).toThrow(
      /at least 32/,
    )
    const secret = 'a'.repeat(40)
    expect(parseEnv({ NODE_ENV: 'production', SESSION_SECRET: secret }).SESSION_SECRET).toBe(secret)
  })

  it('names every bad variable in one message', () => {
    let message = ''
    try {
      parseEnv({ PORT: 'eighty', DATABASE_URL: 'mysql://x', REDIS_URL: 'http://x' })
    } catch (err) {
      message = String(err)
    }
    expect(message).toMatch(/PORT/)
    expect(message).toMatch(/DATABASE_URL: must start with postgres/)
    expect(message).toMatch(/REDIS_URL: must start with redis/)
  })
})
