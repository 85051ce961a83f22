// A small SVG chart writer: panels of horizontal bars that diverge from 1 (parity), with labels, reference lines and a legend;
// self-contained, on a white background, so that it reads the same on GitHub in light and dark mode.

type Bar = { readonly value: number | undefined; readonly color: string };
export interface Panel {
  readonly title: string;
  readonly subtitle: string;
  readonly groups: readonly { readonly label: string; readonly bars: readonly Bar[] }[];
  readonly scale: 'log' | 'linear';
  readonly domain: readonly [number, number];
  readonly references: readonly { readonly value: number; readonly label: string }[];
  readonly legend: readonly { readonly label: string; readonly color: string }[];
}

const WIDTH = 960;
const LABEL_WIDTH = 300;
const PLOT_LEFT = LABEL_WIDTH + 10;
const PLOT_RIGHT = WIDTH - 70;
const BAR = 13;
const BAR_GAP = 3;
const GROUP_GAP = 10;
const FONT = 'font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

function text(attributes: string, fill: string, content: string): string {
  const escaped = content.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<text ${attributes} ${FONT} fill="${fill}">${escaped}</text>`;
}

export function ratioLabel(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  if (value >= 10) return `${value.toFixed(0)}×`;
  if (value >= 0.095) return `${value.toFixed(2)}×`;
  return `${value.toPrecision(2)}×`;
}

// A log-scale domain in whole decades that holds every positive value with room for its label, from at most 0.1 to at least 4.
// A log axis has no place for 0 or less (a layer at or below the baseline): such bars are clamped to the left edge and labelled.
export function logDomain(values: readonly number[]): readonly [number, number] {
  const positive = values.filter((v) => Number.isFinite(v) && v > 0);
  const lo = Math.max(0.001, Math.min(0.1, ...positive.map((v) => v / 1.5)));
  const hi = Math.max(4, ...positive.map((v) => v * 1.5));
  return [10 ** Math.floor(Math.log10(lo)), 10 ** Math.ceil(Math.log10(hi))];
}

function barSvg(bar: Bar, x: (v: number) => number, y: number, [lo, hi]: Panel['domain']): string[] {
  const labelY = y + BAR - 3;
  if (bar.value === undefined || !Number.isFinite(bar.value)) return [text(`x="${x(1) + 4}" y="${labelY}" font-size="11"`, '#888', 'not measured')];
  const [x0, x1] = [x(1), x(bar.value)];
  const left = Math.min(x0, x1);
  const width = Math.max(Math.abs(x1 - x0), 1);
  const label = `${ratioLabel(bar.value)}${bar.value < lo ? ` (below ${ratioLabel(lo)})` : bar.value > hi ? ' (off scale)' : ''}`;
  const textWidth = label.length * 6.2;
  const goesLeft = x1 < x0;
  // Outside the bar's end when there is room, otherwise inside it in white.
  const room = goesLeft ? left - 4 - textWidth >= PLOT_LEFT - 6 : left + width + 4 + textWidth <= WIDTH - 4;
  const inside = !room && width > textWidth + 8;
  const labelX = goesLeft ? (room ? left - 4 : left + 4) : room ? left + width + 4 : left + width - 4;
  return [
    `<rect x="${left.toFixed(1)}" y="${y}" width="${width.toFixed(1)}" height="${BAR}" fill="${bar.color}"/>`,
    text(`x="${labelX.toFixed(1)}" y="${labelY}" font-size="11" text-anchor="${goesLeft === room ? 'end' : 'start'}"`, inside ? '#fff' : '#222', label),
  ];
}

// Draws `panel` into `parts` from `top` down; where it ends.
function panelSvg(panel: Panel, top: number, parts: string[]): number {
  const [lo, hi] = panel.domain;
  if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi) || (panel.scale === 'log' && lo <= 0)) {
    throw new RangeError(`chart panel "${panel.title}": domain [${lo}, ${hi}] is not a valid ${panel.scale} domain`);
  }
  const f = panel.scale === 'log' ? Math.log10 : (v: number): number => v;
  // The x coordinate of a value; a value outside the domain (a ratio of 0 included) is drawn at the edge.
  const x = (v: number): number => PLOT_LEFT + ((f(Math.min(Math.max(v, lo), hi)) - f(lo)) / (f(hi) - f(lo))) * (PLOT_RIGHT - PLOT_LEFT);
  parts.push(text(`x="16" y="${top + 16}" font-size="16" font-weight="600"`, '#111', panel.title));
  parts.push(text(`x="16" y="${top + 34}" font-size="12"`, '#444', panel.subtitle));
  let lx = 16;
  for (const item of panel.legend) {
    parts.push(`<rect x="${lx}" y="${top + 46}" width="12" height="12" fill="${item.color}"/>`);
    parts.push(text(`x="${lx + 16}" y="${top + 56}" font-size="12"`, '#222', item.label));
    lx += 28 + item.label.length * 6.6;
  }
  const plotTop = top + 70;
  let y = plotTop;
  for (const group of panel.groups) {
    const groupHeight = group.bars.length * (BAR + BAR_GAP) - BAR_GAP;
    parts.push(text(`x="${LABEL_WIDTH}" y="${y + groupHeight / 2 + 4}" font-size="12" text-anchor="end"`, '#222', group.label));
    for (const bar of group.bars) {
      parts.push(...barSvg(bar, x, y, panel.domain));
      y += BAR + BAR_GAP;
    }
    y += GROUP_GAP - BAR_GAP;
  }
  // Reference lines over the bars; their labels on staggered rows so that close lines stay readable.
  panel.references.forEach((ref, i) => {
    const rx = x(ref.value).toFixed(1);
    const dash = ref.value === 1 ? '' : ' stroke-dasharray="4 3"';
    const ly = y + 14 + i * 13;
    parts.push(`<line x1="${rx}" y1="${plotTop - 6}" x2="${rx}" y2="${ly - 10}" stroke="#111" stroke-width="1"${dash}/>`);
    parts.push(text(`x="${rx}" y="${ly}" font-size="11" text-anchor="middle"`, '#111', ref.label));
  });
  return y + 28 + (panel.references.length - 1) * 13;
}

export function chart(panels: readonly Panel[], options: { banner?: string; footer: string }): string {
  const parts: string[] = [];
  let y = 10;
  if (options.banner !== undefined) {
    parts.push(text(`x="${WIDTH / 2}" y="${y + 20}" font-size="18" font-weight="700" text-anchor="middle"`, '#c00', options.banner));
    y += 34;
  }
  for (const panel of panels) y = panelSvg(panel, y, parts) + 16;
  parts.push(text(`x="16" y="${y + 4}" font-size="11"`, '#555', options.footer));
  const height = y + 16;
  const open = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" role="img">`;
  return [open, `<rect width="100%" height="100%" fill="#fff"/>`, ...parts, '</svg>', ''].join('\n');
}
