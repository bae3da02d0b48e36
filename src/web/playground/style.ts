/** The playground's one stylesheet, inlined and allowed by its CSP hash (no `style=""` anywhere). */
export const PLAYGROUND_STYLE = `
:root { color-scheme: light dark; --fg: #1b1f24; --muted: #57606a; --bg: #fff; --card: #f6f8fa; --line: #d0d7de;
  --accent: #0a5bd3; --bad: #b42318; --bad-bg: #fef3f2; font: 15px/1.45 system-ui, sans-serif; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --muted: #9198a1; --bg: #0d1117; --card: #161b22; --line: #30363d;
  --accent: #4c9aff; --bad: #ff8a80; --bad-bg: #2d1414; } }
body { margin: 0 auto; max-width: 980px; padding: 16px 20px 40px; color: var(--fg); background: var(--bg); }
h1 { font-size: 1.6rem; margin: 0 0 4px; } h2 { font-size: 1.1rem; margin: 24px 0 8px; }
header p, .hint, #status { color: var(--muted); margin: 4px 0; }
nav a { margin-right: 14px; color: var(--accent); }
label { font-weight: 600; display: block; margin: 14px 0 4px; }
input, select, textarea, button { font: inherit; padding: 6px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
input { width: min(32em, 100%); } textarea { width: 100%; min-height: 9em; font-family: ui-monospace, monospace; font-size: .9em; }
.row { display: flex; gap: 10px; align-items: center; flex-wrap: wrap; margin-top: 12px; }
button { cursor: pointer; } button[type=submit] { background: var(--accent); border-color: var(--accent); color: #fff; padding: 8px 18px; }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
#snippet { white-space: pre-wrap; overflow-wrap: anywhere; }
pre { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; overflow: auto; font-size: .88em; }
[hidden] { display: none !important; }
.error { border: 1px solid var(--bad); border-left-width: 6px; background: var(--bad-bg); padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.error strong { color: var(--bad); } .error p { margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap: 16px; }
`;
