import { escapeHtml, Raw, REPORT_STYLE } from '../verify';
import type { Actor } from './sessions';

export { escapeHtml as escape };

/** What every page's frame needs: who is looking, their CSRF token, the script nonce. */
export interface PageContext {
  actor: Actor | null;
  csrf: string;
  nonce: string;
  /** The path asked for, to mark the current section. */
  path: string;
  /** Whether a login is configured (the frame shows a logout button). */
  loginRequired: boolean;
}

const SECTIONS: ReadonlyArray<{ href: string; title: string }> = [
  { href: '/waves', title: 'Waves' },
  { href: '/reports', title: 'Reports' },
  { href: '/quarantine', title: 'Quarantine' },
  { href: '/queues', title: 'Queues' },
];

const STYLE = `
*{box-sizing:border-box}body{font-family:system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
nav.top{display:flex;gap:1.2rem;align-items:center;background:#1f2a44;color:#fff;padding:.5rem 1.2rem}
nav.top a{color:#dfe6f5;text-decoration:none;font-weight:500}nav.top a.current{color:#fff;border-bottom:2px solid #8fb3ff}
nav.top .brand{font-weight:700;color:#fff;margin-right:1rem}nav.top .who{margin-left:auto;font-size:13px;color:#c8d2e8}
nav.top form{display:inline;margin:0}nav.top button{background:none;border:1px solid #8fa0c0;color:#fff;border-radius:3px;cursor:pointer}
main{padding:1rem 1.5rem;max-width:1400px}h1{font-size:1.4rem;margin:.4rem 0}h2{font-size:1.15rem;margin:1.2rem 0 .4rem}
a{color:#2b5797}.muted{color:#666;font-size:13px}code{font-size:12px}
.chips{display:flex;flex-wrap:wrap;gap:.4rem;margin:.4rem 0}.chip{background:#e8edf7;border-radius:12px;padding:2px 10px;font-size:13px}
.chips a.chip{text-decoration:none;color:#1f2a44}.chips a.chip:hover{background:#d5def0}.chip b{font-variant-numeric:tabular-nums}.chip.failed{background:#fde7ea}.chip.current{outline:2px solid #2b5797}
.live{background:#fff;border:1px solid #d6dbe6;border-radius:6px;padding:.6rem 1rem;margin:.6rem 0;max-width:900px}
.live dl{display:grid;grid-template-columns:repeat(auto-fill,minmax(125px,1fr));gap:.3rem 1rem;margin:.4rem 0}
.live dt{font-size:12px;color:#666}.live dd{margin:0;font-size:1.1rem;font-variant-numeric:tabular-nums}
.bar{height:10px;background:#e3e7ef;border-radius:5px;overflow:hidden}.bar span{display:block;height:100%;background:#2b7a4b}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
form.inline{display:inline;margin:0}button.action{font-size:12px;padding:1px 8px;cursor:pointer}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;background:#fff;border:1px solid #ddd;padding:.5rem .8rem;border-radius:6px}
.filters label{display:flex;flex-direction:column;font-size:12px;color:#555}.filters select,.filters input{font-size:13px;min-width:8rem}
.pager{margin:.4rem 0;font-size:13px}.pager a{margin-right:.8rem}
.notice{background:#eef6ee;border:1px solid #9c9;padding:.4rem .8rem;border-radius:4px}.error{background:#fde7ea;border:1px solid #e99;padding:.4rem .8rem;border-radius:4px}
pre.raw{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;margin:0;min-width:260px;max-width:560px;max-height:11em;overflow:auto}
time{white-space:nowrap}td.nowrap{white-space:nowrap}
ol.timeline{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.3rem}ol.timeline li{background:#fff;border:1px solid #ccd;border-radius:4px;padding:.2rem .6rem;font-size:13px}
ol.timeline li.reached{border-color:#2b7a4b}ol.timeline li.failed{border-color:#b00020;background:#fde7ea}ol.timeline li.missing{color:#999}
`;

/** A console page: the navigation, who is looking, and the content. */
export function page(ctx: PageContext, title: string, content: string, script = ''): string {
  const nav = SECTIONS.map(
    (s) => `<a href="${s.href}"${ctx.path.startsWith(s.href) ? ' class="current"' : ''}>${s.title}</a>`,
  ).join('');
  const who = ctx.actor
    ? `<span class="who">${escapeHtml(ctx.actor.name)} (${ctx.actor.role})${
        ctx.loginRequired
          ? ` <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${escapeHtml(ctx.csrf)}"><button>log out</button></form>`
          : ''
      }</span>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ppm console</title><style>${STYLE}${REPORT_STYLE}</style></head><body>
<nav class="top"><span class="brand">ppm console</span>${nav}${who}</nav>
<main>${content}</main>${script ? `<script nonce="${ctx.nonce}">${script}</script>` : ''}
</body></html>
`;
}

/** A form posting one operator action, with its CSRF token; absent for an auditor. */
export function actionButton(
  ctx: PageContext,
  action: string,
  fields: Record<string, string | number>,
  label: string,
): string {
  if (ctx.actor?.role !== 'operator') return '';
  const inputs = Object.entries({ ...fields, _csrf: ctx.csrf, return: ctx.path })
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form class="inline" method="post" action="/actions/${escapeHtml(action)}">${inputs}<button class="action" data-action="${escapeHtml(action)}">${escapeHtml(label)}</button></form>`;
}

/** A timestamp as UTC, to the second (`2026-03-01 14:02:11Z`) in a `<time>` that does not wrap, or a dash. */
export function utc(value: string | Date | null | undefined): Raw {
  if (value === null || value === undefined) return new Raw('–');
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return new Raw(escapeHtml(value));
  const iso = date.toISOString();
  return new Raw(`<time datetime="${iso}">${iso.slice(0, 19).replace('T', ' ')}Z</time>`);
}

/** Links to the previous and next page of a paged list. */
export function pager(
  basePath: string,
  query: Record<string, string | undefined>,
  pageNo: number,
  pages: number,
): string {
  const link = (n: number) => {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, value);
    params.set('page', String(n));
    return `${basePath}?${params.toString()}`;
  };
  return `<p class="pager">page ${pageNo} of ${Math.max(1, pages)}${pageNo > 1 ? ` <a rel="prev" href="${escapeHtml(link(pageNo - 1))}">← previous</a>` : ''}${pageNo < pages ? ` <a rel="next" href="${escapeHtml(link(pageNo + 1))}">next →</a>` : ''}</p>`;
}
