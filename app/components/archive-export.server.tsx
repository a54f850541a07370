import { type Readable, Transform } from 'node:stream'
import { ZipArchive } from 'archiver'
import i18next, { type i18n as I18n } from 'i18next'
import type { ReactElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { I18nextProvider } from 'react-i18next'
import { i18nOptions, type Locale } from '#app/i18n/config.ts'
import type { ArchivePhotoFile, CaseArchive } from '#workflows/commands/case-archive.ts'
import {
  AgreementDoc,
  ArchiveHeading,
  CaseOverview,
  ConfirmedNeedsDoc,
  NeedsListDoc,
  OutcomesRatingDoc,
  ResourceListDoc,
  TimelineDoc,
  VisitDoc,
} from './archive-document.tsx'
import { ARCHIVE_BASE_CSS, ARCHIVE_CSS } from './archive-styles.tsx'

/**
 * The archive export (归档包): a ZIP streamed as it is written, holding
 * - index.html and one self-contained, printable HTML file per document
 *   (needs list, confirmed needs, resource list, agreement, each visit's
 *   report, outcomes and rating, timeline), their styles inline;
 * - photos/visit-NN/…: the site photos, which the HTML files show by
 *   relative path;
 * - archive.json: the archive object (schema and schemaVersion first), with
 *   an `export` block saying what the ZIP holds.
 *
 * Photos are read from storage one at a time, and the next one only once the
 * reader of the stream has nearly caught up (see streamCaseArchive): memory
 * holds about two photos whatever the case's size.
 */

/** Where photo bodies are read from (app/storage's FileStorage fits). */
export interface PhotoReader {
  get(key: string): Promise<Uint8Array | null>
}

export interface ZipSummary {
  entries: number
  photos: number
  missingPhotoIds: number[]
  bytes: number
}

const instances = new Map<Locale, I18n>()

function i18nFor(locale: Locale): I18n {
  let instance = instances.get(locale)
  if (!instance) {
    instance = i18next.createInstance()
    instance.init(i18nOptions(locale))
    instances.set(locale, instance)
  }
  return instance
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  )

/** One standalone HTML document: the body rendered in `locale`, the styles inline. */
export function renderArchiveHtml(locale: Locale, title: string, body: ReactElement): string {
  const markup = renderToStaticMarkup(
    <I18nextProvider i18n={i18nFor(locale)}>{body}</I18nextProvider>,
  )
  return [
    '<!doctype html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${ARCHIVE_BASE_CSS}${ARCHIVE_CSS}</style>`,
    '</head>',
    `<body><article class="archive-doc">${markup}</article></body>`,
    '</html>',
    '',
  ].join('\n')
}

const pad = (n: number) => String(n).padStart(2, '0')

export interface ArchiveDocument {
  /** File name in the ZIP. */
  name: string
  title: string
  body: ReactElement
}

/** The documents of the export, in reading order. */
export function archiveDocuments(archive: CaseArchive, locale: Locale): ArchiveDocument[] {
  const t = i18nFor(locale).t
  const zipPhoto = (p: { zipPath: string }) => p.zipPath
  const doc = (name: string, title: string, content: ReactElement): ArchiveDocument => ({
    name,
    title: `${title} · ${archive.case.title}`,
    body: (
      <>
        <ArchiveHeading archive={archive} title={title} />
        {content}
      </>
    ),
  })
  const docs: ArchiveDocument[] = [
    doc(
      '01-needs-list.html',
      t('archive.doc.needsList'),
      <>
        <CaseOverview archive={archive} />
        <NeedsListDoc archive={archive} />
      </>,
    ),
    doc(
      '02-confirmed-needs.html',
      t('archive.doc.confirmedNeeds'),
      <ConfirmedNeedsDoc archive={archive} />,
    ),
    doc(
      '03-resource-list.html',
      t('archive.doc.resourceList'),
      <ResourceListDoc archive={archive} />,
    ),
    doc('04-agreement.html', t('archive.doc.agreement'), <AgreementDoc archive={archive} />),
    ...archive.visits.map((v) =>
      doc(
        `05-visit-${pad(v.sequence)}-report.html`,
        t('archive.doc.visitReport', { sequence: v.sequence }),
        <VisitDoc visit={v} photoSrc={zipPhoto} />,
      ),
    ),
    doc(
      '06-outcomes-rating.html',
      t('archive.doc.outcomesRating'),
      <OutcomesRatingDoc archive={archive} />,
    ),
    doc('07-timeline.html', t('archive.doc.timeline'), <TimelineDoc archive={archive} />),
  ]
  const index: ArchiveDocument = {
    name: 'index.html',
    title: `${t('archive.title')} · ${archive.case.title}`,
    body: (
      <>
        <ArchiveHeading archive={archive} title={t('archive.title')} />
        <nav className="archive-index">
          <h2>{t('archive.doc.index')}</h2>
          <ol>
            {docs.map((d) => (
              <li key={d.name}>
                <a href={d.name}>{d.title}</a>
              </li>
            ))}
            <li>
              <a href="archive.json">{t('archive.doc.data')}</a>
            </li>
            <li>{t('archive.doc.photos')}</li>
          </ol>
        </nav>
      </>
    ),
  }
  return [index, ...docs]
}

/** Photo bytes the ZIP may hold ahead of its reader before the next photo is read. */
export const MAX_BUFFERED_BYTES = 1024 * 1024

/**
 * Streams the case's archive as a ZIP: read `stream` (pipe it to a response
 * or a file); `done` settles once everything is in (or with the first error,
 * after which the stream is destroyed). The next photo is read from storage
 * only when the reader has taken all but MAX_BUFFERED_BYTES of the photos
 * before it (the ZIP writer itself takes a stored entry whole, whatever its
 * reader's pace).
 */
export function streamCaseArchive(input: {
  archive: CaseArchive
  files: readonly ArchivePhotoFile[]
  storage: PhotoReader
  locale: Locale
  /** Default MAX_BUFFERED_BYTES. */
  maxBufferedBytes?: number
}): { stream: Readable; done: Promise<ZipSummary> } {
  const allowance = input.maxBufferedBytes ?? MAX_BUFFERED_BYTES
  const zip = new ZipArchive({ zlib: { level: 6 } })
  const date = new Date(input.archive.generatedAt)
  let failure: Error | null = null
  zip.on('warning', (err) => {
    failure ??= err
  })

  // What the reader has taken so far, and a wake-up for the writer waiting on it.
  let consumed = 0
  let closed = false
  let wake: (() => void) | null = null
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      consumed += chunk.length
      wake?.()
      callback(null, chunk)
    },
  })
  counter.on('close', () => {
    closed = true
    wake?.()
  })
  zip.on('error', (err) => counter.destroy(err))
  zip.pipe(counter)

  /** Resolves once the reader has taken `bytes` bytes; rejects if it went away. */
  const readerAt = async (bytes: number) => {
    while (consumed < bytes) {
      if (closed) throw new Error('the reader of the archive went away')
      await new Promise<void>((resolve) => {
        wake = resolve
      })
      wake = null
    }
  }

  /** Appends one entry and waits until the ZIP has taken it in. */
  const add = (source: Buffer, name: string, store = false) =>
    new Promise<void>((resolve, reject) => {
      const onEntry = (entry: { name: string }) => {
        if (entry.name !== name) return
        zip.off('entry', onEntry)
        zip.off('error', onError)
        resolve()
      }
      const onError = (err: Error) => {
        zip.off('entry', onEntry)
        zip.off('error', onError)
        reject(err)
      }
      zip.on('entry', onEntry)
      zip.on('error', onError)
      zip.append(source, { name, date, store })
    })

  const done = (async (): Promise<ZipSummary> => {
    let entries = 0
    let photos = 0
    let photoBytes = 0
    const missingPhotoIds: number[] = []
    try {
      const documents = archiveDocuments(input.archive, input.locale)
      for (const d of documents) {
        await add(Buffer.from(renderArchiveHtml(input.locale, d.title, d.body)), d.name)
        entries++
      }
      for (const f of input.files) {
        await readerAt(photoBytes - allowance)
        const bytes = await input.storage.get(f.storageKey)
        if (!bytes) {
          missingPhotoIds.push(f.photoId)
          continue
        }
        // Images are compressed already: stored as they are.
        await add(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), f.zipPath, true)
        photoBytes += bytes.byteLength
        entries++
        photos++
      }
      const json = {
        ...input.archive,
        export: {
          locale: input.locale,
          documents: documents.map((d) => d.name),
          photos: input.files
            .filter((f) => !missingPhotoIds.includes(f.photoId))
            .map((f) => ({ photoId: f.photoId, path: f.zipPath, sizeBytes: f.sizeBytes })),
          missingPhotoIds,
        },
      }
      await add(Buffer.from(`${JSON.stringify(json, null, 2)}\n`), 'archive.json')
      entries++
      if (failure) throw failure
      await zip.finalize()
      return { entries, photos, missingPhotoIds, bytes: zip.pointer() }
    } catch (err) {
      zip.abort()
      counter.destroy(err as Error)
      throw err
    }
  })()
  // The caller may only read the stream; an unobserved rejection must not crash the process.
  done.catch(() => {})
  return { stream: counter, done }
}
