/**
 * The dashboard's one stylesheet, inlined and allowed by its CSP hash. Charts are styled through
 * classes here, never `style=""` attributes: those would need 'unsafe-inline' (or 'unsafe-hashes').
 * Series differ by dash pattern and marker shape as well as colour, so the charts read in greyscale.
 */
export const DASHBOARD_STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #fff; --card: #f6f8fa; --line: #d0d7de;
  --accent: #0a5bd3; --accent-2: #8a3ffc; --bad: #b42318; --bad-bg: #fef3f2; font: 15px/1.45 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #161b22; --line: #30363d;
  --accent: #4c9aff; --accent-2: #c29bff; --bad: #ff8a80; --bad-bg: #2d1414; } }
body { margin: 0 auto; max-width: 980px; padding: 16px 20px 40px; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.5rem; margin: 0 0 4px; } h2 { font-size: 1.1rem; margin: 24px 0 8px; }
header p, .hint, #status { color: var(--muted); margin: 4px 0; }
form, .session { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 16px 0 8px; }
form .hint { flex-basis: 100%; font-size: .9em; }
input, select, button { font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
input { min-width: min(22em, 100%); } button { cursor: pointer; } button[type=submit] { background: var(--accent); border-color: var(--accent); color: #fff; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
code { font-size: .95em; }
[hidden] { display: none !important; }
.error { border: 1px solid var(--bad); border-left-width: 6px; background: var(--bad-bg); padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.error strong { color: var(--bad); } .error p { margin: 4px 0; }
dl.totals { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; margin: 0; }
dl.totals div { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
dl.totals dt { color: var(--muted); font-size: .85em; } dl.totals dd { margin: 2px 0 0; font-size: 1.2em; overflow-wrap: anywhere; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(440px, 100%), 1fr)); gap: 14px; }
figure { margin: 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
figcaption { font-weight: 600; } .note { color: var(--muted); font-size: .9em; margin: 8px 0 0; } .legend { list-style: none; display: flex; gap: 16px; padding: 0; margin: 4px 0 0; font-size: .9em; }
.legend svg { width: 30px; height: 12px; overflow: visible; vertical-align: middle; margin-right: 4px; }
svg.chart { width: 100%; height: auto; display: block; }
.chart text { fill: var(--muted); font-size: 12px; } .chart .axis-title { fill: var(--fg); font-size: 13px; }
.chart .grid { stroke: var(--line); stroke-width: 1; } .chart .zero { stroke: var(--muted); stroke-width: 1; }
.chart .bar { fill: var(--accent); } .chart .bar.negative { fill: var(--bad); }
.series-0 { stroke: var(--accent); fill: none; stroke-width: 2; } .series-1 { stroke: var(--accent-2); fill: none; stroke-width: 2; stroke-dasharray: 6 4; }
.marker.series-0 { fill: var(--accent); stroke: none; } .marker.series-1 { fill: transparent; stroke-dasharray: none; } /* hollow: a p50 point behind it stays visible */
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; font-size: .9em; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: right; } th:first-child, td:first-child { text-align: left; }
caption { text-align: left; color: var(--muted); padding: 4px 0; } details { margin-top: 16px; overflow-x: auto; } summary { cursor: pointer; }
`;
