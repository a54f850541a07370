import { once } from 'node:events'
import { PassThrough, type Readable, type Writable } from 'node:stream'
import ExcelJS from 'exceljs'
import type { TFunction } from 'i18next'
import { type CellType, type CellValue, type ColumnSpec, NUM_FMT } from './columns.ts'
import { readAhead } from './read-ahead.ts'

/**
 * The lists' generic .xlsx writer: exceljs's streaming WorkbookWriter into a
 * PassThrough, each batch's rows committed (written out) as they come, so
 * the whole set is never held. Numbers are numbers with '#,##0' / '#,##0.00',
 * money is a number made from the exact yuan string, dates are real Date
 * cells showing Beijing wall time (Excel dates have no zone: the instant is
 * shifted by +8 h so the cell reads as in Beijing), with a frozen header
 * row, column widths and an autofilter.
 */

const BEIJING_OFFSET_MS = 8 * 3600_000

/**
 * Excel dates carry no zone: a cell gets the Beijing wall time (the instant
 * shifted by +8 h), so it reads the same wherever it is opened.
 */
export function beijingCell(at: Date): Date {
  return new Date(at.getTime() + BEIJING_OFFSET_MS)
}

/** Excel's cell for a column value. */
export function excelValue(type: CellType, value: CellValue): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null
  if (value instanceof Date) return beijingCell(value)
  if (type === 'int' || type === 'money' || type === 'decimal') {
    const n = typeof value === 'number' ? value : Number(value)
    return Number.isFinite(n) ? n : String(value)
  }
  return typeof value === 'string' ? value : String(value)
}

/** 'A', …, 'Z', 'AA' … for a 1-based column number. */
function columnLetter(n: number): string {
  let s = ''
  for (let c = n; c > 0; c = Math.floor((c - 1) / 26))
    s = String.fromCharCode(65 + ((c - 1) % 26)) + s
  return s
}

export interface ListSheet<R> {
  sheetName: string
  columns: ColumnSpec<R>[]
  /** Header texts, in column order. */
  headers: string[]
  /** Translates the cell labels (states, categories…). */
  t: TFunction
  batches: AsyncIterable<R[]>
}

/** Waits until the output wants more (or is gone: then false). */
export async function roomIn(out: Writable): Promise<boolean> {
  if (out.destroyed || out.writableEnded) return false
  if (!out.writableNeedDrain) return true
  await Promise.race([once(out, 'drain'), once(out, 'close')])
  return !out.destroyed
}

/** A streaming workbook writing into `stream`, rows written out as they are committed. */
export function streamingWorkbook(stream: Writable): ExcelJS.stream.xlsx.WorkbookWriter {
  return new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
    // Fast deflate: a large export is bound by CPU, and the sheet XML still shrinks ~10×.
    zip: { zlib: { level: 1 } },
  })
}

/** Writes the sheet to `stream`; resolves when the workbook is complete. */
export async function writeListXlsx<R>(stream: Writable, sheet: ListSheet<R>): Promise<void> {
  const workbook = streamingWorkbook(stream)
  workbook.creator = 'Zhuqi'
  const ws = workbook.addWorksheet(sheet.sheetName, {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  ws.columns = sheet.columns.map((c, i) => {
    const numFmt = NUM_FMT[c.type]
    return {
      header: sheet.headers[i] ?? c.id,
      key: c.id,
      width: c.width,
      ...(numFmt ? { style: { numFmt } } : {}),
    }
  })
  ws.autoFilter = `A1:${columnLetter(sheet.columns.length)}1`
  const header = ws.getRow(1)
  header.font = { bold: true }
  header.commit()
  const { columns, t } = sheet
  for await (const batch of readAhead(sheet.batches)) {
    for (const row of batch) {
      const values = new Array<ExcelJS.CellValue>(columns.length)
      for (let i = 0; i < columns.length; i++) {
        const c = columns[i] as ColumnSpec<R>
        values[i] = excelValue(c.type, c.value(row, t))
      }
      ws.addRow(values).commit()
    }
    // Backpressure: do not take the next batch while the reader is behind.
    if (!(await roomIn(stream))) return
  }
  ws.commit()
  await workbook.commit()
}

/** The sheet as a readable .xlsx stream; a failure destroys the stream with the error. */
export function streamListXlsx<R>(sheet: ListSheet<R>): Readable {
  const out = new PassThrough()
  writeListXlsx(out, sheet).catch((err: unknown) => {
    out.destroy(err instanceof Error ? err : new Error(String(err)))
  })
  return out
}
