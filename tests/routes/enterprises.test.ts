import { createHash } from 'node:crypto'
import type { ActionFunctionArgs } from '@remix-run/node'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as list from '#app/routes/enterprises._index.tsx'
import * as profile from '#app/routes/enterprises.$id._index.tsx'
import * as invite from '#app/routes/enterprises.$id.invite.tsx'
import * as mine from '#app/routes/enterprises.mine.tsx'
import * as newEnterprise from '#app/routes/enterprises.new.tsx'
import * as invitation from '#app/routes/invitations.$token.tsx'
import * as register from '#app/routes/register.tsx'
import { makeOrg, makeUser } from '#db/factories.ts'
import { setUserMobile } from '#db/queries/enterprises.ts'
import { inviteContact } from '#workflows/commands/enterprises.ts'
import { invitationSchema } from '#workflows/enterprise-validation.ts'
import { REGISTRATION_LIMIT } from '#workflows/rate-limit.ts'
import { enterpriseFootprint, newCreditCode, registrationFields } from '../helpers/enterprises.ts'
import {
  anonymous,
  Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, TEST_PASSWORD, type World } from '../helpers/world.ts'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let parkId: number
let as: Record<
  | 'contact'
  | 'contact2'
  | 'otherContact'
  | 'coordinator'
  | 'otherCoordinator'
  | 'steward'
  | 'admin'
  | 'expert',
  Browser
>

beforeAll(async () => {
  tdb = await createTestDatabase('routes_enterprises')
  world = await buildWorld(tdb.db, 're')
  ctx = buildContext(tdb.db)
  parkId = (await makeOrg(tdb.db, 're park union', 'park_union', world.orgs.district.id)).id
  await setUserMobile(tdb.db, world.users.contact.id, '13811112222')
  const expert = await makeUser(tdb.db, {
    email: 're-expert@zhuqi.test',
    name: 're expert',
    password: TEST_PASSWORD,
    role: 'expert',
    orgId: world.orgs.district.id,
  })
  const u = world.users
  as = {
    contact: await signIn(ctx, u.contact.id),
    contact2: await signIn(ctx, u.contact2.id),
    otherContact: await signIn(ctx, u.otherContact.id),
    coordinator: await signIn(ctx, u.coordinator.id),
    otherCoordinator: await signIn(ctx, u.otherCoordinator.id),
    steward: await signIn(ctx, u.steward.id),
    admin: await signIn(ctx, u.admin.id),
    expert: await signIn(ctx, expert.id),
  }
})

afterAll(async () => {
  await tdb?.drop()
})

type Reply = {
  result: {
    status?: string
    error?: Record<string, string[] | null>
    initialValue?: Record<string, unknown>
  }
  duplicate?: { id: number; name: string; hasContacts: boolean; canOpen: boolean } | null
  similar?: { id: number; name: string; canOpen: boolean }[] | null
  invitation?: { url: string; name: string; days: number } | null
}
const replyOf = (data: unknown) => data as Reply

/** Calls an action and hands back the raw Response when it redirects (to read Set-Cookie). */
async function rawAction(
  fn: (args: ActionFunctionArgs) => Promise<unknown>,
  request: Request,
  params: Record<string, string> = {},
): Promise<Response> {
  try {
    const out = await fn({ request, context: ctx, params })
    if (out instanceof Response) return out
    throw new Error(`expected a redirect, got ${JSON.stringify(out)}`)
  } catch (err) {
    if (err instanceof Response) return err
    throw err
  }
}

async function rawActionIn(
  context: typeof ctx,
  fn: (args: ActionFunctionArgs) => Promise<unknown>,
  request: Request,
): Promise<Response> {
  try {
    const out = await fn({ request, context, params: {} })
    if (out instanceof Response) return out
    throw new Error(`expected a redirect, got ${JSON.stringify(out)}`)
  } catch (err) {
    if (err instanceof Response) return err
    throw err
  }
}

/** The anonymous browser after the response's Set-Cookie: now signed in. */
function browserFromSetCookie(response: Response, before: Browser): Browser {
  const session = (response.headers.get('Set-Cookie') ?? '').split(';')[0] ?? ''
  return new Browser(`${session}; ${before.cookieHeader ?? ''}`, before.csrf)
}

function postFields(fields: Record<string, string | number>, tags: string[] = []) {
  const pairs: [string, string | number][] = Object.entries(fields)
  for (const tag of tags) pairs.push(['tags', tag])
  return pairs
}

describe('registration page', () => {
  it('offers the unions open for registration to anonymous visitors', async () => {
    const anon = await anonymous(ctx)
    const out = await call(register.loader, anon.get('/register'), ctx)
    expect(out.status).toBe(200)
    const names = (out.data as { orgs: { name: string }[] }).orgs.map((o) => o.name)
    expect(names).toEqual(
      expect.arrayContaining(['re city', 're district', 're park union', 're other city']),
    )
    expect(names).not.toContain('re province')
  })

  it('sends signed-in users home, on the page and on a post, writing nothing', async () => {
    const out = await call(register.loader, as.contact.get('/register'), ctx)
    expect(out).toMatchObject({ status: 302, location: '/needs-lists' })
    const before = await enterpriseFootprint(tdb.db)
    const posted = await call(
      register.action,
      as.coordinator.post('/register', registrationFields({ orgId: parkId, name: '已登录注册' })),
      ctx,
    )
    expect(posted).toMatchObject({ status: 302, location: '/intake' })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('refuses a post without a valid CSRF token, writing nothing', async () => {
    const anon = await anonymous(ctx)
    const before = await enterpriseFootprint(tdb.db)
    for (const csrf of [null, 'forged-token-forged-token-forged-token-00']) {
      const out = await call(
        register.action,
        anon.post('/register', registrationFields({ orgId: parkId, name: 'CSRF测试企业' }), {
          csrf,
        }),
        ctx,
      )
      expect(out).toMatchObject({ status: 403, thrown: true, body: 'errors.csrf' })
    }
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('answers bad input with 400 and translated field errors, never echoing the password', async () => {
    const anon = await anonymous(ctx)
    const before = await enterpriseFootprint(tdb.db)
    const out = await call(
      register.action,
      anon.post(
        '/register',
        registrationFields({
          orgId: parkId,
          name: '坏输入测试企业',
          creditCode: '91350200MA2Y4Q8K3B',
          mobile: '1234567890',
          industry: 'Z',
          size: '',
          passwordConfirm: 'something-else',
        }),
      ),
      ctx,
    )
    expect(out.status).toBe(400)
    const reply = replyOf(out.data)
    expect(reply.result.error).toMatchObject({
      creditCode: ['enterprise.errors.creditCode.checkCharacter'],
      mobile: ['enterprise.errors.mobile.length'],
      industry: ['enterprise.errors.industry'],
      size: ['enterprise.errors.size'],
    })
    expect(reply.result.initialValue).toMatchObject({ name: '坏输入测试企业' })
    expect(reply.result.initialValue).not.toHaveProperty('password')
    expect(reply.result.initialValue).not.toHaveProperty('csrf')
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('refuses an org not open for registration with a field error (400)', async () => {
    const anon = await anonymous(ctx)
    const before = await enterpriseFootprint(tdb.db)
    const out = await call(
      register.action,
      anon.post(
        '/register',
        registrationFields({ orgId: world.orgs.province.id, name: '省级工会注册' }),
      ),
      ctx,
    )
    expect(out.status).toBe(400)
    expect(replyOf(out.data).result.error).toMatchObject({ orgId: ['enterprise.errors.org'] })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('registers, signs the new contact in and lands on the profile', async () => {
    const anon = await anonymous(ctx)
    const fields = registrationFields({ orgId: parkId, name: '鹭江路由注册机电有限公司' })
    const response = await rawAction(
      register.action,
      anon.post('/register', postFields(fields, ['innovative_sme', 'chain_leader'])),
    )
    expect(response.status).toBe(302)
    const match = response.headers.get('Location')?.match(/^\/enterprises\/(\d+)\?done=registered$/)
    expect(match).not.toBeNull()
    const id = Number(match?.[1])
    const row = await tdb.db
      .selectFrom('enterprise')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      name: '鹭江路由注册机电有限公司',
      normalized_name: '鹭江路由注册机电',
      tags: ['innovative_sme', 'chain_leader'],
      org_id: parkId,
    })
    const user = await tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', String(fields.email))
      .executeTakeFirstOrThrow()
    expect(user.mobile).toBe('13800001111')
    const sessions = await tdb.db
      .selectFrom('user_session')
      .select('id')
      .where('user_id', '=', user.id)
      .execute()
    expect(sessions).toHaveLength(1)

    // The cookie it set opens the new profile, with the notice.
    const signedIn = browserFromSetCookie(response, anon)
    const page = await call(
      profile.loader,
      signedIn.get(`/enterprises/${id}?done=registered`),
      ctx,
      { id: String(id) },
    )
    expect(page.status).toBe(200)
    expect(page.data).toMatchObject({
      enterprise: { id, name: '鹭江路由注册机电有限公司' },
      notice: 'enterprise.notices.registered',
      contacts: [{ id: user.id, mobile: '13800001111' }],
      can: { invite: true, seeFullMobiles: true },
    })
  })

  const DISTINCT_NAMES = [
    '青松电子',
    '白鹭食品加工',
    '金海船舶修造',
    '银河光学仪器',
    '红枫纺织印染',
  ]

  it('limits self-registrations per client address (429) and writes nothing past the limit', async () => {
    const limited = { ...ctx, clientIp: '198.51.100.7' }
    const registered: number[] = []
    for (let i = 0; i < REGISTRATION_LIMIT.limit; i++) {
      const anon = await anonymous(limited)
      const fields = registrationFields({ orgId: parkId, name: `${DISTINCT_NAMES[i]}有限公司` })
      const res = await rawActionIn(
        limited,
        register.action,
        anon.post('/register', postFields(fields)),
      )
      expect(res.status).toBe(302)
      registered.push(i)
    }
    const before = await tdb.db.selectFrom('enterprise').select('id').execute()
    const anon = await anonymous(limited)
    const fields = registrationFields({ orgId: parkId, name: '远山环保材料有限公司' })
    const out = await call(register.action, anon.post('/register', postFields(fields)), limited)
    expect(out.status).toBe(429)
    expect(replyOf(out.data).result.error?.['']).toEqual(['errors.rateLimited'])
    expect(await tdb.db.selectFrom('enterprise').select('id').execute()).toHaveLength(before.length)
    // Another address is not affected.
    const elsewhere = { ...ctx, clientIp: '198.51.100.8' }
    const other = await anonymous(elsewhere)
    const ok = await rawActionIn(
      elsewhere,
      register.action,
      other.post(
        '/register',
        postFields(registrationFields({ orgId: parkId, name: '星火工业软件有限公司' })),
      ),
    )
    expect(ok.status).toBe(302)
    expect(registered).toHaveLength(REGISTRATION_LIMIT.limit)
  })

  it('refuses a duplicate credit code (409) with a pointer to the existing record', async () => {
    const anon = await anonymous(ctx)
    const code = newCreditCode()
    const first = await rawAction(
      register.action,
      anon.post(
        '/register',
        registrationFields({ orgId: parkId, name: '首家登记光学仪器', creditCode: code }),
      ),
    )
    expect(first.status).toBe(302)
    const before = await enterpriseFootprint(tdb.db)
    const out = await call(
      register.action,
      anon.post(
        '/register',
        registrationFields({
          orgId: parkId,
          name: '第二家不同名称',
          creditCode: code.toLowerCase(),
        }),
      ),
      ctx,
    )
    expect(out.status).toBe(409)
    const reply = replyOf(out.data)
    expect(reply.duplicate).toMatchObject({
      name: '首家登记光学仪器',
      hasContacts: true,
      canOpen: false,
    })
    expect(reply.result.error).toMatchObject({
      creditCode: ['enterprise.errors.duplicateCreditCode'],
    })
    expect(reply.result.initialValue).not.toHaveProperty('password')
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('warns about a similar name (409), then saves when the box is ticked', async () => {
    const anon = await anonymous(ctx)
    await rawAction(
      register.action,
      anon.post(
        '/register',
        registrationFields({ orgId: parkId, name: '海湾路由相似电池有限公司' }),
      ),
    )
    const before = await enterpriseFootprint(tdb.db)
    const fields = registrationFields({ orgId: parkId, name: '海湾路由相似电池股份有限公司' })
    const warned = await call(register.action, anon.post('/register', fields), ctx)
    expect(warned.status).toBe(409)
    expect(replyOf(warned.data).similar).toEqual([
      expect.objectContaining({ name: '海湾路由相似电池有限公司', canOpen: false }),
    ])
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)

    const confirmed = await call(
      register.action,
      anon.post('/register', { ...fields, confirmSimilar: 'on' }),
      ctx,
    )
    expect(confirmed.status).toBe(302)
    expect((await enterpriseFootprint(tdb.db)).enterprises).toBe(before.enterprises + 1)
  })
})

describe('enterprise list', () => {
  it('sends anonymous visitors to sign in', async () => {
    const anon = await anonymous(ctx)
    const out = await call(list.loader, anon.get('/enterprises'), ctx)
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/sign-in\?/)
  })

  it('is 403 for contacts, stewards and experts', async () => {
    for (const b of [as.contact, as.steward, as.expert]) {
      const out = await call(list.loader, b.get('/enterprises'), ctx)
      expect(out.status).toBe(403)
    }
  })

  it('shows a coordinator their subtree only, with search', async () => {
    const out = await call(list.loader, as.coordinator.get('/enterprises'), ctx)
    const names = (out.data as { enterprises: { name: string }[] }).enterprises.map((e) => e.name)
    expect(names).toContain(world.enterprise.name)
    const other = await call(list.loader, as.otherCoordinator.get('/enterprises'), ctx)
    expect(
      (other.data as { enterprises: { id: number }[] }).enterprises.map((e) => e.id),
    ).not.toContain(world.enterprise.id)
    const searched = await call(
      list.loader,
      as.coordinator.get(`/enterprises?q=${encodeURIComponent('energy')}&page=abc`),
      ctx,
    )
    expect(searched.data).toMatchObject({
      page: 1,
      query: 'energy',
      enterprises: [{ id: world.otherEnterprise.id }],
    })
  })
})

describe('new enterprise (union)', () => {
  const fields = (overrides: Record<string, string | number> = {}) => ({
    name: 'Route Created Castings',
    creditCode: newCreditCode(),
    industry: 'C',
    size: 'large',
    orgId: world.orgs.district.id,
    ...overrides,
  })

  it('is 403 for contacts and stewards', async () => {
    for (const b of [as.contact, as.steward]) {
      expect((await call(newEnterprise.loader, b.get('/enterprises/new'), ctx)).status).toBe(403)
    }
  })

  it('offers the orgs of the coordinator’s subtree only', async () => {
    const out = await call(newEnterprise.loader, as.coordinator.get('/enterprises/new'), ctx)
    const names = (out.data as { orgs: { name: string }[] }).orgs.map((o) => o.name)
    expect(names).toEqual(['re city', 're district', 're park union'])
  })

  it('refuses an org of another subtree (403) and a forged token, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const forbidden = await call(
      newEnterprise.action,
      as.otherCoordinator.post('/enterprises/new', fields({ name: 'Forbidden Foundry' })),
      ctx,
    )
    expect(forbidden).toMatchObject({ status: 403, thrown: true, body: 'errors.forbidden' })
    const forged = await call(
      newEnterprise.action,
      as.coordinator.post('/enterprises/new', fields({ name: 'Forged Foundry' }), {
        csrf: as.otherCoordinator.csrf,
      }),
      ctx,
    )
    expect(forged).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('answers bad input and a half-filled invitation with 400, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const out = await call(
      newEnterprise.action,
      as.coordinator.post(
        '/enterprises/new',
        fields({ name: 'X', creditCode: '91350200MA2Y4Q8K3', inviteName: 'Half Filled' }),
      ),
      ctx,
    )
    expect(out.status).toBe(400)
    expect(replyOf(out.data).result.error).toMatchObject({
      name: ['enterprise.errors.nameTooShort'],
      creditCode: ['enterprise.errors.creditCode.length'],
    })
    const invite = await call(
      newEnterprise.action,
      as.coordinator.post(
        '/enterprises/new',
        fields({ inviteName: 'Half Filled', inviteMobile: '12345678901' }),
      ),
      ctx,
    )
    expect(invite.status).toBe(400)
    expect(replyOf(invite.data).result.error).toMatchObject({
      inviteEmail: ['errors.email'],
      inviteMobile: ['enterprise.errors.mobile.prefix'],
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('creates and redirects to the profile', async () => {
    const out = await call(
      newEnterprise.action,
      as.coordinator.post('/enterprises/new', fields({ name: 'Plain Created Bearings' })),
      ctx,
    )
    expect(out.status).toBe(302)
    expect(out.location).toMatch(/^\/enterprises\/\d+\?done=created$/)
  })

  it('shows the invitation link once when it invites the first contact', async () => {
    const out = await call(
      newEnterprise.action,
      as.coordinator.post(
        '/enterprises/new',
        fields({
          name: 'Invitation Created Springs',
          inviteName: 'Spring Contact',
          inviteEmail: 'spring@zhuqi.test',
          inviteMobile: '13911113333',
        }),
      ),
      ctx,
    )
    expect(out.status).toBe(200)
    const { invitation: shown, created } = out.data as {
      invitation: { url: string }
      created: { id: number }
    }
    const token = shown.url.match(/^http:\/\/zhuqi\.test\/invitations\/([\w-]+)$/)?.[1] ?? ''
    expect(token.length).toBeGreaterThan(40)
    const row = await tdb.db
      .selectFrom('enterprise_invitation')
      .selectAll()
      .where('enterprise_id', '=', created.id)
      .executeTakeFirstOrThrow()
    expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'))
  })

  it('links to the existing record on a duplicate code when it is in scope', async () => {
    const code = newCreditCode()
    await call(
      newEnterprise.action,
      as.coordinator.post(
        '/enterprises/new',
        fields({ name: 'Dup Source Motors', creditCode: code }),
      ),
      ctx,
    )
    const out = await call(
      newEnterprise.action,
      as.coordinator.post(
        '/enterprises/new',
        fields({ name: 'Dup Again Pumps', creditCode: code }),
      ),
      ctx,
    )
    expect(out.status).toBe(409)
    expect(replyOf(out.data).duplicate).toMatchObject({ name: 'Dup Source Motors', canOpen: true })
  })
})

describe('profile', () => {
  const path = (id: number | string) => `/enterprises/${id}`
  const load = (b: Browser, id: number | string, query = '') =>
    call(profile.loader, b.get(`${path(id)}${query}`), ctx, { id: String(id) })

  it('is 404 for ids that are not ids or do not exist', async () => {
    for (const id of ['abc', '0', '01', '987654']) {
      const out = await load(as.admin, id)
      expect(out, id).toMatchObject({ status: 404, body: 'errors.notFound' })
    }
  })

  it('is 403 for another enterprise’s contact and another subtree’s coordinator', async () => {
    for (const b of [as.otherContact, as.otherCoordinator, as.expert]) {
      expect(await load(b, world.enterprise.id)).toMatchObject({
        status: 403,
        body: 'errors.forbidden',
      })
    }
  })

  it('shows full mobiles to the enterprise, masked ones to the union', async () => {
    const own = await load(as.contact, world.enterprise.id, '?done=bogus')
    expect(own.status).toBe(200)
    expect(own.data).toMatchObject({
      notice: null,
      can: { invite: true, seeFullMobiles: true, stewardSection: false },
    })
    const mobiles = (d: unknown) =>
      (d as { contacts: { id: number; mobile: string | null }[] }).contacts.find(
        (c) => c.id === world.users.contact.id,
      )?.mobile
    expect(mobiles(own.data)).toBe('13811112222')
    for (const b of [as.coordinator, as.steward, as.admin]) {
      const out = await load(b, world.enterprise.id)
      expect(out.status).toBe(200)
      expect(mobiles(out.data)).toBe('138****2222')
      expect(out.data).toMatchObject({ can: { stewardSection: true, seeFullMobiles: false } })
    }
  })
})

describe('inviting a contact', () => {
  const path = () => `/enterprises/${world.enterprise.id}/invite`
  const params = () => ({ id: String(world.enterprise.id) })
  const invitee = (email: string) => ({ name: 'Route Invitee', email, mobile: '13722223333' })

  it('is 403 on the page and the post for another enterprise’s contact, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    expect(await call(invite.loader, as.otherContact.get(path()), ctx, params())).toMatchObject({
      status: 403,
    })
    const out = await call(
      invite.action,
      as.otherContact.post(path(), invitee('nobody@zhuqi.test')),
      ctx,
      params(),
    )
    expect(out).toMatchObject({ status: 403, thrown: true })
    const missing = await call(
      invite.action,
      as.contact.post('/enterprises/987654/invite', invitee('nobody@zhuqi.test')),
      ctx,
      { id: '987654' },
    )
    expect(missing).toMatchObject({ status: 404 })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('refuses a missing CSRF token, bad input and an existing contact, writing nothing', async () => {
    const before = await enterpriseFootprint(tdb.db)
    const csrf = await call(
      invite.action,
      as.contact.post(path(), invitee('csrf@zhuqi.test'), { csrf: null }),
      ctx,
      params(),
    )
    expect(csrf).toMatchObject({ status: 403, body: 'errors.csrf' })
    const bad = await call(
      invite.action,
      as.contact.post(path(), { name: '', email: 'x', mobile: '11122223333' }),
      ctx,
      params(),
    )
    expect(bad.status).toBe(400)
    expect(replyOf(bad.data).result.error).toMatchObject({
      name: ['errors.required'],
      email: ['errors.email'],
      mobile: ['enterprise.errors.mobile.prefix'],
    })
    const already = await call(
      invite.action,
      as.contact.post(path(), invitee(world.users.contact2.email)),
      ctx,
      params(),
    )
    expect(already.status).toBe(400)
    expect(replyOf(already.data).result.error).toMatchObject({
      email: ['enterprise.errors.alreadyContact'],
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)
  })

  it('shows the link once, in the response to the post', async () => {
    const out = await call(
      invite.action,
      as.contact2.post(path(), invitee('shown-once@zhuqi.test')),
      ctx,
      params(),
    )
    expect(out.status).toBe(200)
    const shown = replyOf(out.data).invitation
    expect(shown).toMatchObject({ name: 'Route Invitee', days: 14 })
    expect(shown?.url).toMatch(/^http:\/\/zhuqi\.test\/invitations\/[\w-]{43}$/)
    // The page itself never shows it again.
    const page = await call(invite.loader, as.contact2.get(path()), ctx, params())
    expect(JSON.stringify(page.data)).not.toContain(shown?.url.split('/').pop() ?? '')
  })
})

describe('accepting an invitation', () => {
  async function issue(email: string, now?: Date) {
    const issued = await inviteContact(
      tdb.db,
      world.principals.contact,
      world.enterprise.id,
      invitationSchema.parse({ name: 'Accepting Person', email, mobile: '13644445555' }),
      { now },
    )
    return issued.token
  }
  const path = (token: string) => `/invitations/${token}`
  const accountFields = {
    name: 'Accepting Person',
    mobile: '136 4444 5555',
    password: 'accepting-password',
    passwordConfirm: 'accepting-password',
  }

  it('says an unknown link is not valid (404)', async () => {
    const anon = await anonymous(ctx)
    const out = await call(invitation.loader, anon.get(path('nope')), ctx, { token: 'nope' })
    expect(out).toMatchObject({ status: 404, data: { state: 'notFound', invitation: null } })
    const long = 'x'.repeat(500)
    const posted = await call(invitation.action, anon.post(path(long), accountFields), ctx, {
      token: long,
    })
    expect(posted.status).toBe(404)
  })

  it('creates the account, signs in, and refuses the link the second time', async () => {
    const token = await issue('route-newcomer@zhuqi.test')
    const anon = await anonymous(ctx)
    const page = await call(invitation.loader, anon.get(path(token)), ctx, { token })
    expect(page).toMatchObject({
      status: 200,
      data: {
        state: 'valid',
        viewer: null,
        invitation: { email: 'route-newcomer@zhuqi.test', accountExists: false },
      },
    })

    const before = await enterpriseFootprint(tdb.db)
    const mismatch = await call(
      invitation.action,
      anon.post(path(token), { ...accountFields, passwordConfirm: 'other-password' }),
      ctx,
      { token },
    )
    expect(mismatch.status).toBe(400)
    expect(replyOf(mismatch.data).result.error).toMatchObject({
      passwordConfirm: ['enterprise.errors.passwordMismatch'],
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)

    const response = await rawAction(invitation.action, anon.post(path(token), accountFields), {
      token,
    })
    expect(response.status).toBe(302)
    expect(response.headers.get('Location')).toBe(`/enterprises/${world.enterprise.id}?done=joined`)
    expect(response.headers.get('Set-Cookie')).toMatch(/./)
    const user = await tdb.db
      .selectFrom('app_user')
      .selectAll()
      .where('email', '=', 'route-newcomer@zhuqi.test')
      .executeTakeFirstOrThrow()
    expect(user.mobile).toBe('13644445555')
    expect(await enterpriseFootprint(tdb.db)).toMatchObject({
      users: before.users + 1,
      memberships: before.memberships + 1,
      acceptedInvitations: before.acceptedInvitations + 1,
      sessions: before.sessions + 1,
    })

    const again = await call(invitation.loader, anon.get(path(token)), ctx, { token })
    expect(again).toMatchObject({ status: 410, data: { state: 'used' } })
    const after = await enterpriseFootprint(tdb.db)
    const reused = await call(
      invitation.action,
      anon.post(path(token), { ...accountFields, name: 'Second Use' }),
      ctx,
      { token },
    )
    expect(reused.status).toBe(410)
    expect(replyOf(reused.data).result.error).toMatchObject({ '': ['enterprise.invitation.used'] })
    expect(await enterpriseFootprint(tdb.db)).toEqual(after)
  })

  it('refuses an expired link (410), writing nothing', async () => {
    const token = await issue('route-expired@zhuqi.test', new Date('2026-01-01T00:00:00Z'))
    const anon = await anonymous(ctx)
    ctx.setNow(new Date('2026-02-01T00:00:00Z'))
    try {
      const page = await call(invitation.loader, anon.get(path(token)), ctx, { token })
      expect(page).toMatchObject({ status: 410, data: { state: 'expired' } })
      const before = await enterpriseFootprint(tdb.db)
      const out = await call(invitation.action, anon.post(path(token), accountFields), ctx, {
        token,
      })
      expect(out.status).toBe(410)
      expect(replyOf(out.data).result.error).toMatchObject({
        '': ['enterprise.invitation.expired'],
      })
      expect(await enterpriseFootprint(tdb.db)).toEqual(before)
    } finally {
      ctx.setNow(null)
    }
  })

  it('lets an existing account join only when signed in as it', async () => {
    const existing = await makeUser(tdb.db, {
      email: 're-joiner@zhuqi.test',
      name: 're joiner',
      password: TEST_PASSWORD,
      role: 'expert',
      orgId: world.orgs.district.id,
    })
    const token = await issue('re-joiner@zhuqi.test')
    const anon = await anonymous(ctx)
    const page = await call(invitation.loader, anon.get(path(token)), ctx, { token })
    expect(page.data).toMatchObject({ invitation: { accountExists: true } })

    const before = await enterpriseFootprint(tdb.db)
    // Anonymous "join" goes to sign in and back.
    const anonJoin = await call(
      invitation.action,
      anon.post(path(token), { intent: 'join' }),
      ctx,
      {
        token,
      },
    )
    expect(anonJoin.status).toBe(302)
    expect(anonJoin.location).toBe(
      `/sign-in?${new URLSearchParams({ redirectTo: `/invitations/${token}` })}`,
    )
    // Creating a second account for that e-mail is refused.
    const dup = await call(invitation.action, anon.post(path(token), accountFields), ctx, { token })
    expect(dup.status).toBe(400)
    expect(replyOf(dup.data).result.error).toMatchObject({
      '': ['enterprise.invitation.signInFirst'],
    })
    // Someone else signed in may not use it.
    const otherView = await call(invitation.loader, as.steward.get(path(token)), ctx, { token })
    expect(otherView.data).toMatchObject({ viewer: { matches: false } })
    const otherJoin = await call(
      invitation.action,
      as.steward.post(path(token), { intent: 'join' }),
      ctx,
      { token },
    )
    expect(otherJoin.status).toBe(400)
    expect(replyOf(otherJoin.data).result.error).toMatchObject({
      '': ['enterprise.invitation.otherAccount'],
    })
    expect(await enterpriseFootprint(tdb.db)).toEqual(before)

    const joiner = await signIn(ctx, existing.id)
    const joined = await call(
      invitation.action,
      joiner.post(path(token), { intent: 'join' }),
      ctx,
      {
        token,
      },
    )
    expect(joined).toMatchObject({
      status: 302,
      location: `/enterprises/${world.enterprise.id}?done=joined`,
    })
    const profilePage = await call(
      profile.loader,
      joiner.get(`/enterprises/${world.enterprise.id}`),
      ctx,
      { id: String(world.enterprise.id) },
    )
    expect(profilePage.status).toBe(200)
  })

  it('refuses a post without a CSRF token', async () => {
    const token = await issue('route-csrf@zhuqi.test')
    const anon = await anonymous(ctx)
    const out = await call(
      invitation.action,
      anon.post(path(token), accountFields, { csrf: null }),
      ctx,
      { token },
    )
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
  })
})

describe('my enterprise', () => {
  it('takes a contact to their profile and is 403 for the union', async () => {
    const out = await call(mine.loader, as.contact.get('/enterprises/mine'), ctx)
    expect(out).toMatchObject({ status: 302, location: `/enterprises/${world.enterprise.id}` })
    expect((await call(mine.loader, as.coordinator.get('/enterprises/mine'), ctx)).status).toBe(403)
  })
})
