import { describe, expect, it } from 'vitest'
import { type CurrentUser, homePathOf } from '#app/auth/session.server.ts'
import type { Role } from '#db/schema.ts'

const userWith = (...roles: Role[]): CurrentUser =>
  ({
    id: 1,
    name: 'x',
    email: 'x@zhuqi.test',
    locale: 'zh-CN',
    memberships: roles.map((role) => ({ role })),
  }) as unknown as CurrentUser

describe('homePathOf', () => {
  it('lands each role where its work is', () => {
    expect(homePathOf(userWith('enterprise_contact'))).toBe('/needs-lists')
    expect(homePathOf(userWith('coordinator'))).toBe('/intake')
    expect(homePathOf(userWith('steward'))).toBe('/workspace')
    // Experts answer invitations; a union role of theirs wins.
    expect(homePathOf(userWith('expert'))).toBe('/my-invitations')
    expect(homePathOf(userWith('expert', 'steward'))).toBe('/workspace')
    expect(homePathOf(userWith())).toBe('/notifications')
  })
})
