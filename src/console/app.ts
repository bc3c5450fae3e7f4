import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Queue } from 'bullmq';
import { z } from 'zod';
import type { ConsoleUser } from '../core/config';
import { PpmError } from '../core/errors';
import { redactText } from '../core/redact';
import { findWave, sumCheckpointCounts, findLatestRun, PARTNER_STATES } from '../load';
import {
  redactReport,
  renderCsv,
  renderHtml,
  reportSchema,
  ReportRedactor,
  type Report,
  type ReportView,
} from '../verify';
import { readStatus } from '../../pipelines/commands/status';
import type { Services } from '../../pipelines/services';
import { mountQueueBoard } from './queue-board';
import { checkReportChain } from './check-chain';
import { runConsoleAction, CONSOLE_ACTION_BODIES } from './actions';
import type { PageContext } from './layout';
import { renderLoginPage } from './pages/login-page';
import { describeAction, renderPartnerPage } from './pages/partner-page';
import {
  quarantineCsvHeader,
  quarantineCsvLines,
  renderQuarantinePage,
  type QuarantineQuery,
} from './pages/quarantine-page';
import { redactRaw } from './pages/raw-row';
import { renderReportContent, renderReportPage, renderReportsPage, type ChainStatus } from './pages/report-pages';
import { liveFigures, renderWavePage, renderWavesPage } from './pages/wave-pages';
import { DECOY_HASH, verifyPassword } from './passwords';
import { readConsoleActions, CONSOLE_ACTIONS, type ConsoleAction } from './sql/console-actions';
import {
  readPartnerChecks,
  readPartnerEffects,
  readPartnerFindings,
  readPartnerInvitations,
  readPartnerInWave,
  readPartnerProblems,
} from './sql/read-partner';
import {
  readQuarantineChoices,
  readQuarantinePage,
  readQuarantineRows,
  type QuarantineFilter,
} from './sql/read-quarantine';
import {
  readReportBody,
  readReportList,
  readReportPieces,
  readReportsVersion,
  readReportStamp,
  type ReportPieces,
} from './sql/read-reports';
import { readWavePartners } from './sql/read-wave-partners';
import { readWaveProgress } from './sql/read-wave-progress';
import { readWaves } from './sql/read-waves';
import { csrfMatches, SESSION_COOKIE, SessionStore, type Actor, type Session } from './sessions';

/** What the console is built from. */
export interface ConsoleAppOptions {
  services: Services;
  /** The queues Bull Board shows (read-only). */
  queues: Queue[];
  /** Who may log in; undefined: no login, the local operator (loopback only). */
  users?: ConsoleUser[];
  /** The actor when no login is configured. */
  localActor: Actor;
  sessionTtlMs: number;
  /** Cookies only over HTTPS (or to loopback, which browsers treat alike). */
  secureCookies: boolean;
  /** How often the live panel of a wave is sent, in ms. @defaultValue 1000 */
  liveIntervalMs?: number;
}

/** Rows per page of the partner, quarantine and report lists. */
export const PAGE_SIZES = { partners: 100, quarantine: 100, reports: 50 } as const;

declare module 'fastify' {
  interface FastifyRequest {
    session: Session;
    actor: Actor | null;
    nonce: string;
  }
}

const pageNumber = (value: unknown) => {
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
};

const positiveId = (value: unknown): number | undefined => {
  const n = Number(value);
  return typeof value === 'string' && /^\d{1,9}$/.test(value) && n > 0 ? n : undefined;
};

/** A path on this console to go back to after an action; anything else goes to the waves. */
function safeReturn(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : '/waves';
}

const PUBLIC_PATHS = new Set(['/login']);

/** The report page's view from the pieces read in SQL, redacted as the whole report would be (keyed by its seal, as `ppm report`). */
function reportViewOf(pieces: ReportPieces): ReportView {
  const partial = redactReport(
    {
      ...pieces.header,
      partners: pieces.failedPartners,
      checks: pieces.failedChecks,
      discrepancies: pieces.discrepancies,
      discrepanciesNotListed: pieces.discrepanciesNotListed,
      pending: pieces.pending,
      money: pieces.money,
      quarantine: pieces.quarantine,
      skipped: pieces.skipped,
      findings: pieces.findings,
      previousSha256: pieces.previousSha256,
    } as Report,
    pieces.sha256,
  );
  return {
    wave: pieces.header.wave,
    runId: pieces.header.runId,
    runKind: pieces.header.runKind,
    watermark: pieces.header.watermark,
    generatedAt: pieces.header.generatedAt,
    verdict: pieces.header.verdict,
    totals: pieces.header.totals,
    seal: pieces.sha256,
    previousSha256: pieces.previousSha256,
    failedPartners: partial.partners,
    failedChecks: partial.checks,
    checkSummary: pieces.checkSummary,
    discrepancies: partial.discrepancies,
    discrepanciesNotListed: partial.discrepanciesNotListed,
    pending: partial.pending ?? [],
    money: partial.money,
    quarantine: partial.quarantine,
    skipped: partial.skipped,
    findings: partial.findings,
  };
}

/** Builds the console: pages over the migration schema, operator actions, Bull Board under /queues. */
export async function buildConsoleApp(options: ConsoleAppOptions): Promise<FastifyInstance> {
  const { services } = options;
  const db = services.target;
  const loginRequired = options.users !== undefined;
  const sessions = new SessionStore(options.sessionTtlMs);
  // Pages and exports hash personal values with a key of this process; report pages with the report's seal (as `ppm report`).
  const redactor = new ReportRedactor(randomBytes(32).toString('hex'));
  const app = Fastify({
    loggerInstance: services.logger.child({ component: 'console' }) as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    forceCloseConnections: true,
    trustProxy: false,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);

  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: options.secureCookies,
  };

  app.decorateRequest('session', null as unknown as Session);
  app.decorateRequest('actor', null);
  app.decorateRequest('nonce', '');

  app.addHook('onRequest', async (request, reply) => {
    let session = sessions.get(request.cookies[SESSION_COOKIE]);
    if (!session) {
      session = sessions.create();
      reply.setCookie(SESSION_COOKIE, session.id, cookieOptions);
    }
    request.session = session;
    request.actor = loginRequired ? session.actor : options.localActor;
    request.nonce = randomBytes(16).toString('base64');
    const path = request.url.split('?')[0]!;
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Cache-Control', 'no-store');
    if (!path.startsWith('/queues'))
      reply.header(
        'Content-Security-Policy',
        `default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${request.nonce}'; connect-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
    if (!request.actor && !PUBLIC_PATHS.has(path)) {
      if (request.method === 'GET' && !path.startsWith('/queues/api') && !path.endsWith('/live'))
        return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
      return reply.code(401).type('text/plain').send('log in first');
    }
    // The board is read-only for every role: queue changes are the CLI's and the recorded actions'.
    if (path.startsWith('/queues') && request.method !== 'GET' && request.method !== 'HEAD')
      return reply.code(403).type('text/plain').send('the queues are read-only here');
  });

  // Every POST carries the session's CSRF token (a form field, or the X-CSRF-Token header).
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST') return;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const given = body._csrf ?? request.headers['x-csrf-token'];
    if (!csrfMatches(request.session, given))
      return reply.code(403).type('text/plain').send('refused: missing or wrong CSRF token');
  });

  // Last line of defence: nothing this server sends names an e-mail address or a URL's credentials.
  app.addHook('onSend', async (_request, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (typeof payload === 'string' && /text\/html|application\/json|text\/csv|text\/plain/.test(type))
      return redactText(payload);
    return payload;
  });

  app.setErrorHandler((error, request, reply) => {
    const message = redactText(error instanceof Error ? error.message : String(error));
    const status =
      error instanceof PpmError && error.code === 'usage'
        ? 404
        : ((error as { statusCode?: number }).statusCode ?? 500);
    if (status >= 500)
      request.log.error({ problem: message, path: request.url.split('?')[0] }, 'console request failed');
    void reply
      .code(status)
      .type('text/plain')
      .send(status >= 500 ? 'the console could not answer; see its log' : message);
  });

  const ctxOf = (request: FastifyRequest): PageContext => ({
    actor: request.actor,
    csrf: request.session.csrf,
    nonce: request.nonce,
    path: request.url,
    loginRequired,
  });
  const html = (reply: FastifyReply, body: string, code = 200) =>
    reply.code(code).type('text/html; charset=utf-8').send(body);
  const notFound = (_request: FastifyRequest, reply: FastifyReply, what: string) =>
    html(reply, `<!doctype html><title>not found</title><p>${what}</p><p><a href="/waves">waves</a></p>`, 404);

  app.get('/', async (_request, reply) => reply.redirect('/waves', 303));

  app.get('/login', async (request, reply) => {
    const query = request.query as { next?: string; failed?: string };
    return html(reply, renderLoginPage(ctxOf(request), { failed: query.failed === '1', next: safeReturn(query.next) }));
  });

  app.post('/login', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const name = typeof body.user === 'string' ? body.user : '';
    const password = typeof body.password === 'string' ? body.password : '';
    const user = options.users?.find((candidate) => candidate.name === name);
    const ok = await verifyPassword(password, user?.passwordHash ?? DECOY_HASH);
    if (!user || !ok) {
      request.log.warn({ path: '/login' }, 'console login refused');
      return reply.redirect(`/login?failed=1&next=${encodeURIComponent(safeReturn(body.next))}`, 303);
    }
    // A new session at login: a session id known before it is worth nothing after.
    sessions.delete(request.session.id);
    const session = sessions.create({ name: user.name, role: user.role });
    reply.setCookie(SESSION_COOKIE, session.id, cookieOptions);
    request.log.info({ user: user.name, role: user.role }, 'console login');
    return reply.redirect(safeReturn(body.next), 303);
  });

  app.post('/logout', async (request, reply) => {
    sessions.delete(request.session.id);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.redirect('/login', 303);
  });

  app.get('/waves', async (request, reply) => html(reply, renderWavesPage(ctxOf(request), await readWaves(db))));

  app.get('/waves/:name', async (request, reply) => {
    const { name } = request.params as { name: string };
    const query = request.query as { state?: string; page?: string };
    const wave = await findWave(db, name);
    if (!wave) return notFound(request, reply, `no wave named "${name}"`);
    const state = (PARTNER_STATES as ReadonlyArray<string>).includes(query.state ?? '') ? query.state : undefined;
    const pageNo = pageNumber(query.page);
    const [progress, status, partners] = await Promise.all([
      readWaveProgress(db, wave.id),
      readStatus(services, name),
      readWavePartners(db, wave.id, {
        state,
        limit: PAGE_SIZES.partners,
        offset: (pageNo - 1) * PAGE_SIZES.partners,
      }),
    ]);
    return html(
      reply,
      renderWavePage(ctxOf(request), wave, liveFigures(progress), status, partners, {
        state,
        page: pageNo,
        pageSize: PAGE_SIZES.partners,
      }),
    );
  });

  app.get('/waves/:name/live', async (request, reply) => {
    const { name } = request.params as { name: string };
    const wave = await findWave(db, name);
    if (!wave) return notFound(request, reply, `no wave named "${name}"`);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Content-Type-Options': 'nosniff',
    });
    let previous: { rows: number; atMs: number } | undefined;
    let closed = false;
    let sending = false;
    const send = async () => {
      if (closed || sending) return;
      sending = true;
      try {
        const progress = await readWaveProgress(db, wave.id);
        const figures = liveFigures(progress, previous);
        previous = { rows: progress.rows, atMs: Date.now() };
        if (!closed) raw.write(`data: ${JSON.stringify(figures)}\n\n`);
      } catch (error) {
        request.log.warn({ problem: redactText(String(error)) }, 'live wave figures could not be read');
      } finally {
        sending = false;
      }
    };
    const timer = setInterval(() => void send(), options.liveIntervalMs ?? 1000);
    request.raw.on('close', () => {
      closed = true;
      clearInterval(timer);
    });
    void send();
  });

  app.get('/partners/:id', async (request, reply) => {
    const partnerId = positiveId((request.params as { id: string }).id);
    if (partnerId === undefined) return notFound(request, reply, 'a partner id is a positive whole number');
    const partner = await readPartnerInWave(db, partnerId);
    if (!partner) return notFound(request, reply, `partner ${partnerId} is in no wave`);
    const run = await findLatestRun(db, partner.waveId, 'wave');
    const [counts, quarantine, skipped, findings, effects, invitations, checks, actions] = await Promise.all([
      run ? sumCheckpointCounts(db, run.id, { partnerId }) : Promise.resolve({}),
      readPartnerProblems(db, 'quarantine', partnerId, 50),
      readPartnerProblems(db, 'skipped', partnerId, 50),
      readPartnerFindings(db, partnerId),
      readPartnerEffects(db, partnerId),
      readPartnerInvitations(db, partnerId),
      readPartnerChecks(db, partnerId),
      readConsoleActions(db, partnerId),
    ]);
    const actionId = (request.query as { action?: string }).action;
    const done = actions.find((a) => a.id === actionId);
    const notice = done
      ? `${done.action} by ${done.actor}: ${describeAction(done.action, done.outcome, done.error)} (recorded as action ${done.id})`
      : undefined;
    return html(
      reply,
      renderPartnerPage(
        ctxOf(request),
        { partner, counts, quarantine, skipped, findings, effects, invitations, checks, actions, notice },
        redactor,
      ),
    );
  });

  // The chain is checked in the background (every body hashed again) whenever a report was
  // added, removed or altered; a page shows the last verdict of the current reports, or that it is being checked.
  let chain: { version: string; status?: ChainStatus; pending: Promise<ChainStatus> } | undefined;
  const checkChain = (version: string) => {
    if (chain?.version === version) return chain;
    const entry: NonNullable<typeof chain> = {
      version,
      pending: checkReportChain(db, services.config.MARKETPLACE_DATABASE_URL).then((verdict) => {
        const status: ChainStatus = verdict.ok
          ? verdict
          : { ok: false, reportId: verdict.reportId, problem: verdict.problem };
        entry.status = status;
        return status;
      }),
    };
    entry.pending.catch(() => {
      if (chain === entry) chain = undefined;
    });
    chain = entry;
    return entry;
  };
  const chainNow = async (waitMs: number): Promise<ChainStatus | undefined> => {
    const entry = checkChain(await readReportsVersion(db));
    if (entry.status) return entry.status;
    return Promise.race([
      entry.pending,
      new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs).unref()),
    ]);
  };

  app.get('/reports', async (request, reply) => {
    const pageNo = pageNumber((request.query as { page?: string }).page);
    const [list, status] = await Promise.all([
      readReportList(db, { limit: PAGE_SIZES.reports, offset: (pageNo - 1) * PAGE_SIZES.reports }),
      chainNow(50),
    ]);
    return html(reply, renderReportsPage(ctxOf(request), list, status, { page: pageNo, pageSize: PAGE_SIZES.reports }));
  });

  app.get('/reports/chain', async (_request, reply) => {
    const entry = checkChain(await readReportsVersion(db));
    return reply.type('application/json').send(JSON.stringify(await entry.pending));
  });

  // A sealed report does not change; its page content is kept per version (seal and row stamp), a few at a time.
  const reportContents = new Map<string, { stamp: string; content: string }>();
  const reportContent = async (id: string): Promise<string | undefined> => {
    const stamp = await readReportStamp(db, id);
    if (stamp === undefined) return undefined;
    const kept = reportContents.get(id);
    if (kept?.stamp === stamp) return kept.content;
    const pieces = await readReportPieces(db, id);
    if (!pieces) return undefined;
    const content = renderReportContent(reportViewOf(pieces));
    reportContents.delete(id);
    reportContents.set(id, { stamp, content });
    while (reportContents.size > 8) reportContents.delete(reportContents.keys().next().value!);
    return content;
  };

  app.get('/reports/:id', async (request, reply) => {
    const id = positiveId((request.params as { id: string }).id);
    const content = id === undefined ? undefined : await reportContent(String(id));
    if (content === undefined) return notFound(request, reply, 'no such report');
    return html(reply, renderReportPage(ctxOf(request), String(id), content));
  });

  // The latest report's page is ready before the first visitor asks. The chain is checked when
  // the reports are first looked at: it costs seconds of CPU, which pages answered meanwhile share.
  void (async () => {
    const latest = await db('migration.reports').max<Array<{ id: string | null }>>('id as id');
    if (latest[0]?.id) await reportContent(String(latest[0].id));
  })().catch((error) => app.log.warn({ problem: redactText(String(error)) }, 'console warm-up failed'));

  app.get('/reports/:id/report.:format', async (request, reply) => {
    const { id: idText, format } = request.params as { id: string; format: string };
    const id = positiveId(idText);
    const stored = id === undefined ? undefined : await readReportBody(db, String(id));
    if (!stored || (format !== 'html' && format !== 'csv')) return notFound(request, reply, 'no such report');
    const report = redactReport(reportSchema.parse(stored.body), stored.sha256);
    const name = `report-${id}-${report.wave.replace(/[^\w.-]/g, '_')}.${format}`;
    reply.header('Content-Disposition', `attachment; filename="${name}"`);
    return format === 'html'
      ? reply.type('text/html; charset=utf-8').send(renderHtml(report, stored.sha256))
      : reply.type('text/csv; charset=utf-8').send(renderCsv(report));
  });

  const quarantineFilter = async (query: QuarantineQuery): Promise<QuarantineFilter | undefined> => {
    const filter: QuarantineFilter = {
      entity: query.entity || undefined,
      reason: query.reason || undefined,
      status: query.status === 'resolved' || query.status === 'all' ? query.status : 'open',
    };
    if (query.partner) {
      const partnerId = positiveId(query.partner.trim());
      if (partnerId === undefined) return undefined;
      filter.partnerId = partnerId;
    }
    if (query.wave) {
      const wave = await findWave(db, query.wave);
      if (!wave) return undefined;
      filter.waveId = wave.id;
    }
    return filter;
  };

  app.get('/quarantine', async (request, reply) => {
    const query = request.query as QuarantineQuery & { page?: string };
    const pageNo = pageNumber(query.page);
    const filter = await quarantineFilter(query);
    const [choices, waves, result] = await Promise.all([
      readQuarantineChoices(db),
      readWaves(db),
      filter
        ? readQuarantinePage(db, filter, {
            limit: PAGE_SIZES.quarantine,
            offset: (pageNo - 1) * PAGE_SIZES.quarantine,
          })
        : Promise.resolve({ rows: [], total: 0 }),
    ]);
    const { page: _page, ...shown } = query;
    return html(
      reply,
      renderQuarantinePage(
        ctxOf(request),
        shown,
        { waves: waves.map((w) => w.name), ...choices },
        result,
        { page: pageNo, pageSize: PAGE_SIZES.quarantine },
        redactor,
      ),
    );
  });

  app.get('/quarantine.csv', async (request, reply) => {
    const filter = await quarantineFilter(request.query as QuarantineQuery);
    reply.header('Content-Disposition', 'attachment; filename="quarantine.csv"');
    reply.type('text/csv; charset=utf-8');
    if (!filter) return reply.send(quarantineCsvHeader());
    const pages = readQuarantineRows(db, filter);
    const text = (value: string) => redactor.text(value);
    const redact = (value: unknown) => redactRaw(value, redactor);
    return reply.send(
      Readable.from(
        (async function* () {
          yield quarantineCsvHeader();
          for await (const rows of pages) yield quarantineCsvLines(rows, redact, text);
        })(),
      ),
    );
  });

  app.post('/actions/:action', async (request, reply) => {
    const { action } = request.params as { action: string };
    if (!(CONSOLE_ACTIONS as ReadonlyArray<string>).includes(action))
      return reply.code(404).type('text/plain').send('no such action');
    if (request.actor?.role !== 'operator')
      return reply.code(403).type('text/plain').send('refused: auditors read only');
    const body = request.body as Record<string, unknown>;
    const parsed = CONSOLE_ACTION_BODIES[action as ConsoleAction].safeParse(body);
    if (!parsed.success)
      return reply
        .code(400)
        .type('text/plain')
        .send(`refused: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
    const recorded = await runConsoleAction(services, request.actor, action as ConsoleAction, parsed.data);
    request.log.info({ action, actor: request.actor.name, record: recorded.id }, 'console action');
    const back = safeReturn(body.return);
    return reply.redirect(`${back.split('?')[0]}?action=${recorded.id}`, 303);
  });

  await mountQueueBoard(app, options.queues);
  return app;
}
