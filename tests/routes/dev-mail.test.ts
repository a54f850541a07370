import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest'
import { DEV_MAIL_FROM, devMailboxDir } from '#app/env.server.ts'
import * as devMail from '#app/routes/dev.mail.tsx'
import { emailChannel, messageIdFor } from '#jobs/delivery/channels.ts'
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

type Listed = { id: string; to: string; subject: string; date: string; messageId: string }
type Page = {
  dir: string
  smtpInUse: boolean
  messages: Listed[]
  selected: (Listed & { html: string | null; text: string }) | null
  missing: boolean
}

let tdb: TestDatabase
let world: World
let ctx: TestContext
let admin: Browser
let dataDir: string
const saved = { ...process.env }

beforeAll(async () => {
  // This file runs in a process of its own: the page reads the mailbox's variables from it.
  dataDir = mkdtempSync(path.join(tmpdir(), 'zhuqi-devmail-'))
  process.env.DATA_DIR = dataDir
  delete process.env.SMTP_URL
  tdb = await createTestDatabase('routes_devmail')
  world = await buildWorld(tdb.db, 'dm')
  ctx = buildContext(tdb.db)
  admin = await signIn(ctx, world.users.admin.id)
})

afterAll(async () => {
  process.env = saved
  rmSync(dataDir, { recursive: true, force: true })
  await tdb?.drop()
})

function withEnv(patch: Record<string, string | undefined>) {
  const before = { ...process.env }
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete process.env[k]
    else process.env[k] = v
  }
  onTestFinished(() => {
    process.env = before
  })
}

describe('where development e-mail goes', () => {
  it('DATA_DIR/mail without SMTP outside production; nowhere in production; SMTP when set', () => {
    expect(devMailboxDir({})).toBe(path.resolve('./data/mail'))
    expect(devMailboxDir({ DATA_DIR: '/tmp/x', NODE_ENV: 'test' })).toBe('/tmp/x/mail')
    expect(devMailboxDir({ NODE_ENV: 'production' })).toBeNull()
    expect(devMailboxDir({ SMTP_URL: 'smtp://h:25' })).toBeNull()
  })
})

describe('/dev/mail', () => {
  it('is for federation admins only', async () => {
    for (const user of [world.users.coordinator, world.users.contact, world.users.steward]) {
      const browser = await signIn(ctx, user.id)
      const res = await call(devMail.loader, browser.get('/dev/mail'), ctx)
      expect(res).toMatchObject({ status: 403, thrown: true })
    }
    const res = await call(devMail.loader, (await anonymous(ctx)).get('/dev/mail'), ctx)
    expect(res.status).toBe(302)
    expect(res.location).toMatch(/^\/sign-in\?/)
  })

  it('lists a captured message and shows it, its HTML in an empty sandbox', async () => {
    const dir = devMailboxDir(process.env)
    if (!dir) throw new Error('the mailbox should be on in tests')
    expect(dir).toBe(path.join(dataDir, 'mail'))
    const empty = await call(devMail.loader, admin.get('/dev/mail'), ctx)
    expect(empty.data).toMatchObject({ dir, smtpInUse: false, messages: [], selected: null })

    const channel = emailChannel({ mailbox: dir, from: DEV_MAIL_FROM })
    onTestFinished(() => channel.close())
    const html = '<p>请在 <b>3 个工作日</b>内完成受理。</p><script>parent.alert(1)</script>'
    await channel.send(
      { name: '黄丽娟', email: 'xietiao@demo.zhuqi.test', mobile: null, locale: 'zh-CN' },
      {
        subject: '【助企】需求清单受理即将超时',
        html,
        text: '请在 3 个工作日内完成受理。',
        sms: '',
      },
      '42:email',
    )

    const listed = (await call(devMail.loader, admin.get('/dev/mail'), ctx)).data as Page
    expect(listed.messages).toHaveLength(1)
    const [mail] = listed.messages
    expect(mail).toMatchObject({
      to: 'xietiao@demo.zhuqi.test',
      subject: '【助企】需求清单受理即将超时',
      messageId: messageIdFor('42:email', DEV_MAIL_FROM),
    })
    expect(Date.now() - new Date(mail?.date ?? 0).getTime()).toBeLessThan(60_000)

    const shown = await call(
      devMail.loader,
      admin.get(`/dev/mail?id=${encodeURIComponent(mail?.id ?? '')}`),
      ctx,
    )
    expect(shown.status).toBe(200)
    expect((shown.data as Page).selected).toMatchObject({
      id: mail?.id,
      html,
      text: '请在 3 个工作日内完成受理。',
    })
    // The message itself sits next to its summary, as it would have been sent.
    const eml = readFileSync(path.join(dir, `${mail?.id}.eml`), 'utf8')
    expect(eml).toContain(`Message-ID: ${messageIdFor('42:email', DEV_MAIL_FROM)}`)
    expect(eml).toMatch(/^To: xietiao@demo\.zhuqi\.test$/m)

    const missing = await call(devMail.loader, admin.get('/dev/mail?id=1700000000000-nope'), ctx)
    expect(missing).toMatchObject({ status: 404, data: { missing: true, selected: null } })
    const sneaky = await call(devMail.loader, admin.get('/dev/mail?id=../../etc/passwd'), ctx)
    expect(sneaky.status).toBe(404)
  })

  it('says so when SMTP is configured', async () => {
    withEnv({ SMTP_URL: 'smtp://mail.example.org:587' })
    const res = await call(devMail.loader, admin.get('/dev/mail'), ctx)
    expect(res.data).toMatchObject({ smtpInUse: true, dir: path.join(dataDir, 'mail') })
  })

  it('does not exist in production, not even for admins', async () => {
    withEnv({ NODE_ENV: 'production' })
    const res = await call(devMail.loader, admin.get('/dev/mail'), ctx)
    expect(res).toMatchObject({ status: 404, thrown: true })
    expect(existsSync(path.join(dataDir, 'mail'))).toBe(true)
  })
})
