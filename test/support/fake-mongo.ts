/**
 * Test support: a loopback stand-in for MongoDB speaking enough of the wire protocol (OP_MSG, and the
 * legacy OP_QUERY handshake) for drivers and mongoose to connect, ping and run empty queries:
 * hello/isMaster describe a standalone server, find/aggregate/list* answer empty cursors, writes and
 * everything else answer ok. Debian ships no MongoDB server and mongodb-memory-server downloads one,
 * so this is how the readiness checks of mongoose/mongodb apps are exercised against a real socket.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { deserialize, Long, ObjectId, serialize, type Document } from 'bson';

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;

let requestIds = 1;

function helloReply(): Document {
  return {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16777216,
    maxMessageSizeBytes: 48000000,
    maxWriteBatchSize: 100000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: 1,
    minWireVersion: 0,
    maxWireVersion: 21,
    readOnly: false,
    topologyVersion: { processId: new ObjectId(), counter: Long.fromNumber(0) },
    ok: 1,
  };
}

/** The reply to one command document. */
function reply(cmd: Document): Document {
  const name = Object.keys(cmd)[0]?.toLowerCase() ?? '';
  const db = typeof cmd.$db === 'string' ? cmd.$db : 'test';
  if (name === 'hello' || name === 'ismaster') return helloReply();
  const collection = typeof cmd[Object.keys(cmd)[0]!] === 'string' ? String(cmd[Object.keys(cmd)[0]!]) : '$cmd';
  if (['find', 'aggregate', 'listcollections', 'listindexes'].includes(name))
    return { cursor: { id: Long.fromNumber(0), ns: `${db}.${collection}`, firstBatch: [] }, ok: 1 };
  if (name === 'getmore')
    return { cursor: { id: Long.fromNumber(0), ns: `${db}.${collection}`, nextBatch: [] }, ok: 1 };
  if (['insert', 'update', 'delete'].includes(name)) return { n: 0, nModified: 0, ok: 1 };
  if (name === 'buildinfo') return { version: '7.0.0', versionArray: [7, 0, 0, 0], ok: 1 };
  return { ok: 1 };
}

function header(length: number, responseTo: number, opCode: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeInt32LE(length, 0);
  b.writeInt32LE(requestIds++, 4);
  b.writeInt32LE(responseTo, 8);
  b.writeInt32LE(opCode, 12);
  return b;
}

function opMsg(doc: Document, responseTo: number): Buffer {
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.from(serialize(doc))]); // flagBits, section kind 0
  return Buffer.concat([header(16 + body.length, responseTo, OP_MSG), body]);
}

function opReply(doc: Document, responseTo: number): Buffer {
  const fixed = Buffer.alloc(20); // responseFlags, cursorID (8), startingFrom, numberReturned
  fixed.writeInt32LE(1, 16);
  const body = Buffer.concat([fixed, Buffer.from(serialize(doc))]);
  return Buffer.concat([header(16 + body.length, responseTo, OP_REPLY), body]);
}

/** Answer one complete message. */
function answer(msg: Buffer): Buffer | undefined {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP_MSG) {
    const flags = msg.readUInt32LE(16);
    if (msg[20] !== 0) return undefined; // section kind 1 first: not sent by the commands answered here
    const doc = deserialize(msg.subarray(21, 21 + msg.readInt32LE(21)));
    return flags & 2 ? undefined : opMsg(reply(doc), requestId); // moreToCome: no reply expected
  }
  if (opCode === OP_QUERY) {
    let i = 20;
    while (msg[i] !== 0) i++; // fullCollectionName (cstring)
    const at = i + 1 + 8; // numberToSkip, numberToReturn
    return opReply(reply(deserialize(msg.subarray(at, at + msg.readInt32LE(at)))), requestId);
  }
  return undefined;
}

/** A running fake server; `stop()` closes it and every connection (the dependency "goes down"). */
export interface FakeMongo {
  readonly port: number;
  readonly url: string;
  stop(): Promise<void>;
}

/** Start the fake on a free loopback port. */
export async function startFakeMongo(): Promise<FakeMongo> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
        const len = buffered.readInt32LE(0);
        const out = answer(buffered.subarray(0, len));
        buffered = buffered.subarray(len);
        if (out) socket.write(out);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    port,
    url: `mongodb://127.0.0.1:${port}/app?directConnection=true`,
    stop: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
