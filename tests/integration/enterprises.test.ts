import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '#app/auth/password.server.ts'
import { makeEnterprise, makeOrg, makeUser } from '#db/factories.ts'
import type { Principal } from '#workflows/access.ts'
import {
  acceptInvitation,
  createEnterprise,
  enterpriseProfile,
  findSimilarEnterprises,
  INVITATION_TTL_DAYS,
  invitationByToken,
  inviteContact,
  listEnterprises,
  registerEnterprise,
  registrationOrgs,
} from '#workflows/commands/enterprises.ts'
import { createNeedsList } from '#workflows/commands/needs-lists.ts'
import {
  DuplicateCreditCodeError,
  InvitationUnavailableError,
  SimilarNameError,
} from '#workflows/enterprise-errors.ts'
import {
  acceptInvitationSchema,
  coordinatorEnterpriseSchema,
  invitationSchema,
  registrationSchema,
} from '#workflows/enterprise-validation.ts'
import { ForbiddenError, NotFoundError, ValidationError } from '#workflows/errors.ts'
import { enterpriseFootprint, newCreditCode, registrationFields } from '../helpers/enterprises.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, draftList, principalOf, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
/** An industrial park under the world's district, where enterprises register. */
let parkId: number

beforeAll(async () => {
  tdb = await createTestDatabase('enterprises')
  world = await buildWorld(tdb.db, 'ent')
  const park = await makeOrg(tdb.db, 'ent park union', 'park_union', world.orgs.district.id)
  parkId = park.id
})

afterAll(async () => {
  await tdb?.drop()
})

const registration = (overrides: Record<string, unknown> = {}) =>
  registrationSchema.parse({ ...registrationFields({ orgId: parkId }), ...overrides })

const coordinatorInput = (overrides: Record<string, string | number> = {}) =>
  coordinatorEnterpriseSchema.parse({
    name: 'Coordinator-made Works',
    creditCode: newCreditCode(),
    industry: 'C',
    size: 'medium',
    orgId: world.orgs.district.id,
    ...overrides,
  })

function enterpriseRow(id: number) {
  return tdb.db.selectFrom('enterprise').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
}

async function rejects<T extends Error>(promise: Promise<unknown>, type: { prototype: T }) {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(type)
  return err as T
}

describe('self-registration', () => {
  it('creates the enterprise, its first contact and the membership in the chosen union', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const input = registration({
      name: '  鹭江 测试精工（厦门）有限公司 ',
      creditCode: newCreditCode().toLowerCase(),
      email: 'First.Contact@Zhuqi.TEST',
      mobile: '+86 139-1234-5678',
      tags: ['little_giant'],
    })
    const { enterpriseId, userId } = await registerEnterprise(tdb.db, input, { locale: 'en' })

    const row = await enterpriseRow(enterpriseId)
    expect(row).toMatchObject({
      name: '鹭江 测试精工（厦门）有限公司',
      credit_code: input.creditCode,
      org_id: parkId,
      industry: 'C',
      size: 'small',
      tags: ['little_giant'],
      district: '海湾区',
      park: null,
      address: '鹭江市海湾区测试路 1 号',
      normalized_name: '鹭江测试精工',
      created_by: userId,
      steward_user_id: null,
    })
    expect(row.credit_code).toMatch(/^[0-9A-Z]{18}$/)
    const user = await tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('id', '=', userId)
      .executeTakeFirstOrThrow()
    expect(user).toMatchObject({
      email: 'first.contact@zhuqi.test',
      name: '测试联系人',
      mobile: '13912345678',
      locale: 'en',
    })
    expect(await verifyPassword(user.password_hash, 'a-good-password')).toBe(true)
    const memberships = await tdb.db
      .selectFrom('membership')
      .selectAll()
      .where('user_id', '=', userId)
      .execute()
    expect(memberships).toEqual([
      expect.objectContaining({
        role: 'enterprise_contact',
        org_id: parkId,
        enterprise_id: enterpriseId,
      }),
    ])
    expect(await enterpriseFootprint(tdb.db)).toMatchObject({
      enterprises: before.enterprises + 1,
      users: before.users + 1,
      memberships: before.memberships + 1,
    })

    // The new contact reads its own profile.
    const view = await enterpriseProfile(tdb.db, await principalOf(tdb.db, userId), enterpriseId)
    expect(view.contacts).toEqual([expect.objectContaining({ id: userId, mobile: '13912345678' })])
  })

  it('offers only park, district, industry and city unions', async () => {
    const kinds = new Set((await registrationOrgs(tdb.db)).map((o) => o.kind))
    expect([...kinds].sort()).toEqual(['city_federation', 'district_union', 'park_union'])
  })

  it('refuses a union that is not open for registration, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    for (const orgId of [world.orgs.province.id, 999_999]) {
      const err = await rejects(
        registerEnterprise(tdb.db, registration({ name: `省级注册测试${orgId}`, orgId })),
        ValidationError,
      )
      expect(err.details).toMatchObject({ field: 'orgId', messageKey: 'enterprise.errors.org' })
    }
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('refuses a second registration with the same credit code, pointing to the first', async () => {
    const code = newCreditCode()
    const first = await registerEnterprise(
      tdb.db,
      registration({ name: '鹭江重复代码机械有限公司', creditCode: code }),
    )
    const before = await enterpriseFootprint(tdb.db)
    // Typed differently (lowercase, full-width, spaced): still the same code.
    const typed = [...code.toLowerCase()]
      .map((c, i) => (i < 4 ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c))
      .join('')
    const err = await rejects(
      registerEnterprise(
        tdb.db,
        registration({ name: '完全不同的名字科技', creditCode: ` ${typed} ` }),
      ),
      DuplicateCreditCodeError,
    )
    expect(err.existing).toEqual({
      id: first.enterpriseId,
      name: '鹭江重复代码机械有限公司',
      orgName: 'ent park union',
      hasContacts: true,
      canOpen: false,
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('says when the existing record has no contact yet (created by the union)', async () => {
    const code = newCreditCode()
    await makeEnterprise(tdb.db, {
      orgId: world.orgs.district.id,
      name: '无联系人登记企业',
      creditCode: code,
    })
    const err = await rejects(
      registerEnterprise(tdb.db, registration({ name: '另一个名字电子', creditCode: code })),
      DuplicateCreditCodeError,
    )
    expect(err.existing).toMatchObject({ hasContacts: false, orgName: 'ent district' })
  })

  it('warns about a similar name, then saves once the visitor confirms', async () => {
    await registerEnterprise(tdb.db, registration({ name: '海湾相似光电科技有限公司' }))
    const before = await enterpriseFootprint(tdb.db)
    const similar = registration({ name: '福建省海湾相似光电科技股份有限公司' })
    const err = await rejects(registerEnterprise(tdb.db, similar), SimilarNameError)
    expect(err.candidates).toEqual([
      expect.objectContaining({ name: '海湾相似光电科技有限公司', canOpen: false }),
    ])
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)

    const saved = await registerEnterprise(tdb.db, { ...similar, confirmSimilar: true })
    expect((await enterpriseRow(saved.enterpriseId)).normalized_name).toBe('海湾相似光电科技')
  })

  it('finds typos and containment but not unrelated names', async () => {
    await makeEnterprise(tdb.db, { orgId: parkId, name: '鹭江精铸模具制造有限公司' })
    const names = async (q: string) =>
      (await findSimilarEnterprises(tdb.db, q, null)).map((c) => c.name)
    expect(await names('鹭江精铸模具制造厂')).toContain('鹭江精铸模具制造有限公司')
    expect(await names('鹭江精涛模具制造')).toContain('鹭江精铸模具制造有限公司')
    expect(await names('鹭江精铸模具')).toContain('鹭江精铸模具制造有限公司')
    expect(await names('海峡远洋渔业有限公司')).not.toContain('鹭江精铸模具制造有限公司')
  })

  it('refuses an e-mail that already has an account, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const err = await rejects(
      registerEnterprise(
        tdb.db,
        registration({ name: '邮箱重复测试', email: world.users.contact.email.toUpperCase() }),
      ),
      ValidationError,
    )
    expect(err.details).toMatchObject({
      field: 'email',
      messageKey: 'enterprise.errors.emailTaken',
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('lets only one of two simultaneous registrations of a code through', async () => {
    const code = newCreditCode()
    const before = await enterpriseFootprint(tdb.db)
    const results = await Promise.allSettled([
      registerEnterprise(
        tdb.db,
        registration({ name: 'Concurrent Alpha Foundry', creditCode: code }),
      ),
      registerEnterprise(
        tdb.db,
        registration({ name: 'Simultaneous Beta Textiles', creditCode: code }),
      ),
    ])
    const fulfilled = results.filter((r) => r.status === 'fulfilled')
    const rejected = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    expect(fulfilled).toHaveLength(1)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toBeInstanceOf(DuplicateCreditCodeError)
    // The loser's user was rolled back with its enterprise.
    expect(await enterpriseFootprint(tdb.db)).toMatchObject({
      enterprises: before.enterprises + 1,
      users: before.users + 1,
      memberships: before.memberships + 1,
    })
  })
})

describe('creation by the union', () => {
  it('lets a coordinator create an enterprise in their subtree', async () => {
    const { enterpriseId, invitation } = await createEnterprise(
      tdb.db,
      world.principals.coordinator,
      coordinatorInput({ name: 'Riverside Pump Works Co., Ltd.' }),
    )
    expect(invitation).toBeNull()
    expect(await enterpriseRow(enterpriseId)).toMatchObject({
      org_id: world.orgs.district.id,
      created_by: world.users.coordinator.id,
      normalized_name: 'riversidepumpworks',
      industry: 'C',
      size: 'medium',
    })
  })

  it('lets a federation admin create one anywhere below the province', async () => {
    const { enterpriseId } = await createEnterprise(
      tdb.db,
      world.principals.admin,
      coordinatorInput({ name: 'Admin Made Gearbox', orgId: world.orgs.otherCity.id }),
    )
    expect((await enterpriseRow(enterpriseId)).org_id).toBe(world.orgs.otherCity.id)
  })

  it('refuses an org outside the subtree, and roles that do not create, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const attempts: [Principal, number][] = [
      [world.principals.otherCoordinator, world.orgs.district.id],
      [world.principals.coordinator, world.orgs.otherCity.id],
      [world.principals.coordinator, world.orgs.province.id],
      [world.principals.steward, world.orgs.district.id],
      [world.principals.contact, world.orgs.district.id],
    ]
    for (const [principal, orgId] of attempts) {
      await rejects(
        createEnterprise(tdb.db, principal, coordinatorInput({ name: `Refused ${orgId}`, orgId })),
        ForbiddenError,
      )
    }
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('points to the existing record, with a link only when it is in scope', async () => {
    const code = newCreditCode()
    const { enterpriseId } = await createEnterprise(
      tdb.db,
      world.principals.coordinator,
      coordinatorInput({ name: 'Duplicate Target Valves', creditCode: code }),
    )
    const inScope = await rejects(
      createEnterprise(
        tdb.db,
        world.principals.coordinator2,
        coordinatorInput({ name: 'Other Name', creditCode: code }),
      ),
      DuplicateCreditCodeError,
    )
    expect(inScope.existing).toMatchObject({ id: enterpriseId, canOpen: true, hasContacts: false })
    const outOfScope = await rejects(
      createEnterprise(
        tdb.db,
        world.principals.otherCoordinator,
        coordinatorInput({ name: 'Yet Another', creditCode: code, orgId: world.orgs.otherCity.id }),
      ),
      DuplicateCreditCodeError,
    )
    expect(outOfScope.existing).toMatchObject({ id: enterpriseId, canOpen: false })
  })

  it('can invite the first contact in the same step; only the hash is stored', async () => {
    const now = new Date('2026-12-01T08:00:00Z')
    const { enterpriseId, invitation } = await createEnterprise(
      tdb.db,
      world.principals.coordinator,
      coordinatorInput({
        name: 'Invited First Contact Tools',
        inviteName: 'First Contact',
        inviteEmail: 'First-Invitee@Zhuqi.test',
        inviteMobile: '13700001111',
      }),
      { now },
    )
    expect(invitation).not.toBeNull()
    const token = invitation?.token ?? ''
    const row = await tdb.db
      .selectFrom('enterprise_invitation')
      .selectAll()
      .where('enterprise_id', '=', enterpriseId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      email: 'first-invitee@zhuqi.test',
      name: 'First Contact',
      mobile: '13700001111',
      invited_by: world.users.coordinator.id,
      token_hash: createHash('sha256').update(token).digest('hex'),
      accepted_at: null,
    })
    expect(row.token_hash).not.toContain(token)
    expect(row.expires_at.getTime() - now.getTime()).toBe(INVITATION_TTL_DAYS * 24 * 3600 * 1000)
  })
})

describe('invitations', () => {
  const invite = (overrides: Record<string, string> = {}) =>
    invitationSchema.parse({
      name: 'Invited Colleague',
      email: `colleague-${Math.random().toString(36).slice(2, 8)}@zhuqi.test`,
      mobile: '13600002222',
      ...overrides,
    })
  const newcomer = acceptInvitationSchema.parse({
    name: 'Invited Colleague',
    mobile: '13600002222',
    password: 'invitee-password',
    passwordConfirm: 'invitee-password',
  })

  it('lets a contact invite a colleague who joins as a new user, once', async () => {
    const input = invite()
    const issued = await inviteContact(tdb.db, world.principals.contact, world.enterprise.id, input)
    const preview = await invitationByToken(tdb.db, issued.token)
    expect(preview).toMatchObject({
      state: 'valid',
      enterpriseId: world.enterprise.id,
      enterpriseName: world.enterprise.name,
      inviterName: world.users.contact.name,
      email: input.email,
      accountExists: false,
    })

    const joined = await acceptInvitation(tdb.db, issued.token, { kind: 'new', input: newcomer })
    expect(joined.enterpriseId).toBe(world.enterprise.id)
    const principal = await principalOf(tdb.db, joined.userId)
    expect(principal.memberships).toEqual([
      expect.objectContaining({
        role: 'enterprise_contact',
        orgId: world.orgs.district.id,
        enterpriseId: world.enterprise.id,
      }),
    ])
    const row = await tdb.db
      .selectFrom('enterprise_invitation')
      .selectAll()
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow()
    expect(row.accepted_user_id).toBe(joined.userId)
    expect(row.accepted_at).not.toBeNull()

    // Used: a second attempt is refused and changes nothing.
    const before = await enterpriseFootprint(tdb.db)
    const err = await rejects(
      acceptInvitation(tdb.db, issued.token, { kind: 'existing', userId: joined.userId }),
      InvitationUnavailableError,
    )
    expect(err.problem).toBe('used')
    expect((await invitationByToken(tdb.db, issued.token)).state).toBe('used')
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('refuses an expired invitation and an unknown token, writing nothing', async () => {
    const issued = await inviteContact(
      tdb.db,
      world.principals.contact,
      world.enterprise.id,
      invite(),
      { now: new Date('2026-01-01T00:00:00Z') },
    )
    const later = new Date(`2026-01-${String(1 + INVITATION_TTL_DAYS).padStart(2, '0')}T00:00:01Z`)
    expect((await invitationByToken(tdb.db, issued.token, { now: later })).state).toBe('expired')
    const before = await enterpriseFootprint(tdb.db)
    const expired = await rejects(
      acceptInvitation(tdb.db, issued.token, { kind: 'new', input: newcomer }, { now: later }),
      InvitationUnavailableError,
    )
    expect(expired.problem).toBe('expired')
    const unknown = await rejects(
      acceptInvitation(tdb.db, 'not-a-token', { kind: 'new', input: newcomer }),
      InvitationUnavailableError,
    )
    expect(unknown.problem).toBe('notFound')
    await rejects(invitationByToken(tdb.db, ''), InvitationUnavailableError)
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('lets an existing account join when signed in as that account only', async () => {
    const existing = await makeUser(tdb.db, {
      email: 'ent-existing@zhuqi.test',
      name: 'Existing Account',
      password: TEST_PASSWORD,
      role: 'expert',
      orgId: world.orgs.district.id,
    })
    const issued = await inviteContact(
      tdb.db,
      world.principals.contact2,
      world.enterprise.id,
      invite({ email: 'ENT-existing@zhuqi.test' }),
    )
    expect((await invitationByToken(tdb.db, issued.token)).accountExists).toBe(true)
    const before = await enterpriseFootprint(tdb.db)
    const asNew = await rejects(
      acceptInvitation(tdb.db, issued.token, { kind: 'new', input: newcomer }),
      ValidationError,
    )
    expect(asNew.details.messageKey).toBe('enterprise.invitation.signInFirst')
    const asOther = await rejects(
      acceptInvitation(tdb.db, issued.token, { kind: 'existing', userId: world.users.steward.id }),
      ValidationError,
    )
    expect(asOther.details.messageKey).toBe('enterprise.invitation.otherAccount')
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)

    await acceptInvitation(tdb.db, issued.token, { kind: 'existing', userId: existing.id })
    const roles = (await principalOf(tdb.db, existing.id)).memberships.map((m) => m.role)
    expect(roles.sort()).toEqual(['enterprise_contact', 'expert'])
  })

  it('lets only one of two simultaneous acceptances through', async () => {
    const issued = await inviteContact(
      tdb.db,
      world.principals.contact,
      world.enterprise.id,
      invite(),
    )
    const results = await Promise.allSettled([
      acceptInvitation(tdb.db, issued.token, { kind: 'new', input: newcomer }),
      acceptInvitation(tdb.db, issued.token, { kind: 'new', input: newcomer }),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    const reason = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))[0]
    // The loser either found the invitation used or lost the race on the e-mail.
    expect(reason).toBeInstanceOf(Error)
    expect(
      reason instanceof InvitationUnavailableError ||
        (reason instanceof ValidationError &&
          reason.details.messageKey === 'enterprise.invitation.signInFirst'),
    ).toBe(true)
  })

  it('refuses inviters from another enterprise or another subtree, and existing contacts', async () => {
    const before = await enterpriseFootprint(tdb.db)
    for (const principal of [
      world.principals.otherContact,
      world.principals.otherCoordinator,
      world.principals.steward,
    ]) {
      await rejects(inviteContact(tdb.db, principal, world.enterprise.id, invite()), ForbiddenError)
    }
    await rejects(inviteContact(tdb.db, world.principals.contact, 999_999, invite()), NotFoundError)
    const already = await rejects(
      inviteContact(
        tdb.db,
        world.principals.contact,
        world.enterprise.id,
        invite({ email: world.users.contact2.email }),
      ),
      ValidationError,
    )
    expect(already.details.messageKey).toBe('enterprise.errors.alreadyContact')
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('lets the union desk in scope invite too', async () => {
    const issued = await inviteContact(
      tdb.db,
      world.principals.coordinator,
      world.otherEnterprise.id,
      invite(),
    )
    expect((await invitationByToken(tdb.db, issued.token)).enterpriseId).toBe(
      world.otherEnterprise.id,
    )
  })
})

describe('who reads a profile', () => {
  it('refuses a contact of another enterprise, by id', async () => {
    await rejects(
      enterpriseProfile(tdb.db, world.principals.otherContact, world.enterprise.id),
      ForbiddenError,
    )
    await rejects(
      enterpriseProfile(tdb.db, world.principals.contact, world.otherEnterprise.id),
      ForbiddenError,
    )
  })

  it('refuses a coordinator of another subtree and an expert', async () => {
    await rejects(
      enterpriseProfile(tdb.db, world.principals.otherCoordinator, world.enterprise.id),
      ForbiddenError,
    )
    const expert = await makeUser(tdb.db, {
      email: 'ent-expert@zhuqi.test',
      name: 'ent expert',
      password: TEST_PASSWORD,
      role: 'expert',
      orgId: world.orgs.district.id,
    })
    await rejects(
      enterpriseProfile(tdb.db, await principalOf(tdb.db, expert.id), world.enterprise.id),
      ForbiddenError,
    )
  })

  it('answers not found for an id that does not exist', async () => {
    await rejects(enterpriseProfile(tdb.db, world.principals.admin, 987_654), NotFoundError)
  })

  it('lets the steward of the org, coordinators and admins above read it', async () => {
    for (const key of ['steward', 'coordinator', 'provinceCoordinator', 'admin'] as const) {
      const view = await enterpriseProfile(tdb.db, world.principals[key], world.enterprise.id)
      expect(view.enterprise.id).toBe(world.enterprise.id)
    }
  })

  it('lets the dedicated steward read it even from another org', async () => {
    const steward = await makeUser(tdb.db, {
      email: 'ent-dedicated@zhuqi.test',
      name: '专属管家测试',
      password: TEST_PASSWORD,
      role: 'steward',
      orgId: world.orgs.otherCity.id,
    })
    const enterprise = await makeEnterprise(tdb.db, {
      orgId: world.orgs.district.id,
      name: 'Dedicated Steward Plastics',
      stewardUserId: steward.id,
    })
    const view = await enterpriseProfile(
      tdb.db,
      await principalOf(tdb.db, steward.id),
      enterprise.id,
    )
    expect(view.steward).toEqual({ id: steward.id, name: '专属管家测试' })
    expect(view.can).toMatchObject({ invite: false, stewardSection: false })
    // Another steward of that org, not dedicated to it, may not.
    const other = await makeUser(tdb.db, {
      email: 'ent-not-dedicated@zhuqi.test',
      name: 'not dedicated',
      password: TEST_PASSWORD,
      role: 'steward',
      orgId: world.orgs.otherCity.id,
    })
    await rejects(
      enterpriseProfile(tdb.db, await principalOf(tdb.db, other.id), enterprise.id),
      ForbiddenError,
    )
  })

  it('masks mobiles and hides drafts from everyone but the enterprise', async () => {
    const code = newCreditCode()
    const { enterpriseId, userId } = await registerEnterprise(
      tdb.db,
      registration({ name: 'Masked Mobile Sensors', creditCode: code, mobile: '13512345678' }),
    )
    const contact = await principalOf(tdb.db, userId)
    const draft = await draftListFor(contact)

    const own = await enterpriseProfile(tdb.db, contact, enterpriseId)
    expect(own.contacts.map((c) => c.mobile)).toEqual(['13512345678'])
    expect(own.needsLists.map((l) => l.id)).toEqual([draft])
    expect(own.can).toMatchObject({ invite: true, seeFullMobiles: true, stewardSection: false })

    const union = await enterpriseProfile(tdb.db, world.principals.coordinator, enterpriseId)
    expect(union.contacts.map((c) => c.mobile)).toEqual(['135****5678'])
    expect(union.needsLists).toEqual([])
    expect(union.can).toMatchObject({ invite: true, seeFullMobiles: false, stewardSection: true })
  })
})

function draftListFor(contact: Principal): Promise<number> {
  return createNeedsList(tdb.db, contact, {
    title: 'Draft only the enterprise sees',
    items: [
      {
        category: 'equipment_diagnosis',
        description: 'A private draft',
        urgency: 'low',
        headcount: 1,
      },
    ],
  })
}

describe('the union’s enterprise list', () => {
  it('shows only the subtree and searches by name, normalised name and credit code', async () => {
    const code = newCreditCode('350203')
    await makeEnterprise(tdb.db, {
      orgId: world.orgs.otherCity.id,
      name: '他城专属搜索机电有限公司',
      creditCode: code,
    })
    const mine = await listEnterprises(tdb.db, world.principals.coordinator, {
      page: 1,
      pageSize: 500,
    })
    expect(mine.rows.map((r) => r.id)).toContain(world.enterprise.id)
    expect(mine.rows.map((r) => r.name)).not.toContain('他城专属搜索机电有限公司')

    const other = world.principals.otherCoordinator
    const search = async (query: string) =>
      (await listEnterprises(tdb.db, other, { query, page: 1, pageSize: 20 })).rows.map(
        (r) => r.name,
      )
    expect(await search('专属搜索')).toEqual(['他城专属搜索机电有限公司'])
    expect(await search('他城专属搜索机电股份有限公司')).toEqual(['他城专属搜索机电有限公司'])
    expect(await search(code.slice(0, 10).toLowerCase())).toEqual(['他城专属搜索机电有限公司'])
    expect(await search(world.enterprise.name)).toEqual([])
    expect(await search('100%_')).toEqual([])
  })

  it('pages through the results', async () => {
    const page1 = await listEnterprises(tdb.db, world.principals.admin, { page: 1, pageSize: 2 })
    const page2 = await listEnterprises(tdb.db, world.principals.admin, { page: 2, pageSize: 2 })
    expect(page1.rows).toHaveLength(2)
    expect(page1.hasNext).toBe(true)
    expect(page2.rows[0]?.id).not.toBe(page1.rows[0]?.id)
  })

  it('is refused to contacts and stewards', async () => {
    for (const key of ['contact', 'steward'] as const) {
      await rejects(
        listEnterprises(tdb.db, world.principals[key], { page: 1, pageSize: 20 }),
        ForbiddenError,
      )
    }
  })
})

describe('the seed-like factory', () => {
  it('fills normalized_name on every insert', async () => {
    const e = await makeEnterprise(tdb.db, { orgId: parkId, name: 'ＡＢＣ　精密 有限公司' })
    expect(e.normalized_name).toBe('abc精密')
  })

  it('draftList of the world still works with normalised enterprises', async () => {
    expect(await draftList(tdb.db, world, 'Still works')).toBeGreaterThan(0)
  })
})
