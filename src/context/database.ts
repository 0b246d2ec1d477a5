/** What the generated infrastructure and docs say about the database: its name, port and URL form. */
import type { ProjectFacts } from '../detect/facts.js';

/** The database as templates see it. */
export interface DatabaseContext {
  /** Human name, e.g. `PostgreSQL`. */
  readonly label: string;
  /** Port the tasks' security group lets them reach inside the VPC; null when the database is a local file. */
  readonly port: number | null;
  /** Example value of the DATABASE_URL secret. */
  readonly urlExample: string;
  /** Terraform name of the egress rule (kept `tasks_postgres` for PostgreSQL, as before). */
  readonly egressRule: string;
}

const ENGINES: Readonly<Record<string, Omit<DatabaseContext, 'egressRule'>>> = {
  postgresql: { label: 'PostgreSQL', port: 5432, urlExample: 'postgres://user:password@host:5432/db' },
  cockroachdb: { label: 'CockroachDB', port: 26257, urlExample: 'postgresql://user:password@host:26257/db' },
  mysql: { label: 'MySQL', port: 3306, urlExample: 'mysql://user:password@host:3306/db' },
  mongodb: { label: 'MongoDB', port: 27017, urlExample: 'mongodb://user:password@host:27017/db' },
  sqlserver: {
    label: 'SQL Server',
    port: 1433,
    urlExample: 'sqlserver://host:1433;database=db;user=user;password=password',
  },
  sqlite: { label: 'SQLite', port: null, urlExample: 'file:./data.db' },
};

/** The database of a new service (PostgreSQL), or the one the adopted service's client talks to. */
export function databaseContext(facts: ProjectFacts): DatabaseContext {
  const engine = facts.mode === 'adopt' ? (facts.databaseEngine ?? 'postgresql') : 'postgresql';
  const e = ENGINES[engine] ?? ENGINES.postgresql!;
  return { ...e, egressRule: engine === 'postgresql' ? 'tasks_postgres' : `tasks_${engine}` };
}
