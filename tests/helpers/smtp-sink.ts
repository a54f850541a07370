import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'

export interface ReceivedMail {
  /** RCPT TO addresses of the SMTP envelope. */
  to: string[]
  from: string
  parsed: ParsedMail
  subject: string
  text: string
  html: string
  messageId: string
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> (no auth, no TLS). */
  url: string
  received: ReceivedMail[]
  /** Answer the next `count` messages (default: all from now on) with this SMTP code; null: accept. */
  failWith: (code: number | null, count?: number) => void
  /** How many DATA commands were refused. */
  refused: () => number
  /** Forgets what was received and refused, and accepts again. */
  reset: () => void
  close: () => Promise<void>
}

/** A real SMTP server on a free loopback port that keeps what it receives, parsed. */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = []
  let failure: { code: number; left: number } | null = null
  let refused = 0
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', async () => {
        if (failure && failure.left > 0) {
          failure.left--
          refused++
          const err = Object.assign(new Error('sink told to refuse this message'), {
            responseCode: failure.code,
          })
          callback(err)
          return
        }
        try {
          const parsed = await simpleParser(Buffer.concat(chunks))
          received.push({
            to: session.envelope.rcptTo.map((r) => r.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            parsed,
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          })
          callback()
        } catch (err) {
          callback(err as Error)
        }
      })
    },
  })
  server.on('error', () => {})
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.server.address() as AddressInfo
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    failWith(code, count = Number.POSITIVE_INFINITY) {
      failure = code === null ? null : { code, left: count }
    },
    refused: () => refused,
    reset() {
      received.length = 0
      refused = 0
      failure = null
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
