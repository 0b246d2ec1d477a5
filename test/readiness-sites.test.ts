/**
 * Finding the app's own client objects for /readyz: every client the detector recognises, in the
 * shapes real services write them (module-level const, `let` assigned later, module.exports, the
 * mongoose default connection, `global.x || new X()`), and what is left alone (clients created inside
 * functions, look-alikes from other modules).
 */
import { describe, expect, it } from 'vitest';
import { parseSource } from '../src/detect/ast.js';
import { findClientSites, type ProbeStyle } from '../src/detect/sites.js';

const JS: ProbeStyle = { ts: false, redisCallbacks: false, prismaMongo: false };
const TS: ProbeStyle = { ...JS, ts: true };

function sites(code: string, style = JS, file = style.ts ? 'x.ts' : 'x.js'): string[] {
  const ast = parseSource(code, file)!;
  const found = findClientSites(ast, style);
  return [
    ...found.sites.map((s) => `${s.role} ${s.client} ${s.probe}`),
    ...found.unwired.map((u) => `unwired ${u.client}:${u.line}`),
  ];
}

describe('client sites by client', () => {
  it.each([
    [
      'pg Pool (named import)',
      "import { Pool } from 'pg';\nexport const pool = new Pool();",
      JS,
      ["database pg pool.query('SELECT 1')"],
    ],
    [
      'pg Client via namespace',
      "const pg = require('pg');\nconst client = new pg.Client(process.env.DATABASE_URL);",
      JS,
      ["database pg client.query('SELECT 1')"],
    ],
    [
      'pg default import (ESM)',
      "import pg from 'pg';\nconst db = new pg.Pool();",
      JS,
      ["database pg db.query('SELECT 1')"],
    ],
    [
      'mysql2 callback pool, assigned in init()',
      "const mysql = require('mysql2');\nlet pool;\nasync function init() { pool = mysql.createPool({}); }",
      JS,
      ["database mysql2 pool.promise().query('SELECT 1')"],
    ],
    [
      'mysql2/promise pool',
      "import mysql from 'mysql2/promise';\nexport const db = mysql.createPool(process.env.DATABASE_URL);",
      JS,
      ["database mysql2 db.query('SELECT 1')"],
    ],
    [
      'mysql2 named createConnection',
      "import { createConnection } from 'mysql2';\nconst conn = createConnection({});",
      JS,
      ["database mysql2 conn.promise().query('SELECT 1')"],
    ],
    [
      'mongoose default connection',
      "const mongoose = require('mongoose');\nmongoose.connect(url).then(() => {});",
      JS,
      ['database mongoose mongoose.connection.db.admin().ping()'],
    ],
    [
      'mongoose default connection in TS (db may be undefined in its types)',
      "import mongoose from 'mongoose';\nexport async function connect() { await mongoose.connect(url); }",
      TS,
      ['database mongoose mongoose.connection.db!.admin().ping()'],
    ],
    [
      'mongoose createConnection',
      "const mongoose = require('mongoose');\nconst conn = mongoose.createConnection(url);",
      JS,
      ['database mongoose conn.db.admin().ping()'],
    ],
    [
      'mongodb MongoClient',
      "const { MongoClient } = require('mongodb');\nconst client = new MongoClient(url);",
      JS,
      ['database mongodb client.db().command({ ping: 1 })'],
    ],
    [
      'prisma behind a global cache',
      "import { PrismaClient } from '@prisma/client';\nconst prisma = global.prisma || new PrismaClient();\nexport default prisma;",
      TS,
      ['database prisma prisma.$queryRaw`SELECT 1`'],
    ],
    [
      'prisma on MongoDB',
      "const { PrismaClient } = require('@prisma/client');\nconst prisma = new PrismaClient();",
      { ...JS, prismaMongo: true },
      ['database prisma prisma.$runCommandRaw({ ping: 1 })'],
    ],
    [
      'knex default import',
      "import knex from 'knex';\nexport const db = knex({ client: 'pg' });",
      TS,
      ["database knex db.raw('select 1')"],
    ],
    [
      'knex required and called',
      "const db = require('knex')(require('./knexfile'));\nmodule.exports = db;",
      JS,
      ["database knex db.raw('select 1')"],
    ],
    [
      'knex as module.exports',
      "const knex = require('knex');\nmodule.exports = knex(config);",
      JS,
      ["database knex module.exports.raw('select 1')"],
    ],
    [
      'sequelize class as the module',
      "const Sequelize = require('sequelize');\nconst sequelize = new Sequelize('db', 'u', 'p', {});",
      JS,
      ['database sequelize sequelize.authenticate()'],
    ],
    [
      'mongoose named connect() in an init method (the default connection)',
      "import { connect, set } from 'mongoose';\nclass App {\n  private db() { set('debug', true); connect(url, {}); }\n}",
      TS,
      ["database mongoose import('mongoose').then((m) => (m.default || m).connection.db!.admin().ping())"],
    ],
    [
      'typeorm createConnection() awaited in a method (the default connection)',
      "import { createConnection } from 'typeorm';\nclass App {\n  async db() { await createConnection(options); }\n}",
      TS,
      ["database typeorm import('typeorm').then((m) => m.getConnection().query('SELECT 1'))"],
    ],
    [
      'typeorm DataSource',
      "import { DataSource } from 'typeorm';\nexport const AppDataSource = new DataSource({ type: 'postgres' });",
      TS,
      ["database typeorm AppDataSource.query('SELECT 1')"],
    ],
    [
      'node-redis v4+',
      "import { createClient } from 'redis';\nconst redis = createClient({ url });",
      JS,
      ['cache redis redis.ping()'],
    ],
    [
      'node-redis v3 (callbacks)',
      "const redis = require('redis');\nconst client = redis.createClient();",
      { ...JS, redisCallbacks: true },
      ['cache redis new Promise((resolve, reject) => client.ping((err) => (err ? reject(err) : resolve(undefined))))'],
    ],
    [
      'ioredis default class',
      "import Redis from 'ioredis';\nexport const redis = new Redis(process.env.REDIS_URL);",
      TS,
      ['cache ioredis redis.ping()'],
    ],
    [
      'ioredis required',
      "const IORedis = require('ioredis');\nconst cache = new IORedis();",
      JS,
      ['cache ioredis cache.ping()'],
    ],
  ] as const)('%s', (_label, code, style, expected) => {
    expect(sites(code, style)).toEqual(expected);
  });
});

describe('what is left alone', () => {
  it('a client created inside a function is reported with its line, not wired', () => {
    expect(sites("const { Pool } = require('pg');\n\nasync function handler() {\n  const p = new Pool();\n}")).toEqual([
      'unwired pg:4',
    ]);
  });
  it('a look-alike class from another module is not a client', () => {
    expect(sites("const { Pool } = require('generic-pool');\nconst pool = new Pool();")).toEqual([]);
  });
  it('a property assignment is not a binding the probe can read', () => {
    expect(sites("const { Pool } = require('pg');\nclass Db { constructor() { this.pool = new Pool(); } }")).toEqual(
      [],
    );
  });
  it('an untyped `let x;` in TypeScript under noImplicitAny is reported, not wired (the probe would not compile)', () => {
    const code = "import knex from 'knex';\nlet db;\nexport function connect(): void { db = knex({}); }";
    expect(sites(code, { ...TS, noImplicitAny: true })).toEqual(['unwired knex:3']);
    expect(sites(code, TS)).toEqual(["database knex db.raw('select 1')"]);
  });
  it('a lazy singleton getter is probed through the getter (the client exists only once it ran)', () => {
    const code = "import knex from 'knex';\nlet db;\nexport function getDb() { if (!db) db = knex({}); return db; }";
    expect(sites(code, { ...TS, noImplicitAny: true })).toEqual(["database knex getDb().raw('select 1')"]);
  });
  it('the same binding is one site', () => {
    expect(sites("const { Pool } = require('pg');\nlet pool = new Pool();\npool = new Pool();")).toEqual([
      "database pg pool.query('SELECT 1')",
    ]);
  });
});
