// A tiny static file server for the built site (build/web/), for `./build.sh serve` and the tests.
// Not a production server and not part of the site: it is never copied to build/web/, and the
// site works from any static host without it (no special headers needed).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  // The page decompresses the MNIST files itself (DecompressionStream), so a .gz is served as the
  // bytes it is, without Content-Encoding: gzip, which would make the browser inflate it first.
  '.gz': 'application/octet-stream',
};

function send(res, status, message) {
  const body = `${status} ${message}\n`;
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-cache',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

// Maps a URL path to a file under root, or null if it would leave root (../, encoded or not).
function resolveUnder(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  return file === root || file.startsWith(root + path.sep) ? file : null;
}

function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method Not Allowed');
  }
  const urlPath = new URL(req.url, 'http://localhost').pathname;
  let file = resolveUnder(root, urlPath);
  if (file === null) return send(res, 404, 'Not Found');

  fs.stat(file, (err, stat) => {
    if (!err && stat.isDirectory()) {
      // Relative links in index.html only resolve against a path that ends in '/'.
      if (!urlPath.endsWith('/')) {
        res.writeHead(301, { Location: urlPath + '/', 'Content-Length': 0, 'Cache-Control': 'no-cache' });
        return res.end();
      }
      file = path.join(file, 'index.html');
      return fs.stat(file, (err2, stat2) => serveFile(res, file, err2, stat2));
    }
    serveFile(res, file, err, stat);
  });
}

function serveFile(res, file, err, stat) {
  if (err || !stat.isFile()) return send(res, 404, 'Not Found');
  res.writeHead(200, {
    'Content-Type': MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': stat.size,
    'Cache-Control': 'no-cache',
  });
  if (res.req.method === 'HEAD') return res.end();
  const stream = fs.createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

// Starts serving root; port 0 picks a free port. Resolves to { server, url } once listening.
export function startServer({ root, port = 0, host = '127.0.0.1' } = {}) {
  if (!root) throw new Error('startServer: root (the folder to serve) is required');
  const absRoot = path.resolve(root);
  if (!fs.existsSync(absRoot) || !fs.statSync(absRoot).isDirectory()) {
    throw new Error(`startServer: ${absRoot} is not a folder (run ./build.sh build first?)`);
  }
  const server = http.createServer((req, res) => handle(absRoot, req, res));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const url = `http://localhost:${server.address().port}/`;
      resolve({ server, url });
    });
  });
}

function parseArgs(argv) {
  const opts = { root: '.', port: 8000, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i];
    const value = argv[i + 1];
    if (!['--root', '--port', '--host'].includes(key) || value === undefined) {
      throw new Error(`unknown or incomplete option '${key}' (usage: serve.mjs --root DIR --port N --host ADDR)`);
    }
    opts[key.slice(2)] = value;
    i++;
  }
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be an integer 0..65535 (0 = any free port), got '${opts.port}'`);
  }
  return { ...opts, port };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const { url } = await startServer(opts);
    console.log(`Serving ${opts.root} at ${url}`);
  } catch (err) {
    console.error(`serve.mjs: ${err.code === 'EADDRINUSE' ? `port ${err.port} is already in use` : err.message}`);
    process.exit(1);
  }
}
