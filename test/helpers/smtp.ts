// A controllable SMTP server on loopback (smtp-server): accepts, refuses (550), defers (451), hangs or is down, on one port.
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * accept: mails are received; reject: 550 at `stage`; defer: 451 at `stage`;
 * hang-greeting: the connection is taken but never greeted; hang-data: DATA is read but never answered;
 * down: nothing listens on the port.
 */
export type SmtpMode = 'accept' | 'reject' | 'defer' | 'hang-greeting' | 'hang-data' | 'down';

export interface ReceivedMail {
  mail: ParsedMail;
  /** Envelope recipients. */
  rcptTo: string[];
}

export interface SmtpOptions {
  mode?: SmtpMode;
  /** Where reject / defer answer: at RCPT TO (default) or after DATA. */
  stage?: 'rcpt' | 'data';
}

export interface TestSmtp {
  readonly port: number;
  /** smtp://127.0.0.1:<port> */
  readonly url: string;
  readonly mode: SmtpMode;
  stage: 'rcpt' | 'data';
  /** Mails accepted, in the order the server accepted them. */
  readonly received: ReceivedMail[];
  /** TCP connections taken in every mode but down. */
  readonly connections: number;
  /** Refusals sent (reject / defer), as '550 to a@example.com'. */
  readonly refusals: string[];
  /** Milliseconds to hold a mail before accepting it (e.g. to make send order observable). */
  acceptDelay: (mail: ParsedMail) => number;
  /** Switch mode; the port stays the same (down closes it, and it is listened on again later). */
  setMode(mode: SmtpMode): Promise<void>;
  /** Mails whose envelope includes `address`. */
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

const REFUSAL = {
  reject: { code: 550, text: '5.1.1 mailbox unavailable' },
  defer: { code: 451, text: '4.3.0 try again later' },
} as const;

const refusal = (mode: 'reject' | 'defer') =>
  Object.assign(new Error(REFUSAL[mode].text), { responseCode: REFUSAL[mode].code });

/** A port nothing listens on (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

function listenOn(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
}

export async function startSmtp(o: SmtpOptions = {}): Promise<TestSmtp> {
  let mode: SmtpMode = o.mode ?? 'accept';
  let connections = 0;
  const received: ReceivedMail[] = [];
  const refusals: string[] = [];
  let smtp: SMTPServer | null = null;
  let mute: Server | null = null;
  const muteSockets = new Set<Socket>();

  const helper: TestSmtp = {
    port: 0,
    url: '',
    get mode() {
      return mode;
    },
    stage: o.stage ?? 'rcpt',
    received,
    get connections() {
      return connections;
    },
    refusals,
    acceptDelay: () => 0,
    async setMode(next) {
      const listenerOf = (m: SmtpMode) =>
        m === 'down' ? 'none' : m === 'hang-greeting' ? 'mute' : 'smtp';
      const restart = listenerOf(next) !== listenerOf(mode);
      if (restart) await stopListening();
      mode = next;
      if (restart) await startListening();
    },
    to: (address) => received.filter((r) => r.rcptTo.includes(address)).map((r) => r.mail),
    close: async () => {
      mode = 'down';
      await stopListening();
    },
  };

  function newSmtpServer(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      // Connections left hanging (hang-data) are cut soon after close().
      closeTimeout: 100,
      onConnect(_session, cb) {
        connections++;
        cb();
      },
      onRcptTo(address, _session, cb) {
        if ((mode === 'reject' || mode === 'defer') && helper.stage === 'rcpt') {
          refusals.push(`${REFUSAL[mode].code} to ${address.address}`);
          cb(refusal(mode));
          return;
        }
        cb();
      },
      onData(stream, session, cb) {
        const rcptTo = session.envelope.rcptTo.map((a) => a.address);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          // The mode when the message has been read decides its fate.
          if (mode === 'hang-data') return;
          if (mode === 'reject' || mode === 'defer') {
            refusals.push(`${REFUSAL[mode].code} to ${rcptTo.join(',')}`);
            cb(refusal(mode));
            return;
          }
          simpleParser(Buffer.concat(chunks), { keepCidLinks: true }).then(
            (mail) =>
              setTimeout(() => {
                received.push({ mail, rcptTo });
                cb();
              }, helper.acceptDelay(mail)),
            (err: Error) => cb(err),
          );
        });
      },
    });
  }

  async function startListening(): Promise<void> {
    if (mode === 'down') return;
    if (mode === 'hang-greeting') {
      mute = createServer((sock) => {
        connections++;
        muteSockets.add(sock);
        sock.on('error', () => undefined);
        sock.on('close', () => muteSockets.delete(sock));
      });
      await listenOn(mute, helper.port);
      return;
    }
    smtp = newSmtpServer();
    await listenOn(smtp.server, helper.port);
  }

  async function stopListening(): Promise<void> {
    const s = smtp;
    const m = mute;
    smtp = null;
    mute = null;
    if (s) await new Promise<void>((r) => s.close(() => r()));
    if (m) {
      for (const sock of muteSockets) sock.destroy();
      await new Promise<void>((r) => m.close(() => r()));
    }
  }

  const port = await freePort();
  Object.assign(helper, { port, url: `smtp://127.0.0.1:${port}` });
  await startListening();
  return helper;
}
