// Starts the demo server for `npm start` on PORT (default 3001, the seed's port) and prints where to look.
import { createApp } from './app.js';
import { MODES } from './pages.js';

const port = Number(process.env.PORT) || 3001;
const server = createApp().listen(port, () => {
  const base = `http://localhost:${port}`;
  console.log(`ssekit demo: ${base}/demo  (native EventSource and ssekit side by side, and connect())`);
  console.log(`the seed's pages on ${base}/`);
  for (const mode of MODES) console.log(`  ${(base + mode.path).padEnd(32)} ${mode.title}`);
  console.log('  add ?src=/stream to any page for one held-open connection instead of one event per connection');
});
server.on('error', (error) => {
  console.error(`Cannot listen on port ${port}: ${error.message}. Set PORT to a free port, e.g. PORT=3002 npm start.`);
  process.exit(1);
});
