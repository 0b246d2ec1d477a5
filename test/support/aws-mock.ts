/**
 * A loopback mock of AWS service APIs for the real `aws` CLI (v1, botocore).
 *
 * One HTTP server on 127.0.0.1 answers every service. A request is attributed to a service by the
 * SigV4 signing name in its Authorization header (`…/<region>/<service>/aws4_request`: `ecs`, `ecr`,
 * `monitoring`, `sts`, …), which every protocol carries, and to an operation by its protocol:
 *
 * - JSON 1.0/1.1 (ECS, ECR, CodeDeploy, Logs, Events, and CloudWatch as botocore 1.43 resolves it:
 *   its model lists smithy-rpc-v2-cbor, json and query, and botocore prefers json):
 *   `X-Amz-Target: <TargetPrefix>.<Operation>`, JSON body, JSON reply.
 * - query (STS, SNS, ELBv2): form body `Action=<Operation>&…`, XML reply built from the JSON value.
 * - ec2 (EC2's own variant of query, signing name `ec2`): the same form body; the reply has no
 *   `<…Result>` wrapper, list items are `<item>` elements and errors are `<Response><Errors>…`. Its
 *   handlers answer with the wire names of botocore's model (`locationName`: `vpcSet`, `vpcId`, `tagSet`…).
 * - smithy-rpc-v2-cbor (`POST /service/<S>/operation/<Op>`, CBOR body): recognised and answered with a
 *   clear 501, because CBOR is not implemented here.
 *
 * Handlers are keyed by service and operation; a scripted sequence answers one reply per call and
 * repeats its last reply. Every request is recorded, also those no handler answers (they get a
 * `MockUnhandledOperation` error), so a test can assert exactly what was sent.
 *
 * Point the CLI at it with `--endpoint-url`, `AWS_ENDPOINT_URL` or `AWS_ENDPOINT_URL_<SERVICE>`;
 * `cliEnv()` gives an environment with fake credentials and no metadata lookups.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The wire protocol of one request. */
export type AwsProtocol = 'json' | 'query' | 'ec2' | 'rpcv2cbor' | 'unknown';

/** One request as the mock received it. */
export interface AwsCall {
  /** SigV4 signing name, e.g. `ecs`, `ecr`, `monitoring`, `sts`. */
  readonly service: string;
  /** Operation name, e.g. `DescribeServiceDeployments`. */
  readonly operation: string;
  readonly protocol: AwsProtocol;
  /** Decoded input: the JSON body, or the query form decoded into nested objects and lists. */
  readonly input: Record<string, unknown>;
}

/** What a handler answers: a success body, or an AWS error (status 400 unless given). */
export type AwsReply =
  | { readonly body: unknown; readonly status?: number }
  | { readonly error: { readonly code: string; readonly message?: string }; readonly status?: number };

/** A fixed reply, or a function of the call. */
export type AwsHandler = AwsReply | ((call: AwsCall) => AwsReply | Promise<AwsReply>);

/** Success reply. */
export function ok(body: unknown = {}): AwsReply {
  return { body };
}

/** Error reply with an AWS error code, e.g. `awsError('ImageNotFoundException', 'no such image')`. */
export function awsError(code: string, message = code, status = 400): AwsReply {
  return { error: { code, message }, status };
}

/** A server-side failure (HTTP 500), as a transient outage looks to the CLI. */
export function serverError(message = 'We encountered an internal error. Please try again.'): AwsReply {
  return awsError('InternalFailure', message, 500);
}

const SIGNING_NAME = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/;

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Query-protocol form → nested value: `A.member.1.B=x` → `{ A: [{ B: 'x' }] }`. */
export function decodeQueryForm(form: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(form)) {
    if (key === 'Action' || key === 'Version') continue;
    const path = key.split('.').filter((p) => p !== 'member' && p !== 'entry');
    let node: Record<string, unknown> | unknown[] = out;
    path.forEach((part, i) => {
      const slot = /^\d+$/.test(part) ? Number(part) - 1 : part;
      const last = i === path.length - 1;
      const container = node as Record<string | number, unknown>;
      if (last) container[slot] = value;
      else container[slot] ??= /^\d+$/.test(path[i + 1]!) ? [] : {};
      node = container[slot] as Record<string, unknown> | unknown[];
    });
  }
  return out;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** JSON value → query-protocol XML: objects by key, lists as `<member>` elements. */
export function toQueryXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toQueryXml(v)}</member>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `<${k}>${toQueryXml(v)}</${k}>`)
      .join('');
  }
  return value === null || value === undefined ? '' : xmlEscape(String(value));
}

/** JSON value → EC2-protocol XML: objects by key, lists as `<item>` elements. */
export function toEc2Xml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<item>${toEc2Xml(v)}</item>`).join('');
  if (value !== null && typeof value === 'object')
    return Object.entries(value)
      .map(([k, v]) => `<${k}>${toEc2Xml(v)}</${k}>`)
      .join('');
  return value === null || value === undefined ? '' : xmlEscape(String(value));
}

function sendEc2(res: ServerResponse, operation: string, reply: AwsReply): void {
  const isError = 'error' in reply;
  const status = reply.status ?? (isError ? 400 : 200);
  const xml = isError
    ? `<Response><Errors><Error><Code>${xmlEscape(reply.error.code)}</Code><Message>${xmlEscape(reply.error.message ?? '')}</Message></Error></Errors><RequestID>mock</RequestID></Response>`
    : `<${operation}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>mock</requestId>${toEc2Xml(reply.body)}</${operation}Response>`;
  res.writeHead(status, { 'content-type': 'text/xml;charset=UTF-8' }).end(xml);
}

interface Parsed {
  readonly protocol: AwsProtocol;
  readonly operation: string;
  readonly input: Record<string, unknown>;
  readonly jsonVersion?: string;
}

function parseRequest(req: IncomingMessage, body: Buffer): Parsed {
  const target = String(req.headers['x-amz-target'] ?? '');
  const type = String(req.headers['content-type'] ?? '');
  if (target) {
    const text = body.toString('utf8');
    return {
      protocol: 'json',
      operation: target.slice(target.lastIndexOf('.') + 1),
      input: text ? (JSON.parse(text) as Record<string, unknown>) : {},
      jsonVersion: /json-1\.0/.test(type) ? '1.0' : '1.1',
    };
  }
  const cbor = /\/service\/[^/]+\/operation\/([^/?]+)/.exec(req.url ?? '');
  if (cbor || /application\/cbor/.test(type)) return { protocol: 'rpcv2cbor', operation: cbor?.[1] ?? '', input: {} };
  const form = body.toString('utf8');
  const action = new URLSearchParams(form).get('Action');
  if (action) return { protocol: 'query', operation: action, input: decodeQueryForm(form) };
  return { protocol: 'unknown', operation: '', input: {} };
}

function send(res: ServerResponse, parsed: Parsed, reply: AwsReply): void {
  const isError = 'error' in reply;
  const status = reply.status ?? (isError ? 400 : 200);
  if (parsed.protocol === 'query') {
    const xml = isError
      ? `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlEscape(reply.error.code)}</Code><Message>${xmlEscape(reply.error.message ?? '')}</Message></Error><RequestId>mock</RequestId></ErrorResponse>`
      : `<${parsed.operation}Response><${parsed.operation}Result>${toQueryXml(reply.body)}</${parsed.operation}Result><ResponseMetadata><RequestId>mock</RequestId></ResponseMetadata></${parsed.operation}Response>`;
    res.writeHead(status, { 'content-type': 'text/xml' }).end(xml);
    return;
  }
  const headers: Record<string, string> = { 'content-type': `application/x-amz-json-${parsed.jsonVersion ?? '1.1'}` };
  if (isError) headers['x-amzn-errortype'] = reply.error.code;
  const payload = isError ? { __type: reply.error.code, message: reply.error.message ?? '' } : reply.body;
  res.writeHead(status, headers).end(JSON.stringify(payload ?? {}));
}

/** The mock server. Create with `AwsMock.start()`, end with `close()`. */
export class AwsMock {
  /** Every request received since the last `reset()`, in order. */
  readonly calls: AwsCall[] = [];
  private readonly handlers = new Map<string, AwsHandler[]>();

  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
  ) {}

  /** Start on a free loopback port. */
  static async start(): Promise<AwsMock> {
    let mock: AwsMock | undefined;
    const server = createServer((req, res) => void mock!.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mock = new AwsMock(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return mock;
  }

  /** Answer every call of `service`/`operation` with `handler` (replaces earlier ones). */
  on(service: string, operation: string, handler: AwsHandler): this {
    this.handlers.set(`${service}/${operation}`, [handler]);
    return this;
  }

  /** Answer successive calls with successive handlers; the last one answers every further call. */
  script(service: string, operation: string, handlers: readonly AwsHandler[]): this {
    if (handlers.length === 0) throw new Error('script needs at least one reply');
    this.handlers.set(`${service}/${operation}`, [...handlers]);
    return this;
  }

  /** Forget recorded calls and handlers. */
  reset(): void {
    this.calls.length = 0;
    this.handlers.clear();
  }

  /** Recorded calls of one service (and operation). */
  callsTo(service: string, operation?: string): AwsCall[] {
    return this.calls.filter((c) => c.service === service && (operation === undefined || c.operation === operation));
  }

  /** Environment for the aws CLI: this endpoint for every service, fake credentials, one attempt per call. */
  cliEnv(region = 'eu-west-1'): Record<string, string> {
    return {
      AWS_ENDPOINT_URL: this.endpoint,
      AWS_DEFAULT_REGION: region,
      AWS_REGION: region,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/dev/null',
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      // The CLI's own retries would hide a transient error from the script under test.
      AWS_MAX_ATTEMPTS: '1',
      AWS_RETRY_MODE: 'standard',
      AWS_PAGER: '',
    };
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const service = SIGNING_NAME.exec(String(req.headers.authorization ?? ''))?.[1] ?? 'unknown';
    let parsed: Parsed;
    try {
      parsed = parseRequest(req, body);
    } catch (err) {
      res.writeHead(400).end(`aws-mock: unreadable request body: ${(err as Error).message}`);
      return;
    }
    const protocol = parsed.protocol === 'query' && service === 'ec2' ? 'ec2' : parsed.protocol;
    const call: AwsCall = { service, operation: parsed.operation, protocol, input: parsed.input };
    this.calls.push(call);
    const reply = await this.reply(call);
    if (protocol === 'ec2') sendEc2(res, parsed.operation, reply);
    else send(res, parsed, reply);
  }

  private async reply(call: AwsCall): Promise<AwsReply> {
    if (call.protocol === 'rpcv2cbor')
      return awsError('MockUnsupportedProtocol', 'aws-mock does not implement smithy-rpc-v2-cbor', 501);
    const queue = this.handlers.get(`${call.service}/${call.operation}`);
    if (!queue) return awsError('MockUnhandledOperation', `aws-mock: no handler for ${call.service} ${call.operation}`);
    const handler = queue.length > 1 ? queue.shift()! : queue[0]!;
    return typeof handler === 'function' ? handler(call) : handler;
  }
}
