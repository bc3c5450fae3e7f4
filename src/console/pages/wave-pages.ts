import { PARTNER_STATES } from '../../load';
import { redactText } from '../../core/redact';
import { htmlTable, Raw } from '../../verify';
import type { OperatorStatus } from '../../../pipelines/commands/status';
import { escape, page, pager, utc, type PageContext } from '../layout';
import type { WaveListRow } from '../sql/read-waves';
import type { WaveProgress } from '../sql/read-wave-progress';
import type { WavePartnersPage } from '../sql/read-wave-partners';

/** States in which a partner's part of a run is over (it needs nothing more from the run). */
export const SETTLED_STATES: ReadonlySet<string> = new Set(['verified', 'cutover', 'done', 'failed']);

function stateChips(states: Record<string, number>, link?: (state: string) => string, current?: string): string {
  return `<div class="chips">${PARTNER_STATES.map((state) => {
    const n = states[state] ?? 0;
    const body = `${state} <b data-state="${state}">${n}</b>`;
    const cls = `chip${state === 'failed' && n > 0 ? ' failed' : ''}${state === current ? ' current' : ''}`;
    return link ? `<a class="${cls}" href="${escape(link(state))}">${body}</a>` : `<span class="${cls}">${body}</span>`;
  }).join('')}</div>`;
}

export function renderWavesPage(ctx: PageContext, waves: WaveListRow[]): string {
  const rows = waves.map((wave) => [
    new Raw(`<a href="/waves/${encodeURIComponent(wave.name)}">${escape(wave.name)}</a>`),
    wave.status,
    wave.partners,
    ...PARTNER_STATES.map((state) => {
      const n = wave.states[state] ?? 0;
      return new Raw(state === 'failed' && n > 0 ? `<span class="fail">${n}</span>` : String(n));
    }),
    wave.latestRun ? `${wave.latestRun.kind} ${wave.latestRun.id} (${wave.latestRun.status})` : '–',
    utc(wave.latestRun?.startedAt ?? null),
    utc(wave.latestRun?.finishedAt ?? null),
  ]);
  return page(
    ctx,
    'Waves',
    `<h1>Waves</h1>` +
      (waves.length === 0
        ? '<p>No wave planned yet: <code>ppm wave plan NAME --count N</code>.</p>'
        : htmlTable(
            ['wave', 'status', 'partners', ...PARTNER_STATES, 'latest run', 'started', 'finished'],
            rows,
            'waves',
            [2, 3, 4, 5, 6, 7, 8, 9, 10],
          )),
  );
}

/** The live panel's numbers, as the page shows them and the event stream sends them. */
export interface LiveFigures {
  waveStatus: string;
  run: string;
  runStatus: string;
  rows: number;
  rowsPerSecond: number | null;
  partners: number;
  settled: number;
  states: Record<string, number>;
  etaSeconds: number | null;
  updatedAt: string;
}

export function liveFigures(progress: WaveProgress, previous?: { rows: number; atMs: number }): LiveFigures {
  const settled = [...SETTLED_STATES].reduce((sum, state) => sum + (progress.states[state] ?? 0), 0);
  const now = Date.now();
  const running = progress.run?.status === 'running';
  const elapsedS = progress.run ? (now - new Date(progress.run.startedAt).getTime()) / 1000 : 0;
  const rowsPerSecond =
    previous && now > previous.atMs
      ? Math.max(0, (progress.rows - previous.rows) / ((now - previous.atMs) / 1000))
      : running && elapsedS > 0
        ? progress.rows / elapsedS
        : null;
  // Partners settle at the rate seen since the run started; the rest at the same rate.
  const etaSeconds =
    running && settled > 0 && elapsedS > 0 ? ((progress.partners - settled) * elapsedS) / settled : null;
  return {
    waveStatus: progress.waveStatus,
    run: progress.run ? progress.run.id : '–',
    runStatus: progress.run?.status ?? 'never run',
    rows: progress.rows,
    rowsPerSecond: rowsPerSecond === null ? null : Math.round(rowsPerSecond),
    partners: progress.partners,
    settled,
    states: progress.states,
    etaSeconds: etaSeconds === null ? null : Math.round(etaSeconds),
    updatedAt: new Date(now).toISOString(),
  };
}

export function formatSeconds(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 90) return `${seconds} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** Updates the live panel from the wave's event stream; reloads once the run has finished. */
const LIVE_SCRIPT = `
(function(){
  var panel=document.getElementById('live');if(!panel||!window.EventSource)return;
  var source=new EventSource(panel.getAttribute('data-stream'));
  var fmt=function(s){if(s===null)return '–';if(s<90)return s+' s';if(s<5400)return Math.round(s/60)+' min';return (s/3600).toFixed(1)+' h';};
  var set=function(name,value){var el=panel.querySelector('[data-live="'+name+'"]');if(el)el.textContent=value;};
  var was=panel.getAttribute('data-run-status');
  source.onmessage=function(event){
    var f=JSON.parse(event.data);
    set('waveStatus',f.waveStatus);set('run',f.run);set('runStatus',f.runStatus);
    set('rows',f.rows.toLocaleString('en'));set('rowsPerSecond',f.rowsPerSecond===null?'–':f.rowsPerSecond.toLocaleString('en'));
    set('settled',f.settled+' of '+f.partners);set('eta',fmt(f.etaSeconds));set('updatedAt',f.updatedAt.slice(11,19)+'Z');
    var bar=panel.querySelector('.bar span');if(bar)bar.style.width=(f.partners?Math.round(100*f.settled/f.partners):0)+'%';
    document.querySelectorAll('[data-state]').forEach(function(el){el.textContent=f.states[el.getAttribute('data-state')]||0;});
    panel.setAttribute('data-updates',String(Number(panel.getAttribute('data-updates')||0)+1));
    if(was==='running'&&f.runStatus!=='running'){source.close();set('updatedAt','run finished: reload for its results');}
    was=f.runStatus;
  };
})();`;

export function renderWavePage(
  ctx: PageContext,
  wave: { name: string; status: string },
  figures: LiveFigures,
  status: OperatorStatus,
  partners: WavePartnersPage,
  view: { state?: string; page: number; pageSize: number },
): string {
  const name = encodeURIComponent(wave.name);
  const percent = figures.partners ? Math.round((100 * figures.settled) / figures.partners) : 0;
  const live = `<section class="live" id="live" data-stream="/waves/${name}/live" data-run-status="${escape(figures.runStatus)}" data-updates="0">
<dl>
<div><dt>wave</dt><dd data-live="waveStatus">${escape(figures.waveStatus)}</dd></div>
<div><dt>run</dt><dd><span data-live="run">${escape(figures.run)}</span> <span class="muted" data-live="runStatus">${escape(figures.runStatus)}</span></dd></div>
<div><dt>legacy rows read</dt><dd data-live="rows">${figures.rows.toLocaleString('en')}</dd></div>
<div><dt>rows per second</dt><dd data-live="rowsPerSecond">${figures.rowsPerSecond === null ? '–' : figures.rowsPerSecond.toLocaleString('en')}</dd></div>
<div><dt>partners settled</dt><dd data-live="settled">${figures.settled} of ${figures.partners}</dd></div>
<div><dt>time left (ETA)</dt><dd data-live="eta">${formatSeconds(figures.etaSeconds)}</dd></div>
</dl>
<div class="bar" title="partners settled"><span style="width:${percent}%"></span></div>
<p class="muted">updated <span data-live="updatedAt">${escape(figures.updatedAt.slice(11, 19))}Z</span>; live while the page is open</p>
</section>`;
  const failures = status.failures;
  const failureTable =
    failures.length === 0
      ? '<p class="pass">No failure.</p>'
      : htmlTable(
          ['partner', 'what', 'event key', 'reason'],
          failures
            .slice(0, 50)
            .map((f) => [
              new Raw(`<a href="/partners/${f.partnerId}">${f.partnerId}</a>`),
              f.kind,
              f.eventKey ?? '',
              redactText(f.reason),
            ]),
          'failures',
        ) + (failures.length > 50 ? `<p class="muted">${failures.length - 50} more failures not listed.</p>` : '');
  const outboxRows = Object.entries(status.outbox)
    .filter(([, states]) => Object.values(states).some((n) => n > 0))
    .map(([kind, states]) => [
      kind,
      states.pending,
      states.enqueued,
      states.done,
      new Raw(states.failed > 0 ? `<span class="fail">${states.failed}</span>` : '0'),
    ]);
  const pages = Math.ceil(partners.total / view.pageSize);
  const partnerRows = partners.rows.map((p) => [
    new Raw(`<a href="/partners/${p.partnerId}">${p.partnerId}</a>`),
    new Raw(p.state === 'failed' ? '<span class="fail">failed</span>' : escape(p.state)),
    p.failureReason ? redactText(p.failureReason) : '',
    utc(p.loadedAt),
    utc(p.verifiedAt),
    utc(p.cutoverAt),
    utc(p.doneAt),
    p.quarantined,
    new Raw(p.failedEffects > 0 ? `<span class="fail">${p.failedEffects}</span>` : '0'),
  ]);
  const content =
    `<h1>Wave ${escape(wave.name)} <span class="muted">${escape(wave.status)}</span></h1>` +
    live +
    stateChips(figures.states, (state) => `/waves/${name}?state=${state}`, view.state) +
    `<section id="failures"><h2>Failures (${failures.length})</h2>${failureTable}</section>` +
    `<section id="effects"><h2>Effects</h2>${
      outboxRows.length === 0
        ? '<p class="muted">No effect recorded yet.</p>'
        : htmlTable(['kind', 'pending', 'enqueued', 'done', 'failed'], outboxRows, 'outbox', [1, 2, 3, 4])
    }<p class="muted">Invitations: ${Object.entries(status.invitations)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}</p></section>` +
    `<section id="partners"><h2>Partners${view.state ? ` in state ${escape(view.state)} <a class="muted" href="/waves/${name}">(all)</a>` : ''} (${partners.total})</h2>` +
    pager(`/waves/${name}`, { state: view.state }, view.page, pages) +
    htmlTable(
      ['partner', 'state', 'failure', 'loaded', 'verified', 'cutover', 'done', 'quarantined', 'failed effects'],
      partnerRows,
      'partners',
      [7, 8],
    ) +
    '</section>';
  return page(ctx, `Wave ${wave.name}`, content, LIVE_SCRIPT);
}
