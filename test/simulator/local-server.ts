import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP endpoint on 127.0.0.1 for a stand-in of an AWS service: it listens on a free port, reads
 * each request's whole body and hands it to `answer`, and on `stop()` closes with its connections
 * (an SDK client keeps them alive). Subclasses speak their service's protocol.
 */
export abstract class LocalServer {
  private readonly server: Server = createServer((req, res) => void this.receive(req, res));

  /** The base URL to give the SDK (its `AWS_ENDPOINT_URL_<SERVICE>`). */
  public get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  public async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Starts listening; a subclass's static `start()` calls it before handing the server out. */
  protected async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      // Room for a burst's connections at once (Node's default backlog, 511, drops the rest's
      // handshakes, which clients retry seconds later: a delay the real endpoint does not have).
      this.server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve());
    });
  }

  /** Answers one request whose body was `body` (UTF-8). */
  protected abstract answer(req: IncomingMessage, body: string, res: ServerResponse): void;

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) {
      chunks.push(chunk as Buffer);
    }
    this.answer(req, Buffer.concat(chunks).toString('utf8'), res);
  }
}
