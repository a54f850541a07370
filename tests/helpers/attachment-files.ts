/** Small files of each kind for attachment tests, built in memory. */

const u16 = (n: number) => [n & 0xff, (n >> 8) & 0xff]
const u32 = (n: number) => [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >>> 24) & 0xff]

/** A ZIP (stored entries, CRC left at 0: only the directory matters to the sniffer). */
export function zipOf(entries: Record<string, string>): Uint8Array {
  const enc = new TextEncoder()
  const local: number[] = []
  const central: number[] = []
  let count = 0
  for (const [name, text] of Object.entries(entries)) {
    const nameBytes = [...enc.encode(name)]
    const data = [...enc.encode(text)]
    const offset = local.length
    local.push(
      ...u32(0x04034b50),
      ...u16(20),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(data.length),
      ...u32(data.length),
      ...u16(nameBytes.length),
      ...u16(0),
      ...nameBytes,
      ...data,
    )
    central.push(
      ...u32(0x02014b50),
      ...u16(20),
      ...u16(20),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(data.length),
      ...u32(data.length),
      ...u16(nameBytes.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(offset),
      ...nameBytes,
    )
    count++
  }
  const eocd = [
    ...u32(0x06054b50),
    ...u16(0),
    ...u16(0),
    ...u16(count),
    ...u16(count),
    ...u32(central.length),
    ...u32(local.length),
    ...u16(0),
  ]
  return new Uint8Array([...local, ...central, ...eocd])
}

const CONTENT_TYPES = '<?xml version="1.0"?><Types/>'

export const samples = {
  pdf: () => new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n'),
  png: () =>
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]),
  jpeg: () => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0, 1]),
  docx: () =>
    zipOf({
      '[Content_Types].xml': CONTENT_TYPES,
      '_rels/.rels': '<Relationships/>',
      'word/document.xml': '<w:document/>',
    }),
  xlsx: () =>
    zipOf({
      '[Content_Types].xml': CONTENT_TYPES,
      '_rels/.rels': '<Relationships/>',
      'xl/workbook.xml': '<workbook/>',
      'xl/worksheets/sheet1.xml': '<worksheet/>',
    }),
  docm: () =>
    zipOf({
      '[Content_Types].xml': CONTENT_TYPES,
      'word/document.xml': '<w:document/>',
      'word/vbaProject.bin': 'macro',
    }),
  plainZip: () => zipOf({ 'readme.txt': 'hello' }),
  html: () => new TextEncoder().encode('<!doctype html><script>alert(1)</script>'),
  exe: () => new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]),
}
