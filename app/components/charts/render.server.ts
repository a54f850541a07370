import {
  BarChart,
  type BarSeriesOption,
  FunnelChart,
  type FunnelSeriesOption,
  LineChart,
  type LineSeriesOption,
} from 'echarts/charts'
import {
  AriaComponent,
  type AriaComponentOption,
  GridComponent,
  type GridComponentOption,
  LegendComponent,
  type LegendComponentOption,
} from 'echarts/components'
import { type ComposeOption, init, use } from 'echarts/core'
import { SVGRenderer } from 'echarts/renderers'

// Only what the dashboard draws, so loading stays light.
use([BarChart, FunnelChart, LineChart, GridComponent, LegendComponent, AriaComponent, SVGRenderer])

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | FunnelSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | AriaComponentOption
>

/**
 * A CJK-capable font list. Single quotes only: the SVG writer puts the
 * family inside a double-quoted style attribute.
 */
export const CHART_FONT =
  "'PingFang SC', 'Hiragino Sans GB', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', 'WenQuanYi Micro Hei', sans-serif"

/** Colours that stay apart in greyscale print (dark to light), each with a decal pattern. */
export const CHART_COLOURS = ['#1f4e79', '#c55a11', '#6b8e23', '#7030a0', '#8c8c8c', '#2e75b6']

export const INK = '#111111'

/** A chart drawn on the server: the SVG markup and its size. */
export interface ChartSvg {
  svg: string
  width: number
  height: number
}

/**
 * Renders an option to an SVG string on the server (no animation, patterns
 * on the series so print in black and white keeps them apart).
 */
export function renderChart(option: ChartOption, width: number, height: number): ChartSvg {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height })
  try {
    chart.setOption({
      animation: false,
      color: CHART_COLOURS,
      textStyle: { fontFamily: CHART_FONT, color: INK, fontSize: 12 },
      aria: { enabled: true, decal: { show: true } },
      ...option,
    })
    return { svg: chart.renderToSVGString(), width, height }
  } finally {
    // Without dispose the instance keeps a timer and its memory.
    chart.dispose()
  }
}
