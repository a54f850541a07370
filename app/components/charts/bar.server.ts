import { type ChartSvg, INK, renderChart } from './render.server.ts'

export interface BarRow {
  label: string
  value: number
}

/** At most this many bars; the table beside the chart lists every row. */
export const MAX_BARS = 12

/**
 * A horizontal bar per key (categories, districts, parks), largest first,
 * the value written at the end of each bar; null without any non-zero value.
 */
export function splitBarChart(rows: BarRow[], seriesName: string): ChartSvg | null {
  const shown = rows
    .filter((r) => r.value > 0)
    .sort((a, b) => b.value - a.value)
    .slice(0, MAX_BARS)
  if (shown.length === 0) return null
  // Largest on top: the category axis draws from the bottom.
  shown.reverse()
  const width = 560
  const height = Math.max(120, 48 + shown.length * 28)
  return renderChart(
    {
      grid: { left: 8, right: 48, top: 12, bottom: 28 },
      xAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: INK },
        splitLine: { lineStyle: { color: '#dddddd' } },
      },
      yAxis: {
        type: 'category',
        data: shown.map((r) => r.label),
        axisLabel: { color: INK, width: 180, overflow: 'truncate' },
        axisLine: { lineStyle: { color: '#555555' } },
      },
      series: [
        {
          type: 'bar',
          name: seriesName,
          data: shown.map((r) => r.value),
          barMaxWidth: 20,
          label: { show: true, position: 'right', color: INK },
        },
      ],
    },
    width,
    height,
  )
}
