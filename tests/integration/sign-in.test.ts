import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { attemptSignIn, MAX_FAILURES_PER_EMAIL } from '#app/auth/sign-in.server.ts'
import { makeOrg, makeUser } from '#db/factories.ts'
import { createTestDatabase, type TestDatabase } from '#tests/helpers/test-db.ts'

let t: TestDatabase
const PASSWORD = 'correct horse battery'

beforeAll(async () => {
  t = await createTestDatabase('signin')
  const org = await makeOrg(t.db, '测试市总工会', 'city_federation')
  for (const email of ['a@zhuqi.test', 'b@zhuqi.test', 'c@zhuqi.test']) {
    await makeUser(t.db, {
      email,
      name: '测试',
      password: PASSWORD,
      role: 'coordinator',
      orgId: org.id,
    })
  }
})
afterAll(() => t?.drop())

describe('sign-in', () => {
  const now = () => new Date()

  it('accepts the right password, case-insensitively on the e-mail', async () => {
    const r = await attemptSignIn(t.db, {
      email: ' A@Zhuqi.test ',
      password: PASSWORD,
      ip: '10.0.0.1',
      now: now(),
    })
    expect(r.ok).toBe(true)
  })

  it('refuses a wrong password and an unknown e-mail alike', async () => {
    const wrong = await attemptSignIn(t.db, {
      email: 'a@zhuqi.test',
      password: 'nope',
      ip: '10.0.0.2',
      now: now(),
    })
    const unknown = await attemptSignIn(t.db, {
      email: 'x@zhuqi.test',
      password: PASSWORD,
      ip: '10.0.0.2',
      now: now(),
    })
    expect(wrong).toEqual({ ok: false, reason: 'invalid' })
    expect(unknown).toEqual({ ok: false, reason: 'invalid' })
  })

  it('locks an e-mail after repeated failures, even for the right password, until the window passes', async () => {
    const email = 'b@zhuqi.test'
    for (let i = 0; i < MAX_FAILURES_PER_EMAIL; i++) {
      await attemptSignIn(t.db, { email, password: `bad-${i}`, ip: `10.1.0.${i}`, now: now() })
    }
    const locked = await attemptSignIn(t.db, {
      email,
      password: PASSWORD,
      ip: '10.1.1.1',
      now: now(),
    })
    expect(locked).toMatchObject({ ok: false, reason: 'rateLimited' })
    const later = new Date(Date.now() + 16 * 60_000)
    expect(
      (await attemptSignIn(t.db, { email, password: PASSWORD, ip: '10.1.1.1', now: later })).ok,
    ).toBe(true)
  })

  it('limits one client address across many e-mails', async () => {
    const ip = '10.9.9.9'
    for (let i = 0; i < 30; i++) {
      await attemptSignIn(t.db, { email: `spray-${i}@zhuqi.test`, password: 'x', ip, now: now() })
    }
    const r = await attemptSignIn(t.db, {
      email: 'c@zhuqi.test',
      password: PASSWORD,
      ip,
      now: now(),
    })
    expect(r).toMatchObject({ ok: false, reason: 'rateLimited' })
    const elsewhere = await attemptSignIn(t.db, {
      email: 'c@zhuqi.test',
      password: PASSWORD,
      ip: '10.9.9.10',
      now: now(),
    })
    expect(elsewhere.ok).toBe(true)
  })
})
