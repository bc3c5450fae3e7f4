import { ConfigurationError, ContractViolationError, SourceUnavailableError } from '../../../src/core/errors';
import { translateMariaDbError } from '../../../src/extract/mariadb/translate-error';
import { translateMssqlError, mssqlErrorIdentity } from '../../../src/extract/mssql/translate-error';

const driverError = (fields: Record<string, unknown>) =>
  Object.assign(new Error(String(fields.message ?? 'boom')), fields);

describe('MariaDB error translation', () => {
  it.each(['ECONNREFUSED', 'ER_LOCK_DEADLOCK', 'PROTOCOL_CONNECTION_LOST', 'ETIMEDOUT', 'ER_LOCK_WAIT_TIMEOUT'])(
    '%s is retryable',
    (code) => {
      const error = translateMariaDbError(driverError({ code }), 'read orders', 'db:3306/pp');
      expect(error).toBeInstanceOf(SourceUnavailableError);
      expect(error.retryable).toBe(true);
      expect(error.message).toContain(`failed to read orders: ${code}`);
    },
  );

  it('treats bad credentials and a missing database as configuration', () => {
    expect(translateMariaDbError(driverError({ code: 'ER_ACCESS_DENIED_ERROR' }), 'connect', 'x')).toBeInstanceOf(
      ConfigurationError,
    );
    expect(translateMariaDbError(driverError({ code: 'ER_BAD_DB_ERROR' }), 'connect', 'x')).toBeInstanceOf(
      ConfigurationError,
    );
  });

  it('makes everything else non-retryable, and redacts URLs', () => {
    const error = translateMariaDbError(
      driverError({ code: 'ER_NO_SUCH_TABLE', message: 'see mysql://root:hunter2@db/pp' }),
      'read',
      'db:3306/pp',
    );
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.retryable).toBe(false);
    expect(error.message).not.toContain('hunter2');
  });

  it("passes the pipeline's own errors through", () => {
    const own = new ContractViolationError('bad row');
    expect(translateMariaDbError(own, 'read', 'x')).toBe(own);
  });
});

describe('SQL Server error translation', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ code: 'EREQUEST', number: 1205 }, 'deadlock victim'],
    [{ code: 'EREQUEST', number: 1222 }, 'lock timeout'],
    [{ code: 'ETIMEOUT' }, 'request timeout'],
    [{ code: 'ESOCKET' }, 'socket'],
    [{ code: 'ECONNCLOSED' }, 'closed connection'],
    [{ code: 'EREQUEST', originalError: { info: { number: 40613 } } }, 'database unavailable (nested number)'],
  ])('%j (%s) is retryable', (fields) => {
    const error = translateMssqlError(driverError(fields), 'read orders', 'sql:1433/pp');
    expect(error).toBeInstanceOf(SourceUnavailableError);
  });

  it('treats failed logins as configuration', () => {
    expect(translateMssqlError(driverError({ code: 'ELOGIN' }), 'connect', 'x')).toBeInstanceOf(ConfigurationError);
    expect(translateMssqlError(driverError({ code: 'EREQUEST', number: 4060 }), 'connect', 'x')).toBeInstanceOf(
      ConfigurationError,
    );
  });

  it('makes SQL errors non-retryable with the number in the message and no password', () => {
    const error = translateMssqlError(
      driverError({ code: 'EREQUEST', number: 208, message: "Invalid object name 'dbo.Nope' mssql://sa:P4ss@h/db" }),
      'read',
      'h:1433/db',
    );
    expect(error).toBeInstanceOf(ContractViolationError);
    expect(error.message).toContain('EREQUEST #208');
    expect(error.message).not.toContain('P4ss');
  });

  it('finds code and number wherever node-mssql put them', () => {
    expect(mssqlErrorIdentity(driverError({ code: 'EREQUEST', originalError: { code: 'ESOCKET' } }))).toEqual({
      code: 'ESOCKET',
      number: undefined,
    });
    expect(mssqlErrorIdentity(driverError({ code: 'EREQUEST', number: 1205 }))).toEqual({
      code: 'EREQUEST',
      number: 1205,
    });
    expect(mssqlErrorIdentity(undefined)).toEqual({ code: undefined, number: undefined });
  });
});
