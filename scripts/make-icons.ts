/**
 * Renders the PerfSheet add-in icons (assets/icon-16.png, -32, -64, -80) from SVG drawings
 * with headless Chromium (playwright-core + Debian's /usr/bin/chromium). No network needed.
 *
 *   npx ts-node --transpile-only scripts/make-icons.ts [--preview /tmp/icons-preview.png]
 *
 * The drawing: a spreadsheet sheet (green header band, grid lines) with a navy round badge
 * carrying a white check mark — "the form has been checked". Two drawings are used:
 * a pixel-aligned one for 16 px (ribbon small icon) and a detailed one for 32/64/80 px.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const GREEN = '#1E6E42'; // header band / sheet border (Excel-like office green)
const GRID = '#9DBFAA'; // grid lines
const CELL = '#D8EBDF'; // a highlighted (computed) cell
const NAVY = '#1F4E79'; // badge (government-office blue)
const WHITE = '#FFFFFF';

/** Pixel-aligned drawing for 16 x 16. Coordinates are in pixels; 0.5 offsets keep 1 px strokes crisp. */
function svg16(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16">
  <rect x="1.5" y="1.5" width="11" height="13" fill="${WHITE}" stroke="${GREEN}" stroke-width="1" shape-rendering="crispEdges"/>
  <rect x="1" y="1" width="12" height="4" fill="${GREEN}" shape-rendering="crispEdges"/>
  <g stroke="${GRID}" stroke-width="1" shape-rendering="crispEdges">
    <line x1="2" y1="8.5" x2="12" y2="8.5"/>
    <line x1="2" y1="11.5" x2="8" y2="11.5"/>
    <line x1="5.5" y1="5" x2="5.5" y2="14"/>
  </g>
  <circle cx="11.5" cy="11.5" r="4.5" fill="${NAVY}"/>
  <path d="M9.3 11.6 L10.9 13.1 L13.7 10.1" fill="none" stroke="${WHITE}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;
}

/**
 * Detailed drawing in a 64-unit box, scaled to the requested size (32, 64, 80). Strokes of width 2
 * sit on odd coordinates and fills on even ones, so at 32 and 64 px every edge lands on a pixel.
 */
function svgLarge(size: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 64 64">
  <rect x="5" y="5" width="46" height="54" rx="3" fill="${WHITE}" stroke="${GREEN}" stroke-width="2"/>
  <path d="M4 8 a4 4 0 0 1 4 -4 h40 a4 4 0 0 1 4 4 v10 h-48 z" fill="${GREEN}"/>
  <rect x="20" y="30" width="12" height="10" fill="${CELL}"/>
  <g stroke="${GRID}" stroke-width="2">
    <line x1="6" y1="29" x2="50" y2="29"/>
    <line x1="6" y1="41" x2="50" y2="41"/>
    <line x1="6" y1="53" x2="34" y2="53"/>
    <line x1="19" y1="18" x2="19" y2="58"/>
    <line x1="33" y1="18" x2="33" y2="58"/>
  </g>
  <g fill="${WHITE}" opacity="0.85">
    <rect x="9" y="9" width="6" height="4" rx="1"/>
    <rect x="22" y="9" width="8" height="4" rx="1"/>
    <rect x="38" y="9" width="8" height="4" rx="1"/>
  </g>
  <circle cx="46" cy="46" r="15" fill="${NAVY}" stroke="${WHITE}" stroke-width="3"/>
  <path d="M38.5 46.5 L44 51.5 L53.5 40.5" fill="none" stroke="${WHITE}" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;
}

export function iconSvg(size: number): string {
  return size <= 16 ? svg16() : svgLarge(size);
}

export const ICON_SIZES = [16, 32, 64, 80] as const;

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..');
  const outDir = path.join(root, 'assets');
  const previewIdx = process.argv.indexOf('--preview');
  const previewPath = previewIdx >= 0 ? process.argv[previewIdx + 1] : undefined;
  fs.mkdirSync(outDir, { recursive: true });

  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfsheet-icons-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 100, height: 100 },
    deviceScaleFactor: 1,
  });
  try {
    const page = await context.newPage();
    for (const size of ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      await page.setContent(
        `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent}svg{display:block}</style></head>` +
          `<body>${iconSvg(size)}</body></html>`,
      );
      const file = path.join(outDir, `icon-${size}.png`);
      await page.locator('svg').screenshot({ path: file, omitBackground: true });
      console.log(`wrote ${path.relative(root, file)} (${size}x${size})`);
    }
    if (previewPath) {
      // Preview sheet: each icon at 1x on light and dark ribbons, and magnified 8x (pixelated).
      const cells = ICON_SIZES.map((s) => {
        const data = fs.readFileSync(path.join(outDir, `icon-${s}.png`)).toString('base64');
        const src = `data:image/png;base64,${data}`;
        return `<div class="c"><div class="l">${s}px</div>
          <div class="row"><span class="bg light"><img src="${src}"></span><span class="bg dark"><img src="${src}"></span></div>
          <img class="big" src="${src}" style="width:${Math.min(s * 8, 320)}px"></div>`;
      }).join('');
      await page.setViewportSize({ width: 1200, height: 460 });
      await page.setContent(`<!doctype html><html><head><style>
        body{font:14px sans-serif;margin:12px;background:#fff;display:flex;gap:16px;align-items:flex-start}
        .c{border:1px solid #ccc;padding:8px}.row{display:flex;gap:8px;margin:6px 0}
        .bg{padding:6px;display:inline-block}.light{background:#f3f3f3}.dark{background:#2b2b2b}
        .big{image-rendering:pixelated;border:1px dashed #aaa;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
        </style></head><body>${cells}</body></html>`);
      await page.screenshot({ path: previewPath, fullPage: true });
      console.log(`wrote preview ${previewPath}`);
    }
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
