import { readFile } from 'node:fs/promises'
import { crc32, deflateSync } from 'node:zlib'
import JSZip from 'jszip'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '#db/seed.server.ts'
import { PAIRED_CASE_TITLE } from '#db/seed-matching.server.ts'
import { linesOf } from '#workflows/commands/onsite.ts'
import { beijingLocalValue } from '#workflows/resource-list/schema.ts'
import { buildApp, launchBrowser, startTestApp, type TestApp } from './harness.ts'

let app: TestApp
let browser: Browser

beforeAll(async () => {
  await buildApp()
  app = await startTestApp()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
}

/** A fresh context signed in as `email`: a desktop by default, or a phone. */
async function pageAs(email: string, phone = false): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', ...(phone ? PHONE : {}) })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  const signIn = page.getByRole('button', { name: '登录' })
  await (phone ? signIn.tap() : signIn.click())
  await page.getByRole('button', { name: '退出' }).waitFor()
  return page
}

/** A small real PNG (8×8, one colour), as a phone camera would send a photo. */
function png(): Buffer {
  const chunk = (type: string, body: Buffer) => {
    const head = Buffer.alloc(8)
    head.writeUInt32BE(body.length, 0)
    head.write(type, 4, 'ascii')
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0)
    return Buffer.concat([head, body, crc])
  }
  const size = 8
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(size, 0)
  ihdr.writeUInt32BE(size, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0x80)])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Ten o'clock Beijing time, `days` days from now, as a datetime-local value. */
function beijingTenOClock(days: number): string {
  const day = beijingLocalValue(new Date(Date.now() + days * 86_400_000)).slice(0, 10)
  return `${day}T10:00`
}

describe('closing the seeded paired case in the browser', () => {
  it('visit, on-site record on a phone, report, outcomes, rating in English, archive ZIP', async () => {
    const db = app.db.db
    const list = await db
      .selectFrom('needs_list')
      .select(['id', 'status'])
      .where('title', '=', PAIRED_CASE_TITLE)
      .executeTakeFirstOrThrow()
    expect(list.status).toBe('paired')
    const base = `${app.url}/needs-lists/${list.id}`

    // 1. The steward schedules the inspection.
    const steward = await pageAs(DEMO_USERS.steward)
    await steward.goto(`${base}/visits`)
    await steward.getByRole('heading', { name: '安排一次勘查' }).waitFor()
    await steward.getByLabel('类型').selectOption('inspection')
    await steward.getByLabel('开始时间（北京时间）').fill(beijingTenOClock(4))
    await steward
      .getByRole('group', { name: '勘查清单模板' })
      .getByRole('checkbox', { name: '配电设备健康诊断' })
      .check()
    await steward
      .getByRole('group', { name: '服务的确认事项' })
      .getByRole('checkbox', { name: '配电箱与漏电保护器健康诊断' })
      .check()
    await steward
      .getByRole('group', { name: '参加的劳模工匠' })
      .getByRole('checkbox', { name: /王建国/ })
      .check()
    await steward.getByRole('button', { name: '检查时间冲突' }).click()
    await steward
      .getByRole('heading', { name: '时间冲突提醒' })
      .or(steward.getByText('所选劳模工匠在该时间没有冲突。'))
      .waitFor()
    const acknowledge = steward.getByRole('checkbox', { name: '我已看到以上冲突提醒' })
    if ((await acknowledge.count()) > 0) await acknowledge.check()
    await steward.getByRole('button', { name: '安排勘查' }).click()
    await steward.getByText('已安排勘查，等待企业确认时间').waitFor()
    const visitId = Number(new URL(steward.url()).pathname.split('/')[2])
    expect(Number.isSafeInteger(visitId) && visitId > 0).toBe(true)
    const visitUrl = `${app.url}/visits/${visitId}`

    // 2. The enterprise confirms the time.
    const enterprise = await pageAs(DEMO_USERS.enterprise2)
    await enterprise.goto(visitUrl)
    await enterprise.getByRole('button', { name: '确认时间' }).click()
    await enterprise.getByText('已确认勘查时间').waitFor()

    // 3. 王建国 on his phone: check in, measure (THD out of range), photo, finding.
    const { lines } = await linesOf(db, visitId)
    const idOf = (label: string) => {
      const id = lines.find((l) => l.item.label_zh === label)?.item.id
      if (!id) throw new Error(`no line ${label}`)
      return id
    }
    const wang = await pageAs(DEMO_USERS.expert, true)
    await wang.goto(`${visitUrl}/onsite`)
    await wang.getByRole('button', { name: '签到，开始勘查' }).tap()
    await wang.waitForURL(/done=checkedIn/)
    await expect.poll(() => wang.getByTestId('visit-status').textContent()).toBe('勘查中')
    expect(
      await wang.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true)

    const voltage = wang.getByTestId(`line-${idOf('线电压')}`)
    // Scripts have run once the no-script save buttons are gone.
    await expect
      .poll(() => voltage.getByRole('button', { name: '保存', exact: true }).count())
      .toBe(0)
    await wang.getByLabel('线电压', { exact: true }).fill('381')
    await expect.poll(() => voltage.getByTestId('save-state').textContent()).toBe('已保存')
    const thd = wang.getByTestId(`line-${idOf('电压总谐波畸变率')}`)
    await wang.getByLabel('电压总谐波畸变率', { exact: true }).fill('8.5')
    await expect.poll(() => thd.getByTestId('verdict').textContent()).toBe('▲ 超出上限')
    expect(await thd.getAttribute('data-flagged')).toBe('true')
    await expect.poll(() => thd.getByTestId('save-state').textContent()).toBe('已保存')
    const thdRecord = await db
      .selectFrom('visit_record')
      .select(['value_number', 'flagged'])
      .where('visit_id', '=', visitId)
      .where('plan_item_id', '=', idOf('电压总谐波畸变率'))
      .executeTakeFirstOrThrow()
    expect(thdRecord).toEqual({ value_number: 8.5, flagged: true })

    await wang.locator('#photos').getByText('上传照片').tap()
    await wang.locator('#photos-visit-files').setInputFiles({
      name: 'IMG_0815.png',
      mimeType: 'image/png',
      buffer: png(),
    })
    await wang.locator('#photos-visit-caption').fill('3 号厂房配电房总柜')
    await wang.locator('#photos').getByRole('button', { name: '上传' }).tap()
    await expect.poll(() => wang.locator('#photos').getByTestId('photo').count()).toBe(1)

    await wang.getByText('记录新问题').tap()
    await wang.getByLabel('问题', { exact: true }).fill('电压总谐波畸变率超标')
    await wang.getByLabel('整改建议').fill('在变频设备进线侧加装有源滤波器后复测')
    await wang.getByRole('button', { name: '保存问题' }).tap()
    await expect.poll(() => wang.getByTestId('finding').count()).toBe(1)
    await wang.context().close()

    // 4. The steward submits the report; it shows the flag and prints without navigation.
    await steward.goto(`${visitUrl}/onsite`)
    await steward.getByLabel('勘查结论').fill('配电房电压谐波超标，需加装滤波装置后复测。')
    await steward.getByRole('button', { name: '提交报告' }).click()
    await steward.waitForURL(/\/report\?done=submitted/)
    const flaggedRow = steward.getByTestId(`report-line-${idOf('电压总谐波畸变率')}`)
    expect(await flaggedRow.getAttribute('data-flagged')).toBe('true')
    expect(await flaggedRow.textContent()).toContain('8.5')
    expect(await flaggedRow.textContent()).toContain('▲ 超出上限')
    expect(await steward.getByTestId('report').textContent()).toContain('电压总谐波畸变率超标')
    await steward.emulateMedia({ media: 'print' })
    const printed = await steward.evaluate(() => ({
      print: matchMedia('print').matches,
      topbar: getComputedStyle(document.querySelector('header.topbar') as Element).display,
    }))
    expect(printed).toEqual({ print: true, topbar: 'none' })
    const pdf = await steward.pdf({ format: 'A4' })
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-')
    await steward.emulateMedia({ media: 'screen' })

    // 5. The enterprise switches to English and confirms the report with its name.
    await enterprise.goto(`${visitUrl}/report`)
    await enterprise.getByRole('button', { name: 'English' }).click()
    await enterprise.getByLabel('Your name').waitFor()
    await enterprise.getByLabel('Your name').fill('吴振华')
    await enterprise.getByRole('button', { name: 'Confirm the report' }).click()
    await enterprise.getByText('You confirmed the inspection report').waitFor()
    await expect
      .poll(() => enterprise.getByTestId('confirmation').textContent())
      .toContain('吴振华')

    // 6. The steward records the outcome, then asks for feedback.
    await steward.goto(`${base}/outcomes`)
    await steward.getByLabel('服务结果').selectOption({ label: '已解决' })
    await steward
      .getByLabel('成效说明')
      .fill('完成配电箱与漏电保护器诊断，更换 2 台误动作漏电保护器，谐波治理方案已交付。')
    await steward.getByLabel('经济效益（元）').fill('86000')
    await steward.getByLabel('效益状态').selectOption({ label: '预估' })
    await steward.getByLabel('测算依据').fill('减少非计划停电 4 次，按每次停产损失 2.15 万元估算')
    await steward.getByLabel('培训职工（人）').fill('6')
    await steward.getByLabel('培训人次').fill('6')
    await steward.getByRole('button', { name: '保存成效' }).click()
    await steward.getByText('成效已保存。').waitFor()
    await steward.getByRole('button', { name: '请企业评价' }).click()
    await steward.getByText('已请企业评价。').waitFor()
    const outcome = await db
      .selectFrom('needs_list')
      .select('status')
      .where('id', '=', list.id)
      .executeTakeFirstOrThrow()
    expect(outcome.status).toBe('feedback')

    // 7. The enterprise rates the service in English; the case closes and is archived.
    await enterprise.goto(`${base}/rating`)
    for (const question of ['Responsiveness', 'Expertise', 'Effectiveness', 'Attitude']) {
      await enterprise
        .getByRole('group', { name: question })
        .getByRole('radio', { name: question === 'Attitude' ? '4 Good' : '5 Excellent' })
        .check()
    }
    await enterprise
      .getByLabel('Comments and suggestions (optional)')
      .fill('Quick response and a clear report; the harmonic filter works.')
    await enterprise.getByRole('button', { name: 'Submit rating' }).click()
    await enterprise
      .getByText('Thank you for your rating. The case is closed and archived.')
      .waitFor()
    await expect
      .poll(
        async () =>
          (
            await db
              .selectFrom('needs_list')
              .select('status')
              .where('id', '=', list.id)
              .executeTakeFirstOrThrow()
          ).status,
      )
      .toBe('archived')

    // 8. The enterprise opens the archive in English and downloads the ZIP.
    await enterprise.goto(`${base}/archive`)
    await enterprise.getByRole('heading', { name: /Case archive/ }).waitFor()
    const [download] = await Promise.all([
      enterprise.waitForEvent('download'),
      enterprise.getByRole('link', { name: 'Download the archive (ZIP)' }).click(),
    ])
    const zipPath = await download.path()
    const zip = await readFile(zipPath)
    expect(zip.subarray(0, 2).toString()).toBe('PK')
    const entries = Object.keys((await JSZip.loadAsync(zip)).files)
    expect(entries).toContain('archive.json')
    expect(entries.some((name) => /^photos\/.+\.png$/i.test(name))).toBe(true)
  })
})
