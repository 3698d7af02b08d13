// A minimal SMTP server for the browser tests of both SPAs: the real binary sends its e-mails to it
// over loopback, and a test reads what arrived.
import { once } from 'node:events';
import { createServer as createTcpServer } from 'node:net';

/** A minimal SMTP server on loopback that accepts every message and keeps its raw text. */
export async function smtpSink() {
  const messages = [];
  const srv = createTcpServer((sock) => {
    sock.setEncoding('utf8');
    sock.write('220 localhost ESMTP test sink\r\n');
    let buf = '';
    let inData = false;
    let msg = '';
    sock.on('data', (chunk) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(msg);
            msg = '';
            sock.write('250 2.0.0 queued\r\n');
          } else msg += (line.startsWith('..') ? line.slice(1) : line) + '\r\n';
          continue;
        }
        const cmd = line.slice(0, 4).toUpperCase();
        if (cmd === 'EHLO') sock.write('250-localhost\r\n250 8BITMIME\r\n');
        else if (cmd === 'DATA') {
          inData = true;
          sock.write('354 end with .\r\n');
        } else if (cmd === 'QUIT') {
          sock.write('221 bye\r\n');
          sock.end();
        } else sock.write('250 OK\r\n');
      }
    });
    sock.on('error', () => {});
  });
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  return { url: `smtp://127.0.0.1:${srv.address().port}?starttls=never`, messages, close: () => srv.close() };
}
