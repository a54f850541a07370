import { describe, expect, it } from 'vitest'
import { contentDisposition } from '#app/routes/attachments.$id.tsx'
import {
  ACCEPT_ATTRIBUTE,
  ATTACHMENT_KINDS,
  safeFilename,
  sniffAttachmentKind,
  zipEntryNames,
} from '#workflows/attachments.ts'
import { samples, zipOf } from '../helpers/attachment-files.ts'

describe('sniffAttachmentKind', () => {
  it('tells PDF, JPEG, PNG, DOCX and XLSX by their bytes', () => {
    expect(sniffAttachmentKind(samples.pdf())).toBe('pdf')
    expect(sniffAttachmentKind(samples.jpeg())).toBe('jpeg')
    expect(sniffAttachmentKind(samples.png())).toBe('png')
    expect(sniffAttachmentKind(samples.docx())).toBe('docx')
    expect(sniffAttachmentKind(samples.xlsx())).toBe('xlsx')
  })

  it('refuses other content whatever it would be called', () => {
    for (const [what, bytes] of [
      ['html', samples.html()],
      ['exe', samples.exe()],
      ['plain zip', samples.plainZip()],
      ['macro-enabled docm', samples.docm()],
      ['empty', new Uint8Array()],
      ['text', new TextEncoder().encode('just some text')],
      ['truncated png', samples.png().slice(0, 5)],
      ['PDF marker not at the start', new TextEncoder().encode(' %PDF-1.7')],
    ] as const) {
      expect(sniffAttachmentKind(bytes), what).toBeNull()
    }
  })

  it('refuses a ZIP that claims to be both a document and a workbook', () => {
    const both = zipOf({
      '[Content_Types].xml': '<Types/>',
      'word/document.xml': '<w/>',
      'xl/workbook.xml': '<x/>',
    })
    expect(sniffAttachmentKind(both)).toBeNull()
  })

  it('does not trust a ZIP whose directory is cut off or corrupt', () => {
    const docx = samples.docx()
    expect(sniffAttachmentKind(docx.slice(0, docx.length - 10))).toBeNull()
    const corrupt = docx.slice()
    // Point the directory offset past the end.
    corrupt[corrupt.length - 6] = 0xff
    expect(sniffAttachmentKind(corrupt)).toBeNull()
  })

  it('reads the names in a ZIP directory', () => {
    expect(zipEntryNames(zipOf({ 'a.txt': 'a', '目录/b.xml': 'b' }))).toEqual(
      new Set(['a.txt', '目录/b.xml']),
    )
    expect(zipEntryNames(samples.pdf())).toBeNull()
  })
})

describe('safeFilename', () => {
  it('keeps a fitting name, Chinese included', () => {
    expect(safeFilename('配电房照片.JPG', 'jpeg')).toBe('配电房照片.JPG')
    expect(safeFilename('设备清单.xlsx', 'xlsx')).toBe('设备清单.xlsx')
  })

  it('appends the real extension when the name does not fit the content', () => {
    expect(safeFilename('report.exe', 'pdf')).toBe('report.exe.pdf')
    expect(safeFilename('scan', 'png')).toBe('scan.png')
  })

  it('drops directories, control and reserved characters, and leading dots', () => {
    expect(safeFilename('../../etc/pass"wd\u0000.pdf', 'pdf')).toBe('passwd.pdf')
    expect(safeFilename('C:\\Users\\me\\a<b>.pdf', 'pdf')).toBe('ab.pdf')
    expect(safeFilename('...', 'pdf')).toBe('attachment.pdf')
    expect(safeFilename('.hidden.png', 'png')).toBe('hidden.png')
  })

  it('shortens very long names to 200 characters, keeping the extension', () => {
    const name = safeFilename(`${'长'.repeat(300)}.docx`, 'docx')
    expect([...name]).toHaveLength(200)
    expect(name.endsWith('.docx')).toBe(true)
  })
})

describe('contentDisposition', () => {
  it('sends an ASCII fallback and the UTF-8 name', () => {
    expect(contentDisposition('配电房 照片(1).jpg')).toBe(
      `attachment; filename="___ __(1).jpg"; filename*=UTF-8''%E9%85%8D%E7%94%B5%E6%88%BF%20%E7%85%A7%E7%89%87%281%29.jpg`,
    )
    expect(contentDisposition('a"b.pdf')).toBe(
      `attachment; filename="a_b.pdf"; filename*=UTF-8''a%22b.pdf`,
    )
  })
})

describe('the accept hint', () => {
  it('lists every accepted type and extension', () => {
    for (const kind of Object.values(ATTACHMENT_KINDS)) {
      expect(ACCEPT_ATTRIBUTE).toContain(kind.contentType)
      for (const ext of kind.extensions) expect(ACCEPT_ATTRIBUTE).toContain(`.${ext}`)
    }
  })
})
