// Node checks for the collector: a process running by name, or a TCP port on 127.0.0.1 accepting connections.
import net from 'node:net';
import * as si from 'systeminformation';

export interface NodeState {
  name: string;
  up: boolean;
}

export interface NodeResult {
  nodes: NodeState[];
  warnings: string[];
}

const TCP_RE = /^tcp:(\d{1,5})$/i;

/** The port of a `tcp:PORT` node, null for a process name; throws for a bad port. */
export function tcpPort(node: string): number | null {
  const m = TCP_RE.exec(node);
  if (!m) {
    if (/^tcp:/i.test(node)) throw new Error(`node "${node}": expected tcp:<port 1-65535>`);
    return null;
  }
  const port = Number(m[1]);
  if (port < 1 || port > 65535) throw new Error(`node "${node}": port must be 1-65535`);
  return port;
}

/** True when 127.0.0.1:`port` accepts a connection within `timeoutMs`. */
export function tcpUp(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (up: boolean) => {
      socket.destroy();
      resolve(up);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Up when a running process has this name: systeminformation's `name` (the executable's base
 * name, e.g. `node`, `java`, `nginx`) or its `command`. The process list comes from `ps`; when it
 * cannot be read (no `ps`, or it does not even show this process) the process nodes are skipped
 * with a warning rather than reported down.
 */
export async function checkNodes(nodes: string[], timeoutMs: number): Promise<NodeResult> {
  const warnings: string[] = [];
  const procNames = nodes.filter((n) => tcpPort(n) === null);
  let running: Set<string> | null = null;
  if (procNames.length > 0) {
    try {
      const list = (await si.processes()).list;
      if (list.some((p) => p.pid === process.pid)) {
        running = new Set();
        for (const p of list) {
          running.add(p.name);
          running.add(p.command);
        }
      } else {
        warnings.push(
          `node ${procNames.join(', ')}: the process list could not be read (ps missing or failing); skipped`,
        );
      }
    } catch (err) {
      warnings.push(
        `node ${procNames.join(', ')}: the process list could not be read (${(err as Error).message}); skipped`,
      );
    }
  }
  const states = await Promise.all(
    nodes.map(async (name): Promise<NodeState | null> => {
      const port = tcpPort(name);
      if (port !== null) return { name, up: await tcpUp(port, timeoutMs) };
      return running ? { name, up: running.has(name) } : null;
    }),
  );
  return { nodes: states.filter((s): s is NodeState => s !== null), warnings };
}
