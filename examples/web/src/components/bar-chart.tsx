import { useId } from 'react';

export interface BarDatum {
  label: string;
  value: number;
  /** An interval around the value (a credible interval, a min–max), drawn as a whisker. */
  low?: number;
  high?: number;
}

interface BarChartProps {
  title: string;
  data: readonly BarDatum[];
  /** How values read in the labels and the table; default: as they are, rounded to 2 decimals. */
  format?: (value: number) => string;
  /** The scale's end; default the largest value or interval end. */
  max?: number;
  /** The table's value column heading. */
  valueLabel?: string;
}

const WIDTH = 640;
const LABEL_WIDTH = 190;
const VALUE_WIDTH = 70;
const ROW = 30;
const BAR = 18;
const LABEL_CHARACTERS = 26;

const defaultFormat = (value: number) => String(Math.round(value * 100) / 100);
const shortened = (text: string) =>
  text.length > LABEL_CHARACTERS ? `${text.slice(0, LABEL_CHARACTERS - 1)}…` : text;

/**
 * Horizontal bars (with optional interval whiskers) in plain SVG. The drawing is hidden from
 * assistive technology; the same numbers are in a table it reads instead.
 */
export function BarChart({
  title,
  data,
  format = defaultFormat,
  max,
  valueLabel = 'Value',
}: BarChartProps) {
  const captionId = useId();
  const scaleEnd =
    max ?? Math.max(1e-9, ...data.map((datum) => Math.max(datum.value, datum.high ?? 0)));
  const plotWidth = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const x = (value: number) => LABEL_WIDTH + (Math.max(0, value) / scaleEnd) * plotWidth;
  const height = Math.max(ROW, data.length * ROW);
  const hasIntervals = data.some((datum) => datum.low !== undefined && datum.high !== undefined);
  return (
    <figure className="chart" aria-labelledby={captionId}>
      <figcaption id={captionId} className="chart__title">
        {title}
      </figcaption>
      <svg
        className="chart__drawing"
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        aria-hidden="true"
        focusable="false"
      >
        {data.map((datum, index) => {
          const top = index * ROW;
          const middle = top + ROW / 2;
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat, and rows are redrawn whole
            <g key={index}>
              <text x={LABEL_WIDTH - 8} y={middle} className="chart__label" textAnchor="end">
                <title>{datum.label}</title>
                {shortened(datum.label)}
              </text>
              <rect
                className="chart__bar"
                x={LABEL_WIDTH}
                y={top + (ROW - BAR) / 2}
                width={Math.max(0, x(datum.value) - LABEL_WIDTH)}
                height={BAR}
                rx={3}
              />
              {datum.low !== undefined && datum.high !== undefined && (
                <g className="chart__interval">
                  <line x1={x(datum.low)} x2={x(datum.high)} y1={middle} y2={middle} />
                  <line x1={x(datum.low)} x2={x(datum.low)} y1={middle - 6} y2={middle + 6} />
                  <line x1={x(datum.high)} x2={x(datum.high)} y1={middle - 6} y2={middle + 6} />
                </g>
              )}
              <text x={WIDTH - VALUE_WIDTH + 8} y={middle} className="chart__value">
                {format(datum.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="visually-hidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col">{valueLabel}</th>
            {hasIntervals && <th scope="col">Interval</th>}
          </tr>
        </thead>
        <tbody>
          {data.map((datum, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: labels may repeat, and rows are redrawn whole
            <tr key={index}>
              <th scope="row">{datum.label}</th>
              <td>{format(datum.value)}</td>
              {hasIntervals && (
                <td>
                  {datum.low === undefined || datum.high === undefined
                    ? ''
                    : `${format(datum.low)} to ${format(datum.high)}`}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
