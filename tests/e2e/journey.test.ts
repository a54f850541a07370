import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_PASSWORD, DEMO_USERS } from '#db/seed.server.ts'
import { buildApp, launchBrowser, startTestApp, type TestApp } from './harness.ts'

let app: TestApp
let browser: Browser

beforeAll(async () => {
  await buildApp()
  app = await startTestApp()
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  await app?.stop()
})

/** A fresh browser context per user, so sessions never mix. */
async function pageAs(email: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' })
  const page = await context.newPage()
  page.setDefaultTimeout(8_000)
  await signIn(page, email)
  return page
}

async function signIn(page: Page, email: string) {
  await page.goto(`${app.url}/sign-in`)
  await page.getByLabel('电子邮箱').fill(email)
  await page.getByLabel('密码').fill(DEMO_PASSWORD)
  await page.getByRole('button', { name: '登录' }).click()
  // The redirect chain passes through "/", so wait for the signed-in layout itself.
  await page.getByRole('button', { name: '退出' }).waitFor()
}

describe('browser', () => {
  it('serves the zh-CN sign-in page and refuses a wrong password with a translated message', async () => {
    const page = await browser.newPage()
    await page.goto(`${app.url}/sign-in`)
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN')
    await page.getByLabel('电子邮箱').fill(DEMO_USERS.enterprise)
    await page.getByLabel('密码').fill('wrong-password')
    await page.getByRole('button', { name: '登录' }).click()
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('邮箱或密码不正确')
    await page.close()
  })

  it('signs in and out', async () => {
    const page = await browser.newPage()
    await signIn(page, DEMO_USERS.enterprise)
    expect(await page.textContent('header')).toContain('林晓梅')
    await page.getByRole('button', { name: '退出' }).click()
    await page.waitForURL(/\/sign-in/)
    await page.close()
  })

  it('an enterprise submits a needs list, the coordinator accepts it from the queue, the enterprise is notified', async () => {
    const title = `浏览器测试清单 ${Date.now()}`
    const enterprise = await pageAs(DEMO_USERS.enterprise)
    await enterprise.goto(`${app.url}/needs-lists/new`)
    await enterprise.getByLabel('清单名称').fill(title)
    await enterprise.getByLabel('类别').first().selectOption({ label: '设备诊断' })
    await enterprise.getByLabel('紧急程度').first().selectOption({ label: '较急' })
    await enterprise.getByLabel('需要专家人数').first().fill('2')
    await enterprise.getByLabel('需求描述').first().fill('配电房设备健康诊断，重点检查漏电保护器')
    await enterprise.getByRole('button', { name: '保存草稿' }).last().click()
    await enterprise.waitForURL(/\/needs-lists\/\d+(\?.*)?$/)
    const listUrl = enterprise.url().split('?')[0] ?? ''
    await enterprise.getByRole('button', { name: '提交清单' }).click()
    // The demo enterprise already has an open list about its power distribution: the
    // submission is flagged as similar and goes through once confirmed.
    await enterprise.getByRole('heading', { name: '发现相似的未结需求' }).waitFor()
    await enterprise.getByLabel('我已查看以上事项，确认不是重复需求').check()
    await enterprise.getByRole('button', { name: '仍然提交' }).click()
    await enterprise.waitForURL(/done=submitted/)
    await expect.poll(() => enterprise.textContent('main')).toContain('待受理')

    const coordinator = await pageAs(DEMO_USERS.coordinator)
    await coordinator.goto(`${app.url}/intake`)
    const row = coordinator.getByRole('row').filter({ hasText: title })
    await expect.poll(() => row.count()).toBe(1)
    await row.getByRole('button', { name: '受理' }).click()
    await expect
      .poll(async () => coordinator.getByRole('row').filter({ hasText: title }).count())
      .toBe(0)
    await coordinator.goto(listUrl)
    expect(await coordinator.textContent('main')).toContain('待分配管家')

    // The notification comes through the outbox, BullMQ and the worker.
    await expect
      .poll(
        async () => {
          await enterprise.goto(`${app.url}/notifications`)
          return enterprise.textContent('main')
        },
        { timeout: 15_000, interval: 300 },
      )
      .toContain(`您的需求清单已受理：${title}`)
    expect(Number(await enterprise.getByTestId('unread-count').textContent())).toBeGreaterThan(0)
    const timeline = await (await enterprise.goto(listUrl))?.text()
    expect(timeline).toContain('受理')
  })

  it('enterprise → coordinator → steward → enterprise: a list goes from filing to confirmed needs', async () => {
    const title = `需求确认旅程 ${Date.now()}`
    // The second demo enterprise has no open list about welding, so no similarity warning.
    const enterprise = await pageAs(DEMO_USERS.enterprise)
    await enterprise.goto(`${app.url}/needs-lists/new`)
    await enterprise.getByLabel('清单名称').fill(title)
    await enterprise.getByLabel('类别').first().selectOption({ label: '技能培训' })
    await enterprise.getByLabel('需要专家人数').first().fill('1')
    await enterprise.getByLabel('需求描述').first().fill('为新入职的十二名焊工开展氩弧焊实操带教')
    await enterprise.getByRole('button', { name: '保存草稿' }).last().click()
    await enterprise.waitForURL(/\/needs-lists\/\d+(\?.*)?$/)
    const listUrl = enterprise.url().split('?')[0] ?? ''
    await enterprise.getByRole('button', { name: '提交清单' }).click()
    const similar = enterprise.getByRole('button', { name: '仍然提交' })
    await enterprise.waitForURL(/done=submitted/, { timeout: 5_000 }).catch(async () => {
      await enterprise.getByLabel('我已查看以上事项，确认不是重复需求').check()
      await similar.click()
      await enterprise.waitForURL(/done=submitted/)
    })

    // The park coordinator accepts; the enterprise has no steward yet, so one is assigned
    // from the ranked recommendation, each candidate with its reasons.
    const coordinator = await pageAs(DEMO_USERS.coordinator)
    await coordinator.goto(listUrl)
    await coordinator.getByRole('button', { name: '受理', exact: true }).first().click()
    await expect.poll(() => coordinator.textContent('main')).toContain('待分配管家')
    const candidate = coordinator.locator('label.candidate').filter({ hasText: '陈志远' })
    await candidate.locator('input[type="radio"]').check()
    await coordinator.getByRole('button', { name: '分配管家' }).click()
    await expect
      .poll(async () => {
        await coordinator.goto(listUrl)
        return coordinator.textContent('main')
      })
      .toContain('需求确认中')

    // The steward finds the case waiting in the workspace and confirms the needs in English.
    const steward = await pageAs(DEMO_USERS.steward)
    await steward.goto(`${app.url}/workspace`)
    expect(await steward.textContent('main')).toContain(title)
    await steward.getByRole('button', { name: 'English' }).click()
    await steward.getByRole('button', { name: '中文' }).waitFor()
    await steward.goto(`${listUrl}/confirmation`)
    expect(await steward.locator('html').getAttribute('lang')).toBe('en')
    await steward.locator('input[type="number"]').first().fill('2')
    await steward.getByRole('button', { name: 'Save and send to the enterprise' }).click()
    await expect.poll(() => steward.textContent('main')).toContain('Awaiting enterprise approval')

    // The enterprise approves the confirmed version; the case is ready for matching.
    await enterprise.goto(`${listUrl}/confirmation`)
    await enterprise.getByRole('button', { name: '批准此版本' }).click()
    await expect
      .poll(async () => {
        await enterprise.goto(listUrl)
        return enterprise.textContent('main')
      })
      .toContain('待匹配专家')
    const history = await enterprise.textContent('main')
    for (const step of ['提交清单', '受理', '指派专属管家', '提交企业确认', '企业确认需求']) {
      expect(history).toContain(step)
    }
    await expect
      .poll(
        async () => {
          await steward.goto(`${app.url}/notifications`)
          return steward.textContent('main')
        },
        { timeout: 15_000, interval: 300 },
      )
      .toContain(title)
  })
})
