import { randomBytes } from 'node:crypto'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

/*
 * The development mailbox: without an SMTP server (and outside production),
 * every e-mail the workers would send is written to a directory instead, as
 * the message itself (<id>.eml, opens in any mail client) and a JSON summary
 * (<id>.json) for the /dev/mail page. Ids start with the time in
 * milliseconds, so names sort by arrival.
 */

export interface CapturedMailSummary {
  id: string
  to: string
  subject: string
  /** ISO time of capture. */
  date: string
  messageId: string
}

export interface CapturedMail extends CapturedMailSummary {
  text: string
  html: string | null
}

const ID = /^\d{13}-[A-Za-z0-9._-]{1,120}$/

export function isCapturedMailId(id: string): boolean {
  return ID.test(id)
}

/** Writes one message; the summary appears (atomically) only once the message is there. */
export async function captureMail(
  dir: string,
  mail: Omit<CapturedMail, 'id' | 'date'> & { date: Date; key: string },
  raw: Buffer,
): Promise<string> {
  await mkdir(dir, { recursive: true })
  const key = mail.key.replace(/[^A-Za-z0-9.-]/g, '.').slice(0, 100)
  const id = `${mail.date.getTime()}-${key}-${randomBytes(3).toString('hex')}`
  await writeFile(path.join(dir, `${id}.eml`), raw)
  const summary: CapturedMail = {
    id,
    to: mail.to,
    subject: mail.subject,
    date: mail.date.toISOString(),
    messageId: mail.messageId,
    text: mail.text,
    html: mail.html,
  }
  const tmp = path.join(dir, `.${id}.json.tmp`)
  await writeFile(tmp, JSON.stringify(summary))
  await rename(tmp, path.join(dir, `${id}.json`))
  return id
}

/** The newest messages first; an absent directory is an empty mailbox. */
export async function listCapturedMail(dir: string, limit = 200): Promise<CapturedMailSummary[]> {
  let names: string[]
  try {
    names = await readdir(dir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw err
  }
  const ids = names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter(isCapturedMailId)
    .sort()
    .reverse()
    .slice(0, limit)
  const mails = await Promise.all(ids.map((id) => readCapturedMail(dir, id)))
  return mails
    .filter((m): m is CapturedMail => m !== null)
    .map(({ id, to, subject, date, messageId }) => ({ id, to, subject, date, messageId }))
}

/** One message, or null when there is no such id. */
export async function readCapturedMail(dir: string, id: string): Promise<CapturedMail | null> {
  if (!isCapturedMailId(id)) return null
  try {
    return JSON.parse(await readFile(path.join(dir, `${id}.json`), 'utf8')) as CapturedMail
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw err
  }
}
