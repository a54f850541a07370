import { crc32, deflateSync } from 'node:zlib'
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildPairedCase, scheduleTestVisit } from '#tests/helpers/visit-world.ts'
import { TEST_PASSWORD } from '#tests/helpers/world.ts'
import { linesOf } from '#workflows/commands/onsite.ts'
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

/** A phone: 390×844, touch, mobile viewport, Chinese. */
async function phoneAs(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  })
  const page = await context.newPage()
  page.setDefaultTimeout(10_000)
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(TEST_PASSWORD)
  await page.getByRole('button', { name: '登录' }).tap()
  await page.getByRole('button', { name: '退出' }).waitFor()
  return { context, page }
}

/** A small real PNG (8×8, one colour), as a phone camera would send a JPEG. */
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
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3, 0xc0)])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(Array.from({ length: size }, () => row)))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** Scripts have run: the no-script save buttons of the lines are gone. */
async function hydrated(line: Locator) {
  await expect.poll(() => line.getByRole('button', { name: '保存', exact: true }).count()).toBe(0)
}

const saveState = (line: Locator) => line.getByTestId('save-state').textContent()

describe('on site, on a phone', () => {
  it('checks in, records (a value out of range is flagged), survives a reload and a lost connection, uploads a photo; the steward submits; the report shows the flag', async () => {
    const db = app.db.db
    const world = await buildPairedCase(db)
    const v = await scheduleTestVisit(db, world, {
      confirm: true,
      expertIds: [world.experts[0]?.expert.id as number],
    })
    const { lines } = await linesOf(db, v.visitId)
    const idOf = (label: string) => {
      const id = lines.find((l) => l.item.label_zh === label)?.item.id
      if (!id) throw new Error(`no line ${label}`)
      return id
    }
    const recordOf = (label: string) =>
      db
        .selectFrom('visit_record')
        .selectAll()
        .where('visit_id', '=', v.visitId)
        .where('plan_item_id', '=', idOf(label))
        .executeTakeFirst()
    const onsiteUrl = `${app.url}/visits/${v.visitId}/onsite`

    // The team member checks in from the sticky bar.
    const { context, page } = await phoneAs(world.experts[0]?.user.email as string)
    await page.goto(onsiteUrl)
    const checkIn = page.getByRole('button', { name: '签到，开始勘查' })
    await checkIn.waitFor()
    expect(await checkIn.isVisible()).toBe(true)
    await checkIn.tap()
    await page.waitForURL(/done=checkedIn/)
    await expect.poll(() => page.getByTestId('visit-status').textContent()).toBe('勘查中')
    // One column that fits the phone: nothing scrolls sideways.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
    ).toBe(true)

    // Measurements: in range, then one out of range that is flagged at once and on the server.
    const voltage = page.getByTestId(`line-${idOf('线电压')}`)
    await hydrated(voltage)
    await page.getByLabel('线电压', { exact: true }).fill('380')
    await expect.poll(() => saveState(voltage)).toBe('已保存')
    const terminal = page.getByTestId(`line-${idOf('接线端子温度')}`)
    await page.getByLabel('接线端子温度', { exact: true }).fill('82')
    await expect.poll(() => terminal.getByTestId('verdict').textContent()).toBe('▲ 超出上限')
    expect(await terminal.getAttribute('data-flagged')).toBe('true')
    await expect.poll(() => saveState(terminal)).toBe('已保存')
    expect(await recordOf('接线端子温度')).toMatchObject({ value_number: 82, flagged: true })
    expect(await recordOf('线电压')).toMatchObject({ value_number: 380, flagged: false })
    // A check line: a big 不合格 choice.
    const checkLine = page.getByTestId(
      `line-${lines.find((l) => l.item.kind === 'check')?.item.id}`,
    )
    await checkLine.getByText('不合格', { exact: true }).tap()
    await expect.poll(() => saveState(checkLine)).toBe('已保存')

    // Typed, then the page reloads before the save: the draft brings the value back, and it is saved.
    const leakage = () => page.getByTestId(`line-${idOf('漏电电流')}`)
    await page.getByLabel('漏电电流', { exact: true }).fill('45')
    await page.reload()
    await hydrated(leakage())
    await expect.poll(() => page.getByLabel('漏电电流', { exact: true }).inputValue()).toBe('45')
    await expect.poll(() => saveState(leakage())).toContain('已保存')
    expect(await recordOf('漏电电流')).toMatchObject({ value_number: 45, flagged: true })

    // The connection drops: the value waits, visibly, and goes once the phone is back online.
    const cable = page.getByTestId(`line-${idOf('电缆温度')}`)
    await context.setOffline(true)
    await page.getByLabel('电缆温度', { exact: true }).fill('55')
    await expect.poll(() => saveState(cable)).toBe('离线，联网后自动重试')
    await expect.poll(() => page.getByTestId('bar-status').textContent()).toContain('离线')
    expect(await recordOf('电缆温度')).toBeUndefined()
    await context.setOffline(false)
    await expect.poll(() => saveState(cable), { timeout: 15_000 }).toBe('已保存')
    expect(await recordOf('电缆温度')).toMatchObject({ value_number: 55 })
    await expect.poll(() => page.getByTestId('bar-status').textContent()).toBe('✓ 全部已保存')

    // A finding, and a photo of the site.
    await page.getByText('记录新问题').tap()
    await page.getByLabel('问题', { exact: true }).fill('2 号配电箱接线端子过热')
    await page.getByLabel('整改建议').fill('停电后紧固端子并复测')
    await page.getByRole('button', { name: '保存问题' }).tap()
    await expect.poll(() => page.getByTestId('finding').count()).toBe(1)
    await page.locator('#photos').getByText('上传照片').tap()
    await page.locator('#photos-visit-files').setInputFiles({
      name: 'IMG_0412.png',
      mimeType: 'image/png',
      buffer: png(),
    })
    await page.locator('#photos-visit-caption').fill('2 号配电箱')
    await page.locator('#photos').getByRole('button', { name: '上传' }).tap()
    await expect.poll(() => page.locator('#photos').getByTestId('photo').count()).toBe(1)
    const img = page.locator('#photos img').first()
    await img.scrollIntoViewIfNeeded()
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(8)
    await context.close()

    // The steward submits the report from their phone.
    const steward = await phoneAs(world.users.steward.email)
    await steward.page.goto(onsiteUrl)
    await steward.page.getByLabel('勘查结论').fill('2 号配电箱端子过热，漏电电流偏大，需整改。')
    await steward.page.getByRole('button', { name: '提交报告' }).tap()
    await steward.page.waitForURL(/\/report\?done=submitted/)
    const report = steward.page.getByTestId('report')
    const flaggedRow = steward.page.getByTestId(`report-line-${idOf('接线端子温度')}`)
    expect(await flaggedRow.getAttribute('data-flagged')).toBe('true')
    expect(await flaggedRow.textContent()).toContain('82 °C')
    expect(await flaggedRow.textContent()).toContain('▲ 超出上限')
    expect(
      await steward.page.getByTestId(`report-line-${idOf('线电压')}`).getAttribute('data-flagged'),
    ).toBe('false')
    expect(await report.textContent()).toContain('2 号配电箱接线端子过热')
    expect(await steward.page.getByTestId('flagged-count').textContent()).toBe('异常项：3 项')
    await steward.context.close()

    // The enterprise confirms it with its name.
    const enterprise = await phoneAs(world.users.contact.email)
    await enterprise.page.goto(`${app.url}/visits/${v.visitId}/report`)
    await enterprise.page.getByLabel('确认人姓名').fill('林晓梅')
    await enterprise.page.getByRole('button', { name: '确认报告' }).tap()
    await enterprise.page.waitForURL(/done=confirmed/)
    await expect
      .poll(() => enterprise.page.getByTestId('confirmation').textContent())
      .toContain('林晓梅')
    await enterprise.context.close()
  })

  it('works without JavaScript: each line is a form that posts and comes back; errors are translated', async () => {
    const db = app.db.db
    const world = await buildPairedCase(db)
    const v = await scheduleTestVisit(db, world, {
      checkIn: true,
      expertIds: [world.experts[0]?.expert.id as number],
    })
    const { lines } = await linesOf(db, v.visitId)
    const voltage = lines.find((l) => l.item.label_zh === '线电压')?.item.id as number
    const context = await browser.newContext({
      locale: 'zh-CN',
      viewport: { width: 375, height: 812 },
      javaScriptEnabled: false,
    })
    const page = await context.newPage()
    page.setDefaultTimeout(10_000)
    await page.goto(`${app.url}/sign-in`)
    await page.getByLabel('电子邮箱').fill(world.experts[0]?.user.email as string)
    await page.getByLabel('密码').fill(TEST_PASSWORD)
    await page.getByRole('button', { name: '登录' }).click()
    await page.getByRole('button', { name: '退出' }).waitFor()
    await page.goto(`${app.url}/visits/${v.visitId}/onsite`)
    const line = page.getByTestId(`line-${voltage}`)
    await page.getByLabel('线电压', { exact: true }).fill('三百八')
    await line.getByRole('button', { name: '保存', exact: true }).click()
    await line.getByRole('alert').waitFor()
    expect(await line.getByRole('alert').textContent()).toBe('请输入数字（如 380 或 49.8）')
    expect(await page.getByLabel('线电压', { exact: true }).inputValue()).toBe('三百八')
    await page.getByLabel('线电压', { exact: true }).fill('410')
    await page
      .getByTestId(`line-${voltage}`)
      .getByRole('button', { name: '保存', exact: true })
      .click()
    await page.waitForURL(/done=saved/)
    expect(await page.getByTestId(`line-${voltage}`).getAttribute('data-flagged')).toBe('true')
    const row = await db
      .selectFrom('visit_record')
      .selectAll()
      .where('visit_id', '=', v.visitId)
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ plan_item_id: voltage, value_number: 410, flagged: true })

    // A finding refused (title too short) keeps what was typed; then it is saved once.
    await page.locator('#findings summary', { hasText: '记录新问题' }).click()
    await page.getByLabel('问题', { exact: true }).fill('短')
    await page.getByLabel('描述').fill('电压偏高')
    await page.getByRole('button', { name: '保存问题' }).click()
    await page.locator('#findings').getByRole('alert').waitFor()
    expect(await page.locator('#findings').getByRole('alert').textContent()).toBe('问题至少 2 个字')
    expect(await page.getByLabel('描述').inputValue()).toBe('电压偏高')
    await page.getByLabel('问题', { exact: true }).fill('线电压偏高')
    await page.getByRole('button', { name: '保存问题' }).click()
    await page.waitForURL(/done=findingSaved/)
    expect(await page.getByTestId('finding').count()).toBe(1)
    await context.close()
  })
})
