/** Imports flow one way: cli, console -> pipelines -> stages (extract, transform, load, verify, notify, seed) -> core. */
const STAGES = ['extract', 'transform', 'load', 'verify', 'notify', 'seed'];
module.exports = {
  forbidden: [
    ...STAGES.map((stage) => ({
      name: `${stage}-is-a-stage`,
      comment: 'stages do not import each other, the pipelines or the cli',
      severity: 'error',
      from: { path: `^src/${stage}/` },
      to: { path: [`^src/(?!(${stage}|core)/)`, '^pipelines/'] },
    })),
    {
      name: 'core-is-the-bottom',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ['^src/(?!core/)', '^pipelines/'] },
    },
    {
      name: 'pipelines-not-cli',
      severity: 'error',
      from: { path: '^pipelines/' },
      to: { path: '^src/(cli|console)/' },
    },
    {
      name: 'pipelines-by-role',
      comment: 'pipelines/ holds jobs/ (BullMQ), commands/ (use cases) and the composition root services.ts only',
      severity: 'error',
      from: { path: '^pipelines/[^/]+$', pathNot: '^pipelines/services\\.ts$' },
      to: {},
    },
    {
      name: 'cli-and-console-apart',
      comment: 'the CLI and the console are two fronts over the same pipelines',
      severity: 'error',
      from: { path: '^src/(cli|console)/', pathNot: '^src/cli/serve-command\\.ts$' },
      to: { path: '^src/(cli|console)/', pathNot: '^src/$1/' },
    },
    {
      name: 'serve-starts-the-console',
      comment: '`ppm serve` starts the console through its entry only; the console never imports the CLI',
      severity: 'error',
      from: { path: '^src/cli/serve-command\\.ts$' },
      to: { path: '^src/console/', pathNot: '^src/console/index\\.ts$' },
    },
    {
      name: 'transform-is-pure',
      comment: 'transforms do no I/O: no database, queue, file system or environment',
      severity: 'error',
      from: { path: '^src/transform/' },
      to: {
        path: [
          'node_modules/(knex|pg|pg-copy-streams|mssql|mysql2|bullmq|ioredis|pino)/',
          '^(fs|net|child_process|node:fs|node:net|node:child_process)$',
        ],
      },
    },
    {
      name: 'engine-sql-stays-in-its-folder',
      comment: 'engine drivers are imported only by their engine folder',
      severity: 'error',
      from: { path: '^(src|pipelines)/', pathNot: ['^src/extract/mssql/', '^src/extract/mariadb/'] },
      to: { path: 'node_modules/(mssql|tedious|mysql2)/' },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '(^test/|^bench/)' },
  },
};
