import { type ChartSvg, INK, renderChart } from './render.server.ts'

export interface TrendSeries {
  name: string
  kind: 'bar' | 'line'
  values: number[]
}

/** Figures month by month: bars (and lines) with their values written on them. */
export function monthlyTrendChart(months: string[], series: TrendSeries[]): ChartSvg | null {
  if (months.length === 0 || series.length === 0) return null
  const width = 720
  const height = 300
  return renderChart(
    {
      legend: { bottom: 0, textStyle: { color: INK } },
      grid: { left: 48, right: 24, top: 28, bottom: 56 },
      xAxis: {
        type: 'category',
        data: months,
        axisLabel: { color: INK, interval: 0, rotate: months.length > 6 ? 30 : 0 },
        axisLine: { lineStyle: { color: '#555555' } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        axisLabel: { color: INK },
        splitLine: { lineStyle: { color: '#dddddd' } },
      },
      series: series.map((s, i) =>
        s.kind === 'bar'
          ? {
              type: 'bar' as const,
              name: s.name,
              data: s.values,
              barMaxWidth: 28,
              label: { show: true, position: 'top' as const, color: INK },
            }
          : {
              type: 'line' as const,
              name: s.name,
              data: s.values,
              symbol: i % 2 === 0 ? 'circle' : 'triangle',
              symbolSize: 7,
              lineStyle: { width: 2, type: i % 2 === 0 ? ('solid' as const) : ('dashed' as const) },
              label: { show: true, position: 'top' as const, color: INK },
              // Where a line value would sit on a bar's, the bar's wins (the table lists all).
              labelLayout: { hideOverlap: true },
            },
      ),
    },
    width,
    height,
  )
}
