/**
 * Draws one history chart with uPlot (canvas, no animation). Loaded only by the history page,
 * with `await import('./plot')`, so uPlot and its stylesheet stay out of every other page. The
 * canvas is a picture of the table beside it: the page hides it from screen readers and gives
 * the same figures in words and as a table. Colours come from the page's CSS variables, so a
 * redraw after a light/dark change follows the theme.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { labelIndexes } from './view';

export interface PlotInput {
  readonly kind: 'line' | 'bars';
  /** One label per point (a period's short date, or a tag). */
  readonly labels: readonly string[];
  /** Heights; null is a gap (nothing recorded), drawn as nothing. */
  readonly y: readonly (number | null)[];
  /** 'share' is 0–100 (%), 'days' counts from 0, 'value' fits the values. */
  readonly axis: 'share' | 'days' | 'value';
  /** A scale's own ends (1–5, 1–10), so the chart never zooms small changes into big ones. */
  readonly bounds?: readonly [number, number] | undefined;
  /** Words after a share's number on the y axis (e.g. " %"). */
  readonly percent: (n: number) => string;
  readonly width: number;
}

export interface Plot {
  setWidth(width: number): void;
  destroy(): void;
}

const HEIGHT = 240;

const cssVar = (el: Element, name: string, fallback: string): string =>
  getComputedStyle(el).getPropertyValue(name).trim() || fallback;

export function drawPlot(el: HTMLElement, input: PlotInput): Plot {
  const text = cssVar(el, '--muted', '#4a5650');
  const grid = cssVar(el, '--border', '#c9cdc4');
  const line = cssVar(el, '--link', '#245a40');
  const bar = cssVar(el, '--brand', '#2f6b4f');
  const font = `13px ${getComputedStyle(el).fontFamily || 'system-ui'}`;
  const n = input.labels.length;
  const xs = input.labels.map((_, i) => i);
  const max = input.y.reduce<number>((m, y) => (y !== null && y > m ? y : m), 0);
  const yRange: uPlot.Scale['range'] =
    input.axis === 'share'
      ? [0, 100]
      : input.axis === 'days'
        ? [0, Math.max(1, max)]
        : input.bounds
          ? [input.bounds[0], input.bounds[1]]
          : (_u, lo, hi) => {
              if (lo === null || hi === null || !Number.isFinite(lo)) return [0, 1];
              const pad = hi === lo ? 1 : (hi - lo) * 0.1;
              return [Math.max(0, lo - pad), hi + pad];
            };
  const axisBase = {
    stroke: text,
    font,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid },
  };
  const opts: uPlot.Options = {
    width: input.width,
    height: HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: {
      x: { time: false, range: [-0.5, Math.max(0.5, n - 0.5)] },
      y: { range: yRange },
    },
    axes: [
      {
        ...axisBase,
        grid: { show: false },
        splits: (u) => labelIndexes(n, u.bbox.width / devicePixelRatio),
        values: (_u, splits) => splits.map((i) => input.labels[i] ?? ''),
      },
      {
        ...axisBase,
        size: 56,
        values: (_u, splits) =>
          splits.map((v) =>
            input.axis === 'share' ? input.percent(v) : String(Math.round(v * 10) / 10),
          ),
      },
    ],
    series: [
      {},
      input.kind === 'bars'
        ? {
            stroke: bar,
            fill: bar,
            width: 0,
            paths: uPlot.paths.bars?.({ size: [0.7, 48] }),
            points: { show: false },
          }
        : {
            stroke: line,
            width: 2,
            spanGaps: false,
            points: { show: true, size: 6, fill: line, stroke: line },
          },
    ],
  };
  const chart = new uPlot(opts, [xs, [...input.y]] as uPlot.AlignedData, el);
  return {
    setWidth: (width) => chart.setSize({ width, height: HEIGHT }),
    destroy: () => chart.destroy(),
  };
}
