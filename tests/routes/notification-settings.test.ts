import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as settings from '#app/routes/settings.notifications.tsx'
import { DEFAULT_PREFERENCES, savePreferences } from '#db/queries/notification-preferences.ts'
import {
  anonymous,
  type Browser,
  buildContext,
  call,
  signIn,
  type TestContext,
} from '../helpers/route-context.ts'
import { createTestDatabase, type TestDatabase } from '../helpers/test-db.ts'
import { buildWorld, type World } from '../helpers/world.ts'

const PATH = '/settings/notifications'

let tdb: TestDatabase
let world: World
let ctx: TestContext
let contact: Browser

beforeAll(async () => {
  tdb = await createTestDatabase('routes_prefs')
  world = await buildWorld(tdb.db, 'np')
  ctx = buildContext(tdb.db)
  contact = await signIn(ctx, world.users.contact.id)
})

afterAll(async () => {
  await tdb?.drop()
})

function rows() {
  return tdb.db.selectFrom('notification_preference').selectAll().orderBy('user_id').execute()
}

type Loaded = Awaited<ReturnType<typeof settings.loader>>

async function load(browser: Browser, path = PATH) {
  const out = await call(settings.loader, browser.get(path), ctx)
  expect(out.status).toBe(200)
  return out.data as Loaded
}

const post = (
  browser: Browser,
  fields: [string, string][] | Record<string, string>,
  csrf?: string | null,
) => call(settings.action, browser.post(PATH, fields, { csrf }), ctx)

const valid = {
  email: 'on',
  quietStart: '21:30',
  quietEnd: '07:00',
  quietOnNonWorkingDays: 'on',
  digest: 'on',
}

describe('notification settings', () => {
  it('sends anonymous visitors to sign in', async () => {
    const out = await call(settings.loader, (await anonymous(ctx)).get(PATH), ctx)
    expect(out).toMatchObject({ status: 302 })
    expect(out.location).toBe('/sign-in?redirectTo=%2Fsettings%2Fnotifications')
    const posted = await call(settings.action, (await anonymous(ctx)).post(PATH, valid), ctx)
    expect(posted.status).toBe(302)
    expect(posted.location).toMatch(/^\/sign-in/)
    expect(await rows()).toEqual([])
  })

  it('shows the defaults before anything is saved, with the user’s addresses', async () => {
    await tdb.db
      .updateTable('app_user')
      .set({ mobile: '13812345678' })
      .where('id', '=', world.users.contact.id)
      .execute()
    const data = await load(contact)
    expect(data).toEqual({
      preferences: {
        email: true,
        sms: true,
        quietStart: '22:00',
        quietEnd: '08:00',
        quietOnNonWorkingDays: true,
        digest: false,
      },
      email: world.users.contact.email,
      mobile: '13812345678',
      saved: false,
    })
  })

  it('refuses a post without a CSRF token (403) and saves nothing', async () => {
    const out = await post(contact, valid, null)
    expect(out).toMatchObject({ status: 403, body: 'errors.csrf' })
    expect(await rows()).toEqual([])
  })

  it('refuses malformed times and flags with translated field errors (400), saving nothing', async () => {
    const bad = await post(contact, { ...valid, quietStart: '25:00', quietEnd: '' })
    expect(bad.status).toBe(400)
    const result = (bad.data as { result: { error: Record<string, string[]> } }).result
    expect(result.error.quietStart).toEqual(['delivery.errors.time'])
    expect(result.error.quietEnd).toEqual(['errors.required'])
    const flag = await post(contact, { ...valid, digest: 'yes' })
    expect(flag.status).toBe(400)
    expect(
      (flag.data as { result: { error: Record<string, string[]> } }).result.error.digest,
    ).toEqual(['errors.badRequest'])
    expect(await rows()).toEqual([])
  })

  it('saves the user’s own settings (unchecked boxes are off) and ignores any user id in the form', async () => {
    const other = world.users.contact2
    await savePreferences(tdb.db, other.id, DEFAULT_PREFERENCES, new Date())
    const before = await rows()
    const out = await post(contact, {
      ...valid,
      userId: String(other.id),
      user_id: String(other.id),
    })
    expect(out).toMatchObject({ status: 302, location: `${PATH}?saved=1` })
    const after = await rows()
    expect(after.find((r) => r.user_id === other.id)).toEqual(before[0])
    expect(after.find((r) => r.user_id === world.users.contact.id)).toMatchObject({
      email: true,
      sms: false,
      quiet_start: 21 * 60 + 30,
      quiet_end: 7 * 60,
      quiet_on_non_working_days: true,
      digest: true,
    })
    const data = await load(contact, `${PATH}?saved=1`)
    expect(data.saved).toBe(true)
    expect(data.preferences).toEqual({
      email: true,
      sms: false,
      quietStart: '21:30',
      quietEnd: '07:00',
      quietOnNonWorkingDays: true,
      digest: true,
    })
    // Saving again updates the same row.
    expect((await post(contact, { quietStart: '00:00', quietEnd: '00:00' })).status).toBe(302)
    expect((await load(contact)).preferences).toEqual({
      email: false,
      sms: false,
      quietStart: '00:00',
      quietEnd: '00:00',
      quietOnNonWorkingDays: false,
      digest: false,
    })
    expect(await rows()).toHaveLength(2)
  })

  it('is open to every signed-in role', async () => {
    for (const user of [world.users.admin, world.users.steward, world.users.coordinator]) {
      const browser = await signIn(ctx, user.id)
      expect((await load(browser)).email).toBe(user.email)
    }
  })
})
